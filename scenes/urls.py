from animatic_vision.api.routers import OptionalSlashRouter
from scenes.views import CharacterViewSet, SceneViewSet

router = OptionalSlashRouter()
router.register(r"projects/(?P<project_pk>\d+)/scenes", SceneViewSet, basename="project-scene")
router.register(r"projects/(?P<project_pk>\d+)/characters", CharacterViewSet, basename="project-character")

urlpatterns = [*router.urls]
