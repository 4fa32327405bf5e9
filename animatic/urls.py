"""The animatic routes under /projects/{id}, each with and without its trailing slash."""

from django.urls import re_path

from animatic.views import (
    CharacterImageView,
    ProjectExportView,
    ProjectFramesView,
    ProjectRenderView,
    SceneBackgroundView,
)

urlpatterns = [
    re_path(r"^projects/(?P<project_pk>\d+)/frames/?$", ProjectFramesView.as_view(), name="project-frames"),
    re_path(
        r"^projects/(?P<project_pk>\d+)/scenes/(?P<scene_pk>\d+)/background/?$",
        SceneBackgroundView.as_view(),
        name="scene-background",
    ),
    re_path(
        r"^projects/(?P<project_pk>\d+)/characters/(?P<character_pk>\d+)/image/?$",
        CharacterImageView.as_view(),
        name="character-image",
    ),
    re_path(r"^projects/(?P<project_pk>\d+)/render/?$", ProjectRenderView.as_view(), name="project-render"),
    re_path(
        r"^projects/(?P<project_pk>\d+)/export/(?P<fmt>[^/]+)/?$", ProjectExportView.as_view(), name="project-export"
    ),
]
