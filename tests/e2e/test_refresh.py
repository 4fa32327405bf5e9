"""The refresh race against the real server: the client's simultaneous refreshes keep the user logged in,
a refresh token replayed after the grace window ends every session, and neither depends on Redis keeping
its data."""

from __future__ import annotations

import base64
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db.models import F

from accounts.models import LoginSession
from harness.processes import Browser, PrivateRedis, Stack
from tests.e2e.flows import PASSWORD, sign_up_and_log_in

pytestmark = [pytest.mark.mysql, pytest.mark.redis]

SIMULTANEOUS = 8


def claims(token: str | None) -> dict:
    assert token, "no token"
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def with_cookies(stack: Stack, **cookies: str | None) -> Browser:
    """A browser that sends exactly these cookies (the jar still takes in what the server sets)."""
    browser = stack.browser()
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    original = browser.request

    def request(method: str, path: str, body: object = None, *, headers: dict[str, str] | None = None):
        return original(method, path, body, headers={"Cookie": header, **(headers or {})})

    browser.request = request  # type: ignore[method-assign]
    return browser


def simultaneous_refreshes(stack: Stack, refresh: str | None) -> list[tuple[int, str | None, str | None]]:
    """SIMULTANEOUS refreshes with one refresh token, released together: (status, access, refresh) each."""
    start = threading.Barrier(SIMULTANEOUS)

    def one(_: int) -> tuple[int, str | None, str | None]:
        browser = with_cookies(stack, refresh_token=refresh)
        start.wait()
        answer = browser.get("/auth/refresh-token")
        return answer.status, browser.cookie("access_token"), browser.cookie("refresh_token")

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        return list(pool.map(one, range(SIMULTANEOUS)))


def test_simultaneous_refreshes_all_succeed_within_one_login_that_ends_as_one(stack: Stack):
    browser = stack.browser()
    email = sign_up_and_log_in(browser)
    other_device = stack.browser()
    assert other_device.post("/auth/login", {"email": email, "password": PASSWORD}).status == 200

    answers = simultaneous_refreshes(stack, browser.cookie("refresh_token"))

    assert [status for status, _, _ in answers] == [200] * SIMULTANEOUS
    # One login each for the two devices: the burst made no second session, and every answer holds its
    # one current refresh token.
    assert LoginSession.objects.filter(user__email=email).count() == 2
    assert len({claims(refresh)["jti"] for _, _, refresh in answers}) == 1
    for _, access, _refresh in answers:
        assert with_cookies(stack, access_token=access).get("/auth/me").status == 200

    _, access, refresh = answers[0]
    assert with_cookies(stack, access_token=access, refresh_token=refresh).post("/auth/logout").status == 200

    for _, access, refresh in answers:
        assert with_cookies(stack, access_token=access).get("/auth/me").status == 401
        assert with_cookies(stack, refresh_token=refresh).get("/auth/refresh-token").status == 401
    assert other_device.get("/auth/me").status == 200


def test_a_replay_after_the_grace_window_ends_every_session(stack: Stack):
    browser = stack.browser()
    email = sign_up_and_log_in(browser)
    other_device = stack.browser()
    assert other_device.post("/auth/login", {"email": email, "password": PASSWORD}).status == 200
    stolen = browser.cookie("refresh_token")
    assert browser.get("/auth/refresh-token").status == 200
    # The server's clock is not ours to move: the rotation is moved back past the window instead.
    login = LoginSession.objects.get(family=claims(stolen)["fam"])
    grace = timedelta(seconds=settings.REFRESH_REUSE_GRACE_SECONDS + 1)
    LoginSession.objects.filter(pk=login.pk).update(rotated_at=F("rotated_at") - grace)

    replay = with_cookies(stack, refresh_token=stolen).get("/auth/refresh-token")

    assert replay.status == 401
    assert "already used" in replay.body["detail"]
    assert replay.body["code"] == "token_reused"
    assert browser.get("/auth/me").status == 401
    assert browser.get("/auth/refresh-token").status == 401
    assert other_device.get("/auth/me").status == 401


def test_a_redis_flush_revives_neither_a_logged_out_nor_a_rotated_refresh_token(
    stack: Stack, private_redis: PrivateRedis
):
    logged_out = stack.browser()
    email = sign_up_and_log_in(logged_out)
    tokens = {"access_token": logged_out.cookie("access_token"), "refresh_token": logged_out.cookie("refresh_token")}
    assert logged_out.post("/auth/logout").status == 200
    rotating = stack.browser()
    assert rotating.post("/auth/login", {"email": email, "password": PASSWORD}).status == 200
    rotated_away = rotating.cookie("refresh_token")
    assert rotating.get("/auth/refresh-token").status == 200

    redis.Redis(host="127.0.0.1", port=private_redis.port).flushall()

    assert with_cookies(stack, **tokens).get("/auth/me").status == 401
    assert with_cookies(stack, refresh_token=tokens["refresh_token"]).get("/auth/refresh-token").status == 401
    assert rotating.get("/auth/me").status == 200
    # Within the grace window the rotated token still gets the current pair of the same login ...
    assert with_cookies(stack, refresh_token=rotated_away).get("/auth/refresh-token").status == 200
    login = LoginSession.objects.get(family=claims(rotated_away)["fam"])
    LoginSession.objects.filter(pk=login.pk).update(
        rotated_at=F("rotated_at") - timedelta(seconds=settings.REFRESH_REUSE_GRACE_SECONDS + 1)
    )
    # ... and after it, the flushed cache does not make it new again: it is theft.
    assert with_cookies(stack, refresh_token=rotated_away).get("/auth/refresh-token").status == 401
    assert rotating.get("/auth/me").status == 401
