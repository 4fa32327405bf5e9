"""The one HTTP plumbing every remote provider shares: timeouts, retries with backoff, readable errors.

A `ServiceClient` talks to one service (a base URL, an optional bearer key). Every call has a
deadline: no call, retries and waits included, lasts longer than `deadline_seconds`. A 429 or a
5xx answer, a refused connection or an attempt that timed out is tried again after a wait that
doubles from `backoff_seconds` (capped by `backoff_max_seconds`), or after the service's own
`Retry-After` when it sends one; when the next wait would pass the deadline, the call gives up at
once with the reason. Any other 4xx is not retried. Errors are `ProviderError`s whose message is
a sentence a person can read, with the service's own reason when it gave one; the key never
appears in them. Answers are read up to `max_response_bytes` and no further.
"""

from __future__ import annotations

import email.utils
import functools
import json
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
REASON_MAX_CHARS = 300


class ProviderError(Exception):
    """A remote service did not give a usable answer; `str(error)` says why in a sentence."""

    def __init__(self, message: str, *, service: str = "", status: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.service = service
        self.status = status
        self.reason = reason


class ProviderNotConfigured(ProviderError):
    """The settings do not name a usable service (no URL, no model, an unreadable workflow file...)."""


class ProviderTimeout(ProviderError):
    """The service did not answer within the deadline."""


class ProviderRateLimited(ProviderError):
    """The service kept answering 429 until the retries or the deadline ran out."""


class ProviderUnavailable(ProviderError):
    """The service could not be reached, or kept answering 5xx."""


class ProviderRefused(ProviderError):
    """The service refused the request (a 4xx other than 429, or a refusal in its answer)."""


class ProviderBadAnswer(ProviderError):
    """The service answered, but not with what its protocol promises (not JSON, not an image, too large...)."""


@dataclass
class RetryPolicy:
    """How often and how patiently a call is tried again."""

    max_attempts: int = 4
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 30.0

    def backoff(self, attempt: int) -> float:
        """The wait before attempt `attempt + 1` (attempts counted from 1) when the service names none."""
        return min(self.backoff_max_seconds, self.backoff_seconds * (2 ** (attempt - 1)))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Built once: loading the CA bundle for every client costs more than a local request.
    return ssl.create_default_context()


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """The wait a `Retry-After` header asks for (seconds or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def service_reason(body: bytes) -> str:
    """The reason a service gives in an error answer: OpenAI's and ComfyUI's `error.message`, else the text."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            parts = [str(error.get(key)) for key in ("message", "details") if error.get(key)]
            if parts:
                text = ": ".join(parts)
        elif isinstance(error, str) and error:
            text = error
        elif isinstance(data.get("detail"), str):
            text = data["detail"]
        elif isinstance(data.get("message"), str):
            text = data["message"]
    text = " ".join(text.split())
    return text[:REASON_MAX_CHARS] + ("..." if len(text) > REASON_MAX_CHARS else "")


@dataclass
class ServiceClient:
    """A client of one remote service: `base_url` plus paths, JSON or bytes answers, retries and a deadline."""

    service: str
    base_url: str
    api_key: str = ""
    deadline_seconds: float = 60.0
    connect_timeout_seconds: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_response_bytes: int = 64 * 1024 * 1024
    headers: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def post_json(self, path: str, payload: Any, *, deadline: float | None = None) -> Any:
        """POSTs `payload` as JSON and returns the decoded JSON answer."""
        return _json_of(self._call("POST", path, json_body=payload, deadline=deadline), self.service)

    def get_json(self, path: str, *, params: Mapping[str, str] | None = None, deadline: float | None = None) -> Any:
        """GETs `path` and returns the decoded JSON answer."""
        return _json_of(self._call("GET", path, params=params, deadline=deadline), self.service)

    def get_bytes(self, path: str, *, params: Mapping[str, str] | None = None, deadline: float | None = None) -> bytes:
        """GETs `path` and returns the answer's bytes (at most `max_response_bytes`)."""
        return self._call("GET", path, params=params, deadline=deadline)

    def start_deadline(self) -> float:
        """The monotonic time by which a call (or a sequence of calls sharing it) must be done."""
        return time.monotonic() + self.deadline_seconds

    def _call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
        deadline: float | None = None,
    ) -> bytes:
        deadline = self.start_deadline() if deadline is None else deadline
        headers = {"Accept": "application/json", **self.headers}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = self.url(path)
        attempt = 0
        with httpx.Client(
            transport=self.transport, verify=_tls_context(), follow_redirects=False, trust_env=False
        ) as client:
            while True:
                attempt += 1
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ProviderTimeout(
                        f"{self.service} did not answer within {self.deadline_seconds:g} seconds.", service=self.service
                    )
                timeout = httpx.Timeout(remaining, connect=min(remaining, self.connect_timeout_seconds))
                try:
                    status, body, retry_after = self._attempt(
                        client, method, url, headers=headers, json_body=json_body, params=params, timeout=timeout
                    )
                except httpx.TimeoutException:
                    failure: ProviderError = ProviderTimeout(
                        f"{self.service} did not answer within {self.deadline_seconds:g} seconds.",
                        service=self.service,
                    )
                    wait = self.retry.backoff(attempt)
                except httpx.TransportError as exc:
                    failure = ProviderUnavailable(
                        f"{self.service} could not be reached at {self.base_url} ({type(exc).__name__}).",
                        service=self.service,
                    )
                    wait = self.retry.backoff(attempt)
                else:
                    if status < 400:
                        return body
                    reason = service_reason(body)
                    failure = _status_error(self.service, status, reason, retry_after)
                    if status not in RETRYABLE_STATUSES:
                        raise failure
                    wait = retry_after if retry_after is not None else self.retry.backoff(attempt)
                if attempt >= self.retry.max_attempts or time.monotonic() + wait >= deadline:
                    raise failure
                self.sleep(wait)

    def _attempt(
        self,
        client: httpx.Client,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        json_body: Any,
        params: Mapping[str, str] | None,
        timeout: httpx.Timeout,
    ) -> tuple[int, bytes, float | None]:
        with client.stream(method, url, headers=headers, json=json_body, params=params, timeout=timeout) as response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise ProviderBadAnswer(
                        f"{self.service} answered more than {self.max_response_bytes:,} bytes; the answer was refused.",
                        service=self.service,
                        status=response.status_code,
                    )
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), retry_after_seconds(response.headers.get("Retry-After"))


def _status_error(service: str, status: int, reason: str, retry_after: float | None) -> ProviderError:
    said = f": {reason}" if reason else "."
    if status == 429:
        wait = f" (it asked to wait {retry_after:g} s)" if retry_after is not None else ""
        return ProviderRateLimited(
            f"{service} is rate-limiting requests{wait}{said}", service=service, status=status, reason=reason
        )
    if status >= 500:
        return ProviderUnavailable(
            f"{service} failed with HTTP {status}{said}", service=service, status=status, reason=reason
        )
    if status in (401, 403):
        return ProviderRefused(
            f"{service} refused the credentials (HTTP {status}){said}", service=service, status=status, reason=reason
        )
    return ProviderRefused(
        f"{service} refused the request (HTTP {status}){said}", service=service, status=status, reason=reason
    )


def _json_of(body: bytes, service: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise ProviderBadAnswer(
            f"{service} answered something that is not JSON: {service_reason(body)[:120]!r}", service=service
        ) from None
