"""A JSON body nested too deeply is a 400 with the contract's body, from the parser, on every route."""

from __future__ import annotations

import pytest

from animatic_vision.api.parsers import JSON_MAX_DEPTH, TOO_DEEP, nesting_depth
from projects.models import Project

pytestmark = pytest.mark.django_db


def nested_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_objects(depth: int) -> str:
    return '{"title":' * depth + '"x"' + "}" * depth


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/projects", "/projects/segment"])
@pytest.mark.parametrize("depth", [JSON_MAX_DEPTH + 1, 1_000, 100_000])
@pytest.mark.parametrize("shape", [nested_arrays, nested_objects])
def test_a_body_nested_too_deeply_is_a_400_not_a_500(user_client, path, depth, shape):
    response = user_client.generic("POST", path, shape(depth), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == TOO_DEEP
    assert response.json()["status_code"] == 400
    assert not Project.objects.exists()


def test_a_body_at_the_limit_reaches_the_view(user_client):
    response = user_client.generic("POST", "/projects", nested_objects(JSON_MAX_DEPTH), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"]["title"] == ["Not a valid string."]


@pytest.mark.parametrize(
    ("value", "depth"),
    [(1, 0), ([], 1), ({"a": [1, {"b": []}]}, 4), ([[[]], []], 3), ({"a": "[[[["}, 1)],
)
def test_nesting_depth_counts_objects_and_arrays(value, depth):
    assert nesting_depth(value) == depth
