"""The animatic routes under /projects/{id}, each with and without its trailing slash."""

from django.urls import re_path

from animatic.views import (
    CharacterImageView,
    ProjectExportView,
    ProjectFramesView,
    ProjectRenderView,
    SceneBackgroundView,
)
from animatic_vision.api.routers import ID_PATTERN  # ASCII digits, as on every other route

urlpatterns = [
    re_path(rf"^projects/(?P<project_pk>{ID_PATTERN})/frames/?$", ProjectFramesView.as_view(), name="project-frames"),
    re_path(
        rf"^projects/(?P<project_pk>{ID_PATTERN})/scenes/(?P<scene_pk>{ID_PATTERN})/background/?$",
        SceneBackgroundView.as_view(),
        name="scene-background",
    ),
    re_path(
        rf"^projects/(?P<project_pk>{ID_PATTERN})/characters/(?P<character_pk>{ID_PATTERN})/image/?$",
        CharacterImageView.as_view(),
        name="character-image",
    ),
    re_path(rf"^projects/(?P<project_pk>{ID_PATTERN})/render/?$", ProjectRenderView.as_view(), name="project-render"),
    re_path(
        rf"^projects/(?P<project_pk>{ID_PATTERN})/export/(?P<fmt>[^/]+)/?$",
        ProjectExportView.as_view(),
        name="project-export",
    ),
]
