"""A compact Fountain (https://fountain.io/syntax) reader that keeps character offsets.

Existing Python parsers (screenplain, fountain.py) strip boneyard and notes
before parsing and return elements without positions in the source, which a
segmenter that must return exact spans cannot use; hence this reader.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_HEADING = re.compile(r"(?:INT\.?/EXT|INT/EXT|EXT\.?/INT|I/E|INT|EXT|EST)[.\s]", re.IGNORECASE)
_FORCED_HEADING = re.compile(r"\.[^.\s]")
_STRICT_HEADING = re.compile(r"(?:INT\./EXT|INT/EXT|EXT\./INT|I/E|INT|EXT|EST)\.\s+\S")
_SCENE_NUMBER = re.compile(r"\s*#[^#\s]+#\s*$")
_TITLE_KEY = re.compile(
    r"(?:title|credit|author|authors|source|draft date|date|contact|copyright|notes|revision|format)\s*:", re.IGNORECASE
)
_BONEYARD = re.compile(r"/\*.*?\*/", re.DOTALL)
_NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)
_EXTENSION = re.compile(r"\s*\([^()]*\)\s*$")
_COMMON_TRANSITIONS = ("FADE IN:", "FADE OUT.", "FADE OUT", "FADE TO BLACK.", "FADE TO BLACK", "THE END")
_TIME_WORDS = (
    "DAY",
    "NIGHT",
    "MORNING",
    "AFTERNOON",
    "EVENING",
    "DUSK",
    "DAWN",
    "SUNSET",
    "SUNRISE",
    "NOON",
    "MIDNIGHT",
    "CONTINUOUS",
    "LATER",
    "MOMENTS LATER",
    "SAME",
    "SAME TIME",
    "MAGIC HOUR",
)
CONTENT_KINDS = frozenset({"action", "character", "dialogue", "parenthetical", "lyric"})


@dataclass(frozen=True, slots=True)
class Element:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    title: str
    location: str | None
    time_of_day: str | None


def mask_ignored(text: str) -> str:
    """Blank out boneyard and notes, keeping every offset and line break."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _NOTE.sub(blank, _BONEYARD.sub(blank, text))


def parse(text: str) -> list[Element]:
    """Fountain elements of `text`, in order, with their offsets in `text`."""
    masked = mask_ignored(text)
    lines = _lines(masked)
    elements: list[Element] = []
    i = _skip_blank(lines, 0)
    if i < len(lines) and _TITLE_KEY.match(lines[i][2]):
        j = i
        while j < len(lines) and lines[j][2]:
            j += 1
        elements.append(Element("title_page", lines[i][0], lines[j - 1][1], ""))
        i = j
    prev_blank = True
    in_dialogue = False
    while i < len(lines):
        start, end, s = lines[i]
        if not s:
            prev_blank, in_dialogue = True, False
            i += 1
            continue
        next_blank = i + 1 >= len(lines) or not lines[i + 1][2]
        kind = _classify(s, prev_blank, next_blank, in_dialogue)
        in_dialogue = kind in ("character", "dialogue", "parenthetical")
        elements.append(Element(kind, start, end, s))
        prev_blank = False
        i += 1
    return elements


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of each line; start/end bound the stripped content."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        out.append((pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _skip_blank(lines: list[tuple[int, int, str]], i: int) -> int:
    while i < len(lines) and not lines[i][2]:
        i += 1
    return i


def _classify(s: str, prev_blank: bool, next_blank: bool, in_dialogue: bool) -> str:
    if _STRICT_HEADING.match(s) and not any(c.islower() for c in s):
        return "heading"  # 'INT. KITCHEN - DAY' is a heading even with no blank line before it
    if in_dialogue:
        return "parenthetical" if s.startswith("(") and s.endswith(")") else "dialogue"
    if s.startswith("!"):
        return "action"
    if prev_blank and (_HEADING.match(s + " ") or _FORCED_HEADING.match(s)):
        return "heading"
    if s.startswith(">"):
        return "centered" if s.endswith("<") else "transition"
    if s.startswith("==="):
        return "page_break"
    if s.startswith("#"):
        return "section"
    if s.startswith("="):
        return "synopsis"
    if s.startswith("~"):
        return "lyric"
    upper = s.upper() == s
    if upper and (s.endswith("TO:") or s in _COMMON_TRANSITIONS) and (prev_blank or s.startswith("FADE")):
        return "transition"
    if prev_blank and not next_blank and (s.startswith("@") or _is_caps_cue(s)):
        return "character"
    return "action"


def _is_caps_cue(s: str) -> bool:
    name = cue_name(s)
    return (
        bool(name)
        and any(c.isalpha() for c in name)
        and not any(c.islower() for c in name)
        and len(name) <= 40
        and len(name.split()) <= 5
        and not name.endswith(":")
    )


def cue_name(s: str) -> str:
    """The speaker's name in a character cue, without extensions, `@` or dual-dialogue `^`."""
    name = s.strip().rstrip("^").strip().lstrip("@")
    while True:
        trimmed = _EXTENSION.sub("", name)
        if trimmed == name:
            break
        name = trimmed
    return name.strip()


def parse_heading(s: str) -> Heading:
    """Title, location and time of day of a scene heading line."""
    title = _SCENE_NUMBER.sub("", s.strip())
    forced = bool(_FORCED_HEADING.match(title))
    if forced:
        title = title[1:].strip()
    rest = title
    prefix = _HEADING.match(title + " ")
    if prefix and not forced:
        rest = title[prefix.end() - 1 :].strip(" .")
    parts = [p.strip(" .,") for p in re.split(r"\s+[-–—]+\s+|--+|\s+[-–—]$", rest) if p.strip(" .,")]
    time_of_day = None
    if len(parts) > 1 and parts[-1].upper() in _TIME_WORDS:
        time_of_day = parts.pop().lower()
    location = _place_case(" - ".join(parts)) if parts and (prefix or not forced) else None
    return Heading(title=title, location=location or None, time_of_day=time_of_day)


def _place_case(s: str) -> str:
    return " ".join(w.capitalize() if w.isupper() and len(w) > 3 else w for w in s.split())


def looks_like_screenplay(elements: list[Element]) -> bool:
    """Format detection: scene headings backed by dialogue cues, or many cues and transitions.

    Forced headings ('.FLASHBACK') count only beside at least two character cues
    that are each followed by dialogue, so prose with a line or two starting with
    '.' stays prose.
    """
    headings = sum(1 for e in elements if e.kind == "heading" and not e.text.startswith("."))
    forced = sum(1 for e in elements if e.kind == "heading" and e.text.startswith(".") and _heading_shaped(e.text))
    cues = sum(
        1
        for e, nxt in itertools.pairwise(elements)
        if e.kind == "character" and nxt.kind in ("dialogue", "parenthetical")
    )
    transitions = sum(1 for e in elements if e.kind == "transition")
    if forced >= 2 and cues >= 2:
        return True
    return headings >= 2 or (headings >= 1 and cues >= 2) or (cues >= 4 and transitions >= 1)


def _heading_shaped(s: str) -> bool:
    """A short line that does not read as a sentence: '.FLASHBACK - 1985', '.the roof'."""
    body = _SCENE_NUMBER.sub("", s[1:]).strip()
    return 0 < len(body) <= 60 and body[-1] not in ".,;!?" and len(body.split()) <= 10
