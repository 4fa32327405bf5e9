"""A URLconf of small views that raise each kind of error, to test the error body end to end."""

from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authentication import CookieJWTAuthentication
from animatic_vision.api.responses import envelope
from animatic_vision.errors import Conflict


class EchoInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=1)


@api_view(["POST"])
@authentication_classes([])
@permission_classes([])
def echo(request: Request) -> Response:
    serializer = EchoInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return envelope(serializer.validated_data, "Echoed", 201)


@api_view(["GET"])
@authentication_classes([CookieJWTAuthentication])
@permission_classes([IsAuthenticated])
def private(request: Request) -> Response:
    return Response({"ok": True})


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def forbidden(request: Request) -> Response:
    raise PermissionDenied()


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def conflict(request: Request) -> Response:
    raise Conflict("The project is being segmented.")


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def broken(request: Request) -> Response:
    raise RuntimeError("secret internals: password=hunter2")


def broken_plain(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals in a plain Django view")


urlpatterns = [
    re_path(r"^echo/?$", echo),
    re_path(r"^private/?$", private),
    re_path(r"^forbidden/?$", forbidden),
    re_path(r"^conflict/?$", conflict),
    re_path(r"^broken/?$", broken),
    re_path(r"^broken-plain/?$", broken_plain),
]

handler404 = "animatic_vision.error_views.not_found"
handler500 = "animatic_vision.error_views.server_error"
