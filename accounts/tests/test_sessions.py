"""Refresh rotation, logout and revocation: a dead token stays dead."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import LoginSession
from accounts.services import REFRESH_REUSED
from accounts.tokens import SessionRefreshToken
from conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def cookies_of(response) -> dict[str, str]:
    return {name: response.cookies[name].value for name in ("access_token", "refresh_token")}


def logged_in_elsewhere(user) -> dict[str, str]:
    """The cookies of another login of `user` (another device)."""
    credentials = {"email": user.email, "password": DEFAULT_PASSWORD}
    return cookies_of(APIClient().post("/auth/login", credentials, format="json"))


def client_with(cookies: dict[str, str]) -> APIClient:
    client = APIClient()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


@pytest.mark.parametrize("path", ["/auth/refresh-token", "/auth/refresh-token/"])
def test_refresh_rotates_both_cookies(api_client, user, login, path):
    old = cookies_of(login(user))

    response = api_client.get(path)

    assert response.status_code == 200
    assert response.json() == {"message": "token generated successfully", "status_code": 200, "data": None}
    new = cookies_of(response)
    assert new["access_token"] != old["access_token"]
    assert new["refresh_token"] != old["refresh_token"]
    assert response.cookies["refresh_token"]["httponly"] is True
    assert api_client.get("/auth/me").status_code == 200


def test_refresh_without_a_cookie_is_401(api_client):
    response = api_client.get("/auth/refresh-token")

    assert response.status_code == 401
    assert response.json()["detail"] == "Refresh token is missing. Log in again."


def test_refresh_refuses_an_access_token(api_client, user, login):
    api_client.cookies["refresh_token"] = login(user).cookies["access_token"].value

    assert api_client.get("/auth/refresh-token").status_code == 401


def test_refresh_works_with_a_revoked_access_cookie_still_present(api_client, user, login):
    # The client calls refresh precisely when its access token is refused.
    login(user)
    api_client.cookies["access_token"] = "expired-or-garbage"

    assert api_client.get("/auth/refresh-token").status_code == 200


def past_the_grace_window(refresh: str) -> None:
    """Moves the rotation of this refresh token's login back beyond REFRESH_REUSE_GRACE_SECONDS."""
    from accounts.models import LoginSession
    from accounts.tokens import FAMILY_CLAIM, SessionRefreshToken

    family = SessionRefreshToken(refresh)[FAMILY_CLAIM]  # type: ignore[arg-type]  # simplejwt's stub: it takes the str
    login = LoginSession.objects.get(family=family)
    LoginSession.objects.filter(pk=login.pk).update(
        rotated_at=F("rotated_at") - timedelta(seconds=settings.REFRESH_REUSE_GRACE_SECONDS + 1)
    )


def test_reusing_a_rotated_refresh_token_after_the_grace_window_kills_the_whole_family(user, login):
    stolen = cookies_of(login(user))
    legitimate = client_with(stolen)
    rotated = legitimate.get("/auth/refresh-token")
    assert rotated.status_code == 200
    other_device = client_with(logged_in_elsewhere(user))
    past_the_grace_window(stolen["refresh_token"])

    replay = client_with(stolen).get("/auth/refresh-token")

    assert replay.status_code == 401
    assert replay.json()["detail"] == REFRESH_REUSED
    assert replay.json()["code"] == "token_reused"
    # Every session of the user is over: the rotated pair, and the other device's.
    assert legitimate.get("/auth/refresh-token").status_code == 401
    assert legitimate.get("/auth/me").status_code == 401
    assert other_device.get("/auth/refresh-token").status_code == 401
    assert other_device.get("/auth/me").status_code == 401
    assert not LoginSession.objects.filter(user=user, ended_at__isnull=True).exists()
    # A new login works.
    assert (
        APIClient().post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json").status_code
        == 200
    )


