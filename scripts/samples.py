"""Writes the README's samples from the sample screenplay: three frames, a short MP4 and a PDF sheet, into docs/.

    .venv/bin/python scripts/samples.py

The same calls as the jobs with the `builtin` provider, without Django or a database: the story
engine's scenes (with their dialogue and camera moves), a background and a composed frame per scene
(render.panels), the animatic (render.video, 480p, burned captions) and the PDF export (3x2, A4).
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from render import panels, video  # noqa: E402
from render.exports import ExportOptions, export_bytes  # noqa: E402
from render.types import CharacterSheet, DialogueLine, ProjectSheet, SceneSheet, VideoOptions  # noqa: E402
from story import SegmentOptions, segment  # noqa: E402

TITLE = "The Lighthouse Keeper"
SAMPLE = (
    "INT. LIGHTHOUSE - NIGHT\n\nMARA climbs the stairs with a lantern.\n\n"
    "MARA\nThe light has gone out again.\n\n"
    "EXT. HARBOUR - DAWN\n\nTOMAS waits on the pier as the boats come in.\n\n"
    "TOMAS\nYou kept it burning all night?\n\n"
    "EXT. FOREST - DAY\n\nMara and Tomas walk under the tall pines towards the village.\n"
)
DURATION_SEC = 12
FRAME_SIZE = (1280, 720)


def main() -> None:
    result = segment(SAMPLE, DURATION_SEC, SegmentOptions())
    cast = [CharacterSheet(name=c.name, description=c.description, prompt=c.prompt) for c in result.characters]
    docs = ROOT / "docs"
    (docs / "frames").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        sheets = []
        for scene in result.scenes:
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
            background = panels.draw_background(sheet, FRAME_SIZE, seed=seed)
            background_path = Path(scratch) / f"background_{scene.index + 1}.png"
            background.save(background_path)
            frame = panels.draw_frame(
                sheet, FRAME_SIZE, characters=cast, background=background, scene_count=len(result.scenes), seed=seed
            )
            frame_path = docs / "frames" / f"scene_{scene.index + 1}.png"
            frame.save(frame_path, optimize=True)
            sheets.append(replace(sheet, background=background_path, frame=frame_path, frame_shows_camera=True))
        project = ProjectSheet(title=TITLE, scenes=sheets, characters=cast)
        made = video.render_video(
            project, docs / "sample.mp4", options=VideoOptions(resolution="480p", captions="burn")
        )
        (docs / "sample_sheet.pdf").write_bytes(export_bytes(project, "pdf", ExportOptions()).content)
    for path in sorted(docs.rglob("*.*")):
        print(path.relative_to(ROOT), f"{path.stat().st_size // 1024} KB")
    print(f"sample.mp4: {made.frames} frames at {made.fps} fps, {made.width}x{made.height}")


if __name__ == "__main__":
    main()
