"""The /projects routes: create, list, detail, status and delete, each limited to the caller's projects."""

from __future__ import annotations

import hashlib
from pathlib import Path

import django
import rest_framework
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from animatic_vision.api import fields as api_fields
from animatic_vision.api import responses as api_responses
from animatic_vision.api.responses import ErrorSerializer, envelope, json_response_cached
from projects import selectors
from projects import serializers as project_serializers
from projects.models import Project
from projects.selectors import (
    project_detail_head,
    project_detail_row,
    project_get_for_owner,
    project_list_queryset,
    project_list_rows,
    project_list_version,
)
from projects.serializers import (
    ProjectCreateEnvelopeSerializer,
    ProjectCreateInputSerializer,
    ProjectDetailOutputSerializer,
    ProjectListQueryInputSerializer,
    ProjectOutputSerializer,
    ProjectStatusUpdateInputSerializer,
)
from projects.services import project_create, project_delete, project_status_set
from scenes import serializers as scene_serializers


def _answer_shape() -> str:
    """A digest of the code and settings that shape the cached answers, part of their keys: a deploy
    that changes how a project is shown never serves the bytes an older version stored."""
    digest = hashlib.blake2b(digest_size=8)
    for module in (project_serializers, scene_serializers, selectors, api_fields, api_responses):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(repr((django.__version__, rest_framework.VERSION, settings.REST_FRAMEWORK)).encode())
    return digest.hexdigest()


ANSWER_SHAPE = _answer_shape()
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such project among yours.")
INVALID = OpenApiResponse(ErrorSerializer, description="Validation error, with `errors` per field.")
PROJECT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The project's id.")


class ProjectViewSet(viewsets.GenericViewSet):
    """The caller's projects. Another user's project is not in the queryset, so it answers 404."""

    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Project]:
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return project_list_queryset(owner=self.request.user)

    def get_object(self) -> Project:
        # The detail (retrieve) reads its own rows (project_detail_head); the other actions need the project only.
        return project_get_for_owner(owner=self.request.user, project_id=self.kwargs["pk"])

    @extend_schema(
        summary="Create a project",
        request=ProjectCreateInputSerializer,
        responses={201: ProjectCreateEnvelopeSerializer, 400: INVALID},
    )
    def create(self, request: Request) -> Response:
        serializer = ProjectCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = project_create(owner=request.user, **serializer.validated_data)
        project = project_get_for_owner(owner=request.user, project_id=project.pk)
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
            limit, offset = query.validated_data.get("limit"), query.validated_data["offset"]
        else:  # the serializer's defaults, without building it on every plain read
            limit, offset = None, 0
        total, page = project_list_version(owner=request.user, limit=limit, offset=offset)
        return json_response_cached(
            request,
            key=f"projects:list:{ANSWER_SHAPE}:{request.user.pk}:{limit}:{offset}:{total}:{page}",
            data=lambda: (
                ProjectOutputSerializer(
                    project_list_rows(owner=request.user, limit=limit, offset=offset), many=True
                ).data
            ),
            headers={"X-Total-Count": str(total)},
        )

    @extend_schema(
        summary="A project with its scenes, characters and segmentation record (a bare object)",
        parameters=[PROJECT_ID],
        responses={200: ProjectDetailOutputSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: str) -> HttpResponse:
        head = project_detail_head(owner=request.user, project_id=pk)
        return json_response_cached(
            request,
            key=f"projects:detail:{ANSWER_SHAPE}:{request.user.pk}:{head['id']}:{head['updated_at'].isoformat()}",
            data=lambda: ProjectDetailOutputSerializer(project_detail_row(head=head)).data,
        )

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
        return Response(ProjectOutputSerializer(project_get_for_owner(owner=request.user, project_id=pk)).data)
