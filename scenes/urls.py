from django.urls import re_path

from animatic_vision.api.routers import OptionalSlashRouter
from scenes.views import CharacterViewSet, ProjectSegmentByIdView, ProjectSegmentView, SceneViewSet

router = OptionalSlashRouter()
router.register(r"projects/(?P<project_pk>\d+)/scenes", SceneViewSet, basename="project-scene")
router.register(r"projects/(?P<project_pk>\d+)/characters", CharacterViewSet, basename="project-character")

urlpatterns = [
    re_path(r"^projects/segment/?$", ProjectSegmentView.as_view(), name="project-segment"),
    re_path(r"^projects/(?P<pk>\d+)/segment/?$", ProjectSegmentByIdView.as_view(), name="project-segment-by-id"),
    *router.urls,
]
