"""The animatic routes under /projects/{id}: frames, scene backgrounds, character images, render, exports."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import request_user
from animatic import frames
from animatic.jobs import JobStarted
from animatic.render import RenderSpec, project_export, render_start
from animatic.serializers import (
    CharacterImageEnvelopeSerializer,
    FramesStartInputSerializer,
    ImageDrawInputSerializer,
    ImageUploadInputSerializer,
    JobStartedEnvelopeSerializer,
    RenderStartInputSerializer,
    RenderStateEnvelopeSerializer,
    RenderStateOutputSerializer,
    SceneImageEnvelopeSerializer,
)
from animatic_vision.api.negotiation import DownloadNegotiation
from animatic_vision.api.parsers import JSONParser
from animatic_vision.api.responses import ErrorSerializer, envelope
from animatic_vision.errors import CharacterNotFound, SceneNotFound
from projects.models import Project
from projects.selectors import ID_MAX, project_get_for_owner, project_id_parse, project_row
from render import exports
from scenes.models import Character, Scene
from scenes.selectors import character_queryset_for_owner, character_rows, scene_queryset_for_owner, scene_rows
from scenes.serializers import CharacterOutputSerializer, SceneOutputSerializer

PROJECT_ID = OpenApiParameter("project_pk", int, OpenApiParameter.PATH, description="The project's id.")
ERROR = OpenApiResponse(ErrorSerializer)
JOB_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="An unknown or invalid option."),
    404: OpenApiResponse(ErrorSerializer, description="No such project (or scene, or character) among yours."),
    409: OpenApiResponse(ErrorSerializer, description="The project is being segmented, or has no scenes yet."),
    503: OpenApiResponse(ErrorSerializer, description="The task broker is unavailable."),
}
UPLOAD_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Not a PNG, JPEG or WebP image within the limits."),
    404: JOB_ERRORS[404],
    409: OpenApiResponse(ErrorSerializer, description="The project is being segmented."),
    413: OpenApiResponse(ErrorSerializer, description="The file is larger than 10 MB."),
}


def job_started(job: JobStarted, message: str) -> Response:
    data = {"project_id": job.project_id, "task_id": job.task_id, "status": job.status}
    return envelope(data, message, status.HTTP_202_ACCEPTED)


def _id_in_range(value: str) -> bool:
    """Whether a path's id can be a row's (a number past the database's integers is simply not found)."""
    return value.isascii() and value.isdigit() and 0 < int(value) <= ID_MAX


class ProjectScopedView(APIView):
    """A route under one of the caller's projects: another user's project (or its parts) is a 404."""

    parser_classes = [JSONParser]

    def project(self, project_pk: str) -> Project:
        return project_get_for_owner(owner=request_user(self.request), project_id=project_pk)

    def scene(self, project_pk: str, scene_pk: str) -> Scene:
        queryset = scene_queryset_for_owner(owner=request_user(self.request), project_id=project_id_parse(project_pk))
        scene = queryset.filter(pk=scene_pk).first() if _id_in_range(scene_pk) else None
        if scene is None:
            self.project(project_pk)  # a project that is not yours answers "Project not found."
            raise SceneNotFound()
        return scene

    def character(self, project_pk: str, character_pk: str) -> Character:
        queryset = character_queryset_for_owner(
            owner=request_user(self.request), project_id=project_id_parse(project_pk)
        )
        character = queryset.filter(pk=character_pk).first() if _id_in_range(character_pk) else None
        if character is None:
            self.project(project_pk)
            raise CharacterNotFound()
        return character


class ProjectFramesView(ProjectScopedView):
    """Draws the backgrounds, character images and frames of a project's scenes, as one job."""

    @extend_schema(
        summary="Draw the storyboard: backgrounds, character images and composed frames",
        parameters=[PROJECT_ID],
        request=FramesStartInputSerializer,
        responses={202: JobStartedEnvelopeSerializer, **JOB_ERRORS},
        tags=["animatic"],
    )
    def post(self, request: Request, project_pk: str) -> Response:
        project = self.project(project_pk)
        serializer = FramesStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = frames.frames_start(project=project, **serializer.validated_data)
        return job_started(job, "Frames started")


class SceneBackgroundView(ProjectScopedView):
    """A scene's background: drawn again (POST), the user's own (PUT), or removed (DELETE)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Draw a scene's background (and its frame) again",
        parameters=[PROJECT_ID],
        request=ImageDrawInputSerializer,
        responses={202: JobStartedEnvelopeSerializer, **JOB_ERRORS},
        tags=["animatic"],
    )
    def post(self, request: Request, project_pk: str, scene_pk: str) -> Response:
        scene = self.scene(project_pk, scene_pk)
        serializer = ImageDrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = frames.scene_background_start(scene=scene, **serializer.validated_data)
        return job_started(job, "Background started")

    @extend_schema(
        summary="Use your own image as a scene's background; its frame follows",
        parameters=[PROJECT_ID],
        request={"multipart/form-data": ImageUploadInputSerializer},
        responses={200: SceneImageEnvelopeSerializer, **UPLOAD_ERRORS},
        tags=["animatic"],
    )
    def put(self, request: Request, project_pk: str, scene_pk: str) -> Response:
        scene = self.scene(project_pk, scene_pk)
        serializer = ImageUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        frames.scene_background_upload(scene=scene, upload=serializer.validated_data["file"])
        (row,) = scene_rows(project_id=scene.project_id, scene_ids=[scene.pk])
        return envelope(SceneOutputSerializer(row).data, "Background uploaded")

    @extend_schema(
        summary="Remove a scene's background; its frame is drawn again without it",
        parameters=[PROJECT_ID],
        responses={204: OpenApiResponse(description="Removed; no body."), 404: JOB_ERRORS[404], 409: ERROR},
        tags=["animatic"],
    )
    def delete(self, request: Request, project_pk: str, scene_pk: str) -> Response:
        frames.scene_background_clear(scene=self.scene(project_pk, scene_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CharacterImageView(ProjectScopedView):
    """A character's reference image: drawn again (POST), the user's own (PUT), or removed (DELETE)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Draw a character's reference image (and the frames showing them) again",
        parameters=[PROJECT_ID],
        request=ImageDrawInputSerializer,
        responses={202: JobStartedEnvelopeSerializer, **JOB_ERRORS},
        tags=["animatic"],
    )
    def post(self, request: Request, project_pk: str, character_pk: str) -> Response:
        character = self.character(project_pk, character_pk)
        serializer = ImageDrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = frames.character_image_start(character=character, **serializer.validated_data)
        return job_started(job, "Character image started")

    @extend_schema(
        summary="Use your own image as a character's reference image",
        parameters=[PROJECT_ID],
        request={"multipart/form-data": ImageUploadInputSerializer},
        responses={200: CharacterImageEnvelopeSerializer, **UPLOAD_ERRORS},
        tags=["animatic"],
    )
    def put(self, request: Request, project_pk: str, character_pk: str) -> Response:
        character = self.character(project_pk, character_pk)
        serializer = ImageUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        frames.character_image_upload(character=character, upload=serializer.validated_data["file"])
        frames.frames_follow(project_id=character.project_id)  # the figures show the new face
        (row,) = character_rows(project_id=character.project_id, character_ids=[character.pk])
        return envelope(CharacterOutputSerializer(row).data, "Character image uploaded")

    @extend_schema(
        summary="Remove a character's reference image",
        parameters=[PROJECT_ID],
        responses={204: OpenApiResponse(description="Removed; no body."), 404: JOB_ERRORS[404], 409: ERROR},
        tags=["animatic"],
    )
    def delete(self, request: Request, project_pk: str, character_pk: str) -> Response:
        character = self.character(project_pk, character_pk)
        frames.character_image_clear(character=character)
        frames.frames_follow(project_id=character.project_id)  # the figures get their drawn heads back
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectRenderView(ProjectScopedView):
    """The project's MP4: start a render (POST), or read the render job and the video's link (GET)."""

    @extend_schema(
        summary="Render the animatic as an MP4 (missing frames are drawn first)",
        parameters=[PROJECT_ID],
        request=RenderStartInputSerializer,
        responses={202: JobStartedEnvelopeSerializer, **JOB_ERRORS},
        tags=["animatic"],
    )
    def post(self, request: Request, project_pk: str) -> Response:
        project = self.project(project_pk)
        serializer = RenderStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = render_start(project=project, spec=RenderSpec(**serializer.validated_data))
        return job_started(job, "Render started")

    @extend_schema(
        summary="The render job and the video's link",
        parameters=[PROJECT_ID],
        responses={200: RenderStateEnvelopeSerializer, 404: JOB_ERRORS[404]},
        tags=["animatic"],
    )
    def get(self, request: Request, project_pk: str) -> Response:
        row = project_row(owner=request_user(request), project_id=self.project(project_pk).pk)
        return envelope(RenderStateOutputSerializer(row).data, "Render retrieved successfully")


