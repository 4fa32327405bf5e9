"""The benchmark server's constant views answer what bench/profile_views.py and the wrk runs expect."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_the_floor_and_the_drf_floor_answer_the_same_constant_to_anyone():
    client = APIClient()
    for path in ("/bench/floor", "/bench/drf"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json() == {"status": "ok"}


def test_the_authenticated_floor_needs_a_session_and_then_answers_the_constant(user_client):
    assert APIClient().get("/bench/drf-auth").status_code == 401

    response = user_client.get("/bench/drf-auth")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_real_routes_are_served_too(user_client):
    assert user_client.get("/auth/me").status_code == 200
