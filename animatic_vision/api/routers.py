"""A router whose routes match with and without the trailing slash."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """`/projects` and `/projects/` reach the same view for every method: no redirect drops a POST body."""

    def __init__(self) -> None:
        super().__init__(trailing_slash=True)
        self.trailing_slash = "/?"
