"""What every export shares: file names, the frames' relative paths, frame-exact scene boundaries, timecodes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from render.types import ProjectSheet, SceneSheet

FRAMES_DIR = "frames"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(title: str, fallback: str = "animatic") -> str:
    """The project title as an ASCII file stem: "Le Renard & moi" -> "le-renard-moi"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")[:80].strip("-") or fallback


def ordered_scenes(project: ProjectSheet) -> list[SceneSheet]:
    """The scenes in playing order (by start, then index)."""
    return sorted(project.scenes, key=lambda s: (s.start_ms, s.index))


def frame_suffix(scene: SceneSheet) -> str:
    """The frame file's own extension, lower case; ".png" when the scene has no frame (one is drawn)."""
    if scene.frame is None:
        return ".png"
    suffix = scene.frame.suffix.lower()
    return ".jpg" if suffix == ".jpeg" else (suffix or ".png")


def frame_relpath(position: int, scene: SceneSheet, count: int) -> str:
    """Where the scene at `position` (from 0, playing order) keeps its frame in an export: frames/scene_001.png."""
    digits = max(3, len(str(count)))
    return f"{FRAMES_DIR}/scene_{position + 1:0{digits}d}{frame_suffix(scene)}"


def ms_to_frame(ms: int, fps: int) -> int:
    """The frame a time in milliseconds falls on, rounded half up (integers only, so no float drift)."""
    return (ms * fps + 500) // 1000


@dataclass(frozen=True)
class Shot:
    """A scene placed on the timeline: its number, its frame range and the frame's relative path."""

    number: int  # from 1, in playing order
    scene: SceneSheet
    start_frame: int
    end_frame: int  # exclusive
    frame_path: str  # relative, e.g. frames/scene_001.png

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame


def shots(project: ProjectSheet, fps: int) -> list[Shot]:
    """The scenes as shots at `fps`: each boundary is rounded to the nearest frame, so the rounding
    spreads over the cut and the total matches the project's duration to the frame. A scene shorter
    than a frame keeps one frame (the next one starts a frame later) so no clip is empty."""
    scenes = ordered_scenes(project)
    out: list[Shot] = []
    cursor = 0
    for position, scene in enumerate(scenes):
        start = max(ms_to_frame(scene.start_ms, fps), cursor)
        end = max(ms_to_frame(scene.start_ms + scene.duration_ms, fps), start + 1)
        out.append(Shot(position + 1, scene, start, end, frame_relpath(position, scene, len(scenes))))
        cursor = end
    return out


def timecode(frame: int, fps: int) -> str:
    """Non-drop-frame SMPTE timecode HH:MM:SS:FF of a frame number."""
    seconds, frames = divmod(frame, fps)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"


def seconds_label(ms: int) -> str:
    """A duration as an editor reads it: 4 s, 2.5 s, 7.33 s."""
    text = f"{ms / 1000:.2f}".rstrip("0").rstrip(".")
    return f"{text} s"


def one_line(text: str | None) -> str:
    """Text with its line breaks and runs of spaces folded to single spaces."""
    return " ".join((text or "").split())


def frame_exists(scene: SceneSheet) -> bool:
    return scene.frame is not None and Path(scene.frame).is_file()
