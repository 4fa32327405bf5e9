"""Ending a session over HTTP holds in every gunicorn worker at once, although each keeps its own copy
of the session checks (animatic_vision/cache_mirror.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.processes import Browser, Stack
from tests.e2e.flows import PASSWORD, sign_up_and_log_in

pytestmark = [pytest.mark.mysql, pytest.mark.redis]

ROUNDS = 8
# Each request opens its own connection, so a burst this wide lands on every worker of the stack.
BURST = 16


def statuses_for(stack: Stack, access: str) -> list[int]:
    """GET /auth/me with the token from many fresh connections at once."""

    def one(_: int) -> int:
        return Browser(stack.base_url).get("/auth/me", headers={"Authorization": f"Bearer {access}"}).status

    with ThreadPoolExecutor(BURST) as pool:
        return list(pool.map(one, range(BURST)))


@pytest.mark.parametrize("ending", ["logout", "change-password"])
def test_a_session_ended_in_one_worker_is_refused_by_every_worker_on_the_next_request(stack: Stack, ending: str):
    refused_after: list[list[int]] = []
    for _ in range(ROUNDS):
        browser = stack.browser()
        sign_up_and_log_in(browser)
        access = browser.cookie("access_token")
        assert access is not None
        # Every worker has now answered for this token, and keeps its checks in memory.
        assert statuses_for(stack, access) == [200] * BURST

        if ending == "logout":
            ended = browser.post("/auth/logout")
        else:
            ended = browser.request(
                "PUT", "/auth/change-password", {"old_password": PASSWORD, "new_password": PASSWORD + "-new"}
            )
        assert ended.status == 200, ended.body

        refused_after.append(statuses_for(stack, access))

    assert refused_after == [[401] * BURST] * ROUNDS
