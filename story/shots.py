"""The camera move of a scene, by the rules a storyboard artist states.

In order, the first that applies:
1. A scene that is mostly talk holds still (static): the audience listens. The
   story's first scene opens on a slow push-in on its establishing shot.
2. A scene that travels pans with the traveller: forward journeys read left to
   right (pan_right), a way back right to left (pan_left).
3. A scene where eyes or bodies go up (climbing, looking up at a tower or the
   sky) tilts up; down (falling, descending, looking down) tilts down.
4. The last scene of the story, or one of leaving and endings, pulls out.
5. A new place opens on a slow push-in on its establishing shot; so does a
   tense, fearful or suspenseful scene (the push builds pressure).
6. Otherwise static.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import LOWER_WORD_RE

TALK_SHARE = 0.5
TRAVEL = frozenset(
    [
        "walked",
        "walk",
        "walks",
        "walking",
        "ran",
        "run",
        "runs",
        "running",
        "rode",
        "ride",
        "rides",
        "riding",
        "drove",
        "drive",
        "drives",
        "driving",
        "sailed",
        "sail",
        "sailing",
        "rowed",
        "rowing",
        "flew",
        "fly",
        "flying",
        "marched",
        "marching",
        "hurried",
        "hurrying",
        "travelled",
        "traveled",
        "travelling",
        "traveling",
        "journeyed",
        "journey",
        "wandered",
        "wandering",
        "crossed",
        "crossing",
        "followed",
        "following",
        "chased",
        "chasing",
        "galloped",
        "galloping",
        "trudged",
        "trudging",
        "strode",
        "striding",
        "fled",
        "fleeing",
        "headed",
        "raced",
        "racing",
    ]
)
RETURN = frozenset(["back", "returned", "returning", "return", "homeward", "home"])
UP = frozenset(
    [
        "climbed",
        "climb",
        "climbs",
        "climbing",
        "ascended",
        "ascend",
        "rose",
        "rising",
        "soared",
        "soaring",
        "upward",
        "upwards",
        "tower",
        "towers",
        "summit",
        "peak",
        "sky",
        "stars",
        "heavens",
        "ceiling",
        "mast",
    ]
)
DOWN = frozenset(
    [
        "fell",
        "fall",
        "falls",
        "falling",
        "descended",
        "descend",
        "descending",
        "sank",
        "sinking",
        "dove",
        "dived",
        "plunged",
        "plunging",
        "downward",
        "downwards",
        "cellar",
        "well",
        "pit",
        "abyss",
        "depths",
        "dug",
        "digging",
        "knelt",
    ]
)
ENDING = frozenset(
    [
        "farewell",
        "goodbye",
        "good-bye",
        "departed",
        "departing",
        "vanished",
        "disappeared",
        "faded",
        "alone",
        "ended",
        "end",
        "forever",
        "died",
        "buried",
        "left",
    ]
)
TENSE_MOODS = frozenset(["tense", "suspenseful", "fearful", "ominous"])
# How many of a class's words a scene needs per 100 words (at least one) before the rule applies.
_DENSITY = 1.5


@dataclass(frozen=True)
class ShotContext:
    text: str
    dialogue_words: int
    location: str | None
    previous_location: str | None
    first: bool
    last: bool
    mood: str | None


def camera_move(ctx: ShotContext) -> str:
    """One of CAMERA_MOVES for the scene, by the rules in this module's docstring."""
    words = LOWER_WORD_RE.findall(ctx.text.lower())
    total = max(1, len(words))
    if ctx.dialogue_words >= TALK_SHARE * total:
        return "static"
    counts = {"travel": 0, "back": 0, "up": 0, "down": 0, "end": 0}
    for word in words:
        if word in TRAVEL:
            counts["travel"] += 1
        if word in RETURN:
            counts["back"] += 1
        if word in UP:
            counts["up"] += 1
        if word in DOWN:
            counts["down"] += 1
        if word in ENDING:
            counts["end"] += 1
    need = max(1.0, _DENSITY * total / 100)
    if ctx.first:
        return "push_in"  # the story opens on its establishing shot
    if counts["travel"] >= need:
        return "pan_left" if counts["back"] >= max(1, counts["travel"] // 2) else "pan_right"
    if max(counts["up"], counts["down"]) >= need:
        return "tilt_up" if counts["up"] >= counts["down"] else "tilt_down"
    if ctx.last and not ctx.first:
        return "pull_out"
    if counts["end"] >= need:
        return "pull_out"
    new_place = ctx.location is not None and ctx.location != ctx.previous_location
    if new_place or ctx.mood in TENSE_MOODS:
        return "push_in"
    return "static"
