"""Django admin for staff: the project page with its scenes and characters, and assets with a link to their file.

Every write goes through projects.gateway, like the API's: one transaction, the owner's and the
project's rows locked, and nothing while the project is being segmented.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html

from animatic_vision.admin_rules import DomainErrorAdminMixin
from animatic_vision.media_links import media_url
from projects.admin import ProjectAdmin
from projects.gateway import files_delete_on_commit, project_write
from projects.models import Project, ProjectStatus
from scenes.models import Asset, Character, Scene
from scenes.segmentation import segmentation_start
from scenes.services import scene_delete
from scenes.signals import scenes_edited

SCENE_INLINE_FIELDS = (
    "scene_index",
    "title",
    "start_sec",
    "duration_sec",
    "characters",
    "camera",
    "background_image",
    "frame_image",
)
THUMBNAIL = '<a href="{0}" target="_blank" rel="noopener"><img src="{0}" alt="{1}" style="max-height:90px"></a>'


def image_thumbnail(asset: Asset | None, alt: str) -> str:
    """A stored image as a small picture linking to the full one (through its signed media link)."""
    if asset is None or not asset.file:
        return "-"
    return format_html(THUMBNAIL, media_url(asset.file.name), alt)


class ImagesAdminMixin:
    @admin.display(description="Background")
    def background_image(self, scene: Scene) -> str:
        return image_thumbnail(scene.background, "background")

    @admin.display(description="Frame")
    def frame_image(self, scene: Scene) -> str:
        return image_thumbnail(scene.frame, "frame")

    @admin.display(description="Image")
    def reference_image(self, character: Character) -> str:
        return image_thumbnail(character.image, character.name)


class SceneInline(ImagesAdminMixin, admin.TabularInline):
    """A project's scenes in animatic order with their images, read-only: edits go through the API so timing
    rules hold."""

    model = Scene
    fields = SCENE_INLINE_FIELDS
    readonly_fields = SCENE_INLINE_FIELDS
    ordering = ("scene_index",)
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Scene]:
        return super().get_queryset(request).select_related("background", "frame")


class CharacterInline(ImagesAdminMixin, admin.TabularInline):
    """A project's characters with their images, read-only: a prompt edited here would not reach the scenes."""

    model = Character
    fields = ("name", "aliases", "description", "prompt", "reference_image")
    readonly_fields = fields
    ordering = ("id",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.unregister(Project)


@admin.register(Project)
class ProjectWithScenesAdmin(ProjectAdmin):
    """The project page of projects.admin, with the project's scenes and characters and a segmentation action."""

    inlines = [SceneInline, CharacterInline]
    actions = ["segment_again"]

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


@admin.register(Scene)
class SceneAdmin(ImagesAdminMixin, admin.ModelAdmin):
    """A scene with its images; read-only here (edits go through the API so the timing rules hold). Deleting
    one goes through the API's service: the other scenes close up and share its time."""

    list_display = ("title", "project", "scene_index", "camera", "background_image", "frame_image")
    list_select_related = ("project", "background", "frame")
    search_fields = ("title", "project__title")
    fields = (
        "project",
        "scene_index",
        "title",
        "description",
        "text",
        "location",
        "time_of_day",
        "mood",
        "characters",
        "dialogue",
        "camera",
        "start_sec",
        "duration_sec",
        "background_prompt",
        "character_prompts",
        "background_image",
        "frame_image",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Scene) -> None:
        scene_delete(scene=obj)
        scenes_edited.send(sender=Scene, project_id=obj.project_id, first=[])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Scene]) -> None:
        projects = set()
        for scene in queryset:
            scene_delete(scene=scene)
            projects.add(scene.project_id)
        for project_id in sorted(projects):
            scenes_edited.send(sender=Scene, project_id=project_id, first=[])


@admin.register(Character)
class CharacterAdmin(ImagesAdminMixin, admin.ModelAdmin):
    """A character with their reference image; read-only here (edits go through the API). A character is
    deleted with its project or replaced by segmenting again, never alone: the scenes name them."""

    list_display = ("name", "project", "reference_image")
    list_select_related = ("project", "image")
    search_fields = ("name", "project__title")
    fields = ("project", "name", "aliases", "description", "prompt", "reference_image")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        # Allowed as a part of deleting its project (the admin asks this page's permission), not on its own.
        raise PermissionDenied("A character goes with its project, or when the project is segmented again.")


@admin.register(Asset)
class AssetAdmin(DomainErrorAdminMixin):
    """Generated files, each with a link to open it; saved and deleted under the project's write rules."""

    list_display = ("id", "project", "scene", "kind", "file_link", "created_at")
    list_filter = ("kind",)
    list_select_related = ("project", "scene")
    search_fields = ("project__title", "file")
    raw_id_fields = ("project", "scene")
    readonly_fields = ("file_link", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Asset | None = None) -> tuple[str, ...]:
        # An asset stays with its project: moving it would be a write to two projects at once.
        fixed = tuple(self.readonly_fields)
        return (*fixed, "project", "scene") if obj is not None else fixed

    @admin.display(description="File")
    def file_link(self, asset: Asset) -> str:
        if not asset.file:
            return "-"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', media_url(asset.file.name), asset.file.name
        )

    def save_model(self, request: HttpRequest, obj: Asset, form: ModelForm, change: bool) -> None:
        with project_write(project_id=obj.project_id):
            obj.save()

    def delete_model(self, request: HttpRequest, obj: Asset) -> None:
        with project_write(project_id=obj.project_id):
            name = obj.file.name
            obj.delete()
            files_delete_on_commit(names=[name], storage=obj.file.storage)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Asset]) -> None:
        for asset in queryset:
            self.delete_model(request, asset)
