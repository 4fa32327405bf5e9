"""The staff's commands that are not about one app: check_services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from animatic_vision import health


def test_check_services_prints_one_line_per_service(db):
    out = StringIO()

    call_command("check_services", stdout=out, no_color=True)

    lines = out.getvalue().splitlines()
    assert [line.split(":", 1)[0] for line in lines] == ["database", "cache", "broker"]
    assert all(line.split(":", 1)[1].startswith(" ok (") and line.endswith(" ms)") for line in lines)


def test_check_services_fails_naming_the_service_that_is_down(db, monkeypatch):
    def broker_down() -> str:
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(health.CHECKS, "broker", broker_down)
    out = StringIO()

    with pytest.raises(CommandError, match="unavailable: broker") as raised:
        call_command("check_services", stdout=out, no_color=True)

    assert raised.value.returncode == 1
    assert "broker: DOWN (ConnectionRefusedError: Error 111 connecting to 127.0.0.1:6379." in out.getvalue()
    assert "database: ok (" in out.getvalue()
