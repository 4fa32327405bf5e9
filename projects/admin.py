"""Django admin for staff: projects, saved and deleted through the same services (and gateway) as the API.

The scenes app extends this page with the project's scenes and characters and a segmentation action
(scenes/admin.py), so that scenes depend on projects and not the other way round.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from animatic_vision.admin_rules import DomainErrorAdminMixin
from animatic_vision.errors import ProjectSegmenting
from projects.models import Project, ProjectStatus
from projects.services import STATUS_NOT_SETTABLE, project_delete, project_staff_save


def _scene_count(project: Project) -> int:
    # The annotation get_queryset adds, which the model's type does not know.
    return int(getattr(project, "scene_count"))  # noqa: B009


class ProjectAdminForm(forms.ModelForm):
    """The rules staff meet as form errors; the services enforce them again under the row locks."""

    class Meta:
        model = Project
        fields = ("owner", "title", "story_text", "duration_sec", "status", "video_path")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None and self.instance.status == ProjectStatus.SEGMENTING:
            raise forms.ValidationError(ProjectSegmenting.default_message)
        if cleaned.get("status") == ProjectStatus.SEGMENTING:
            self.add_error("status", STATUS_NOT_SETTABLE.format(status=ProjectStatus.SEGMENTING))
        return cleaned


@admin.register(Project)
class ProjectAdmin(DomainErrorAdminMixin):
    """Projects of every user. Saving and deleting go through the services: the API's rules hold here too."""

    form = ProjectAdminForm
    list_display = ("title", "owner", "status", "scene_count", "created_at")
    list_filter = ("status",)
    list_select_related = ("owner",)
    search_fields = ("title", "owner__email")
    raw_id_fields = ("owner",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "updated_at",
        "segmentation_task_id",
        "segmentation_error",
        "segmentation_format",
        "segmentation_started_at",
        "segmentation_finished_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return super().get_queryset(request).annotate(scene_count=Count("scenes"))

    def get_readonly_fields(self, request: HttpRequest, obj: Project | None = None) -> tuple[str, ...]:
        # Once scenes exist, their offsets and durations are the story's and the duration's: edit those
        # through the API, which rescales, or segment again.
        fixed = tuple(self.readonly_fields)
        if obj is not None and _scene_count(obj):
            return (*fixed, "story_text", "duration_sec")
        return fixed

    @admin.display(description="Scenes", ordering="scene_count")
    def scene_count(self, project: Project) -> int:
        return _scene_count(project)

    def save_model(self, request: HttpRequest, obj: Project, form: ModelForm, change: bool) -> None:
        project_staff_save(project=obj)

    def delete_model(self, request: HttpRequest, obj: Project) -> None:
        project_delete(project=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        for project in queryset:
            project_delete(project=project)
