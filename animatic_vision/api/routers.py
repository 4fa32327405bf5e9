"""A router whose routes match with and without the trailing slash."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

# A database id in a URL: ASCII digits only. Python's `\d` also matches the digits of other scripts
# (`/projects/٣`), which int() reads as 3: such a path names no object and answers 404.
ID_PATTERN = "[0-9]+"


class OptionalSlashRouter(SimpleRouter):
    """`/projects` and `/projects/` reach the same view for every method: no redirect drops a POST body."""

    def __init__(self) -> None:
        super().__init__(trailing_slash=True)
        self.trailing_slash = "/?"