def test_a_refresh_token_presented_again_within_the_grace_window_gets_a_pair_of_the_same_login(user, login):
    first = cookies_of(login(user))

    answers = [client_with(first).get("/auth/refresh-token") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    pairs = [cookies_of(answer) for answer in answers]
    # Every answer carries the login's one current refresh token: no second session is born.
    jtis = {SessionRefreshToken(pair["refresh_token"])["jti"] for pair in pairs}  # type: ignore[arg-type]
    assert len(jtis) == 1
    assert LoginSession.objects.filter(user=user).count() == 1
    for pair in pairs:
        assert client_with(pair).get("/auth/me").status_code == 200
    # The next rotation starts from that token, from any of the answers.
    assert client_with(pairs[2]).get("/auth/refresh-token").status_code == 200


def test_what_a_repeated_refresh_got_dies_with_its_session_at_logout(user, login):
    first = cookies_of(login(user))
    pairs = [cookies_of(client_with(first).get("/auth/refresh-token")) for _ in range(3)]

    assert client_with(pairs[0]).post("/auth/logout").status_code == 200

    for pair in [first, *pairs]:
        assert client_with(pair).get("/auth/me").status_code == 401
        assert client_with(pair).get("/auth/refresh-token").status_code == 401


def test_what_a_repeated_refresh_got_dies_with_a_password_change(user, login):
    first = cookies_of(login(user))
    pairs = [cookies_of(client_with(first).get("/auth/refresh-token")) for _ in range(2)]
    changed = client_with(pairs[0]).put(
        "/auth/change-password",
        {"old_password": DEFAULT_PASSWORD, "new_password": "Another-Horse-Battery-7"},
        format="json",
    )
    assert changed.status_code == 200

    for pair in [first, *pairs]:
        assert client_with(pair).get("/auth/me").status_code == 401
        assert client_with(pair).get("/auth/refresh-token").status_code == 401
    assert client_with(cookies_of(changed)).get("/auth/me").status_code == 200


def test_a_refresh_token_two_rotations_old_is_theft_even_within_the_window(user, login):
    first = cookies_of(login(user))
    second = cookies_of(client_with(first).get("/auth/refresh-token"))
    assert client_with(second).get("/auth/refresh-token").status_code == 200

    assert client_with(first).get("/auth/refresh-token").status_code == 401
    assert client_with(second).get("/auth/me").status_code == 401


def test_logged_out_and_rotated_refresh_tokens_stay_dead_when_the_cache_is_lost(user, login):
    logged_out = cookies_of(login(user))
    assert client_with(logged_out).post("/auth/logout").status_code == 200
    rotated_away = logged_in_elsewhere(user)
    current = cookies_of(client_with(rotated_away).get("/auth/refresh-token"))
    past_the_grace_window(rotated_away["refresh_token"])

    cache.clear()  # a FLUSHALL, an eviction or a restarted Redis

    assert client_with(logged_out).get("/auth/refresh-token").status_code == 401
    assert client_with(logged_out).get("/auth/me").status_code == 401
    assert client_with(current).get("/auth/me").status_code == 200
    assert client_with(rotated_away).get("/auth/refresh-token").status_code == 401  # theft, as before the loss
    assert client_with(current).get("/auth/me").status_code == 401


def test_logout_with_only_the_refresh_cookie_ends_that_session_and_clears_both_cookies(user, login):
    tokens = cookies_of(login(user))
    client = APIClient()
    client.cookies["refresh_token"] = tokens["refresh_token"]
    client.cookies["access_token"] = "expired"

    response = client.post("/auth/logout")

    assert response.status_code == 200
    for name in ("access_token", "refresh_token"):
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0
    assert client_with(tokens).get("/auth/refresh-token").status_code == 401
    assert client_with(tokens).get("/auth/me").status_code == 401


def test_logout_with_a_refresh_token_of_another_user_ends_only_the_callers_session(user, other_user, login):
    mine = cookies_of(login(user))
    theirs = logged_in_elsewhere(other_user)

    assert (
        client_with({"access_token": mine["access_token"], "refresh_token": theirs["refresh_token"]})
        .post("/auth/logout")
        .status_code
        == 200
    )

    assert client_with(mine).get("/auth/me").status_code == 401
    assert client_with(theirs).get("/auth/me").status_code == 200


def test_expired_logins_are_deleted(user, login):
    from accounts.services import login_sessions_expired_delete

    login(user)
    LoginSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    live = logged_in_elsewhere(user)

    assert login_sessions_expired_delete() == 0  # the second login already dropped the user's expired one
    assert LoginSession.objects.count() == 1
    LoginSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert login_sessions_expired_delete() == 1
    cache.clear()
    assert client_with(live).get("/auth/me").status_code == 401  # a missing row is an ended login


@pytest.mark.parametrize("path", ["/auth/logout", "/auth/logout/"])
def test_logout_revokes_both_tokens_and_deletes_the_cookies(api_client, user, login, path):
    tokens = cookies_of(login(user))

    response = api_client.post(path)

    assert response.status_code == 200
    assert response.json() == {"message": "User logged out successfully", "status_code": 200, "data": None}
    for name in ("access_token", "refresh_token"):
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0
    replay = client_with(tokens)
    assert replay.get("/auth/me").status_code == 401
    assert replay.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").status_code == 401
    assert replay.get("/auth/refresh-token").status_code == 401


def test_logout_needs_a_session(api_client):
    assert api_client.post("/auth/logout").status_code == 401


def test_logout_ends_only_this_session(user, login):
    first = client_with(cookies_of(login(user)))
    second = client_with(logged_in_elsewhere(user))

    assert first.post("/auth/logout").status_code == 200

    assert second.get("/auth/me").status_code == 200


def test_a_token_revoked_by_logout_is_refused_by_another_process(api_client, user, login, tmp_path):
    """A separate Python process sharing the cache (the file cache here, Redis in CI) sees the revocation."""
    access = login(user).cookies["access_token"].value
    script = tmp_path / "check.py"
    script.write_text(
        "import sys, django\n"
        "django.setup()\n"
        "from rest_framework.exceptions import AuthenticationFailed\n"
        "from rest_framework.test import APIRequestFactory\n"
        "from rest_framework.request import Request\n"
        "from accounts.authentication import CookieJWTAuthentication\n"
        "request = APIRequestFactory().get('/auth/me', HTTP_AUTHORIZATION='Bearer ' + sys.argv[1])\n"
        "try:\n"
        "    CookieJWTAuthentication().authenticate(Request(request))\n"
        "except AuthenticationFailed:\n"
        "    print('refused')\n"
        "else:\n"
        "    print('accepted')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "animatic_vision.settings", "PYTHONPATH": str(REPO)}
    if "FileBasedCache" in settings.CACHES["default"]["BACKEND"]:
        env["CACHE_DIR"] = settings.CACHES["default"]["LOCATION"]

    def other_process_says() -> str:
        # The other process has no test database: the user's row must come from the shared cache.
        result = subprocess.run(
            [sys.executable, str(script), access], env=env, cwd=REPO, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    # Prime the cached row, as any authenticated request does, then check both sides of the revocation.
    assert api_client.get("/auth/me").status_code == 200
    assert other_process_says() == "accepted"

    assert api_client.post("/auth/logout").status_code == 200

    assert other_process_says() == "refused"


class BrokenCache:
    """A cache whose server is unreachable, failing the way django-redis does."""

    def __getattr__(self, name):
        from django_redis.exceptions import ConnectionInterrupted

        def fail(*args, **kwargs):
            raise ConnectionInterrupted(connection=None)

        return fail


def test_protected_routes_answer_503_when_the_cache_is_down(user_client, monkeypatch):
    from accounts import sessions

    monkeypatch.setattr(sessions, "cache", BrokenCache())

    response = user_client.get("/auth/me")

    assert response.status_code == 503
    assert response.json()["status_code"] == 503
    assert response["Retry-After"]


@pytest.mark.redis
def test_protected_routes_answer_503_when_redis_is_unreachable(user_client):
    location = settings.CACHES["default"]["LOCATION"].rsplit("/", 1)[0].rsplit(":", 1)[0] + ":1/0"
    broken = {**settings.CACHES["default"], "LOCATION": location}

    with override_settings(CACHES={"default": broken}):
        response = user_client.get("/auth/me")

    assert response.status_code == 503


def test_an_access_token_seen_before_is_still_checked_for_expiry_and_its_exact_bytes(user, login, monkeypatch):
    from datetime import timedelta

    from rest_framework_simplejwt import tokens as simplejwt_tokens

    access = login(user).cookies["access_token"].value
    client = APIClient()
    client.cookies["access_token"] = access
    assert client.get("/auth/me").status_code == 200  # verified once: its claims are now remembered

    # Another signature on the same claims is a different token: checked afresh, and refused.
    claims, signature = access.rsplit(".", 1)
    forged = f"{claims}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"
    assert APIClient().get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401

    # The remembered token itself still expires when its `exp` says.
    later = simplejwt_tokens.aware_utcnow() + settings.ACCESS_TOKEN_LIFETIME + timedelta(minutes=1)
    monkeypatch.setattr(simplejwt_tokens, "aware_utcnow", lambda: later)
    assert client.get("/auth/me").status_code == 401


def test_a_user_row_cached_by_a_release_with_other_columns_is_read_again_not_a_500(user, user_client):
    from accounts.sessions import user_state_key

    key = user_state_key(user.pk)
    assert user_client.get("/auth/me").status_code == 200  # the row is cached now
    older_release_row = {name: value for name, value in cache.get(key).items() if name != "content_version"}
    older_release_row["token_version"] = user.token_version
    cache.set(key, older_release_row)

    me, projects = user_client.get("/auth/me"), user_client.get("/projects")

    assert (me.status_code, projects.status_code) == (200, 200)
    assert me.json()["data"]["email"] == user.email
    assert cache.get(key) == older_release_row  # left to the release that wrote it


def test_a_logged_out_token_stays_refused_while_an_older_release_row_is_cached(user, login):
    from accounts.sessions import user_state_key

    cookies = cookies_of(login(user))
    client = client_with(cookies)
    key = user_state_key(user.pk)
    assert client.get("/auth/me").status_code == 200
    cache.set(key, {name: value for name, value in cache.get(key).items() if name != "content_version"})

    assert client.post("/auth/logout").status_code == 200

    assert client_with(cookies).get("/auth/me").status_code == 401


@pytest.mark.parametrize("path", ["/auth/refresh-token", "/admin/auth/refresh-token"])
def test_a_refresh_another_site_triggers_without_a_trusted_origin_is_refused(admin_user, login, path):
    tokens = cookies_of(login(admin_user))

    from_an_img = client_with(tokens).get(path, HTTP_SEC_FETCH_SITE="cross-site")
    from_a_script = client_with(tokens).get(path, HTTP_SEC_FETCH_SITE="cross-site", HTTP_ORIGIN="https://evil.test")

    for refused in (from_an_img, from_a_script):
        assert refused.status_code == 403
        assert refused.json()["detail"] == "Cross-site request refused: the request's origin is not trusted."
        assert refused.json()["code"] == "cross_site_refused"
        assert "refresh_token" not in refused.cookies
    # Nothing was rotated: the token still refreshes, from the client's own (cross-site, trusted) origin.
    client_fetch = client_with(tokens).get(path, HTTP_SEC_FETCH_SITE="cross-site", HTTP_ORIGIN="http://localhost:3000")
    assert client_fetch.status_code == 200
    assert client_with(tokens).get(path, HTTP_SEC_FETCH_SITE="same-site").status_code == 200
    assert client_with(tokens).get(path).status_code == 200  # a script or an API tool: no browser headers


def test_beat_deletes_expired_logins(user, login):
    from animatic_vision.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.login_sessions_expired_delete_task" in scheduled
    login(user)
    LoginSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert app.tasks["accounts.tasks.login_sessions_expired_delete_task"].apply().get() == 1
    assert not LoginSession.objects.exists()
