"""The shared HTTP plumbing: Retry-After, answer size limit, unreachable services, reasons."""

from __future__ import annotations

import socket

import pytest

from providers.http import (
    ProviderBadAnswer,
    ProviderUnavailable,
    RetryPolicy,
    ServiceClient,
    retry_after_seconds,
    service_reason,
)
from providers.tests.servers import FakeService, Reply, running


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412500.0) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_service_reason_takes_the_error_message_or_the_text():
    assert service_reason(b'{"error": {"message": "Invalid model", "type": "x"}}') == "Invalid model"
    assert service_reason(b'{"detail": "Not found"}') == "Not found"
    assert service_reason(b"<h1>Bad Gateway</h1>\n") == "<h1>Bad Gateway</h1>"
    assert len(service_reason(b"x" * 5000)) == 303


def test_an_answer_larger_than_the_limit_is_refused():
    with running(FakeService()) as service:
        service.on("GET", "/big", Reply(200, b"x" * 5000))
        client = ServiceClient(service="The service", base_url=service.url, max_response_bytes=1000)
        with pytest.raises(ProviderBadAnswer, match="more than 1,000 bytes"):
            client.get_bytes("big")


def test_an_unreachable_service_is_retried_then_reported():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []
    client = ServiceClient(
        service="The service",
        base_url=f"http://127.0.0.1:{port}",
        retry=RetryPolicy(max_attempts=2, backoff_seconds=0.1),
        sleep=waits.append,
    )
    with pytest.raises(ProviderUnavailable, match=f"could not be reached at http://127.0.0.1:{port}"):
        client.get_json("anything")
    assert waits == [0.1]
