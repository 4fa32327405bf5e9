"""The answer cache of GET /projects and GET /projects/{id}: its keys, and the version that changes them.

The version is `User.content_version`, a random token in the owner's row. Every write to
an owner's projects, scenes or characters goes through projects.gateway, which sets a new
one in the write's transaction and drops the cached copy of the user row that
authentication reads, rewriting it once the transaction commits (accounts.sessions). So a
read learns the version in the cache round-trip that already checks its token, and an
answer found in the cache costs no database query at all.

The answers carry media links, which expire: the key also names the links' host and renewal
window (animatic_vision.media_links.cache_scope), so a cached answer is never served once its
window has passed, and every link it holds still has at least MEDIA_URL_TTL_SECONDS to live.

A random token rather than a counter: after a restored backup, a reused user id or a test
database rolled back, a counter would count through values it had already used, and an
answer cached under one of them would be served again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
import rest_framework
from django.apps import apps
from django.conf import settings

from accounts.models import User
from animatic_vision.media_links import cache_scope

# The files, in each of this project's apps, whose code shapes a cached answer: a deploy that changes
# one never serves older bytes.
ANSWER_SHAPING_FILES = ("serializers.py", "selectors.py", "views.py", "api/fields.py", "api/responses.py")


@cache
def answer_shape() -> str:
    """A digest of the code and settings that shape the cached answers (computed once per process)."""
    digest = hashlib.blake2b(digest_size=8)
    base = Path(settings.BASE_DIR).resolve()
    for config in sorted(apps.get_app_configs(), key=lambda config: config.name):
        folder = Path(config.path).resolve()
        if not folder.is_relative_to(base) or "site-packages" in folder.parts:
            continue  # a library, whose version is in the digest below
        for name in ANSWER_SHAPING_FILES:
            if (folder / name).is_file():
                digest.update(f"{config.name}/{name}".encode())
                digest.update((folder / name).read_bytes())
    digest.update(repr((django.__version__, rest_framework.VERSION, settings.REST_FRAMEWORK)).encode())
    return digest.hexdigest()


def list_key(*, owner: User, limit: int | None, offset: int) -> str:
    return f"projects:list:{answer_shape()}:{owner.pk}:{owner.content_version}:{cache_scope()}:{limit}:{offset}"


def detail_key(*, owner: User, project_id: int) -> str:
    return f"projects:detail:{answer_shape()}:{owner.pk}:{owner.content_version}:{cache_scope()}:{project_id}"
