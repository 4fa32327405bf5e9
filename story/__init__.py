"""Story segmentation engine: plain Python, no Django.

from story import segment, SegmentOptions
result = segment(text, 60, SegmentOptions(scene_count=12, style="cinematic"))
"""

from .engine import segment
from .prompts import STYLE_PRESETS
from .types import FORMATS, CharacterResult, SceneResult, Segmentation, SegmentOptions, StoryInputError

__all__ = [
    "FORMATS",
    "STYLE_PRESETS",
    "CharacterResult",
    "SceneResult",
    "SegmentOptions",
    "Segmentation",
    "StoryInputError",
    "segment",
]
