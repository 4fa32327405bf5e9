"""Fixtures of the animatic's tests: jobs run in the test's process, files in a temporary MEDIA_ROOT."""

from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def _jobs_inline(settings, media_root, inline_tasks, monkeypatch):
    """Frames and render jobs run in the test process, as in the embedded setup but without its own process
    (which could not see the test's database), even when REDIS_HOST names a broker."""
    from animatic import jobs

    settings.ANIMATIC_INLINE_JOBS = True
    settings.MEDIA_LINK_BASE_URL = "http://testserver"  # links made outside a request match the answers
    monkeypatch.setattr(jobs, "_tasks_run_eagerly", lambda: True)


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (64, 36), colour: tuple[int, int, int] = (30, 160, 90)
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()
