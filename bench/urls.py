"""The benchmark server's URLs: the real ones plus `GET /bench/floor`, the framework's floor.

Served only when ROOT_URLCONF=bench.urls (bench/run_all.py sets it). The floor view is a
plain Django view returning a constant JSON body, so a request to it pays for the WSGI
server, the whole middleware stack and URL resolution, and nothing of our own code:
every endpoint's throughput is reported as a ratio to it. Two more constant views split
an authenticated read's cost between them (bench/profile_views.py): `/bench/drf` is a DRF
view without authentication, `/bench/drf-auth` the same with the API's authentication.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from animatic_vision import urls as real_urls

FLOOR_BODY = {"status": "ok"}


def floor(request: HttpRequest) -> JsonResponse:
    """A constant JSON answer: the cost of the framework alone."""
    return JsonResponse(FLOOR_BODY)


class DrfFloor(APIView):
    """The floor's constant answer through DRF's dispatch, negotiation and renderer; no authentication."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get(self, request: Request) -> Response:
        return Response(FLOOR_BODY)


class DrfAuthenticatedFloor(DrfFloor):
    """The same, behind the API's own authentication (the cookie JWT and its revocation check)."""

    authentication_classes = APIView.authentication_classes
    permission_classes = (IsAuthenticated,)


urlpatterns = [
    re_path(r"^bench/floor/?$", floor, name="bench-floor"),
    re_path(r"^bench/drf/?$", DrfFloor.as_view(), name="bench-drf"),
    re_path(r"^bench/drf-auth/?$", DrfAuthenticatedFloor.as_view(), name="bench-drf-auth"),
    *real_urls.urlpatterns,
]

handler400 = real_urls.handler400
handler403 = real_urls.handler403
handler404 = real_urls.handler404
handler500 = real_urls.handler500
