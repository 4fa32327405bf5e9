"""Session state in the shared cache: revoked token ids and each user's cached row with its token version.

One request costs at most one cache round-trip: `get_many` of the token's denylist key
and the user's state key, answered from this process's mirror of them while Redis has
pushed no change to them (animatic_vision/cache_mirror.py). The database holds the truth
(`User.token_version`); the cache holds a copy, refilled on a miss, so an evicted or
flushed entry can never bring an ended session back. Cache errors are not caught: the
API answers 503 rather than letting a possibly revoked token through.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import User
from accounts.tokens import VERSION_CLAIM
from animatic_vision.cache_mirror import CacheMirror

# Every session entry lives under this prefix: the mirror below follows exactly the keys under it.
SESSION_KEY_PREFIX = "auth:"
DENIED_KEY = SESSION_KEY_PREFIX + "denied:{jti}"
USER_STATE_KEY = SESSION_KEY_PREFIX + "user:{user_id}"
USER_STATE_TIMEOUT = 10 * 60
DELETED = "deleted"
# Every column except the password hash, which stays out of the cache and is loaded on demand.
STATE_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname != "password")
STATE_FIELD_SET = frozenset(STATE_FIELDS)
# This process's copies of the entries above, dropped by Redis's own push when any process changes one.
session_state_mirror = CacheMirror(SESSION_KEY_PREFIX)


class SessionInvalid(Exception):
    """The token is revoked, belongs to an older token version, or its user can no longer log in."""


def denied_key(jti: str) -> str:
    return DENIED_KEY.format(jti=jti)


def user_state_key(user_id: int | str) -> str:
    return USER_STATE_KEY.format(user_id=user_id)


def seconds_left(token: Token) -> int:
    """How long the token would still be accepted: the denylist entry lives exactly that long."""
    return max(1, int(token["exp"]) - int(time.time()) + 1)


def token_deny(token: Token) -> None:
    """Revokes one token until its own expiry."""
    cache.set(denied_key(token[api_settings.JTI_CLAIM]), 1, timeout=seconds_left(token))


def token_consume(token: Token) -> bool:
    """Marks a single-use token as used; False when it already was (atomic on Redis: SET NX)."""
    return cache.add(denied_key(token[api_settings.JTI_CLAIM]), 1, timeout=seconds_left(token))


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


def user_for_token(token: Token, *, check_denylist: bool = True) -> User:
    """The user a token speaks for, if the token is still alive. Raises SessionInvalid otherwise.

    A refresh token skips the denylist here: rotation consumes it atomically instead.
    """
    user_id = token.get(api_settings.USER_ID_CLAIM)
    jti = token.get(api_settings.JTI_CLAIM)
    if user_id is None or jti is None:
        raise SessionInvalid
    state_key = user_state_key(user_id)
    keys = [denied_key(jti), state_key] if check_denylist else [state_key]
    found = session_state_mirror.get_many(cache, keys)
    if check_denylist and keys[0] in found:
        raise SessionInvalid
    state = found.get(state_key)
    if state is None or (state != DELETED and not state.keys() >= STATE_FIELD_SET):
        # A miss; or a row cached by a release with other columns, while a deploy rolls out: read the
        # database, and leave the entry to the release that wrote it (its writes still invalidate it).
        state = _state_from_db(user_id)
        cache.add(state_key, state, timeout=USER_STATE_TIMEOUT)
    if state == DELETED or not state["is_active"] or state["token_version"] != token.get(VERSION_CLAIM):
        raise SessionInvalid
    return user_from_state(state)
