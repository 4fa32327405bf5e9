"""Story segmentation engine: plain Python, no Django.

from story import segment, SegmentOptions
result = segment(text, 60, SegmentOptions(scene_count=12, style="cinematic"))
"""

from .engine import segment
from .prompts import STYLE_PRESETS
from .types import (
    CAMERA_MOVES,
    FORMATS,
    CharacterResult,
    DialogueLine,
    SceneResult,
    Segmentation,
    SegmentOptions,
    StoryInputError,
)

__all__ = [
    "CAMERA_MOVES",
    "FORMATS",
    "STYLE_PRESETS",
    "CharacterResult",
    "DialogueLine",
    "SceneResult",
    "SegmentOptions",
    "Segmentation",
    "StoryInputError",
    "segment",
]
