"""Rate limits whose count holds under concurrent requests."""

from __future__ import annotations

import contextlib
import fcntl
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.utils.connection import ConnectionProxy
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

LOCK_FILE_NAME = "throttle.lock"


@contextlib.contextmanager
def counting_lock(cache: Any) -> Iterator[None]:
    """Makes `add` then `incr` one step on a cache where they are not atomic.

    Redis counts atomically by itself (SET NX, INCR). The file cache of the embedded default reads
    and rewrites a file for `incr`, so simultaneous requests would read the same count: there, an
    exclusive lock on one file beside the cache, taken per count, orders every process and thread.
    """
    backend = cache._connections[cache._alias] if isinstance(cache, ConnectionProxy) else cache
    if not isinstance(backend, FileBasedCache):
        yield
        return
    directory = Path(backend._dir)  # type: ignore[attr-defined]  # the cache's folder (not in the stubs)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / LOCK_FILE_NAME).open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


class AtomicRateThrottle(SimpleRateThrottle):
    """DRF's SimpleRateThrottle (same rates, cache keys and Retry-After), counting with the cache's atomic
    `add` and `incr` (SET NX and INCR on Redis) in fixed windows of the rate's duration.

    DRF's own throttle reads a request history, appends to it and writes it back: requests that arrive
    together all read the same history and all pass (28 of 30 simultaneous logins against a 5/min limit,
    measured on Redis). Here each request takes its own number in the window, so exactly the limit pass
    (on the embedded file cache, under `counting_lock`).
    Every request counts, allowed or not; the count starts again with the next window, so at a window's
    edge up to twice the rate can pass within one duration.
    """

    # Set by SimpleRateThrottle.__init__ from the rate ("5/min": 5 requests, 60 seconds).
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = math.floor(self.now / self.duration)
        self.window_ends_at = (window + 1) * self.duration
        counter = f"{self.key}:{window}"
        # The counter outlives its window by a second, so an incr at the window's very end finds it.
        timeout = self.duration + 1
        with counting_lock(self.cache):
            self.cache.add(counter, 0, timeout=timeout)
            try:
                taken = self.cache.incr(counter)
            except ValueError:  # evicted between the two calls: start it again
                self.cache.add(counter, 0, timeout=timeout)
                taken = self.cache.incr(counter)
        return taken <= self.num_requests

    def wait(self) -> float:
        return max(self.window_ends_at - self.now, 1)
