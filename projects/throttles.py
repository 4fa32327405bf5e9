"""Rate limit of project creation: each new project may hold a 500,000-character story."""

from __future__ import annotations

from rest_framework.throttling import UserRateThrottle

from animatic_vision.api.throttling import AtomicRateThrottle


class ProjectCreateThrottle(AtomicRateThrottle, UserRateThrottle):
    """New projects per user, at the `project_create` rate of settings (default 60/hour); every route that
    creates a project (POST /projects, the import) uses it."""

    scope = "project_create"
