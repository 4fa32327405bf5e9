"""Storyboarder's own project file (`.storyboarder`), so an artist opens the animatic there and draws over it.

Matched against wonderunit/storyboarder's format: the sample projects under test/fixtures
(`printable/.../Scene-2-...storyboarder`, `example/example.storyboarder`) and src/js/models/board.js.
A file is JSON: `version`, `aspectRatio`, `fps`, `defaultBoardTiming` (ms) and `boards`, each with
`uid` (five characters), `url` (board-N-UID.png), `newShot`, `lastEdited` (ms since the epoch),
`layers` ({name: {url, opacity}}), `number`, `shot` ("1A"), `time` (start, ms), `duration` (ms),
`dialogue`, `action` and `notes` (strings). Storyboarder keeps a board's images in an `images/`
folder beside the file, one PNG per layer named board-N-UID-<layer>.png plus
board-N-UID-thumbnail.png, at 900 px high by the aspect ratio (1600x900 at 16:9); a file it
does not find is replaced by a blank one with a warning.

What we put there: the scene's frame as the board's `reference` layer (the layer Storyboarder
itself imports pictures into, at its default 0.75 opacity, so the artist draws on the layers
above it), the dialogue as "NAME: line" lines, the description as the action, and the title,
camera move, place, time of day and mood as notes. The images come with the ZIP export
(`storyboarder/` folder there); the .storyboarder file alone opens with blank boards.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from typing import IO

from PIL import Image, ImageOps

from render.exports.common import Shot, one_line

FORMAT_VERSION = "2.1.0"  # the version the matched sample files carry
ASPECT_RATIO = 16 / 9
BOARD_HEIGHT = 900
BOARD_SIZE = (round(BOARD_HEIGHT * ASPECT_RATIO), BOARD_HEIGHT)
THUMBNAIL_SIZE = (256, 144)
REFERENCE_OPACITY = 0.75
DEFAULT_BOARD_TIMING_MS = 2000
_UID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CAMERA_NOTES = {
    "push_in": "push in",
    "pull_out": "pull out",
    "pan_left": "pan left",
    "pan_right": "pan right",
    "tilt_up": "tilt up",
    "tilt_down": "tilt down",
}


def board_uid(project_title: str, shot: Shot) -> str:
    """Five characters from [0-9A-Z], stable for a project's shot so re-exports name the same files."""
    digest = hashlib.sha1(f"{project_title}\0{shot.number}\0{shot.scene.index}".encode(), usedforsecurity=False)
    value = int.from_bytes(digest.digest()[:8], "big")
    chars = []
    for _ in range(5):
        value, rest = divmod(value, len(_UID_ALPHABET))
        chars.append(_UID_ALPHABET[rest])
    return "".join(chars)


def board_files(project_title: str, shot: Shot) -> dict[str, str]:
    """The file names of a board's images, relative to the `images/` folder: url, reference, thumbnail."""
    base = f"board-{shot.number}-{board_uid(project_title, shot)}"
    return {"url": f"{base}.png", "reference": f"{base}-reference.png", "thumbnail": f"{base}-thumbnail.png"}


def _notes(shot: Shot) -> str:
    scene = shot.scene
    parts = [one_line(scene.title)]
    move = CAMERA_NOTES.get(scene.camera)
    if move:
        parts.append(f"Camera: {move}")
    setting = ", ".join(one_line(v) for v in (scene.location, scene.time_of_day, scene.mood) if v and one_line(v))
    if setting:
        parts.append(setting)
    return "\n".join(p for p in parts if p)


def storyboarder_document(project_title: str, all_shots: list[Shot], fps: int) -> dict[str, object]:
    """The .storyboarder JSON as a dict."""
    edited = int(time.time() * 1000)
    boards = []
    for shot in all_shots:
        scene = shot.scene
        files = board_files(project_title, shot)
        dialogue = "\n".join(
            f"{one_line(line.character).upper()}: {one_line(line.text)}"
            if one_line(line.character)
            else one_line(line.text)
            for line in scene.dialogue
            if one_line(line.text)
        )
        boards.append(
            {
                "uid": board_uid(project_title, shot),
                "url": files["url"],
                "newShot": False,
                "lastEdited": edited,
                "layers": {"reference": {"url": files["reference"], "opacity": REFERENCE_OPACITY}},
                "number": shot.number,
                "shot": f"{shot.number}A",
                "time": scene.start_ms,
                "duration": scene.duration_ms,
                "dialogue": dialogue,
                "action": one_line(scene.description),
                "notes": _notes(shot),
            }
        )
    return {
        "version": FORMAT_VERSION,
        "aspectRatio": ASPECT_RATIO,
        "fps": fps,
        "defaultBoardTiming": DEFAULT_BOARD_TIMING_MS,
        "boards": boards,
    }


def write_storyboarder(project_title: str, all_shots: list[Shot], fps: int, out: IO[bytes]) -> None:
    """The .storyboarder file (JSON, UTF-8)."""
    document = storyboarder_document(project_title, all_shots, fps)
    out.write(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))


def board_images(frame: Image.Image) -> tuple[bytes, bytes]:
    """A frame as a board's reference layer (letterboxed to 1600x900) and its thumbnail, both PNG."""
    rgb = frame.convert("RGB")
    layer = Image.new("RGB", BOARD_SIZE, (255, 255, 255))
    fitted = ImageOps.contain(rgb, BOARD_SIZE, Image.Resampling.BILINEAR)
    layer.paste(fitted, ((BOARD_SIZE[0] - fitted.width) // 2, (BOARD_SIZE[1] - fitted.height) // 2))
    thumbnail = layer.resize(THUMBNAIL_SIZE, Image.Resampling.BILINEAR)
    encoded = []
    for image in (layer, thumbnail):
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=3)
        encoded.append(buffer.getvalue())
    return encoded[0], encoded[1]
