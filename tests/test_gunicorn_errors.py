"""gunicorn's own answers to requests it cannot parse (400, 414, 431) are the contract's JSON error body."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from animatic_vision.errors import error_codes
from animatic_vision.gunicorn_worker import json_error_response
from harness.processes import BIN, Process, free_port, wait_until


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """gunicorn with the repo's config and worker, on the embedded default settings; its port."""
    port = free_port()
    log_dir = tmp_path_factory.mktemp("gunicorn")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_"))},
        "ENVIRONMENT": "development",
        "VAR_DIR": str(log_dir / "var"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    web = Process(
        "gunicorn",
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "animatic_vision.wsgi:application"],
        env=env,
        log_dir=Path(log_dir),
    ).start()
    try:
        wait_until(
            lambda: exchange(port, b"GET /test HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")[0] == 200,
            timeout=30,
            what="gunicorn",
        )
        yield port
    finally:
        web.stop()


def exchange(port: int, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Sends `raw` as is and reads the whole answer: its status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                None,
            )
            if length is not None and len(body) >= length:
                break
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"NOT HTTP AT ALL\r\n\r\n", 400, "bad_request"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414, "uri_too_long"),
        (
            b"GET /test HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(120)) + b"\r\n",
            431,
            "headers_too_large",
        ),
        (b"GET /test HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Name: v\r\n\r\n", 400, "bad_request"),
    ],
    ids=["not-http", "request-line-too-long", "too-many-headers", "bad-header-name"],
)
def test_gunicorns_own_errors_are_json(server, raw, status, code):
    answered, headers, body = exchange(server, raw)

    assert answered == status
    assert headers["content-type"] == "application/json"
    document = json.loads(body)
    assert document["status_code"] == status
    assert document["code"] == code
    assert document["detail"] == document["message"]
    assert "<html" not in body.decode()


def test_the_app_behind_it_still_answers(server):
    status, _headers, body = exchange(server, b"GET /test HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")

    assert (status, json.loads(body)) == (200, {"status": "Server is running"})


def test_every_status_gunicorn_writes_gets_a_listed_code():
    for status in (400, 403, 414, 417, 431, 500, 501):
        page = b"HTTP/1.1 %d Reason\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html></html>" % status
        head, _, body = json_error_response(page).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 %d Reason\r\n" % status)
        assert json.loads(body)["code"] in error_codes()
