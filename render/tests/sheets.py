"""Scenes and projects for the panel and video tests: any field can be overridden."""

from __future__ import annotations

from dataclasses import replace

from render.types import CharacterSheet, DialogueLine, ProjectSheet, SceneSheet

LINE = DialogueLine(character="Mara", text="Did you hear that?")


def scene_sheet(index: int = 0, **fields: object) -> SceneSheet:
    """A plausible static scene of four seconds at the start of the film."""
    base = SceneSheet(
        index=index,
        title=f"Scene {index + 1}",
        description="Mara crosses the square and stops at the fountain.",
        text="Mara crossed the square and stopped at the fountain.",
        location=None,
        time_of_day=None,
        mood=None,
        characters=["Mara", "Tobias"],
        start_ms=0,
        duration_ms=4000,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def project_sheet(durations_ms: list[int], **fields: object) -> ProjectSheet:
    """Scenes laid end to end with the given durations, all sharing `fields`."""
    scenes = []
    start = 0
    for i, duration in enumerate(durations_ms):
        scenes.append(scene_sheet(i, **{"start_ms": start, "duration_ms": duration, **fields}))
        start += duration
    characters = [
        CharacterSheet(name="Mara", description="a young woman in a red coat with black hair"),
        CharacterSheet(name="Tobias", description="an old man in a grey suit"),
    ]
    return ProjectSheet(title="The Fountain", scenes=scenes, characters=characters)
