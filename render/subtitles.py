"""Subtitles from the scenes' dialogue: the cue list, SRT and WebVTT.

What goes on screen: each scene's dialogue lines, in order, as "Name: line" (an animatic has no
voices, so the viewer needs to know who speaks; `speakers=False` drops the names). A scene without
dialogue shows nothing by default, because an editor expects a subtitle track to carry what is
spoken and nothing else (a scene's description travels as a marker in the timelines and as text
in the PDF). `narration=True` adds, for each scene without dialogue, its description (or its
text when it has no description) as a narration cue, the way a voice-over script would read.

Timing: a scene's lines share the scene's slot (`start_ms`, `duration_ms`) in proportion to
their length plus a constant, so a short "Yes." still stays up long enough to be read, and
the cues of one scene tile its slot exactly: the first starts when the scene starts and the
last ends when it ends, so captions cut with the pictures. A line too long for one cue (more
than two subtitle lines of `MAX_LINE_CHARS`) is split at word boundaries into several cues that
share the line's time in proportion to their length.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from render.types import ProjectSheet, SceneSheet

MAX_LINE_CHARS = 42  # the usual broadcast limit for one subtitle line
MAX_LINES = 2
# Added to each text's length when sharing a slot, so very short lines are not flashed.
WEIGHT_FLOOR_CHARS = 12

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Cue:
    """One subtitle on screen: its time span in milliseconds and its text, already wrapped."""

    index: int  # from 1, as SRT numbers them
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    scene_index: int
    speaker: str | None = None  # None for narration

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def wrap(text: str, width: int = MAX_LINE_CHARS) -> list[str]:
    """The text in subtitle lines of at most `width` characters, broken at spaces (a longer word stays whole)."""
    return textwrap.wrap(_clean(text), width=width, break_long_words=False, break_on_hyphens=False) or []


def _chunks(text: str) -> list[list[str]]:
    """The text as screenfuls of at most MAX_LINES wrapped lines, balanced so no screenful is nearly empty."""
    lines = wrap(text)
    if len(lines) <= MAX_LINES:
        return [lines] if lines else []
    screens = -(-len(lines) // MAX_LINES)
    # Rewrap each screenful's share of the words so two-line cues come out even.
    words = _clean(text).split(" ")
    total = sum(len(w) + 1 for w in words)
    out: list[list[str]] = []
    current: list[str] = []
    used = 0
    for word in words:
        current.append(word)
        used += len(word) + 1
        if len(out) < screens - 1 and used >= total * (len(out) + 1) / screens:
            out.append(wrap(" ".join(current)))
            current = []
    if current:
        out.append(wrap(" ".join(current)))
    # A screenful that still wraps to more than MAX_LINES (very uneven words) is split again.
    fixed: list[list[str]] = []
    for screen in out:
        for i in range(0, len(screen), MAX_LINES):
            fixed.append(screen[i : i + MAX_LINES])
    return fixed


def _share(start_ms: int, duration_ms: int, weights: list[int]) -> list[tuple[int, int]]:
    """Split [start, start + duration) into consecutive spans proportional to the weights, ends exact."""
    total = sum(weights)
    spans: list[tuple[int, int]] = []
    acc = 0
    previous = start_ms
    for weight in weights:
        acc += weight
        end = start_ms + (duration_ms * acc) // total
        spans.append((previous, end))
        previous = end
    return spans


def _scene_texts(scene: SceneSheet, *, speakers: bool, narration: bool) -> list[tuple[str | None, str]]:
    texts: list[tuple[str | None, str]] = []
    for line in scene.dialogue:
        spoken = _clean(line.text)
        if not spoken:
            continue
        name = _clean(line.character) or None
        texts.append((name, f"{name}: {spoken}" if speakers and name else spoken))
    if not texts and narration:
        told = _clean(scene.description) or _clean(scene.text)
        if told:
            texts.append((None, told))
    return texts


def cues(project: ProjectSheet, *, speakers: bool = True, narration: bool = False) -> list[Cue]:
    """The subtitle cues of the whole project in time order, each inside its scene's slot."""
    out: list[Cue] = []
    for scene in sorted(project.scenes, key=lambda s: s.start_ms):
        if scene.duration_ms <= 0:
            continue
        texts = _scene_texts(scene, speakers=speakers, narration=narration)
        if not texts:
            continue
        line_spans = _share(scene.start_ms, scene.duration_ms, [len(t) + WEIGHT_FLOOR_CHARS for _, t in texts])
        for (speaker, text), (start, end) in zip(texts, line_spans, strict=True):
            screens = _chunks(text)
            screen_spans = _share(start, end - start, [sum(len(x) for x in s) + WEIGHT_FLOOR_CHARS for s in screens])
            for screen, (s_start, s_end) in zip(screens, screen_spans, strict=True):
                if s_end <= s_start:
                    continue  # a slot too short to give this screenful even a millisecond
                out.append(
                    Cue(
                        index=len(out) + 1,
                        start_ms=s_start,
                        end_ms=s_end,
                        lines=tuple(screen),
                        scene_index=scene.index,
                        speaker=speaker,
                    )
                )
    return out


def _timestamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def srt_from_cues(items: list[Cue]) -> str:
    """SubRip text of the cues (numbered from 1, comma before the milliseconds, a blank line between cues)."""
    blocks = [
        f"{i}\n{_timestamp(c.start_ms, ',')} --> {_timestamp(c.end_ms, ',')}\n{c.text}\n"
        for i, c in enumerate(items, start=1)
    ]
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt_from_cues(items: list[Cue]) -> str:
    """WebVTT text of the cues, with the markup characters escaped (so "-->" in a line cannot end a timing)."""
    blocks = ["WEBVTT\n"]
    for i, c in enumerate(items, start=1):
        timing = f"{_timestamp(c.start_ms, '.')} --> {_timestamp(c.end_ms, '.')}"
        blocks.append(f"{i}\n{timing}\n{_vtt_escape(c.text)}\n")
    return "\n".join(blocks)


def srt(project: ProjectSheet, *, speakers: bool = True, narration: bool = False) -> str:
    """The project's subtitles as SubRip (.srt)."""
    return srt_from_cues(cues(project, speakers=speakers, narration=narration))


def webvtt(project: ProjectSheet, *, speakers: bool = True, narration: bool = False) -> str:
    """The project's subtitles as WebVTT (.vtt)."""
    return webvtt_from_cues(cues(project, speakers=speakers, narration=narration))
