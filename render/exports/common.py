"""What every export shares: file names, the frames' relative paths, frame-exact scene boundaries, timecodes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from render.text import one_line
from render.types import ProjectSheet, SceneSheet

__all__ = [
    "FRAMES_DIR",
    "Shot",
    "download_stem",
    "frame_exists",
    "frame_relpath",
    "frame_suffix",
    "ms_to_frame",
    "one_line",
    "ordered_scenes",
    "seconds_label",
    "shots",
    "slug",
    "timecode",
]

FRAMES_DIR = "frames"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[\W_]+")


def slug(title: str, fallback: str = "animatic") -> str:
    """The project title as an ASCII file stem: "Le Renard & moi" -> "le-renard-moi"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")[:80].strip("-") or fallback


def download_stem(title: str) -> str:
    """The downloaded file's stem: the ASCII slug, or for a title in another script ("狐", "אגדה") its own
    letters, since browsers save a UTF-8 name (`filename*`) as it is; "animatic" when it has none."""
    own_letters = _NOT_WORD.sub("-", unicodedata.normalize("NFC", title).lower()).strip("-_")[:80].strip("-_")
    return slug(title, fallback=own_letters or "animatic")


def ordered_scenes(project: ProjectSheet) -> list[SceneSheet]:
    """The scenes in playing order (by start, then index)."""
    return sorted(project.scenes, key=lambda s: (s.start_ms, s.index))


def frame_suffix(scene: SceneSheet) -> str:
    """ ".jpg" for a JPEG frame, else ".png": editors open both, and the ZIP turns any other image
    (WebP, say) and a missing frame into a PNG."""
    if scene.frame is None:
        return ".png"
    return ".jpg" if scene.frame.suffix.lower() in (".jpg", ".jpeg") else ".png"


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


def frame_exists(scene: SceneSheet) -> bool:
    return scene.frame is not None and Path(scene.frame).is_file()