class ProjectExportView(ProjectScopedView):
    """The project as a file editors and printers open."""

    content_negotiation_class = DownloadNegotiation

    @extend_schema(
        summary="Download the project as PDF sheets, a timeline, subtitles, a Storyboarder file or a ZIP of all",
        description=(
            "`edl` is CMX 3600, which numbers its events 001 to 999: a project of more than 999 scenes answers 409 "
            "`export_too_long` naming the limit; export `fcp7xml`, `fcpxml` or `otio` instead (no such limit), or "
            "`zip`, whose EDL is then split into `<slug>_part1.edl`, `<slug>_part2.edl`, ... of at most 999 events "
            "each, keeping the whole cut's record timecodes. (Segmentation makes at most 200 scenes today.)"
        ),
        parameters=[
            PROJECT_ID,
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(exports.EXPORT_FORMATS)),
            OpenApiParameter("layout", str, enum=["1x1", "3x1", "3x2", "3x5", "4x4"], description="pdf, zip"),
            OpenApiParameter("paper", str, enum=["a4", "letter"], description="pdf, zip"),
            OpenApiParameter("fps", int, enum=[24, 25, 30], description="Timelines' frame rate."),
            OpenApiParameter("narration", bool, description="srt, vtt, zip: scenes without dialogue show text."),
            OpenApiParameter("speakers", bool, description="srt, vtt, zip: 'Name: line'."),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file, as an attachment."),
            **JOB_ERRORS,
            409: OpenApiResponse(
                ErrorSerializer,
                description="The project is being segmented or has no scenes yet, or (edl) has more than 999 scenes.",
            ),
        },
        tags=["animatic"],
    )
    def get(self, request: Request, project_pk: str, fmt: str) -> HttpResponseBase:
        project = self.project(project_pk)
        download = project_export(project=project, fmt=fmt, params=request.query_params.dict())
        response = FileResponse(
            _closing(download.open(), download.close),
            as_attachment=True,
            filename=download.filename,
            content_type=download.media_type,
        )
        return response


class _closing:
    """A file handle that also removes the export's temporary folder when the response closes it."""

    def __init__(self, handle: Any, cleanup: Any):
        self._handle, self._cleanup = handle, cleanup

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def close(self) -> None:
        try:
            self._handle.close()
        finally:
            self._cleanup()
