"""The benchmark server's URLs: the real ones plus `GET /bench/floor`, the framework's floor.

Served only when ROOT_URLCONF=bench.urls (bench/run_all.py sets it). The floor view is a
plain Django view returning a constant JSON body, so a request to it pays for the WSGI
server, the whole middleware stack and URL resolution, and nothing of our own code:
every endpoint's throughput is reported as a ratio to it.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import re_path

from animatic_vision import urls as real_urls

FLOOR_BODY = {"status": "ok"}


def floor(request: HttpRequest) -> JsonResponse:
    """A constant JSON answer: the cost of the framework alone."""
    return JsonResponse(FLOOR_BODY)


urlpatterns = [re_path(r"^bench/floor/?$", floor, name="bench-floor"), *real_urls.urlpatterns]

handler400 = real_urls.handler400
handler403 = real_urls.handler403
handler404 = real_urls.handler404
handler500 = real_urls.handler500
