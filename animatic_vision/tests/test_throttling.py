"""The throttles' counts hold under simultaneous requests, on whichever cache the suite runs on."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from rest_framework.test import APIRequestFactory

from animatic_vision.api.throttling import AtomicRateThrottle

SIMULTANEOUS = 30
LIMIT = 5


class FiveAMinute(AtomicRateThrottle):
    rate = f"{LIMIT}/min"

    def get_cache_key(self, request, view):
        return "throttle:test:simultaneous"


def test_thirty_simultaneous_requests_pass_exactly_the_limit():
    request = APIRequestFactory().post("/auth/login")
    start = threading.Barrier(SIMULTANEOUS)

    def one(_: int) -> bool:
        start.wait()
        return FiveAMinute().allow_request(request, None)

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        allowed = list(pool.map(one, range(SIMULTANEOUS)))

    assert allowed.count(True) == LIMIT
