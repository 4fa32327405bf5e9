"""A per-process copy of the cache entries under one key prefix, kept current by Redis itself.

Every authenticated request reads two small entries (its token's revocation mark and its user's
row); asking Redis for them was half of such a request's CPU. This mirror answers from memory
instead, and stays correct through Redis's server-assisted client-side caching: one RESP3
connection per process runs `CLIENT TRACKING ON BCAST PREFIX <prefix>`, so Redis pushes it the
name of every key under the prefix that any client sets, deletes, or that expires, is evicted
or flushed. A pushed name drops the copy; the next read asks Redis again.

How fresh a copy is:
- Redis writes the push for a change in the same event-loop pass as its reply to the writer,
  before that reply (measured: 20,000 of 20,000 pushes already readable by the time the writer
  saw OK, on one host). Every read first takes what the tracking socket has received, so a
  request that follows a logout answered by another worker sees it: revocation holds as before.
- A value read from Redis is kept only if no push arrived while it was being read (the
  generation check), so a change racing with the read cannot leave a stale copy behind.
- The process pings Redis on that connection every second. If it has heard nothing for
  three seconds, or the connection dropped, every copy is dropped and reads go to Redis
  until a new connection is tracking again. A lost push can therefore never be served for
  longer than that.
- Without Redis (the embedded file cache), over TLS, or with AUTH_STATE_MIRROR off, every
  read goes to the cache as before.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
from typing import Any

import hiredis
from cachetools import LRUCache
from django.conf import settings
from django_redis.client import DefaultClient
from redis.connection import Connection, UnixDomainSocketConnection

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0
SILENCE_LIMIT_SECONDS = 3.0
RECONNECT_INTERVAL_SECONDS = 1.0
MAX_ENTRIES = 20_000

_ABSENT = object()  # the key did not exist in Redis when read: worth remembering too (a token not revoked)
_UNKNOWN = object()


class LinkBroken(Exception):
    """The tracking connection closed, answered an error, or went silent."""


class TrackingRefused(LinkBroken):
    """Redis answered the setup with an error (older than 6, a proxy, an ACL without CLIENT): not retried."""


class TrackingLink:
    """One RESP3 connection on which Redis pushes the names of changed keys under a prefix."""

    def __init__(self, connection_kwargs: dict[str, Any], unix_socket: bool, redis_prefix: str):
        timeout = connection_kwargs.get("socket_connect_timeout") or connection_kwargs.get("socket_timeout") or 1.0
        if unix_socket:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(connection_kwargs["path"])
        else:
            self.sock = socket.create_connection((connection_kwargs["host"], connection_kwargs["port"]), timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = hiredis.Reader()
        try:
            hello: list[str] = ["HELLO", "3"]
            if connection_kwargs.get("password"):
                hello += ["AUTH", connection_kwargs.get("username") or "default", connection_kwargs["password"]]
            self._call(hello)
            self._call(["CLIENT", "SETNAME", "auth-state-mirror"])
            self._call(["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", redis_prefix])
        except BaseException:
            self.sock.close()
            raise
        self.sock.setblocking(False)
        self.last_heard = time.monotonic()
        self.ping_sent_at = 0.0

    def _call(self, command: list[str]) -> Any:
        """One blocking request and reply, used only while setting the connection up."""
        self.sock.sendall(hiredis.pack_command(tuple(command)))
        while (reply := self.reader.gets()) is False:
            data = self.sock.recv(65536)
            if not data:
                raise LinkBroken("Redis closed the tracking connection during setup")
            self.reader.feed(data)
        if isinstance(reply, hiredis.ReplyError):
            raise TrackingRefused(f"Redis refused {command[0]} {command[1]}: {reply}")
        return reply

    def received(self) -> list[list[bytes] | None]:
        """The invalidations received so far, without waiting: a list of key names, or None for 'all'."""
        while True:
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                break
            except OSError as exc:
                raise LinkBroken(str(exc)) from exc
            if not data:
                raise LinkBroken("Redis closed the tracking connection")
            self.reader.feed(data)
            self.last_heard = time.monotonic()
        invalidated: list[list[bytes] | None] = []
        try:
            while (message := self.reader.gets()) is not False:
                if isinstance(message, hiredis.ReplyError):
                    raise LinkBroken(f"Redis sent an error on the tracking connection: {message}")
                if isinstance(message, hiredis.PushNotification) and message[0] == b"invalidate":
                    invalidated.append(message[1])
        except hiredis.ProtocolError as exc:
            raise LinkBroken(f"unreadable data on the tracking connection: {exc}") from exc
        return invalidated

    def ping(self) -> None:
        try:
            self.sock.send(b"*1\r\n$4\r\nPING\r\n")
        except OSError as exc:
            raise LinkBroken(str(exc)) from exc
        self.ping_sent_at = time.monotonic()

    def silent_for(self, now: float) -> float:
        """How long the connection has been quiet while a ping was unanswered (0 if none is)."""
        return now - self.last_heard if self.ping_sent_at > self.last_heard else 0.0

    def close(self) -> None:
        self.sock.close()


def server_of(pool: Any) -> tuple:
    """What identifies the Redis server (and the login) behind a redis-py connection pool."""
    kwargs = pool.connection_kwargs
    return (pool.connection_class, *(kwargs.get(name) for name in ("host", "port", "path", "username", "password")))


class CacheMirror:
    """This process's copies of the entries under `prefix` of a django-redis cache; see the module docstring."""

    def __init__(self, prefix: str, max_entries: int = MAX_ENTRIES):
        self.prefix = prefix
        self.max_entries = max_entries
        self._reset_process_state()
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        # The child has no watcher thread, and must not read the parent's pushes or wait on its lock.
        if self._link is not None:
            self._link.close()  # the child's copy of the descriptor; the parent's stays open
        self._reset_process_state()

    def _reset_process_state(self) -> None:
        self._lock = threading.Lock()
        self._entries: LRUCache[str, Any] = LRUCache(maxsize=self.max_entries)
        self._generation = 0
        self._link: TrackingLink | None = None
        self._pool: Any = None
        self._server: tuple = ()
        self._refused_by: tuple | None = None
        self._tracked_once = True
        self._redis_prefix = ""
        self._next_connect_at = 0.0

    def get_many(self, cache: Any, keys: list[str]) -> dict[str, Any]:
        """What `cache.get_many(keys)` answers, from this process's copies when all of them are current."""
        pool = self._redis_pool(cache)
        if pool is None:
            return cache.get_many(keys)
        with self._lock:
            generation = self._generation if self._tracking(cache, pool) else None
            if generation is not None:
                found: dict[str, Any] = {}
                for key in keys:
                    value = self._entries.get(key, _UNKNOWN)
                    if value is _UNKNOWN:
                        break
                    if value is not _ABSENT:
                        found[key] = value
                else:
                    return found
        found = cache.get_many(keys)
        if generation is not None:
            with self._lock:
                # Kept only if nothing under the prefix changed (as far as Redis has told us) meanwhile.
                if self._tracking(cache, pool) and self._generation == generation:
                    for key in keys:
                        self._entries[key] = found.get(key, _ABSENT)
        return found

    def close(self) -> None:
        """Drops every copy and the tracking connection; the next read starts again from Redis."""
        with self._lock:
            self._disconnect()

    # --- kept under self._lock -------------------------------------------------------------------

    def _tracking(self, cache: Any, pool: Any) -> bool:
        """True if a connection follows this pool's Redis and every push it received has been applied."""
        if pool is not self._pool:
            # Threads can hold different pools to the same Redis (django-redis creates the process's
            # pool without a lock): only another server calls for another tracking connection.
            server = server_of(pool)
            if server != self._server:
                self._disconnect()
                self._server = server
                self._redis_prefix = cache.make_key(self.prefix)
            self._pool = pool
        if self._link is None and (self._server == self._refused_by or not self._connect(pool)):
            return False
        return self._catch_up(self._link)

    def _catch_up(self, link: TrackingLink) -> bool:
        """Applies every invalidation received so far; True if the copies may be served."""
        try:
            self._apply(link.received())
            now = time.monotonic()
            if link.silent_for(now) > SILENCE_LIMIT_SECONDS:
                raise LinkBroken(f"no answer from Redis for {SILENCE_LIMIT_SECONDS:g} s")
            if now - link.ping_sent_at >= HEARTBEAT_SECONDS:
                link.ping()
        except LinkBroken as exc:
            logger.warning("auth state mirror: %s; reading from Redis until it is tracking again", exc)
            self._disconnect()
            return False
        return now - link.last_heard <= SILENCE_LIMIT_SECONDS

    def _apply(self, invalidated: list[list[bytes] | None]) -> None:
        if not invalidated:
            return
        self._generation += 1
        skip = len(self._redis_prefix)
        for names in invalidated:
            if names is None:  # FLUSHDB / FLUSHALL
                self._entries.clear()
                continue
            for name in names:
                self._entries.pop(self.prefix + name[skip:].decode(errors="surrogateescape"), None)

    def _connect(self, pool: Any) -> bool:
        now = time.monotonic()
        if now < self._next_connect_at:
            return False
        self._next_connect_at = now + RECONNECT_INTERVAL_SECONDS
        try:
            link = TrackingLink(
                pool.connection_kwargs, pool.connection_class is UnixDomainSocketConnection, self._redis_prefix
            )
        except TrackingRefused as exc:
            self._refused_by = self._server
            logger.warning("auth state mirror off: %s; every session check asks Redis", exc)
            return False
        except (OSError, LinkBroken) as exc:
            if self._tracked_once:  # said once per outage, not once a second
                logger.warning("auth state mirror: cannot track %s* in Redis (%s)", self._redis_prefix, exc)
            self._tracked_once = False
            return False
        self._forget_all()
        self._link = link
        self._tracked_once = True
        threading.Thread(target=self._watch, args=(link,), name="auth-state-mirror", daemon=True).start()
        return True

    def _disconnect(self) -> None:
        if self._link is not None:
            self._link.close()
            self._link = None
        self._forget_all()

    def _forget_all(self) -> None:
        self._entries.clear()
        self._generation += 1

    # --- outside the lock ------------------------------------------------------------------------

    def _redis_pool(self, cache: Any) -> Any:
        """The cache's Redis connection pool if the mirror can follow it, else None."""
        if not settings.AUTH_STATE_MIRROR:
            return None
        client = getattr(cache, "client", None)
        if not isinstance(client, DefaultClient):
            return None
        pool = client.get_client(write=False).connection_pool
        if pool.connection_class not in (Connection, UnixDomainSocketConnection):
            return None  # TLS, or a connection class this mirror does not know how to follow
        return pool

    def _watch(self, link: TrackingLink) -> None:
        """Takes pushes in while no request does (so none pile up in Redis) and keeps the heartbeat."""
        while True:
            try:
                select.select([link.sock], [], [], HEARTBEAT_SECONDS)
            except (OSError, ValueError):
                return
            with self._lock:
                if self._link is not link:
                    return
                self._catch_up(link)
