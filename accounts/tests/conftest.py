"""Fixtures for the accounts tests."""

from __future__ import annotations

import pytest
from rest_framework.throttling import SimpleRateThrottle

from conftest import DEFAULT_PASSWORD


@pytest.fixture
def throttle_rates(monkeypatch):
    """Sets throttle rates for one test: `throttle_rates(login_ip="2/min")` (DRF reads them at import)."""

    def set_rates(**rates: str) -> None:
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates})

    return set_rates


@pytest.fixture
def login(api_client):
    """Logs `api_client` in and returns the login response."""

    def do_login(user, password: str = DEFAULT_PASSWORD, path: str = "/auth/login"):
        response = api_client.post(path, {"email": user.email, "password": password}, format="json")
        assert response.status_code == 200, response.content
        return response

    return do_login


@pytest.fixture
def eager_tasks():
    """Runs Celery tasks inline, also when the suite's settings point at a real broker (CI)."""
    from animatic_vision.celery import app

    always_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = always_eager
