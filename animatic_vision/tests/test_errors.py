"""Every error answers the contract's JSON body, whatever raised it."""

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("animatic_vision.tests.urls")


def test_validation_error_lists_fields_and_reads_as_a_sentence(api_client):
    response = api_client.post("/echo", {"title": "far too long", "count": 0}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "title: Ensure this field has no more than 5 characters.",
        "message": "title: Ensure this field has no more than 5 characters.",
        "status_code": 400,
        "code": "validation_error",
        "errors": {
            "title": ["Ensure this field has no more than 5 characters."],
            "count": ["Ensure this value is greater than or equal to 1."],
        },
    }


def test_malformed_json_is_a_400(api_client):
    response = api_client.generic("POST", "/echo", "{not json", content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert body["status_code"] == 400
    assert body["detail"].startswith("JSON parse error")


def test_success_envelope(api_client):
    response = api_client.post("/echo", {"title": "ok", "count": 2}, format="json")

    assert response.status_code == 201
    assert response.json() == {"message": "Echoed", "status_code": 201, "data": {"title": "ok", "count": 2}}


def test_missing_credentials_is_a_401(api_client):
    response = api_client.get("/private")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "message": "Authentication credentials were not provided.",
        "status_code": 401,
        "code": "not_authenticated",
    }


def test_garbage_token_is_a_401(api_client):
    api_client.cookies["access_token"] = "not-a-jwt"

    response = api_client.get("/private")

    assert response.status_code == 401
    assert response.json()["status_code"] == 401


def test_forbidden_is_a_403(api_client):
    response = api_client.get("/forbidden")

    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to perform this action."


def test_unknown_route_is_a_json_404(api_client):
    response = api_client.get("/no/such/route")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "message": "Not found.", "status_code": 404, "code": "not_found"}


def test_wrong_method_is_a_405(api_client):
    response = api_client.delete("/echo")

    assert response.status_code == 405
    assert response.json() == {
        "detail": 'Method "DELETE" not allowed.',
        "message": 'Method "DELETE" not allowed.',
        "status_code": 405,
        "code": "method_not_allowed",
    }


def test_domain_error_keeps_its_status_and_message(api_client):
    response = api_client.get("/conflict")

    assert response.status_code == 409
    assert response.json()["detail"] == "The project is being segmented."


def test_body_over_the_limit_is_a_413_before_parsing(api_client, settings):
    settings.MAX_REQUEST_BYTES = 1000

    response = api_client.post("/echo", {"title": "x" * 2000, "count": 1}, format="json")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than the limit of 1000 bytes.",
        "message": "The request body is larger than the limit of 1000 bytes.",
        "status_code": 413,
        "code": "request_too_large",
    }


def test_unhandled_exception_in_an_api_view_is_a_json_500_without_internals(api_client, caplog):
    response = api_client.get("/broken")

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side. The error has been logged.",
        "message": "Something went wrong on our side. The error has been logged.",
        "status_code": 500,
        "code": "internal_error",
    }
    assert "hunter2" not in response.content.decode()
    assert any("hunter2" in (record.exc_text or "") for record in caplog.records), "the trace belongs in the log"


def test_unhandled_exception_in_a_plain_view_is_a_json_500():
    client = Client(raise_request_exception=False)

    response = client.get("/broken-plain")

    assert response.status_code == 500
    assert response.json()["status_code"] == 500
    assert "secret internals" not in response.content.decode()


def test_errors_carry_cors_headers_for_the_client(api_client):
    response = api_client.get("/no/such/route", HTTP_ORIGIN="http://localhost:3000")

    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_500_carries_cors_headers():
    client = Client(raise_request_exception=False)

    response = client.get("/broken-plain", HTTP_ORIGIN="http://localhost:3000")

    assert response.status_code == 500
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("post", "/echo", "validation_error"),
        ("get", "/private", "not_authenticated"),
        ("get", "/forbidden", "permission_denied"),
        ("get", "/conflict", "conflict"),
        ("get", "/no-such-route", "not_found"),
        ("delete", "/echo", "method_not_allowed"),
        ("get", "/broken", "internal_error"),
    ],
)
def test_every_error_body_carries_a_listed_code(api_client, method, path, code):
    from animatic_vision.errors import error_codes

    body = getattr(api_client, method)(path, {}, format="json").json()

    assert body["code"] == code
    assert body["code"] in error_codes()


def test_unreadable_json_is_malformed_json(api_client):
    response = api_client.generic("POST", "/echo", '{"title": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
