"""`manage.py seed_demo`: a demo account with three stories, for newcomers; safe to run again."""
# ruff: noqa: E501 - the demo stories keep one paragraph per line, as a writer would paste them

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import user_create
from projects.models import Project, ProjectStatus
from projects.services import project_create
from scenes.segmentation import segmentation_start

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Storyboard-Demo-2026"
DEMO_NAME = "Demo Writer"

FABLE = """The Hare and the Tortoise

A Hare laughed at a Tortoise for being so slow. "Race me to the old oak at the end of the meadow," said the Tortoise, "and we shall see."

The Hare shot off at dawn and was soon far ahead. Halfway there, sure of his victory, he lay down in the warm grass and fell asleep.

The Tortoise walked on, one slow step after another, past the sleeping Hare and across the meadow.

At sunset the Hare woke with a start and ran as fast as he could. But the Tortoise was already resting beneath the oak, smiling.
"""

SHORT_STORY = """The Night Ferry

Nadia reached the harbour just after midnight, her suitcase rattling over the wet stones. The last ferry was still at the pier, its lights trembling on the black water.

On deck an old sailor named Ivo was coiling rope. "You are late," he said without looking up, "but the sea is later still."

The crossing was rough. Nadia held the rail while the wind tore at her coat, and Ivo told her about the island: the lighthouse, the bakery that opened at four, the sister she had not seen in ten years.

At dawn the island rose out of the mist. On the pier a woman in a red scarf was waving with both arms. Nadia laughed, and for the first time in years she did not feel the cold.
"""

SCREENPLAY = """Title: The Last Delivery
Credit: written for the demo

INT. POST OFFICE - NIGHT

Rain streaks the windows. MARTA (60s), the postmistress, sorts the last letters under a single lamp.

MARTA
One more, and then home.

She lifts an envelope with no stamp. Her own name is on it.

EXT. VILLAGE SQUARE - CONTINUOUS

Marta crosses the empty square, the letter held under her coat. Thunder rolls over the hills.

INT. MARTA'S KITCHEN - LATER

She opens the envelope at the table. Inside: a photograph of a young man in uniform, and a note.

MARTA
(reading)
"I am coming home on Sunday."

She looks at the calendar. It is Saturday.
"""

DEMO_STORIES = [
    ("The Hare and the Tortoise", FABLE, 20),
    ("The Night Ferry", SHORT_STORY, 45),
    ("The Last Delivery", SCREENPLAY, 30),
]


class Command(BaseCommand):
    help = "Creates a demo user with a fable, a short story and a Fountain screenplay (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", help=f"The demo user's password (default in development: {DEMO_PASSWORD}).")
        parser.add_argument(
            "--segment", action="store_true", help="Also segment the stories that are still drafts (queued on Celery)."
        )

    def handle(self, *args, **options) -> None:
        password = options["password"]
        if password is None:
            if not settings.IS_DEVELOPMENT:
                raise CommandError("Outside development, choose the demo user's password with --password.")
            password = DEMO_PASSWORD
        email = options["email"]

        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_create(full_name=DEMO_NAME, email=email, password=password)
            self.stdout.write(f"Created user {user.email}")
        else:
            self.stdout.write(f"User {user.email} already exists (password unchanged)")

        for title, text, duration in DEMO_STORIES:
            project = Project.objects.filter(owner=user, title=title).first()
            if project is None:
                project = project_create(owner=user, title=title, story_text=text, duration_sec=duration)
                self.stdout.write(f"Created project {project.pk}: {title}")
            else:
                self.stdout.write(f"Project {project.pk}: {title} already exists")
            if options["segment"] and project.status == ProjectStatus.DRAFT:
                project = segmentation_start(project=project)
                self.stdout.write(f"  segmentation: {project.status} (task {project.segmentation_task_id})")

        self.stdout.write(self.style.SUCCESS(f"Log in as {user.email} / {password}"))
