"""Steps the end-to-end tests share: sign up, create a project, segment it and wait."""

from __future__ import annotations

import uuid

from harness.processes import Browser, wait_until

PASSWORD = "Lantern-Orchard-7731"

FABLE = (
    "A Crow was sitting on a branch of a tree with a piece of cheese in her beak when a Fox observed her. "
    'The Fox walked up to the foot of the tree and said, "Good day, Mistress Crow."\n\n'
    "The Crow, hearing herself praised, opened her beak to caw, and down fell the cheese. "
    "The Fox snapped it up and trotted away into the forest at dusk."
)


def sign_up_and_log_in(browser: Browser) -> str:
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    registered = browser.post("/auth/register", {"fullName": "End To End", "email": email, "password": PASSWORD})
    assert registered.status == 201, registered.body
    logged_in = browser.post("/auth/login", {"email": email, "password": PASSWORD})
    assert logged_in.status == 200, logged_in.body
    assert browser.cookie("access_token")
    assert browser.cookie("refresh_token")
    return email


def create_project(
    browser: Browser, *, title: str = "The Fox and the Crow", text: str = FABLE, duration: int = 30
) -> int:
    created = browser.post("/projects", {"title": title, "story_text": text, "duration_sec": duration})
    assert created.status == 201, created.body
    assert created.data["status"] == "draft"
    return created.data["id"]


def wait_for_status(browser: Browser, project_id: int, statuses: set[str], *, timeout: float) -> dict:
    def settled() -> dict | None:
        answer = browser.get(f"/projects/{project_id}")
        assert answer.status == 200, answer.body
        return answer.body if answer.body["status"] in statuses else None

    return wait_until(settled, timeout=timeout, interval=0.25, what=f"project {project_id} to become {statuses}")


def long_story(chars: int = 495_000) -> str:
    """A novel-sized story (near the 500,000-character limit) with recurring characters and places."""
    names = ["Anna", "Tomas", "Mira", "Jonas", "Elise", "Kofi", "Priya", "Lars"]
    places = ["the mill", "the harbour", "the forest", "the old school", "the market", "the lighthouse"]
    times = ["at dawn", "in the morning", "at noon", "in the evening", "at night"]
    chapters: list[str] = []
    total = 0
    number = 0
    while total < chars:
        number += 1
        a, b = names[number % len(names)], names[(number * 3 + 1) % len(names)]
        place, when = places[number % len(places)], times[number % len(times)]
        chapter = (
            f"Chapter {number}\n\n"
            f"{a} went to {place} {when}. The air was cold and the road was long. "
            f'{a} said to {b}, "We must hurry before the storm." {b} nodded and looked at the sky. '
            f"They walked in silence for a while, thinking of the letter that had arrived {when}.\n\n"
            f"At {place} an old woman was waiting. She gave {b} a small wooden box and told them to keep it safe. "
            f"{a} laughed, but {b} held the box close and did not say a word until they were home.\n\n"
        )
        chapters.append(chapter)
        total += len(chapter)
    return "".join(chapters)[:chars].rstrip() + "\n"
