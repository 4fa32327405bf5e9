"""Draw sample storyboard frames and a short animatic from a story file, for the README's docs/.

    .venv/bin/python scripts/render_samples.py STORY.txt [--out docs/samples] [--duration 24]
        [--frames 3] [--resolution 480p]

Segments the story with the story engine (no Django, no database), turns its scenes into the
render engine's sheets (the first scene pushes in, the others pan, tilt or hold in turn; quoted
speech becomes dialogue of the character named next to it), then writes `frame_1.png`... and
`animatic.mp4` (burned captions, no voice) to the output folder.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from render import panels, video  # noqa: E402
from render.types import CharacterSheet, DialogueLine, ProjectSheet, SceneSheet, VideoOptions  # noqa: E402
from story import segment  # noqa: E402

MOVES = ("push_in", "pan_right", "static", "tilt_up", "pull_out", "pan_left", "static", "tilt_down")
QUOTE = re.compile(r"[“\"]([^”\"]{2,200})[”\"]")


def speaker_of(text: str, quote: re.Match[str], names: list[str]) -> str:
    """Who says a quoted line: a name in the words right after it ('said the fox'), else the nearest before."""
    if not names:
        return "Voice"
    keys = {name: name.split()[-1].lower() for name in names}
    after = text[quote.end() : quote.end() + 40].lower()
    found = [(after.find(key), name) for name, key in keys.items() if key in after]
    if found:
        return min(found)[1]
    before = text[max(0, quote.start() - 200) : quote.start()].lower()
    found = [(before.rfind(key), name) for name, key in keys.items() if key in before]
    return max(found)[1] if found else names[0]


def project_from_story(text: str, duration_sec: int, title: str) -> ProjectSheet:
    """The story engine's scenes as render sheets."""
    result = segment(text, duration_sec)
    scenes = []
    for scene in result.scenes:
        dialogue = [
            DialogueLine(character=speaker_of(scene.text, match, scene.characters), text=match.group(1).strip())
            for match in list(QUOTE.finditer(scene.text))[:2]
        ]
        scenes.append(
            SceneSheet(
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
                camera=MOVES[scene.index % len(MOVES)],
                dialogue=dialogue,
            )
        )
    characters = [CharacterSheet(name=c.name, description=c.description, prompt=c.prompt) for c in result.characters]
    return ProjectSheet(title=title, scenes=scenes, characters=characters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("story", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "samples")
    parser.add_argument("--duration", type=int, default=24, help="animatic length in seconds")
    parser.add_argument("--frames", type=int, default=3, help="how many storyboard frames to write")
    parser.add_argument("--resolution", default="480p", choices=["480p", "720p", "1080p"])
    args = parser.parse_args()
    project = project_from_story(args.story.read_text(encoding="utf-8"), args.duration, args.story.stem)
    args.out.mkdir(parents=True, exist_ok=True)
    count = len(project.scenes)
    picks = sorted({round(i * (count - 1) / max(args.frames - 1, 1)) for i in range(args.frames)})
    for n, index in enumerate(picks, start=1):
        scene = project.scenes[index]
        png = panels.frame_png(scene, (1280, 720), characters=project.characters, scene_count=count)
        (args.out / f"frame_{n}.png").write_bytes(png)
        print(f"frame_{n}.png: scene {index + 1}, {panels.scene_setting(scene)}, {scene.time_of_day or 'day'}")
    options = VideoOptions(resolution=args.resolution, captions="burn")
    result = video.render_video(project, args.out / "animatic.mp4", options=options)
    size_kb = result.path.stat().st_size // 1024
    print(f"animatic.mp4: {count} scenes, {result.frames} frames, {size_kb} KB")


if __name__ == "__main__":
    main()
