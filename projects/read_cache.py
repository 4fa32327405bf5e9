"""The answer cache of GET /projects and GET /projects/{id}: its keys, and the version that changes them.

The version is `User.projects_version`, a random token in the owner's row. Every write
to an owner's projects, scenes or characters sets a new one in the same transaction
(`owners_projects_changed`, `projects_changed`), and drops the cached copy of the user row
that authentication reads, rewriting it once the transaction commits (accounts.sessions).
So a read learns the version in the cache round-trip that already checks its token, and an
answer found in the cache costs no database query at all.

A random token rather than a counter: after a restored backup, a reused user id or a test
database rolled back, a counter would count through values it had already used, and an
answer cached under one of them would be served again.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import django
import rest_framework
from django.conf import settings

from accounts import sessions
from accounts.models import User, projects_version_new
from projects.models import Project

# The modules whose code shapes a cached answer: a deploy that changes one never serves older bytes.
ANSWER_SHAPING_MODULES = (
    "projects.serializers",
    "projects.selectors",
    "projects.views",
    "scenes.serializers",
    "animatic_vision.api.fields",
    "animatic_vision.api.responses",
)


def owners_projects_changed(owner_ids: Iterable[int]) -> None:
    """New projects versions for these owners, in the caller's transaction; their cached rows follow on commit.

    Call it first in the transaction, before its other writes: it locks the owners' rows, and
    every write takes that lock before its project's. Later would deadlock two creates by one
    owner: an INSERT's foreign-key check holds a shared lock on the owner row, and both would
    then wait to upgrade it.
    """
    owner_ids = sorted(set(owner_ids))
    if not owner_ids:
        return
    User.objects.filter(pk__in=owner_ids).update(projects_version=projects_version_new())
    for owner_id in owner_ids:
        sessions.user_state_invalidate(owner_id)


def projects_changed(project_ids: Iterable[int]) -> None:
    """`owners_projects_changed` for the owners of these projects (one query to find them)."""
    owners_projects_changed(Project.objects.filter(pk__in=list(project_ids)).values_list("owner_id", flat=True))


@cache
def answer_shape() -> str:
    """A digest of the code and settings that shape the cached answers (computed once per process)."""
    digest = hashlib.blake2b(digest_size=8)
    for name in ANSWER_SHAPING_MODULES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    digest.update(repr((django.__version__, rest_framework.VERSION, settings.REST_FRAMEWORK)).encode())
    return digest.hexdigest()


def list_key(*, owner: User, limit: int | None, offset: int) -> str:
    return f"projects:list:{answer_shape()}:{owner.pk}:{owner.projects_version}:{limit}:{offset}"


def detail_key(*, owner: User, project_id: int) -> str:
    return f"projects:detail:{answer_shape()}:{owner.pk}:{owner.projects_version}:{project_id}"
