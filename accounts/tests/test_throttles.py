"""Throttles on the shared cache: 429 with Retry-After."""

from __future__ import annotations

import pytest

from conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def assert_throttled(response) -> None:
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) > 0
    assert set(response.json()) == {"detail", "message", "status_code", "code"}
    assert response.json()["status_code"] == 429


def test_login_is_throttled_per_client_address(api_client, user, throttle_rates):
    throttle_rates(login_ip="3/min", login_email="100/min")
    for n in range(3):
        api_client.post("/auth/login", {"email": f"guess{n}@example.com", "password": "x"}, format="json")

    response = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    assert_throttled(response)
    assert "access_token" not in response.cookies
    # Another client address is not affected.
    other = api_client.post(
        "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json", REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_login_is_throttled_per_email_across_addresses(api_client, user, throttle_rates):
    throttle_rates(login_ip="100/min", login_email="2/min")
    for n in range(2):
        api_client.post(
            "/auth/login", {"email": user.email, "password": "wrong"}, format="json", REMOTE_ADDR=f"10.0.0.{n}"
        )

    response = api_client.post(
        "/auth/login",
        {"email": user.email.upper(), "password": DEFAULT_PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.1.1",
    )

    assert_throttled(response)
    other_email = api_client.post(
        "/auth/login", {"email": "someone@example.com", "password": "x"}, format="json", REMOTE_ADDR="10.0.1.1"
    )
    assert other_email.status_code == 401


def test_admin_login_shares_the_login_throttle(api_client, admin_user, throttle_rates):
    throttle_rates(login_ip="100/min", login_email="1/min")
    api_client.post("/auth/login", {"email": admin_user.email, "password": "wrong"}, format="json")

    response = api_client.post(
        "/admin/auth/login", {"email": admin_user.email, "password": DEFAULT_PASSWORD}, format="json"
    )

    assert_throttled(response)


def test_register_is_throttled(api_client, throttle_rates):
    throttle_rates(register="2/hour")
    for n in range(2):
        body = {"fullName": "Spammer", "email": f"s{n}@example.com", "password": DEFAULT_PASSWORD}
        assert api_client.post("/auth/register", body, format="json").status_code == 201

    response = api_client.post(
        "/auth/register",
        {"fullName": "Spammer", "email": "s9@example.com", "password": DEFAULT_PASSWORD},
        format="json",
    )

    assert_throttled(response)


def test_forgot_password_is_throttled_per_address_and_per_email(api_client, user, throttle_rates):
    throttle_rates(password_reset="2/hour")
    for _ in range(2):
        api_client.post("/auth/forgot-password", {"email": user.email}, format="json")

    assert_throttled(api_client.post("/auth/forgot-password", {"email": "x@example.com"}, format="json"))
    # The victim's address cannot be mail-bombed from many addresses either.
    assert_throttled(
        api_client.post("/auth/forgot-password", {"email": user.email}, format="json", REMOTE_ADDR="10.9.9.9")
    )


def test_reset_password_is_throttled(api_client, throttle_rates):
    throttle_rates(password_reset="2/hour")
    for _ in range(2):
        api_client.post("/auth/reset-password", {"token": "guess", "newPassword": "Guess-Password-1"}, format="json")

    response = api_client.post(
        "/auth/reset-password", {"token": "guess", "newPassword": "Guess-Password-1"}, format="json"
    )

    assert_throttled(response)


def test_each_test_starts_unthrottled(api_client, user):
    # Default rates: a few logins in one test are fine; the cache is cleared between tests.
    for _ in range(3):
        assert (
            api_client.post(
                "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
            ).status_code
            == 200
        )


@pytest.mark.redis
def test_thirty_simultaneous_guesses_at_one_email_let_exactly_the_limit_through(throttle_rates):
    import threading

    from rest_framework.parsers import JSONParser
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from accounts.throttles import LoginEmailThrottle

    throttle_rates(login_email="5/min")
    factory = APIRequestFactory()
    start = threading.Barrier(30)
    allowed: list[bool] = []

    def guess(n: int) -> None:
        body = {"email": "victim@example.com", "password": f"guess-{n}"}
        request = Request(factory.post("/auth/login", body, format="json"), parsers=[JSONParser()])
        throttle = LoginEmailThrottle()
        start.wait()
        allowed.append(throttle.allow_request(request, None))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # DRF's read-modify-write history let 28 of these 30 through.
    assert allowed.count(True) == 5
    assert allowed.count(False) == 25


def test_a_throttled_client_is_told_to_retry_when_the_window_ends(api_client, throttle_rates, monkeypatch):
    from accounts.throttles import RegisterThrottle

    throttle_rates(register="2/min")
    clock = iter([120.0, 130.0, 150.0, 181.0])  # one per request below: a window runs from 120 to 180
    monkeypatch.setattr(RegisterThrottle, "timer", lambda self: next(clock))
    body = {"fullName": "Spam", "password": DEFAULT_PASSWORD}

    statuses = [
        api_client.post("/auth/register", {**body, "email": f"s{n}@example.com"}, format="json") for n in range(4)
    ]

    assert [r.status_code for r in statuses] == [201, 201, 429, 201]
    assert statuses[2]["Retry-After"] == "30"  # 180 - 150
