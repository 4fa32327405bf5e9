"""Django admin: the project page of scenes.admin with the animatic's "Draw frames" and "Render" actions."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from animatic.frames import frames_start
from animatic.jobs import JobStarted
from animatic.render import RenderSpec, render_start
from animatic_vision.errors import DomainError
from projects.models import Project
from scenes.admin import ProjectWithScenesAdmin

admin.site.unregister(Project)


@admin.register(Project)
class ProjectWithAnimaticAdmin(ProjectWithScenesAdmin):
    """The project page with its scenes, and actions that start the frames and render jobs (the API's services)."""

    actions = [*ProjectWithScenesAdmin.actions, "draw_frames", "render"]

    @admin.action(description="Draw frames (the images each scene lacks)")
    def draw_frames(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        """Starts a frames job for each selected project."""
        self._start_jobs(request, queryset, "Frames", lambda project: frames_start(project=project))

    @admin.action(description="Render the animatic (MP4, 720p)")
    def render(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        """Starts a render job for each selected project."""
        self._start_jobs(request, queryset, "Render", lambda project: render_start(project=project, spec=RenderSpec()))

    def _start_jobs(
        self, request: HttpRequest, queryset: QuerySet[Project], what: str, start: Callable[[Project], JobStarted]
    ) -> None:
        started, running, refused = 0, 0, []
        for project in queryset:
            try:
                job = start(project)
            except DomainError as exc:
                refused.append(f"{project.title}: {exc.message}")
                continue
            started += int(job.started)
            running += int(not job.started)
        plural = "s" if started != 1 else ""
        self.message_user(request, f"{what} started for {started} project{plural}; {running} already running.")
        for line in refused:
            self.message_user(request, line, messages.WARNING)
