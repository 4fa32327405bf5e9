"""`manage.py reap_stuck_jobs`: fails segmentation jobs stuck in `segmenting` (what the beat task does)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from scenes.segmentation import segmentation_reap_stuck


class Command(BaseCommand):
    help = "Marks as failed every project segmenting for longer than SEGMENTATION_STUCK_AFTER_SECONDS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.SEGMENTATION_STUCK_AFTER_SECONDS,
            metavar="SECONDS",
            help="Fail jobs started more than this many seconds ago (default: %(default)s).",
        )

    def handle(self, *args, **options) -> None:
        reaped = segmentation_reap_stuck(older_than=timedelta(seconds=options["older_than"]))
        if not reaped:
            self.stdout.write("No stuck segmentation jobs.")
            return
        for project_id in reaped:
            self.stdout.write(f"project {project_id}: segmentation failed (stuck)")
        self.stdout.write(self.style.WARNING(f"{len(reaped)} stuck job(s) failed."))
