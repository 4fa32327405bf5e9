"""Django admin for staff: assets with a link to their file, and the inlines the project page shows."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from scenes.models import Asset, Character, Scene

SCENE_INLINE_FIELDS = ("scene_index", "title", "start_sec", "duration_sec", "characters", "background_prompt")


class SceneInline(admin.TabularInline):
    """A project's scenes in animatic order, read-only: edits go through the API so timing rules hold."""

    model = Scene
    fields = SCENE_INLINE_FIELDS
    readonly_fields = SCENE_INLINE_FIELDS
    ordering = ("scene_index",)
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CharacterInline(admin.TabularInline):
    """A project's characters, read-only: a prompt edited here would not reach the scenes."""

    model = Character
    fields = ("name", "aliases", "description", "prompt")
    readonly_fields = fields
    ordering = ("id",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    """Generated files, each with a link to open it."""

    list_display = ("id", "project", "scene", "kind", "file_link", "created_at")
    list_filter = ("kind",)
    list_select_related = ("project", "scene")
    search_fields = ("project__title", "file")
    raw_id_fields = ("project", "scene")
    readonly_fields = ("file_link", "created_at")

    @admin.display(description="File")
    def file_link(self, asset: Asset) -> str:
        if not asset.file:
            return "-"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', asset.file.url, asset.file.name)
