"""Renders a project's animatic: queued like the API's render, or here and now with --sync."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from animatic.jobs import RENDER, job_run_here
from animatic.render import RenderSpec, render_start
from animatic_vision.errors import DomainError
from projects.models import Project
from render.types import CAPTION_MODES, FRAME_RATES, RESOLUTIONS


class Command(BaseCommand):
    help = "Render a project's MP4 (missing frames drawn first). Queued on the render queue unless --sync."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project_id", type=int)
        parser.add_argument("--sync", action="store_true", help="Render in this process and wait for the result.")
        parser.add_argument("--resolution", choices=list(RESOLUTIONS), default="720p")
        parser.add_argument("--fps", type=int, choices=list(FRAME_RATES), default=24)
        parser.add_argument("--camera", choices=["auto", "static"], default="auto")
        parser.add_argument("--captions", choices=list(CAPTION_MODES), default="none")
        parser.add_argument("--voice", action="store_true", help="A temporary spoken track (needs espeak-ng).")

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(pk=options["project_id"]).first()
        if project is None:
            raise CommandError(f"No project with id {options['project_id']}.")
        spec = RenderSpec(
            resolution=options["resolution"],
            fps=options["fps"],
            camera=options["camera"],
            captions=options["captions"],
            voice=options["voice"],
        )
        try:
            job = render_start(project=project, spec=spec, dispatch=not options["sync"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not job.started:
            self.stdout.write(f"A render of project {project.pk} is already {job.status}: task {job.task_id}.")
            return
        if not options["sync"]:
            self.stdout.write(f"Render of project {project.pk} queued: task {job.task_id}.")
            return
        outcome = job_run_here(kind=RENDER, project_id=project.pk, task_id=job.task_id, spec=spec.__dict__)
        project.refresh_from_db()
        if outcome != "done":
            reason = project.render_error or "it is no longer the project's job"
            raise CommandError(f"The render {outcome}: {reason}")
        self.stdout.write(f"Rendered project {project.pk}: {project.video_path}")
