"""The /projects routes of the project row itself: create, list, status and delete, limited to the caller's projects.

The scenes app extends this viewset with the detail (which shows the scenes and characters) and
segmentation, and registers the whole on /projects (scenes/urls.py): scenes depend on projects,
never the other way round.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from accounts.permissions import request_user
from animatic_vision.api.responses import ErrorSerializer, envelope, json_response_cached
from animatic_vision.api.routers import ID_PATTERN
from projects import read_cache
from projects.models import Project
from projects.selectors import (
    project_get_for_owner,
    project_list_page,
    project_list_queryset,
)
from projects.serializers import (
    ProjectCreateEnvelopeSerializer,
    ProjectCreateInputSerializer,
    ProjectListQueryInputSerializer,
    ProjectOutputSerializer,
    ProjectStatusUpdateInputSerializer,
)
from projects.services import project_create, project_delete, project_status_set
from projects.throttles import ProjectCreateThrottle

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such project among yours.")
INVALID = OpenApiResponse(ErrorSerializer, description="Validation error, with `errors` per field.")
PROJECT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The project's id.")


class ProjectBaseViewSet(viewsets.GenericViewSet):
    """The caller's projects. Another user's project is not in the queryset, so it answers 404."""

    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Project]:
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return project_list_queryset(owner=request_user(self.request))

    def get_object(self) -> Project:
        # The detail (retrieve) reads its own rows; the other actions need the project only.
        return project_get_for_owner(owner=request_user(self.request), project_id=self.kwargs["pk"])

    def get_throttles(self) -> list[BaseThrottle]:
        if self.action == "create":
            return [ProjectCreateThrottle()]
        return super().get_throttles()

    @extend_schema(
        summary="Create a project",
        request=ProjectCreateInputSerializer,
        responses={
            201: ProjectCreateEnvelopeSerializer,
            400: INVALID,
            413: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "The body is too large, or the account already keeps as many projects or as many "
                    "characters of story as one account may (`quota_exceeded`)."
                ),
            ),
            429: OpenApiResponse(ErrorSerializer, description="Too many new projects; see Retry-After."),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = ProjectCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = project_create(owner=request_user(request), **serializer.validated_data)
        project = project_get_for_owner(owner=request_user(request), project_id=project.pk)
        return envelope(ProjectOutputSerializer(project).data, "Project created successfully", status.HTTP_201_CREATED)

    @extend_schema(
        summary="List your projects, newest first (a bare array)",
        parameters=[
            ProjectListQueryInputSerializer,
            OpenApiParameter(
                "X-Total-Count",
                int,
                OpenApiParameter.HEADER,
                response=[200],
                description="How many projects you have in all.",
            ),
        ],
        responses={200: ProjectOutputSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> HttpResponse:
        if request.query_params:
            query = ProjectListQueryInputSerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            limit = query.validated_data.get("limit", settings.PROJECTS_LIST_DEFAULT_LIMIT)
            offset = query.validated_data["offset"]
        else:  # the serializer's defaults, without building it on every plain read
            limit, offset = settings.PROJECTS_LIST_DEFAULT_LIMIT, 0

        def answer() -> tuple[Any, dict[str, str]]:
            total, rows = project_list_page(owner=request_user(request), limit=limit, offset=offset)
            return ProjectOutputSerializer(rows, many=True).data, {"X-Total-Count": str(total)}

        key = read_cache.list_key(owner=request_user(request), limit=limit, offset=offset)
        return json_response_cached(request, key=key, answer=answer)

    @extend_schema(
        summary="Delete a project with its scenes, characters and asset files",
        parameters=[PROJECT_ID],
        responses={204: OpenApiResponse(description="Deleted; no body."), 404: NOT_FOUND},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        project_delete(project=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Set a project's status (a bare project)",
        description="`segmenting` is set by the server only (400); while the project is segmenting → 409.",
        parameters=[PROJECT_ID],
        request=ProjectStatusUpdateInputSerializer,
        responses={
            200: ProjectOutputSerializer,
            400: INVALID,
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorSerializer, description="The project is being segmented."),
        },
    )
    @action(detail=True, methods=["patch"], url_path="status")
    def set_status(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        serializer = ProjectStatusUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project_status_set(project=project, status=serializer.validated_data["status"])
        return Response(ProjectOutputSerializer(project_get_for_owner(owner=request_user(request), project_id=pk)).data)
