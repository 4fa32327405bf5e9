"""Seeds the benchmark's data through the HTTP API, as a client would.

reader  - 50 projects; the oldest is segmented into 20 scenes with 5 characters
          (GET /auth/me, GET /projects, GET /projects/{id} run as this user)
writer  - logs in under load and creates projects (POST /auth/login, POST /projects)
jobs    - owns the projects of the job-latency benchmark
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass

from bench.client import ApiClient, ApiError
from bench.corpus import story
from bench.stack import ROOT, BenchStack, log

PASSWORD = "bench-Password-2026!"
LIST_PROJECTS = 50
DETAIL_SCENES = 20
DETAIL_CHARACTERS = 5
DETAIL_STORY_WORDS = 800


@dataclass
class User:
    email: str
    password: str
    client: ApiClient


@dataclass
class Seed:
    reader: User
    writer: User
    jobs: User
    detail_project_id: int
    detail_scene_count: int
    detail_character_count: int
    list_count: int
    scenes_seeded_via: str


def user_register_and_login(stack: BenchStack, name: str) -> User:
    client = ApiClient("127.0.0.1", stack.http_port)
    email = f"{name}@bench.example.com"
    client.post(
        "/auth/register", {"fullName": f"Bench {name.title()}", "email": email, "password": PASSWORD}, expect=(201,)
    )
    client.post("/auth/login", {"email": email, "password": PASSWORD})
    if "access_token" not in client.cookies:
        raise ApiError(f"POST /auth/login set no access_token cookie for {email}")
    return User(email, PASSWORD, client)


def wait_segmented(client: ApiClient, project_id: int, timeout: float = 60, interval: float = 0.01) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        project = client.get(f"/projects/{project_id}")
        if project["status"] == "segmented":
            return project
        if project["status"] == "failed":
            raise ApiError(f"project {project_id} failed to segment: {project.get('segmentation')}")
        time.sleep(interval)
    raise ApiError(f"project {project_id} not segmented after {timeout:.0f} s")


def segment_route_available(client: ApiClient, project_id: int) -> bool:
    """Starts the segmentation through the route when it exists (202); False while it does not."""
    status, _ = client.request(
        "POST", f"/projects/{project_id}/segment", {"scene_count": DETAIL_SCENES}, expect=(202, 404, 405)
    )
    return status == 202


def seed(stack: BenchStack) -> Seed:
    log("seeding through the API: users")
    reader = user_register_and_login(stack, "reader")
    writer = user_register_and_login(stack, "writer")
    jobs = user_register_and_login(stack, "jobs")

    log(f"seeding: {LIST_PROJECTS} projects, the first with a {DETAIL_STORY_WORDS}-word story")
    detail = reader.client.post(
        "/projects",
        {"title": "Lighthouse", "story_text": story(DETAIL_STORY_WORDS), "duration_sec": 120},
        expect=(201,),
    )["data"]
    for i in range(1, LIST_PROJECTS):
        reader.client.post(
            "/projects", {"title": f"Project {i:02d}", "story_text": story(60), "duration_sec": 30}, expect=(201,)
        )

    if segment_route_available(reader.client, detail["id"]):
        via = "POST /projects/{id}/segment (worker)"
    else:
        # Until the segment route lands: the same service, through its management command.
        via = "manage.py segment_project --sync (the route was not there)"
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "segment_project",
                str(detail["id"]),
                "--sync",
                "--scene-count",
                str(DETAIL_SCENES),
            ],
            cwd=ROOT,
            env=stack.env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    log(f"seeding: scenes via {via}")
    project = wait_segmented(reader.client, detail["id"])
    listed = reader.client.get("/projects")
    seeded = Seed(
        reader=reader,
        writer=writer,
        jobs=jobs,
        detail_project_id=detail["id"],
        detail_scene_count=len(project["scenes"]),
        detail_character_count=len(project["characters"]),
        list_count=len(listed),
        scenes_seeded_via=via,
    )
    if (seeded.detail_scene_count, seeded.detail_character_count, seeded.list_count) != (
        DETAIL_SCENES,
        DETAIL_CHARACTERS,
        LIST_PROJECTS,
    ):
        raise ApiError(f"seed is not the planned shape: {seeded}")
    return seeded
