"""Fixtures for the projects and scenes API tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def other_user(make_user):
    return make_user(email="someone.else@example.com", full_name="Olga Other")


@pytest.fixture
def other_client(login_client, other_user):
    return login_client(other_user)


@pytest.fixture
def media_root(settings, tmp_path):
    """A temporary MEDIA_ROOT, so asset files are real files that a test can see disappear."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
