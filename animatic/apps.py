from django.apps import AppConfig


class AnimaticConfig(AppConfig):
    """The animatic: storyboard images (frames), the MP4 render and the exports of a project."""

    name = "animatic"

    def ready(self) -> None:
        from animatic import jobs  # noqa: F401  (registers the frames and render job kinds with the gateway)
        from animatic.frames import frames_follow_edit
        from scenes.signals import scenes_edited

        scenes_edited.connect(frames_follow_edit, dispatch_uid="animatic.frames_follow_edit")
