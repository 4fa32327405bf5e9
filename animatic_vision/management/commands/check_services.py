"""`manage.py check_services`: one line per dependency; exit status 1 when any is down."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from animatic_vision.health import check_services


class Command(BaseCommand):
    help = "Checks the database, the cache and the task broker, one readable line each; exits 1 if any is down."

    def handle(self, *args, **options) -> None:
        checks = check_services()
        for check in checks:
            state = self.style.SUCCESS("ok") if check.ok else self.style.ERROR("DOWN")
            self.stdout.write(f"{check.name} [{check.service}]: {state} ({check.detail}, {check.duration_ms} ms)")
        down = [check.name for check in checks if not check.ok]
        if down:
            raise CommandError(f"unavailable: {', '.join(down)}", returncode=1)
