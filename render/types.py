"""The render engine's input: a project's scenes and characters as plain data, and the options of a render."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

CAMERA_MOVES: tuple[str, ...] = ("static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down")
RESOLUTIONS: dict[str, tuple[int, int]] = {"480p": (854, 480), "720p": (1280, 720), "1080p": (1920, 1080)}
FRAME_RATES: tuple[int, ...] = (24, 25, 30)
CAPTION_MODES: tuple[str, ...] = ("none", "burn")
PDF_LAYOUTS: dict[str, tuple[int, int]] = {"1x1": (1, 1), "3x1": (3, 1), "3x2": (3, 2), "3x5": (3, 5), "4x4": (4, 4)}
PAPER_SIZES: tuple[str, ...] = ("a4", "letter")


class RenderInputError(ValueError):
    """The scenes or the options cannot be rendered; the message says why."""


@dataclass(frozen=True)
class DialogueLine:
    character: str
    text: str


@dataclass(frozen=True)
class CharacterSheet:
    """A character as the renderer draws it: a name and the looks the story gives."""

    name: str
    description: str = ""
    prompt: str = ""
    # The face of the character's own reference picture (uploaded, or made by an image generator), as
    # panels.portrait_face cuts it: the frames show it on the character's figure. None: a drawn head.
    portrait: Image.Image | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SceneSheet:
    """One scene as the renderer sees it. Times are whole milliseconds, as the scenes app stores them."""

    index: int  # from 0
    title: str
    description: str
    text: str
    location: str | None
    time_of_day: str | None
    mood: str | None
    characters: list[str]
    start_ms: int
    duration_ms: int
    background_prompt: str = ""
    camera: str = "static"  # one of CAMERA_MOVES
    dialogue: list[DialogueLine] = field(default_factory=list)
    background: Path | None = None  # a background image already made, if any
    frame: Path | None = None  # the composed storyboard panel, if already drawn
    frame_shows_camera: bool = False  # the frame has the camera move marked on it (render.panels.draw_frame)


@dataclass(frozen=True)
class ProjectSheet:
    """What every render and export starts from."""

    title: str
    scenes: list[SceneSheet]
    characters: list[CharacterSheet] = field(default_factory=list)

    @property
    def duration_ms(self) -> int:
        return sum(scene.duration_ms for scene in self.scenes)


@dataclass(frozen=True)
class VideoOptions:
    resolution: str = "720p"  # a key of RESOLUTIONS
    fps: int = 24  # one of FRAME_RATES
    camera: str = "auto"  # "auto": each scene moves as its `camera` says; "static": no scene moves
    captions: str = "none"  # one of CAPTION_MODES
    voice: bool = False  # a temporary spoken track of the dialogue and narration (espeak-ng)

    @property
    def size(self) -> tuple[int, int]:
        return RESOLUTIONS[self.resolution]
