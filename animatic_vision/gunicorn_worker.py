"""The gunicorn worker `make serve` runs: gunicorn's gthread worker, whose own error answers are JSON.

Gunicorn answers a request it cannot parse itself, before Django sees it: a malformed request
line or header (400), a request line longer than `limit_request_line` (414), too many or too
large headers (431). Its answer is a small HTML page; the contract says every error is the JSON
error body. Gunicorn has no hook for that page, so this worker hands gunicorn's error handler a
view of the client socket through which the page it writes goes out as the contract's body, with
the same status line.
"""

from __future__ import annotations

import json
import re
import socket
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from animatic_vision.errors import error_body

STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3}) ([^\r\n]*)\r\n")
DETAILS = {
    400: "The request could not be read: it is not valid HTTP.",
    403: "The request was refused.",
    414: "The request line is too long: shorten the URL or its query.",
    417: "The server cannot meet the request's Expect header.",
    431: "The request's headers are too many or too large.",
    500: "Something went wrong on our side. The error has been logged.",
    501: "The request uses a transfer coding the server does not support.",
}


def json_error_response(page: bytes) -> bytes:
    """The HTTP response gunicorn wrote (`page`), as the same status with the contract's JSON body."""
    found = STATUS_LINE.match(page)
    if found is None:
        return page
    status_code, reason = int(found.group(1)), found.group(2)
    detail = DETAILS.get(status_code, "The request could not be handled.")
    body = json.dumps(error_body(status_code, detail), separators=(",", ":")).encode()
    head = b"HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (
        status_code,
        reason,
        len(body),
    )
    return head + body


class JsonErrorClient:
    """The client socket, except that what is sent through `sendall` is rewritten by `json_error_response`."""

    def __init__(self, sock: socket.socket):
        self._sock = sock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        self._sock.sendall(json_error_response(data))


class JsonErrorThreadWorker(ThreadWorker):
    """gunicorn's gthread worker; its own error answers (400, 414, 431, ...) are the contract's JSON."""

    def handle_error(self, req: Any, client: socket.socket, addr: Any, exc: BaseException) -> None:
        super().handle_error(req, JsonErrorClient(client), addr, exc)
