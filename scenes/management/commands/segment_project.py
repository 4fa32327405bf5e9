"""`manage.py segment_project <id> [--sync]`: segments a project again, queued or in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import Project, ProjectStatus
from scenes.segmentation import segmentation_start
from story.types import MAX_SCENES_LIMIT


class Command(BaseCommand):
    help = "Starts the segmentation of a project (queued on Celery, or run here with --sync)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project_id", type=int)
        parser.add_argument("--sync", action="store_true", help="Run the segmentation in this process and wait.")
        parser.add_argument("--scene-count", type=int, help=f"Exactly this many scenes (1-{MAX_SCENES_LIMIT}).")
        parser.add_argument("--max-scenes", type=int, help=f"At most this many scenes (1-{MAX_SCENES_LIMIT}).")
        parser.add_argument("--style", help="A prompt style preset.")
        parser.add_argument("--format", choices=["auto", "prose", "screenplay"])

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(pk=options["project_id"]).first()
        if project is None:
            raise CommandError(f"No project with id {options['project_id']}.")
        engine_options = {
            "scene_count": options["scene_count"],
            "max_scenes": options["max_scenes"],
            "style": options["style"],
            "format": options["format"],
        }
        previous_task = project.segmentation_task_id if project.status == ProjectStatus.SEGMENTING else None
        project = segmentation_start(project=project, options=engine_options, inline=options["sync"])
        if previous_task is not None and project.segmentation_task_id == previous_task:
            raise CommandError(
                f"Project {project.pk} is already segmenting (task {previous_task}); "
                "wait for it, or fail it with `manage.py reap_stuck_jobs --older-than 0`."
            )
        line = f"project {project.pk}: {project.status} (task {project.segmentation_task_id})"
        if project.status == ProjectStatus.SEGMENTED:
            line += f", {project.scenes.count()} scenes"
        elif project.status == ProjectStatus.FAILED:
            line += f": {project.segmentation_error}"
        self.stdout.write(line)
        if project.status == ProjectStatus.FAILED:
            raise CommandError("segmentation failed", returncode=1)
