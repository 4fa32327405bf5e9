"""Change, forgot and reset password: sessions end, reset tokens expire, work once and die with the password."""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from accounts.tasks import password_reset_email_send_task
from conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Long-Secret-42"


def logged_in(user, password: str = DEFAULT_PASSWORD) -> APIClient:
    client = APIClient()
    assert client.post("/auth/login", {"email": user.email, "password": password}, format="json").status_code == 200
    return client


# --- change-password -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/auth/change-password", "/auth/change-password/"])
def test_change_password_ends_other_sessions_and_keeps_this_one(user, path):
    this = logged_in(user)
    other = logged_in(user)
    old_refresh = this.cookies["refresh_token"].value

    response = this.put(path, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"message": "Password changed successfully", "status_code": 200, "data": None}
    assert response.cookies["access_token"].value
    assert this.get("/auth/me").status_code == 200
    assert this.get("/auth/refresh-token").status_code == 200
    assert other.get("/auth/me").status_code == 401
    assert other.get("/auth/refresh-token").status_code == 401
    stale = APIClient()
    stale.cookies["refresh_token"] = old_refresh
    assert stale.get("/auth/refresh-token").status_code == 401
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_change_password_with_a_wrong_old_password_is_400(user_client, user):
    response = user_client.put(
        "/auth/change-password", {"old_password": "Not-The-Password-1", "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Old password is incorrect.",
        "message": "Old password is incorrect.",
        "status_code": 400,
        "code": "validation_error",
        "errors": {"old_password": ["Old password is incorrect."]},
    }
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert user_client.get("/auth/me").status_code == 200


def test_change_password_checks_the_validators(user_client, user):
    response = user_client.put(
        "/auth/change-password", {"old_password": DEFAULT_PASSWORD, "new_password": "12345678"}, format="json"
    )

    assert response.status_code == 400
    assert "new_password" in response.json()["errors"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_change_password_needs_a_session(api_client):
    response = api_client.put(
        "/auth/change-password", {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 401


# --- forgot-password ----------------------------------------------------------------------------


def reset_token_from(mail) -> str:
    found = re.search(r"http://\S+/reset-password\?token=\S+", mail.body)
    assert found is not None
    link = found.group(0)
    assert link.startswith("http://localhost:3000/reset-password?token=")
    return parse_qs(urlsplit(link).query)["token"][0]


@pytest.mark.parametrize("path", ["/auth/forgot-password", "/auth/forgot-password/"])
def test_forgot_password_emails_a_reset_link(
    api_client, user, mailoutbox, django_capture_on_commit_callbacks, eager_tasks, path
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(path, {"email": "Writer@Example.com"}, format="json")

    assert response.status_code == 200
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["writer@example.com"]
    token = reset_token_from(mail)
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert token in html
    assert "15 minutes" in mail.body


def test_forgot_password_answers_the_same_for_an_unknown_email(
    api_client, user, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = api_client.post("/auth/forgot-password", {"email": user.email}, format="json")
        unknown = api_client.post("/auth/forgot-password", {"email": "nobody@example.com"}, format="json")

    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert known.json()["data"] is None
    assert dict(known.items()).keys() == dict(unknown.items()).keys()
    assert len(mailoutbox) == 1


def test_forgot_password_enqueues_the_address_only_for_known_and_unknown_emails(
    api_client, user, mailoutbox, monkeypatch
):
    sent = []
    monkeypatch.setattr(password_reset_email_send_task, "delay_on_commit", lambda *args: sent.append(args))

    api_client.post("/auth/forgot-password", {"email": user.email.upper()}, format="json")
    api_client.post("/auth/forgot-password", {"email": "nobody@example.com"}, format="json")

    # The task gets the address, never a token: no secret travels through the broker. An unknown
    # address takes the same path, so a broker failure cannot tell the two apart either.
    assert sent == [(user.email,), ("nobody@example.com",)]
    assert mailoutbox == []


def test_the_email_task_sends_nothing_for_an_unknown_address(db, mailoutbox):
    result = password_reset_email_send_task.apply(args=["nobody@example.com"])

    assert result.successful()
    assert mailoutbox == []


@pytest.fixture
def eager_retries(monkeypatch):
    """Eager tasks whose retries run inline instead of raising Retry to the caller."""
    from animatic_vision.celery import app

    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = propagates


def test_the_email_task_retries_smtp_errors_and_never_logs_the_token(
    user, mailoutbox, monkeypatch, caplog, eager_retries
):
    real_send = services.EmailMultiAlternatives.send
    attempts = []

    def flaky_send(message, *args, **kwargs):
        attempts.append(message)
        if len(attempts) < 3:
            raise smtplib.SMTPServerDisconnected("try again")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(services.EmailMultiAlternatives, "send", flaky_send)
    monkeypatch.setattr(password_reset_email_send_task, "retry_backoff", False)
    caplog.set_level(logging.DEBUG)

    result = password_reset_email_send_task.apply(args=[user.email])

    assert result.successful()
    assert len(attempts) == 3
    assert len(mailoutbox) == 1
    token = reset_token_from(mailoutbox[0])
    assert token not in caplog.text
    assert token.split(".", 1)[1] not in caplog.text


def test_the_email_task_gives_up_after_its_retries(user, monkeypatch, eager_retries):
    def always_down(message, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(services.EmailMultiAlternatives, "send", always_down)

    result = password_reset_email_send_task.apply(args=[user.email])

    assert result.failed()
    assert password_reset_email_send_task.max_retries >= 3


# --- reset-password -------------------------------------------------------------------------------


@pytest.fixture
def reset_token(user) -> str:
    return services.password_reset_token_make(user=user)


@pytest.mark.parametrize("path", ["/auth/reset-password", "/auth/reset-password/"])
def test_reset_password_sets_the_password_and_ends_every_session(api_client, user, reset_token, path):
    session = logged_in(user)

    response = api_client.post(path, {"token": reset_token, "newPassword": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"message": "Password reset successfully", "status_code": 200, "data": None}
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert session.get("/auth/me").status_code == 401
    assert session.get("/auth/refresh-token").status_code == 401
    logged_in(user, NEW_PASSWORD)


def assert_invalid_token(response) -> None:
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid or expired token.",
        "message": "Invalid or expired token.",
        "status_code": 400,
        "code": "validation_error",
    }


def test_a_reset_token_works_once(api_client, user, reset_token):
    first = api_client.post("/auth/reset-password", {"token": reset_token, "newPassword": NEW_PASSWORD}, format="json")
    second = api_client.post(
        "/auth/reset-password", {"token": reset_token, "newPassword": "Yet-Another-Secret-77"}, format="json"
    )

    assert first.status_code == 200
    assert_invalid_token(second)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_token_expires_after_15_minutes(api_client, user, reset_token, monkeypatch):
    real_now = services.PasswordResetTokens._now

    def later(minutes: int):
        return lambda self: real_now(self) + timedelta(minutes=minutes)

    monkeypatch.setattr(services.PasswordResetTokens, "_now", later(14))
    assert services.password_reset_tokens.check_token(user, reset_token.split(".", 1)[1])

    monkeypatch.setattr(services.PasswordResetTokens, "_now", later(16))
    response = api_client.post(
        "/auth/reset-password", {"token": reset_token, "newPassword": NEW_PASSWORD}, format="json"
    )

    assert_invalid_token(response)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_reset_token_dies_when_the_password_changes(api_client, user, reset_token):
    user_client = logged_in(user)
    user_client.put(
        "/auth/change-password", {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    response = api_client.post(
        "/auth/reset-password", {"token": reset_token, "newPassword": "Yet-Another-Secret-77"}, format="json"
    )

    assert_invalid_token(response)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "Zm9v.bar", "MQ.cz7k-0123456789abcdef", "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6IngifQ.sig"],
)
def test_reset_password_refuses_a_bad_token(api_client, user, token):
    response = api_client.post("/auth/reset-password", {"token": token, "newPassword": NEW_PASSWORD}, format="json")

    assert response.status_code == 400
    if token:
        assert_invalid_token(response)


def test_a_reset_token_is_opaque_and_not_a_jwt_of_the_email(user, reset_token):
    assert user.email not in reset_token
    assert reset_token.count(".") == 1
    assert not reset_token.startswith("eyJ")


def test_reset_password_checks_the_validators(api_client, user, reset_token):
    response = api_client.post("/auth/reset-password", {"token": reset_token, "newPassword": "password"}, format="json")

    assert response.status_code == 400
    assert "newPassword" in response.json()["errors"]
    # The token is still good for a proper password.
    assert (
        api_client.post(
            "/auth/reset-password", {"token": reset_token, "newPassword": NEW_PASSWORD}, format="json"
        ).status_code
        == 200
    )


def test_argon2id_parameters_come_from_settings(user, settings):
    algorithm, variant, _version, params, *_ = user.password.split("$")
    assert (algorithm, variant) == ("argon2", "argon2id")
    assert params == (
        f"m={settings.ARGON2_MEMORY_COST_KIB},t={settings.ARGON2_TIME_COST},p={settings.ARGON2_PARALLELISM}"
    )
    assert isinstance(User.objects.get(pk=user.pk).created_at, datetime)
