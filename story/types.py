"""Public data types of the story engine."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS: tuple[str, ...] = ("auto", "prose", "screenplay")
MIN_DURATION_SEC = 5
MAX_DURATION_SEC = 600
MAX_SCENES_LIMIT = 200
CAMERA_MOVES: tuple[str, ...] = ("static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down")
# The one wording of the duration rule: the engine, the API's input and its services all say this.
DURATION_RULE = f"duration_sec must be a whole number of seconds from {MIN_DURATION_SEC} to {MAX_DURATION_SEC}."


class StoryInputError(ValueError):
    """The text or the options cannot be segmented; the message says why."""


@dataclass(frozen=True)
class SegmentOptions:
    scene_count: int | None = None
    max_scenes: int | None = None
    style: str = "storyboard"
    format: str = "auto"


@dataclass(frozen=True)
class CharacterResult:
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    prompt: str = ""


@dataclass(frozen=True)
class DialogueLine:
    """One spoken line: the speaker's character name ('' when the text does not say who) and the words."""

    character: str
    text: str


@dataclass(frozen=True)
class SceneResult:
    index: int
    title: str
    description: str
    text: str
    start_char: int
    end_char: int
    location: str | None
    time_of_day: str | None
    mood: str | None
    characters: list[str]
    character_prompts: list[str]
    background_prompt: str
    start_ms: int
    duration_ms: int
    dialogue: list[DialogueLine] = field(default_factory=list)
    camera: str = "static"  # one of CAMERA_MOVES


@dataclass(frozen=True)
class Segmentation:
    format: str
    scenes: list[SceneResult]
    characters: list[CharacterResult]
    natural_duration_ms: int = 0  # what the content needs at a normal pace (reading, speaking)
