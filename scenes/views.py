"""The scene and character editing routes under /projects/{id}, limited to the caller's projects."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import request_user
from animatic_vision.api.responses import ErrorSerializer, envelope, json_response_cached
from animatic_vision.api.routers import ID_PATTERN
from animatic_vision.errors import CharacterNotFound, NotFound, SceneNotFound
from projects import read_cache
from projects.models import Project, ProjectStatus
from projects.selectors import project_get_for_owner, project_id_parse
from projects.views import ProjectBaseViewSet
from scenes.models import Character, Scene
from scenes.segmentation import segmentation_start
from scenes.selectors import (
    character_list,
    character_queryset_for_owner,
    character_rows,
    project_detail_row,
    scene_list,
    scene_queryset_for_owner,
    scene_rows,
)
from scenes.serializers import (
    CharacterEnvelopeSerializer,
    CharacterListEnvelopeSerializer,
    CharacterOutputSerializer,
    CharacterUpdateInputSerializer,
    ProjectDetailOutputSerializer,
    ProjectSegmentInputSerializer,
    SceneEnvelopeSerializer,
    SceneListEnvelopeSerializer,
    SceneOutputSerializer,
    SceneReorderInputSerializer,
    SceneUpdateInputSerializer,
    SegmentationStartedEnvelopeSerializer,
    SegmentOptionsInputSerializer,
)
from scenes.services import character_update, scene_delete, scene_reorder, scene_update
from scenes.signals import scenes_edited
from scenes.throttles import SegmentThrottle

ChildT = TypeVar("ChildT", Scene, Character)

PROJECT_ID = OpenApiParameter("project_pk", int, OpenApiParameter.PATH, description="The project's id.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such project (or scene, or character) among yours.")
PROJECT_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such project among yours.")
INVALID = OpenApiResponse(ErrorSerializer, description="Validation error, with `errors` per field.")
SEGMENTING = OpenApiResponse(
    ErrorSerializer, description="The project is being segmented; its scenes are about to be replaced."
)


class ProjectChildViewSet(viewsets.GenericViewSet[ChildT]):
    """Shared by the viewsets nested under /projects/{project_pk}: the project must be the caller's."""

    lookup_value_regex = ID_PATTERN
    not_found: type[NotFound] = NotFound

    def get_project(self) -> Project:
        return project_get_for_owner(owner=request_user(self.request), project_id=self.kwargs["project_pk"])

    def get_object(self) -> ChildT:
        try:
            return self.get_queryset().get(pk=int(self.kwargs["pk"]))
        except (ObjectDoesNotExist, ValueError, OverflowError):
            self.get_project()  # a project that is not yours answers "Project not found."
            raise self.not_found() from None


@extend_schema_view(
    list=extend_schema(
        summary="The project's scenes in order",
        parameters=[PROJECT_ID],
        responses={200: SceneListEnvelopeSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Edit a scene; a new duration rescales the others so the total stays the project's",
        parameters=[PROJECT_ID],
        request=SceneUpdateInputSerializer,
        responses={200: SceneEnvelopeSerializer, 400: INVALID, 404: NOT_FOUND, 409: SEGMENTING},
    ),
    destroy=extend_schema(
        summary="Delete a scene; the indexes close up and its time goes to the other scenes",
        description=(
            "The freed time is shared by the remaining scenes in proportion to their durations. "
            "Deleting the last scene returns the project to `draft`."
        ),
        parameters=[PROJECT_ID],
        responses={204: OpenApiResponse(description="Deleted; no body."), 404: NOT_FOUND, 409: SEGMENTING},
    ),
    reorder=extend_schema(
        summary="Put the scenes in a new order (every scene exactly once)",
        parameters=[PROJECT_ID],
        request=SceneReorderInputSerializer,
        responses={200: SceneListEnvelopeSerializer, 400: INVALID, 404: NOT_FOUND, 409: SEGMENTING},
    ),
)
class SceneViewSet(ProjectChildViewSet[Scene]):
    """Editing of a project's scenes."""

    not_found = SceneNotFound

    def get_queryset(self) -> QuerySet[Scene]:
        if getattr(self, "swagger_fake_view", False):
            return Scene.objects.none()
        return scene_queryset_for_owner(owner=request_user(self.request), project_id=self.kwargs["project_pk"])

    def list(self, request: Request, project_pk: str) -> Response:
        scenes = scene_list(project=self.get_project())
        return envelope(SceneOutputSerializer(scenes, many=True).data, "Scenes retrieved successfully")

    def partial_update(self, request: Request, project_pk: str, pk: str) -> Response:
        scene = self.get_object()
        serializer = SceneUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scene = scene_update(scene=scene, data=serializer.validated_data)
        scenes_edited.send(sender=Scene, project_id=scene.project_id, first=[scene.pk])
        (row,) = scene_rows(project_id=scene.project_id, scene_ids=[scene.pk])
        return envelope(SceneOutputSerializer(row).data, "Scene updated successfully")

    def destroy(self, request: Request, project_pk: str, pk: str) -> Response:
        scene = self.get_object()
        scene_delete(scene=scene)
        scenes_edited.send(sender=Scene, project_id=scene.project_id, first=[])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["post"], url_path="reorder")
    def reorder(self, request: Request, project_pk: str) -> Response:
        project = self.get_project()
        serializer = SceneReorderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scene_reorder(project=project, order=serializer.validated_data["order"])
        scenes_edited.send(sender=Scene, project_id=project.pk, first=serializer.validated_data["order"])
        scenes = scene_list(project=project)
        return envelope(SceneOutputSerializer(scenes, many=True).data, "Scenes reordered successfully")


