"""Local stand-ins for the remote services, for tests: a threaded HTTP server on 127.0.0.1 per protocol.

`FakeService` answers each (method, path) with the replies a test lined up for it, in order (the
last one repeats), and records every request. `chat_completions_service`, `openai_images_service`
and `comfyui_service` line up the answers those protocols give.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image


@dataclass
class Reply:
    """One answer: status, body (bytes, or JSON for anything else), headers; `hang` holds it back until the
    server stops (a service that never answers)."""

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        return json.dumps(self.body).encode(), "application/json"


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Responder = Callable[[Received], Reply]


class FakeService:
    """A local server for one protocol; `url` is its base URL."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply | Responder]] = {}
        self.received: list[Received] = []
        self.release = threading.Event()
        service = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # headers and body go out in two writes: no delayed-ACK stall

            def do_GET(self) -> None:
                service._handle(self, "GET")

            def do_POST(self) -> None:
                service._handle(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def on(self, method: str, path: str, *replies: Reply | Responder) -> FakeService:
        """Lines up the replies to requests for `path`, in order; the last one answers every later request."""
        self.routes[(method, path)] = list(replies)
        return self

    def requests_to(self, path: str) -> list[Received]:
        return [request for request in self.received if request.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        received = Received(
            method=method,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in handler.headers.items()},
            body=handler.rfile.read(length) if length else b"",
        )
        self.received.append(received)
        replies = self.routes.get((method, parts.path))
        if not replies:
            reply = Reply(404, {"error": {"message": f"no route {method} {parts.path}"}})
        else:
            step = replies.pop(0) if len(replies) > 1 else replies[0]
            reply = step(received) if callable(step) else step
        if reply.hang:
            self.release.wait(30)
            return
        body, content_type = reply.encoded()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for key, value in reply.headers.items():
                if key.lower() != "content-type":
                    handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@contextmanager
def running(service: FakeService) -> Iterator[FakeService]:
    """Starts the server, yields it, and stops it whatever happens."""
    service.start()
    try:
        yield service
    finally:
        service.stop()


def png_bytes(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    """A small real PNG, as a service would answer."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def images_answer(data: bytes) -> dict[str, Any]:
    """An OpenAI images answer carrying `data` as base64."""
    return {"created": 1, "data": [{"b64_json": base64.b64encode(data).decode()}]}


def chat_answer(content: str, *, prompt_tokens: int = 120, completion_tokens: int = 80) -> dict[str, Any]:
    """A chat-completions answer whose message is `content`."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def comfyui_routes(service: FakeService, *, image: bytes, prompt_id: str = "p-1", pending_polls: int = 1) -> None:
    """ComfyUI's flow: /prompt queues, /history/{id} is empty `pending_polls` times then done, /view the image."""
    done = {
        prompt_id: {
            "outputs": {"9": {"images": [{"filename": "av_00001_.png", "subfolder": "", "type": "output"}]}},
            "status": {"status_str": "success", "completed": True, "messages": []},
        }
    }
    service.on("POST", "/prompt", Reply(200, {"prompt_id": prompt_id, "number": 1, "node_errors": {}}))
    service.on("GET", f"/history/{prompt_id}", *([Reply(200, {})] * pending_polls), Reply(200, done))
    service.on("GET", "/view", Reply(200, image, {"Content-Type": "image/png"}))
