"""Reads of projects, always limited to one owner so that another user's project is simply not found."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from accounts.models import User
from animatic_vision.errors import NotFound
from projects.models import Project
from projects.serializers import PROJECT_OUTPUT_COLUMNS, SEGMENTATION_COLUMNS
from scenes.models import Character, Scene
from scenes.serializers import CHARACTER_OUTPUT_COLUMNS, SCENE_OUTPUT_COLUMNS

PROJECT_NOT_FOUND = "Project not found."
NEWEST_FIRST = ("-created_at", "-id")


def project_list_queryset(*, owner: User) -> QuerySet[Project]:
    """The owner's projects, newest first, each annotated with `scene_count` (one query, no N+1)."""
    return Project.objects.filter(owner=owner).annotate(scene_count=Count("scenes")).order_by(*NEWEST_FIRST)


ID_MAX = 2**63 - 1  # BigAutoField: a larger number is no project, and would overflow the database's integer


def _project_id(project_id: int | str) -> int:
    try:
        value = int(project_id)
    except (ValueError, TypeError, OverflowError):
        raise NotFound(PROJECT_NOT_FOUND) from None
    if not 0 < value <= ID_MAX:
        raise NotFound(PROJECT_NOT_FOUND)
    return value


# The two version reads below run on every GET of a project or of the list, so they are written as SQL:
# the ORM takes longer to compile a query (about 0.35 ms) than the database takes to answer it.


def _quoted(*names: str) -> list[str]:
    return [connection.ops.quote_name(Project._meta.get_field(name).column) for name in names]


@cache
def _list_version_sql() -> str:
    pk, updated_at, owner_id, created_at = _quoted("id", "updated_at", "owner", "created_at")
    if connection.vendor == "mysql":
        # The stamp as the database's text: the driver's conversion of 50 DATETIMEs to Python took
        # longer than the query. The same stamp always gives the same text, so the digest still changes
        # exactly when a stamp does. (SQLite stores the text already.)
        updated_at = f"CAST({updated_at} AS CHAR)"
    return (
        f"SELECT {pk}, {updated_at}, COUNT(*) OVER () FROM {connection.ops.quote_name(Project._meta.db_table)} "
        f"WHERE {owner_id} = %s ORDER BY {created_at} DESC, {pk} DESC"
    )


def project_list_version(*, owner: User, limit: int | None = None, offset: int = 0) -> tuple[int, str]:
    """How many projects the owner has, and a digest of the (id, updated_at) of those on this page.

    One query. Every write that changes what a project's entry shows (its scenes' count included)
    sets a new `updated_at`, and creating or deleting a project changes the page or the total, so
    the pair changes whenever the page's answer does. Not `MAX(updated_at)`: a write stamps its
    time before it commits, so an earlier stamp can commit after a later one.
    """
    sql = _list_version_sql()
    params: list[Any] = [owner.pk]
    if limit is not None or offset:
        sql += " LIMIT %s OFFSET %s"
        params += [limit if limit is not None else connection.ops.no_limit_value(), offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # An empty page has no row to carry the total: past the end it takes a count of its own.
    total = rows[0][2] if rows else (Project.objects.filter(owner=owner).count() if offset else 0)
    digest = hashlib.blake2b(digest_size=16)
    for project_id, stamp, _ in rows:
        digest.update(f"{project_id}@{stamp};".encode())
    return total, digest.hexdigest()


def project_list_rows(*, owner: User, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """One page of the owner's projects, newest first, as rows for ProjectOutputSerializer."""
    end = offset + limit if limit is not None else None
    return list(project_list_queryset(owner=owner).values(*PROJECT_OUTPUT_COLUMNS, "scene_count")[offset:end])


HEAD_COLUMNS = (*PROJECT_OUTPUT_COLUMNS, *SEGMENTATION_COLUMNS)
HEAD_DATETIMES = tuple(
    name for name in HEAD_COLUMNS if Project._meta.get_field(name).get_internal_type() == "DateTimeField"
)


@cache
def _detail_head_sql() -> str:
    pk, owner_id = _quoted("id", "owner")
    return (
        f"SELECT {', '.join(_quoted(*HEAD_COLUMNS))} FROM {connection.ops.quote_name(Project._meta.db_table)} "
        f"WHERE {pk} = %s AND {owner_id} = %s"
    )


def project_detail_head(*, owner: User, project_id: int | str) -> dict[str, Any]:
    """The owner's project's own row (no scenes), else NotFound. One query.

    Its `updated_at` versions the whole detail: every write to the project, its scenes or its
    characters sets a new one in the same transaction.
    """
    with connection.cursor() as cursor:
        cursor.execute(_detail_head_sql(), [_project_id(project_id), owner.pk])
        found = cursor.fetchone()
    if found is None:
        raise NotFound(PROJECT_NOT_FOUND)
    row = dict(zip(HEAD_COLUMNS, found, strict=True))
    for name in HEAD_DATETIMES:
        # What the ORM's converter does: the database's naive UTC time (or SQLite's text) made aware.
        row[name] = connection.ops.convert_datetimefield_value(row[name], None, connection)
    return row


def project_detail_row(*, head: dict[str, Any]) -> dict[str, Any]:
    """`project_detail_head`'s row with the scenes in order, the characters and `scene_count`: two queries,
    for ProjectDetailOutputSerializer."""
    scenes = list(Scene.objects.filter(project_id=head["id"]).order_by("scene_index").values(*SCENE_OUTPUT_COLUMNS))
    characters = list(Character.objects.filter(project_id=head["id"]).order_by("id").values(*CHARACTER_OUTPUT_COLUMNS))
    return {**head, "scenes": scenes, "characters": characters, "scene_count": len(scenes)}


def project_get_for_owner(*, owner: User, project_id: int | str) -> Project:
    """The owner's project with this id, annotated with `scene_count`, else NotFound."""
    try:
        return project_list_queryset(owner=owner).get(pk=_project_id(project_id))
    except (Project.DoesNotExist, OverflowError):
        raise NotFound(PROJECT_NOT_FOUND) from None
