"""Scene and project builders for the render engine's tests."""

from __future__ import annotations

from dataclasses import replace

from render.types import CharacterSheet, DialogueLine, ProjectSheet, SceneSheet


def make_scene(index: int = 0, **fields: object) -> SceneSheet:
    """A plausible scene; any field can be overridden."""
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


def make_project(durations_ms: list[int], **fields: object) -> ProjectSheet:
    """A project whose scenes follow one another with the given durations."""
    scenes = []
    start = 0
    for i, duration in enumerate(durations_ms):
        scene_fields = {"start_ms": start, "duration_ms": duration, **fields}
        scenes.append(make_scene(i, **scene_fields))
        start += duration
    characters = [
        CharacterSheet(name="Mara", description="a young woman in a red coat with black hair"),
        CharacterSheet(name="Tobias", description="an old man in a grey suit"),
    ]
    return ProjectSheet(title="The Fountain", scenes=scenes, characters=characters)


LINE = DialogueLine(character="Mara", text="Did you hear that?")
