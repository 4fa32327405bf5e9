"""Django admin for staff: projects with their scenes and characters inline."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from projects.models import Project, ProjectStatus
from projects.read_cache import owners_projects_changed
from projects.services import project_delete
from scenes.admin import CharacterInline, SceneInline
from scenes.segmentation import segmentation_start


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Projects of every user; deleting one goes through the service so its asset files go too."""

    list_display = ("title", "owner", "status", "source_format", "scene_count", "created_at")
    list_filter = ("status", "source_format")
    list_select_related = ("owner",)
    search_fields = ("title", "owner__email")
    raw_id_fields = ("owner",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "source_format",
        "created_at",
        "updated_at",
        "segmentation_task_id",
        "segmentation_error",
        "segmentation_format",
        "segmentation_started_at",
        "segmentation_finished_at",
    )
    inlines = [SceneInline, CharacterInline]
    actions = ["segment_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return super().get_queryset(request).annotate(scene_count=Count("scenes"))

    @admin.display(description="Scenes", ordering="scene_count")
    def scene_count(self, project: Project) -> int:
        return project.scene_count

    def save_model(self, request: HttpRequest, obj: Project, form: ModelForm, change: bool) -> None:
        # A staff edit may move the project to another owner: both owners' answers change.
        previous_owner = Project.objects.filter(pk=obj.pk).values_list("owner_id", flat=True).first()
        owners_projects_changed({obj.owner_id, previous_owner} - {None})
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Project) -> None:
        project_delete(project=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        for project in queryset:
            project_delete(project=project)

    @admin.action(description="Segment again (replaces the scenes)")
    def segment_again(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        """Starts a new segmentation job for each selected project; one already running is left to finish."""
        started, running = 0, 0
        for project in queryset:
            if project.status == ProjectStatus.SEGMENTING:
                running += 1
                continue
            segmentation_start(project=project)
            started += 1
        message = f"Segmentation started for {started} project{'s' if started != 1 else ''}."
        if running:
            message += f" {running} already segmenting, left to finish."
        self.message_user(request, message)
