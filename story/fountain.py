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
_TITLE_KEY = re.compile(
    r"(?:title|credit|author|authors|source|draft date|date|contact|copyright|notes|revision|format)\s*:", re.IGNORECASE
)
_BONEYARD = ("/*", "*/")
_NOTE = ("[[", "]]")
_COMMON_TRANSITIONS = ("FADE IN:", "FADE OUT.", "FADE OUT", "FADE TO BLACK.", "FADE TO BLACK", "THE END")
_DASHES = frozenset("-–—")
_DOUBLE_DASH = re.compile(r"-{2,}+")
# Heading time words and the engine's time-of-day labels (describe.TIME_OF_DAY's keys, and 'day').
_TIME_LABELS = {
    "DAY": "day",
    "DAYTIME": "day",
    "NIGHT": "night",
    "LATE NIGHT": "night",
    "NIGHTTIME": "night",
    "MIDNIGHT": "night",
    "MORNING": "morning",
    "EARLY MORNING": "morning",
    "LATE MORNING": "morning",
    "AFTERNOON": "afternoon",
    "LATE AFTERNOON": "afternoon",
    "EVENING": "evening",
    "DUSK": "evening",
    "SUNSET": "evening",
    "TWILIGHT": "evening",
    "MAGIC HOUR": "evening",
    "DAWN": "dawn",
    "SUNRISE": "dawn",
    "DAYBREAK": "dawn",
    "NOON": "noon",
    "MIDDAY": "noon",
}
_CONTINUITY = frozenset(
    ["CONTINUOUS", "CONT", "CONT'D", "SAME", "SAME TIME", "LATER", "MOMENTS LATER", "MINUTES LATER", "SECONDS LATER"]
)
_HEADING_TAGS = frozenset(
    [
        "FLASHBACK",
        "PRESENT",
        "PRESENT DAY",
        "DREAM",
        "MONTAGE",
        "SERIES",
        "INTERCUT",
        "BACK",
        "END",
        "ESTABLISHING",
        "MOVING",
        "CONTINUING",
    ]
)
_HEADING_ABBREVIATIONS = {"RM": "Room", "APT": "Apartment", "APT.": "Apartment", "BLDG": "Building", "HQ": "HQ"}
_SMALL_WORDS = frozenset(["of", "the", "and", "a", "an", "in", "on", "at", "to", "by", "for", "with"])
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
    continuous: bool = False  # SAME, CONTINUOUS, LATER: the previous scene's time goes on
    year: str | None = None


def mask_ignored(text: str) -> str:
    """Blank out boneyard and notes, keeping every offset and line break."""

    return _blank_spans(_blank_spans(text, *_BONEYARD), *_NOTE)


def _blank_spans(text: str, opener: str, closer: str) -> str:
    """Blank each `opener`...`closer` span (the nearest closer), in one left-to-right pass.

    A lazy `opener.*?closer` regex rescans the rest of the text from every unclosed
    opener, which is quadratic; here, once no closer follows, no later opener can close.
    """
    pieces: list[str] = []
    pos = 0
    while True:
        start = text.find(opener, pos)
        if start < 0:
            break
        stop = text.find(closer, start + len(opener))
        if stop < 0:
            break
        stop += len(closer)
        pieces.append(text[pos:start])
        span = text[start:stop]
        pieces.append("".join("\n" if c == "\n" else " " for c in span))
        pos = stop
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


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
    name = s.strip().rstrip("^").strip().lstrip("@").rstrip()
    while name.endswith(")"):  # trailing '(V.O.)', '(CONT'D)'; scanned from the end, so linear
        opening = name.rfind("(")
        if opening < 0 or name.find(")", opening) != len(name) - 1:
            break
        name = name[:opening].rstrip()
    return name.strip()


def strip_scene_number(s: str) -> str:
    """`s` without a trailing Fountain scene number ('INT. HOUSE - DAY #12A#')."""
    body = s.rstrip()
    if body.endswith("#"):
        opening = body.rfind("#", 0, len(body) - 1)
        number = body[opening + 1 : -1]
        if opening >= 0 and number and not any(c.isspace() or c == "#" for c in number):
            return body[:opening].rstrip()
    return body


