"""Runs one queued frames or render job in this process: how the embedded setup (no broker) runs jobs."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from animatic.jobs import JOB_KINDS, job_run_here


class Command(BaseCommand):
    help = "Run a queued frames or render job (started by the server itself when there is no task broker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=JOB_KINDS)
        parser.add_argument("project_id", type=int)
        parser.add_argument("task_id")
        parser.add_argument("spec", nargs="?", default="{}", help="The job's options as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = job_run_here(
            kind=options["kind"],
            project_id=options["project_id"],
            task_id=options["task_id"],
            spec=json.loads(options["spec"]),
        )
        self.stdout.write(str(outcome))