@extend_schema_view(
    list=extend_schema(
        summary="The project's characters",
        parameters=[PROJECT_ID],
        responses={200: CharacterListEnvelopeSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Edit a character; the prompts of the scenes where they appear follow",
        description=(
            "A new `description` sent without a `prompt` rebuilds the prompt from it, in the style "
            "the project's scenes were made with."
        ),
        parameters=[PROJECT_ID],
        request=CharacterUpdateInputSerializer,
        responses={200: CharacterEnvelopeSerializer, 400: INVALID, 404: NOT_FOUND, 409: SEGMENTING},
    ),
)
class CharacterViewSet(ProjectChildViewSet[Character]):
    """Editing of a project's characters."""

    not_found = CharacterNotFound

    def get_queryset(self) -> QuerySet[Character]:
        if getattr(self, "swagger_fake_view", False):
            return Character.objects.none()
        return character_queryset_for_owner(owner=request_user(self.request), project_id=self.kwargs["project_pk"])

    def list(self, request: Request, project_pk: str) -> Response:
        characters = character_list(project=self.get_project())
        return envelope(CharacterOutputSerializer(characters, many=True).data, "Characters retrieved successfully")

    def partial_update(self, request: Request, project_pk: str, pk: str) -> Response:
        character = self.get_object()
        serializer = CharacterUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        character = character_update(character=character, data=serializer.validated_data)
        scenes_edited.send(sender=Character, project_id=character.project_id, first=[])
        (row,) = character_rows(project_id=character.project_id, character_ids=[character.pk])
        return envelope(CharacterOutputSerializer(row).data, "Character updated successfully")


# --- /projects: the project's own routes, its detail, and segmentation ----------------------------

SEGMENT_ACCEPTED = OpenApiResponse(
    SegmentationStartedEnvelopeSerializer,
    description=(
        "Started, or already running: `task_id` is the one job of the project. `scenes` is present when the "
        "segmentation already ran (inline tasks)."
    ),
)
SEGMENT_RESPONSES = {
    202: SEGMENT_ACCEPTED,
    400: INVALID,
    404: NOT_FOUND,
    429: OpenApiResponse(ErrorSerializer, description="Too many segmentations; see Retry-After."),
    503: OpenApiResponse(ErrorSerializer, description="The task broker or the database is unavailable."),
}


class ProjectViewSet(ProjectBaseViewSet):
    """The caller's projects. Another user's project is not in the queryset, so it answers 404."""

    # Every /projects route: the project row's own (projects.views.ProjectBaseViewSet), and here the
    # detail with the scenes and characters, and segmentation.

    @extend_schema(
        summary="A project with its scenes, characters and segmentation record (a bare object)",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The project's id.")],
        responses={200: ProjectDetailOutputSerializer, 404: PROJECT_NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: str) -> HttpResponse:
        project_id = project_id_parse(pk)
        return json_response_cached(
            request,
            key=read_cache.detail_key(owner=request_user(request), project_id=project_id),
            answer=lambda: (
                ProjectDetailOutputSerializer(
                    project_detail_row(owner=request_user(request), project_id=project_id)
                ).data,
                {},
            ),
        )

    @extend_schema(
        summary="Segment a project into scenes",
        description=(
            "Starts the segmentation of one of the caller's projects as a Celery task (one task per project at a time)."
        ),
        operation_id="projects_segment",
        request=ProjectSegmentInputSerializer,
        responses=SEGMENT_RESPONSES,
        tags=["scenes"],
    )
    @action(detail=False, methods=["post"], url_path="segment", throttle_classes=[SegmentThrottle])
    def segment(self, request: Request) -> Response:
        serializer = ProjectSegmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = project_get_for_owner(owner=request_user(request), project_id=serializer.validated_data["projectId"])
        return segmentation_started_response(project, serializer.validated_data.get("options") or {})

    @extend_schema(
        summary="Segment a project into scenes (options as the body)",
        description="The same as POST /projects/segment, with the project in the path and the options as the body.",
        operation_id="projects_segment_by_id",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The project's id.")],
        request=SegmentOptionsInputSerializer,
        responses=SEGMENT_RESPONSES,
        tags=["scenes"],
    )
    @action(
        detail=True, methods=["post"], url_path="segment", url_name="segment-by-id", throttle_classes=[SegmentThrottle]
    )
    def segment_by_id(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        serializer = SegmentOptionsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return segmentation_started_response(project, serializer.validated_data)


def segmentation_started_response(project: Project, options: dict[str, Any]) -> Response:
    project = segmentation_start(project=project, options=options)
    data: dict[str, Any] = {"project_id": project.pk, "status": project.status, "task_id": project.segmentation_task_id}
    if project.status == ProjectStatus.SEGMENTED:
        data["scenes"] = SceneOutputSerializer(scene_list(project=project), many=True).data
    return envelope(data, "Segmentation started", status.HTTP_202_ACCEPTED)
