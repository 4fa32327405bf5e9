"""The throttles' counts hold under simultaneous requests, on whichever cache the suite runs on."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from rest_framework.test import APIRequestFactory

from animatic_vision.api.throttling import AtomicRateThrottle

SIMULTANEOUS = 30
LIMIT = 5
FIXED_NOW = 1_800_000_030.0


class FiveAMinute(AtomicRateThrottle):
    rate = f"{LIMIT}/min"

    def get_cache_key(self, request, view):
        return "throttle:test:simultaneous"

    def timer(self) -> float:
        # One fixed instant, mid-window: the test is about simultaneous counting, and thirty requests that
        # straddle a minute's edge may pass twice the limit by design (see AtomicRateThrottle).
        return FIXED_NOW


def test_thirty_simultaneous_requests_pass_exactly_the_limit():
    request = APIRequestFactory().post("/auth/login")
    start = threading.Barrier(SIMULTANEOUS)

    def one(_: int) -> bool:
        start.wait()
        return FiveAMinute().allow_request(request, None)

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        allowed = list(pool.map(one, range(SIMULTANEOUS)))

    assert allowed.count(True) == LIMIT
