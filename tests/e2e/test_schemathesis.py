"""Fuzzing: schemathesis against /openapi.json on the running server, logged in.

No 5xx, and every response matches the schema (status code, content type and body).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.processes import BIN, Stack
from tests.e2e.flows import PASSWORD, create_project, sign_up_and_log_in

pytestmark = [pytest.mark.mysql, pytest.mark.redis]

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Routes that would end the fuzzer's own session (it would then test only 401s); an admin's own
# password changed through the admin API would too.
SESSION_ENDING = (
    r"^/(admin/)?auth/(logout|change-password|refresh-token|reset-password)$"
    r"|^/admin/users/\{id\}/password$"
)


def fuzz(
    stack: Stack,
    cookie: str,
    tmp_path: Path,
    *,
    only: str | None = None,
    leave_out: str | None = SESSION_ENDING,
    max_time: int = 90,
) -> None:
    """schemathesis over the schema (the paths matching `only`, if given, but not `leave_out`) with this
    session's cookie; fails on any check it fails."""
    run = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "run",
            f"{stack.base_url}/openapi.json",
            "--checks",
            CHECKS,
            "--header",
            f"Cookie: {cookie}",
            *(["--include-path-regex", only] if only else []),
            *(["--exclude-path-regex", leave_out] if leave_out else []),
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "10",
            "--seed",
            "20261125",
            "--request-timeout",
            "10",
            "--max-time",
            str(max_time),
            "--generation-database",
            "none",
            "--no-color",
        ],
        cwd=tmp_path,  # schemathesis keeps a cache directory where it runs
        capture_output=True,
        text=True,
        timeout=180,
    )
    print(run.stdout[-20000:])
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]


def cookie_header(browser) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(stack: Stack, tmp_path: Path):
    browser = stack.browser()
    sign_up_and_log_in(browser)
    create_project(browser)

    fuzz(stack, cookie_header(browser), tmp_path)


def test_schemathesis_as_an_admin_finds_no_server_error_in_the_admin_api(stack: Stack, tmp_path: Path):
    from accounts.models import User

    User.objects.create_superuser("fuzzing-admin@example.com", PASSWORD, full_name="Fuzzing Admin")
    User.objects.create_user("someone@example.com", PASSWORD, full_name="Someone Else")
    browser = stack.browser()
    logged_in = browser.post("/admin/auth/login", {"email": "fuzzing-admin@example.com", "password": PASSWORD})
    assert logged_in.status == 200, logged_in.body

    fuzz(stack, cookie_header(browser), tmp_path, only=r"^/admin/")


def test_schemathesis_on_the_session_ending_routes_finds_no_server_error(stack: Stack, tmp_path: Path):
    """The routes left out above, on their own: the first call that ends the session turns the rest
    into 401s and 400s, which still must be documented answers, never a 500."""
    browser = stack.browser()
    sign_up_and_log_in(browser)

    fuzz(stack, cookie_header(browser), tmp_path, only=SESSION_ENDING, leave_out=None, max_time=45)
