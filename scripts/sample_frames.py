"""Draws three storyboard frames of the sample story with the built-in provider, into docs/frames/.

The same calls as a frames job with provider `builtin`: the story engine's scenes, a background per
scene (render.panels.draw_background) and the composed frame (render.panels.draw_frame). Run it from
the repository root: `.venv/bin/python scripts/sample_frames.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from render import panels  # noqa: E402
from render.types import CharacterSheet, DialogueLine, SceneSheet  # noqa: E402
from story import SegmentOptions, segment  # noqa: E402

SAMPLE = (
    "INT. LIGHTHOUSE - NIGHT\n\nMARA climbs the stairs with a lantern.\n\n"
    "MARA\nThe light has gone out again.\n\n"
    "EXT. HARBOUR - DAWN\n\nTOMAS waits on the pier as the boats come in.\n\n"
    "TOMAS\nYou kept it burning all night?\n\n"
    "EXT. FOREST - DAY\n\nMara and Tomas walk under the tall pines towards the village.\n"
)
SIZE = (1280, 720)


def main() -> None:
    result = segment(SAMPLE, 15, SegmentOptions())
    cast = [CharacterSheet(name=c.name, description=c.description, prompt=c.prompt) for c in result.characters]
    out = ROOT / "docs" / "frames"
    out.mkdir(parents=True, exist_ok=True)
    for scene in result.scenes[:3]:
        sheet = SceneSheet(
            index=scene.index,
            title=scene.title,
            description=scene.description,
            text=scene.text,
            location=scene.location,
            time_of_day=scene.time_of_day,
            mood=scene.mood,
            characters=list(scene.characters),
            start_ms=scene.start_ms,
            duration_ms=scene.duration_ms,
            background_prompt=scene.background_prompt,
            camera=scene.camera,
            dialogue=[DialogueLine(line.character, line.text) for line in scene.dialogue],
        )
        seed = panels.scene_seed(sheet)
        background = panels.draw_background(sheet, SIZE, seed=seed)
        frame = panels.draw_frame(
            sheet, SIZE, characters=cast, background=background, scene_count=len(result.scenes), seed=seed
        )
        target = out / f"scene_{scene.index + 1}.png"
        frame.save(target, optimize=True)
        print(target.relative_to(ROOT), f"{target.stat().st_size // 1024} KB", scene.title)


if __name__ == "__main__":
    main()
