"""The per-process mirror of session entries: served from memory only while Redis says nothing changed."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from animatic_vision import cache_mirror
from animatic_vision.cache_mirror import CacheMirror

PREFIX = "mirror-test:"
TOKEN, USER = f"{PREFIX}denied:abc", f"{PREFIX}user:7"


class CountingCache:
    """A cache (the real one by default), counting the reads that reach Redis; `after_read` runs once the
    reply is in."""

    def __init__(self, backend: Any = cache) -> None:
        self.backend = backend
        self.reads = 0
        self.after_read = lambda: None

    @property
    def client(self) -> Any:
        return self.backend.client

    def make_key(self, key: str) -> str:
        return self.backend.make_key(key)

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        self.reads += 1
        found = self.backend.get_many(keys)
        self.after_read()
        return found


@pytest.fixture
def mirror():
    mirror = CacheMirror(PREFIX)
    yield mirror
    mirror.close()


@pytest.fixture
def counting() -> CountingCache:
    return CountingCache()


def redis_client() -> redis.Redis:
    return cache.client.get_client(write=True)


def tracking_connections() -> list[dict]:
    return [c for c in redis_client().client_list() if c.get("name") == "auth-state-mirror"]


@pytest.mark.redis
def test_a_repeated_read_is_answered_from_memory(mirror, counting):
    cache.set(USER, {"token_version": 1})

    first = mirror.get_many(counting, [TOKEN, USER])
    second = mirror.get_many(counting, [TOKEN, USER])

    assert first == second == {USER: {"token_version": 1}}
    assert counting.reads == 1  # the missing revocation mark is remembered as missing too


@pytest.mark.redis
@pytest.mark.parametrize("change", ["set", "delete", "add"])
def test_a_change_by_another_connection_is_seen_by_the_very_next_read(mirror, counting, change):
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [TOKEN, USER])

    if change == "set":
        cache.set(USER, {"token_version": 2})
        expected = {USER: {"token_version": 2}}
    elif change == "delete":
        cache.delete(USER)
        expected = {}
    else:  # the revocation of the token, as logout writes it
        cache.add(TOKEN, 1, timeout=60)
        expected = {TOKEN: 1, USER: {"token_version": 1}}

    assert mirror.get_many(counting, [TOKEN, USER]) == expected
    assert counting.reads == 2


@pytest.mark.redis
def test_a_flush_drops_every_copy(mirror, counting):
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [USER])

    cache.clear()

    assert mirror.get_many(counting, [USER]) == {}
    assert counting.reads == 2


@pytest.mark.redis
def test_keys_outside_the_prefix_do_not_drop_copies(mirror, counting):
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [USER])

    cache.set("elsewhere:user:7", 1)
    mirror.get_many(counting, [USER])

    assert counting.reads == 1


@pytest.mark.redis
def test_a_value_read_while_it_changes_is_not_kept(mirror, counting):
    cache.set(USER, {"token_version": 1})
    # The write lands after Redis answered the read but before the mirror could keep the answer.
    counting.after_read = lambda: cache.set(USER, {"token_version": 2})

    raced = mirror.get_many(counting, [USER])
    counting.after_read = lambda: None

    assert raced == {USER: {"token_version": 1}}  # what Redis answered at the time
    assert mirror.get_many(counting, [USER]) == {USER: {"token_version": 2}}
    assert counting.reads == 2


@pytest.mark.redis
def test_a_dropped_tracking_connection_sends_reads_to_redis_until_a_new_one_tracks(mirror, counting, monkeypatch):
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [USER])
    host, port = mirror._link.sock.getsockname()[:2]

    redis_client().client_kill(f"{host}:{port}")
    cache.set(USER, {"token_version": 2})  # its push has nowhere to go

    assert mirror.get_many(counting, [USER]) == {USER: {"token_version": 2}}
    assert mirror.get_many(counting, [USER]) == {USER: {"token_version": 2}}
    assert counting.reads == 3  # no copy kept while no connection is tracking

    monkeypatch.setattr(cache_mirror, "RECONNECT_INTERVAL_SECONDS", 0.0)
    mirror._next_connect_at = 0.0
    mirror.get_many(counting, [USER])
    mirror.get_many(counting, [USER])
    assert counting.reads == 4
    assert mirror._link is not None
    assert mirror._link.sock.getsockname()[1] != port


@pytest.mark.redis
def test_a_tracking_connection_gone_silent_stops_serving_copies(mirror, counting, monkeypatch):
    monkeypatch.setattr(cache_mirror, "SILENCE_LIMIT_SECONDS", 0.2)
    monkeypatch.setattr(cache_mirror, "HEARTBEAT_SECONDS", 0.05)
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [USER])
    mirror.get_many(counting, [USER])
    assert counting.reads == 1

    # Pings that never get answered: what a connection to an unreachable host looks like.
    monkeypatch.setattr(cache_mirror.TrackingLink, "ping", lambda link: setattr(link, "ping_sent_at", time.monotonic()))
    mirror.get_many(counting, [USER])
    time.sleep(0.3)

    mirror.get_many(counting, [USER])
    assert counting.reads == 2


@pytest.mark.redis
def test_the_heartbeat_keeps_an_idle_connection_trusted(mirror, counting, monkeypatch):
    monkeypatch.setattr(cache_mirror, "SILENCE_LIMIT_SECONDS", 0.3)
    monkeypatch.setattr(cache_mirror, "HEARTBEAT_SECONDS", 0.05)
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [USER])

    time.sleep(0.6)  # only the watcher thread talks to Redis meanwhile

    mirror.get_many(counting, [USER])
    assert counting.reads == 1


@pytest.mark.redis
def test_switched_off_every_read_asks_redis(mirror, counting, settings):
    settings.AUTH_STATE_MIRROR = False
    cache.set(USER, {"token_version": 1})

    mirror.get_many(counting, [USER])
    mirror.get_many(counting, [USER])

    assert counting.reads == 2
    assert mirror._link is None


@pytest.mark.redis
def test_the_tracking_connection_is_named_and_in_broadcast_mode(mirror, counting):
    mirror.get_many(counting, [USER])
    port = mirror._link.sock.getsockname()[1]

    mine = [c for c in tracking_connections() if c["addr"].endswith(f":{port}")]

    assert len(mine) == 1
    assert "t" in mine[0]["flags"]
    assert "B" in mine[0]["flags"]
    assert mine[0]["resp"] == "3"


def test_a_cache_that_is_not_redis_is_read_directly():
    local = LocMemCache("mirror-test", {})
    local.set(USER, 1)
    mirror = CacheMirror(PREFIX)

    assert mirror.get_many(local, [USER, TOKEN]) == {USER: 1}
    assert mirror._link is None
    assert settings.AUTH_STATE_MIRROR


@pytest.mark.redis
def test_a_forked_worker_starts_without_the_parents_copies_or_connection(mirror, counting):
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [USER])
    parent_port = mirror._link.sock.getsockname()[1]

    pid = os.fork()
    if pid == 0:  # the child: exit status 0 only if it starts clean and tracks on its own connection
        ok = False
        try:
            clean = mirror._link is None and len(mirror._entries) == 0
            child = CountingCache()
            answer = mirror.get_many(child, [USER])
            ok = clean and child.reads == 1 and answer == {USER: {"token_version": 1}}
            ok = ok and mirror._link.sock.getsockname()[1] != parent_port
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert mirror.get_many(counting, [USER]) == {USER: {"token_version": 1}}
    assert counting.reads == 1  # the parent's copy and connection are untouched


@pytest.mark.redis
def test_threads_holding_different_pools_to_one_redis_share_the_copies_and_the_connection(
    mirror, counting, monkeypatch
):
    from django_redis.cache import RedisCache
    from django_redis.pool import ConnectionFactory

    # What two threads get when they create the process's first pool at the same moment.
    monkeypatch.setattr(ConnectionFactory, "_pools", {})
    configured = settings.CACHES["default"]
    other_thread = CountingCache(RedisCache(configured["LOCATION"], configured))
    assert (
        other_thread.client.get_client(write=False).connection_pool
        is not cache.client.get_client(write=False).connection_pool
    )
    cache.set(USER, {"token_version": 1})

    mirror.get_many(counting, [USER])
    link = mirror._link
    for _ in range(3):
        assert mirror.get_many(other_thread, [USER]) == {USER: {"token_version": 1}}
        assert mirror.get_many(counting, [USER]) == {USER: {"token_version": 1}}

    assert (counting.reads, other_thread.reads) == (1, 0)
    assert mirror._link is link


@pytest.mark.redis
def test_a_redis_that_refuses_tracking_is_not_asked_again(mirror, counting, monkeypatch, caplog):
    cache.set(USER, {"token_version": 1})
    monkeypatch.setattr(cache_mirror, "RECONNECT_INTERVAL_SECONDS", 0.0)
    real_call = cache_mirror.TrackingLink._call
    setups: list[str] = []

    def refuse_tracking(link, command):
        setups.append(command[0])
        if command[:2] == ["CLIENT", "TRACKING"]:  # what an old Redis or a proxy answers
            raise cache_mirror.TrackingRefused("Redis refused CLIENT TRACKING: ERR unknown subcommand")
        return real_call(link, command)

    monkeypatch.setattr(cache_mirror.TrackingLink, "_call", refuse_tracking)

    answers = [mirror.get_many(counting, [USER]) for _ in range(3)]

    assert answers == [{USER: {"token_version": 1}}] * 3
    assert counting.reads == 3  # every check asked Redis
    assert setups.count("HELLO") == 1  # and the setup was not tried again
    assert [r.message for r in caplog.records if "mirror off" in r.message] == [
        "auth state mirror off: Redis refused CLIENT TRACKING: ERR unknown subcommand; every session check asks Redis"
    ]


@pytest.mark.redis
def test_unreadable_data_on_the_tracking_connection_sends_reads_to_redis_not_a_500(mirror, counting):
    cache.set(USER, {"token_version": 1})
    mirror.get_many(counting, [USER])
    broken = mirror._link

    broken.reader.feed(b"@not-resp\r\n")  # what a confused proxy or a corrupted stream delivers

    assert mirror.get_many(counting, [USER]) == {USER: {"token_version": 1}}
    assert counting.reads == 2
    assert mirror._link is not broken
