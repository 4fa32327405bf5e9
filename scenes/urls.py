"""Every /projects route, registered here once: the projects, their detail and segmentation, and the
scene and character editing routes under them."""

from animatic_vision.api.routers import ID_PATTERN, OptionalSlashRouter
from scenes.views import CharacterViewSet, ProjectViewSet, SceneViewSet

router = OptionalSlashRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register(rf"projects/(?P<project_pk>{ID_PATTERN})/scenes", SceneViewSet, basename="project-scene")
router.register(rf"projects/(?P<project_pk>{ID_PATTERN})/characters", CharacterViewSet, basename="project-character")

urlpatterns = [*router.urls]
