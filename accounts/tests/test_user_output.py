"""user_output: the user's shape, remembered per process for exactly the values it shows."""

from __future__ import annotations

import pytest

from accounts.serializers import UserOutputSerializer, user_output

pytestmark = pytest.mark.django_db


def test_it_is_the_serializers_answer_and_follows_every_shown_value(user):
    assert user_output(user) == UserOutputSerializer(user).data

    # Changed in memory only, so `updated_at` stays: each value on its own must change the answer.
    for attribute, value in (("full_name", "Renamed Writer"), ("email", "new@example.com"), ("role", "admin")):
        setattr(user, attribute, value)
        assert user_output(user) == UserOutputSerializer(user).data

    assert user_output(user)["fullName"] == "Renamed Writer"


def test_a_caller_changing_its_copy_changes_nothing_remembered(user):
    user_output(user)["email"] = "tampered@example.com"

    assert user_output(user)["email"] == user.email
