"""Root URLs. Every API route answers with and without its trailing slash."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from animatic_vision import views

urlpatterns = [
    re_path(r"^test/?$", views.server_test, name="server-test"),
    re_path(r"^health/live/?$", views.health_live, name="health-live"),
    re_path(r"^health/ready/?$", views.health_ready, name="health-ready"),
    re_path(r"^openapi\.json$", SpectacularJSONAPIView.as_view(), name="openapi-schema"),
    re_path(r"^docs/?$", SpectacularSwaggerView.as_view(url_name="openapi-schema"), name="swagger-ui"),
    re_path(r"^files/(?P<token>[A-Za-z0-9_:.\-]+)/?$", views.MediaLinkView.as_view(), name="media-link"),
    path("", include("accounts.urls")),
    path("", include("scenes.urls")),
    path("", include("animatic.urls")),
    path(settings.DJANGO_ADMIN_URL, admin.site.urls),
]

handler400 = "animatic_vision.error_views.bad_request"
handler403 = "animatic_vision.error_views.permission_denied"
handler404 = "animatic_vision.error_views.not_found"
handler500 = "animatic_vision.error_views.server_error"
