"""Session state in the shared cache: whether each login is live, and each user's row with its token version.

One request costs one cache round-trip: `get_many` of the token's login key and the user's
state key (an MGET on Redis). The database holds the truth (`LoginSession.ended_at`,
`User.token_version`); the cache holds copies, refilled from the database on a miss, so an
evicted or flushed entry can never bring an ended session back. Cache errors are not caught:
the API answers 503 rather than letting a possibly revoked token through.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import LoginSession, User
from accounts.tokens import FAMILY_CLAIM, VERSION_CLAIM

# Every session entry lives under this prefix.
SESSION_KEY_PREFIX = "auth:"
LOGIN_STATE_KEY = SESSION_KEY_PREFIX + "login:{family}"
USER_STATE_KEY = SESSION_KEY_PREFIX + "user:{user_id}"
USER_STATE_TIMEOUT = 10 * 60
LOGIN_STATE_TIMEOUT = 10 * 60
DELETED = "deleted"
LOGIN_LIVE = "live"
LOGIN_ENDED = "ended"
# Every column except the password hash, which stays out of the cache and is loaded on demand.
STATE_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname != "password")
STATE_FIELD_SET = frozenset(STATE_FIELDS)


class SessionInvalid(Exception):
    """The token is revoked, belongs to an older token version, or its user can no longer log in."""


def login_state_key(family: str) -> str:
    return LOGIN_STATE_KEY.format(family=family)


def user_state_key(user_id: int | str) -> str:
    return USER_STATE_KEY.format(user_id=user_id)


def _login_state_from_db(family: str) -> str:
    live = LoginSession.objects.filter(family=family, ended_at__isnull=True).exists()
    return LOGIN_LIVE if live else LOGIN_ENDED


def login_state_set(family: str, state: str) -> None:
    """Writes a login's state to the cache (a new login: live, so its first request needs no query)."""
    cache.set(login_state_key(family), state, timeout=LOGIN_STATE_TIMEOUT)


def login_state_end(family: str) -> None:
    """Marks a login ended in the cache at once, and again once the transaction commits.

    A login never comes back to life, so writing the end before the commit is safe; a request that
    read the row before the commit only `add`s what it read, and finds this entry already there.
    """
    login_state_set(family, LOGIN_ENDED)
    transaction.on_commit(lambda: login_state_set(family, LOGIN_ENDED))


def _state_from_db(user_id: int | str) -> dict[str, Any] | str:
    rows = list(User.objects.filter(pk=user_id).values(*STATE_FIELDS).order_by())
    return rows[0] if rows else DELETED


def user_state_refresh(user_id: int | str) -> None:
    """Writes the committed row (or a tombstone) to the cache."""
    cache.set(user_state_key(user_id), _state_from_db(user_id), timeout=USER_STATE_TIMEOUT)


def user_state_invalidate(user_id: int | str) -> None:
    """Drops the cached row now and rewrites it once the transaction commits.

    The rewrite after commit wins over a concurrent request that refilled the
    cache from the old row in between (fills use `add`, this uses `set`).
    """
    cache.delete(user_state_key(user_id))
    transaction.on_commit(lambda: user_state_refresh(user_id))


def user_from_state(state: dict[str, Any]) -> User:
    """A User instance built from the cached row, without a query; the password loads lazily if asked for."""
    return User.from_db("default", STATE_FIELDS, [state[name] for name in STATE_FIELDS])


def user_for_token(token: Token, *, check_login: bool = True) -> User:
    """The user a token speaks for, if the token is still alive. Raises SessionInvalid otherwise.

    A refresh token skips the login check here: its rotation reads the login's row under a lock.
    """
    user_id = token.get(api_settings.USER_ID_CLAIM)
    family = token.get(FAMILY_CLAIM)
    if user_id is None or not isinstance(family, str) or not family:
        raise SessionInvalid
    state_key = user_state_key(user_id)
    login_key = login_state_key(family)
    keys = [login_key, state_key] if check_login else [state_key]
    found = cache.get_many(keys)
    if check_login:
        login = found.get(login_key)
        if login is None:
            login = _login_state_from_db(family)
            cache.add(login_key, login, timeout=LOGIN_STATE_TIMEOUT)
        if login != LOGIN_LIVE:
            raise SessionInvalid
    state: Any = found.get(state_key)
    if state is None or (state != DELETED and not state.keys() >= STATE_FIELD_SET):
        # A miss; or a row cached by a release with other columns, while a deploy rolls out: read the
        # database, and leave the entry to the release that wrote it (its writes still invalidate it).
        state = _state_from_db(user_id)
        cache.add(state_key, state, timeout=USER_STATE_TIMEOUT)
    if state == DELETED or not state["is_active"] or state["token_version"] != token.get(VERSION_CLAIM):
        raise SessionInvalid
    return user_from_state(state)