def parse_heading(s: str) -> Heading:
    """Title, location and time of day of a scene heading line.

    The location is the heading's place in title case ('EXT. SAN DIEGO APARTMENT - DAY'
    -> 'San Diego Apartment'), without the time, continuity tags (SAME, CONTINUOUS,
    LATER), years and bracketed notes ('(1985)', 'FLASHBACK'). A continuity tag sets
    `continuous`: the scene keeps the previous scene's time of day.
    """
    title = strip_scene_number(s.strip())
    forced = bool(_FORCED_HEADING.match(title))
    if forced:
        title = title[1:].strip()
    rest = title
    prefix = _HEADING.match(title + " ")
    if prefix and not forced:
        rest = title[prefix.end() - 1 :].strip(" .")
    time_of_day: str | None = None
    continuous = False
    year: str | None = None
    kept: list[str] = []
    for part in _heading_parts(rest):
        label, cont, part_year, place = _read_heading_part(part)
        time_of_day = time_of_day or label
        continuous = continuous or cont
        year = year or part_year
        if place:
            kept.append(place)
    location = _place_case(" - ".join(kept)) if kept and (prefix or not forced) else None
    return Heading(
        title=" ".join(title.split()),
        location=location or None,
        time_of_day=time_of_day,
        continuous=continuous and time_of_day is None,
        year=year,
    )


def _heading_parts(rest: str) -> list[str]:
    """The dash-separated parts of a heading ('HOUSE - KITCHEN -- NIGHT'), in one pass over its words."""
    parts: list[list[str]] = [[]]
    for word in rest.split():
        if all(c in _DASHES for c in word):
            parts.append([])
            continue
        pieces = _DOUBLE_DASH.split(word)
        for i, piece in enumerate(pieces):
            if i:
                parts.append([])
            if piece:
                parts[-1].append(piece)
    return [" ".join(p).strip(" .,") for p in parts if " ".join(p).strip(" .,")]


def _read_heading_part(part: str) -> tuple[str | None, bool, str | None, str]:
    """(time of day, continuity tag, year, what is left as place) of one heading part."""
    words = part.replace("(", " ").replace(")", " ").replace(",", " ").replace("/", " ").split()
    label: str | None = None
    continuous = False
    year: str | None = None
    place: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i : i + 2]).upper()
        one = words[i].upper().rstrip(".")
        if two in _TIME_LABELS or two in _CONTINUITY:
            label = label or _TIME_LABELS.get(two)
            continuous = continuous or two in _CONTINUITY
            i += 2
            continue
        if one in _TIME_LABELS:
            label = label or _TIME_LABELS[one]
        elif one in _CONTINUITY:
            continuous = True
        elif len(one) == 4 and one.isdigit() and one[:2] in ("18", "19", "20"):
            year = year or one
        elif one in _HEADING_TAGS:
            pass
        else:
            place.append(words[i])
        i += 1
    return label, continuous, year, " ".join(place)


def _place_case(s: str) -> str:
    """Title case for an upper-case heading, keeping words the writer cased ('McCoy's', 'iPhone')."""
    out = []
    for i, word in enumerate(s.split()):
        if not word.isupper():
            out.append(word)
        elif word in _HEADING_ABBREVIATIONS:
            out.append(_HEADING_ABBREVIATIONS[word])
        elif i and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        elif any(c.isdigit() for c in word) or (len(word) <= 3 and "." in word):
            out.append(word)  # 'RM 12', 'B-52', 'U.S.'
        else:
            out.append("-".join(_cap_word(p) for p in word.split("-")))
    return " ".join(out)


def _cap_word(word: str) -> str:
    """'BRICK'S' -> 'Brick's', 'O'NEIL' -> 'O'Neil', 'MCCOY' -> 'McCoy'."""
    lower = word.lower()
    if len(lower) > 2 and lower[1] in "'’" and lower[0] in "od":
        return lower[0].upper() + lower[1] + lower[2:].capitalize()
    if len(lower) > 3 and lower.startswith("mc"):
        return "Mc" + lower[2:].capitalize()
    return lower[:1].upper() + lower[1:]


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
    body = strip_scene_number(s[1:]).strip()
    return 0 < len(body) <= 60 and body[-1] not in ".,;!?" and len(body.split()) <= 10
