"""One ZIP with everything: the sheets, the timelines, the subtitles, the Storyboarder project,
the frames at the relative paths the timelines name, and the MP4 when there is one.

    the-fox.pdf  the-fox.xml  the-fox.fcpxml  the-fox.edl  the-fox.otio  the-fox.srt  the-fox.vtt
    the-fox.mp4                      (when a rendered video is given)
    frames/scene_001.png ...          (each frame byte for byte, as the timelines reference it)
    storyboarder/the-fox.storyboarder
    storyboarder/images/board-1-XXXXX-reference.png, ...-thumbnail.png

A scene with no frame (or an unreadable one) gets a plain slate drawn in its place (shot number
and title on grey), so every path a timeline names exists in the archive. Images and the video
are stored as they are (already compressed); text is deflated. Written straight to `out`,
the video copied in chunks, so memory does not grow with its size.
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from render.exports.common import Shot, frame_exists, one_line, shots, slug
from render.exports.storyboarder import board_files, board_images
from render.types import ProjectSheet

SLATE_SIZE = (1280, 720)
_FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _readable(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return False
    return True


def draw_slate(shot: Shot, path: Path) -> None:
    """A stand-in frame for a scene without one: the shot number and title on grey, as a PNG."""
    image = Image.new("RGB", SLATE_SIZE, (96, 98, 104))
    draw = ImageDraw.Draw(image)
    try:
        big: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(_FONT_FILE), 72)
        small: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(_FONT_FILE), 40)
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((SLATE_SIZE[0] / 2, SLATE_SIZE[1] * 0.42), f"SHOT {shot.number}", font=big, fill="white", anchor="mm")
    title = one_line(shot.scene.title)[:60]
    draw.text((SLATE_SIZE[0] / 2, SLATE_SIZE[1] * 0.58), title, font=small, fill=(230, 230, 230), anchor="mm")
    image.save(path, "PNG")


def with_frames(project: ProjectSheet, folder: Path, fps: int) -> ProjectSheet:
    """The project with a drawn slate (saved in `folder`) for every scene whose frame is missing or unreadable."""
    by_index = {shot.scene.index: shot for shot in shots(project, fps)}
    scenes = []
    for scene in project.scenes:
        if frame_exists(scene) and _readable(Path(scene.frame)):  # type: ignore[arg-type]
            scenes.append(scene)
            continue
        slate = folder / f"slate_{scene.index}.png"
        draw_slate(by_index[scene.index], slate)
        scenes.append(dataclasses.replace(scene, frame=slate))
    return dataclasses.replace(project, scenes=scenes)


def write_zip(
    project: ProjectSheet,
    fps: int,
    members: list[tuple[str, Callable[[ProjectSheet, IO[bytes]], None]]],
    video: Path | None,
    out: IO[bytes],
) -> None:
    """The archive: each (name, writer) of `members`, then the frames, the Storyboarder images and the video."""
    stem = slug(project.title)
    with tempfile.TemporaryDirectory(prefix="av-export-") as tmp:
        complete = with_frames(project, Path(tmp), fps)
        all_shots = shots(complete, fps)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for name, writer in members:
                buffer = io.BytesIO()
                writer(complete, buffer)
                archive.writestr(name, buffer.getvalue())
            for shot in all_shots:
                archive.write(Path(shot.scene.frame), shot.frame_path, compress_type=zipfile.ZIP_STORED)  # type: ignore[arg-type]
            for shot in all_shots:
                files = board_files(project.title, shot)
                with Image.open(Path(shot.scene.frame)) as frame:  # type: ignore[arg-type]
                    layer, thumbnail = board_images(frame)
                archive.writestr(f"storyboarder/images/{files['reference']}", layer, compress_type=zipfile.ZIP_STORED)
                archive.writestr(
                    f"storyboarder/images/{files['thumbnail']}", thumbnail, compress_type=zipfile.ZIP_STORED
                )
            if video is not None:
                archive.write(video, f"{stem}.mp4", compress_type=zipfile.ZIP_STORED)
