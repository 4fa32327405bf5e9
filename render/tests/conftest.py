"""Projects and frames for the render engine's tests, built here so each test owns its data."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from render.types import DialogueLine, ProjectSheet, SceneSheet

CAMERAS = ("static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down")


def make_scene(index: int, start_ms: int, duration_ms: int, **overrides: object) -> SceneSheet:
    values: dict[str, object] = {
        "index": index,
        "title": f"Scene {index + 1}",
        "description": f"Anna walks to place {index + 1}.",
        "text": f"Anna walked to place {index + 1}. It was quiet.",
        "location": "Wood",
        "time_of_day": "night",
        "mood": "tense",
        "characters": ["Anna"],
        "start_ms": start_ms,
        "duration_ms": duration_ms,
        "camera": CAMERAS[index % len(CAMERAS)],
        "dialogue": [DialogueLine(character="Anna", text=f"Line {index + 1}.")],
    }
    values.update(overrides)
    return SceneSheet(**values)  # type: ignore[arg-type]


def make_project(durations_ms: list[int], *, frames: Path | None = None, title: str = "The Fox") -> ProjectSheet:
    """Scenes laid end to end with the given durations; with `frames`, each scene gets a PNG drawn there."""
    scenes = []
    start = 0
    for i, duration in enumerate(durations_ms):
        frame = None
        if frames is not None:
            frame = frames / f"panel_{i}.png"
            Image.new("RGB", (320, 180), (40 + (i * 37) % 200, 90, 160)).save(frame)
        scenes.append(make_scene(i, start, duration, frame=frame))
        start += duration
    return ProjectSheet(title=title, scenes=scenes)


@pytest.fixture
def small_project(tmp_path: Path) -> ProjectSheet:
    return make_project([4000, 2500, 7333, 1000, 5167], frames=tmp_path)
