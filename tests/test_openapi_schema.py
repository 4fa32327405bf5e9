"""The OpenAPI document says what the server answers: contract paths, common errors, envelopes."""

from __future__ import annotations

import pytest


@pytest.fixture
def schema(api_client, db) -> dict:
    response = api_client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_paths_are_the_contracts_without_trailing_slash(schema):
    assert "/projects" in schema["paths"]
    assert "/projects/{id}/segment" in schema["paths"]
    assert "/health/live" in schema["paths"]
    assert not [path for path in schema["paths"] if path.endswith("/")]


def test_every_operation_documents_the_errors_it_can_give(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "503" in codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
    assert {"401", "429"} <= set(schema["paths"]["/projects/segment"]["post"]["responses"])
    assert schema["paths"]["/health/ready"]["get"]["security"] == []


def test_a_list_answering_an_envelope_is_documented_as_one(schema):
    answer = schema["paths"]["/projects/{project_pk}/scenes"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SceneListEnvelope"}


def test_options_is_refused_not_a_server_error(user_client):
    response = user_client.options("/projects")

    assert response.status_code == 405
    assert response.json()["status_code"] == 405


def test_every_error_code_is_listed_in_the_schema(schema):
    from animatic_vision.errors import error_codes

    error = schema["components"]["schemas"]["Error"]
    listed = error["properties"]["code"]["enum"]

    assert listed == error_codes()
    for code in ("validation_error", "not_authenticated", "project_not_found", "throttled", "token_reused"):
        assert code in listed
    assert "code" in error["required"]
