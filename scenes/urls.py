from animatic_vision.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()

urlpatterns = [*router.urls]
