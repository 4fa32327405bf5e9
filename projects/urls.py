from animatic_vision.api.routers import OptionalSlashRouter
from projects.views import ProjectViewSet

router = OptionalSlashRouter()
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = [*router.urls]
