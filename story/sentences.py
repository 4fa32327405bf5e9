"""Sentence units: spans of the text that scenes are built from.

Every non-blank character of the text lies in exactly one unit. A line break
ends a unit unless the text is hard-wrapped prose; a blank line always does.
Pieces with no sentence punctuation are cut into chunks of bounded length so
that even one enormous line yields enough units to make scenes from.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

MAX_UNIT_CHARS = 1000
_MIN_CHUNK_CHARS = MAX_UNIT_CHARS // 2

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "mme",
        "mlle",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "rev",
        "gen",
        "col",
        "capt",
        "cpt",
        "lt",
        "sgt",
        "maj",
        "cmdr",
        "adm",
        "mt",
        "ft",
        "vs",
        "etc",
        "no",
        "nos",
        "vol",
        "ch",
        "fig",
        "co",
        "corp",
        "inc",
        "ltd",
        "esq",
        "hon",
        "gov",
        "pres",
        "supt",
        "sen",
        "rep",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "e.g",
        "i.e",
        "cf",
        "viz",
        "al",
        "approx",
        "dept",
        "est",
        "int",
        "ext",
        "v.o",
        "o.s",
        "o.c",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "ave",
        "blvd",
        "rd",
    ]
)
# A run of stop marks, its closing quotes or brackets, then whitespace. The run is matched
# possessively and only from its first mark: a run that is not followed by whitespace
# fails once, in time proportional to its length, instead of being retried from every mark
# (the old nested `(?:\.{2,}|[.!?…])+` backtracked exponentially on 'Wait....what').
_WESTERN_STOP = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]»]*+(?=\s)")
_CJK_STOP = re.compile(r"[。！？]+[」』”’)）]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’]*)$")
_OPENERS = frozenset("\"'“‘([«¿¡—-*_")
_TERMINAL = frozenset(".!?…:;\"'”’)»。！？")
_GLUE = frozenset("\u200d\ufe0e\ufe0f")


@dataclass(frozen=True, slots=True)
class Unit:
    start: int
    end: int
    para_start: bool
    line_start: bool


def split_units(text: str, *, line_mode: bool | None = None) -> list[Unit]:
    """Split `text` into ordered sentence units; `line_mode` forces line breaks to end units."""
    paragraphs = _paragraphs(text)
    if line_mode is None:
        line_mode = not _looks_hard_wrapped(text, paragraphs)
    units: list[Unit] = []
    for lines in paragraphs:
        first = True
        chunks = lines if line_mode else [(lines[0][0], lines[-1][1])]
        for start, end in chunks:
            for i, (s, e) in enumerate(_sentences_in(text, start, end)):
                units.append(Unit(s, e, para_start=first, line_start=(i == 0)))
                first = False
    return units


def _paragraphs(text: str) -> list[list[tuple[int, int]]]:
    """Non-blank lines, as (start, end) of their stripped content, grouped by blank lines."""
    paragraphs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        line = text[pos:nl]
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            current.append((pos + lead, pos + lead + len(stripped)))
        elif current:
            paragraphs.append(current)
            current = []
        pos = nl + 1
    if current:
        paragraphs.append(current)
    return paragraphs


def _looks_hard_wrapped(text: str, paragraphs: list[list[tuple[int, int]]]) -> bool:
    """True when line breaks inside paragraphs mostly fall mid-sentence (wrapped prose)."""
    breaks = continuations = 0
    for lines in paragraphs:
        for (_, end), (nxt, _) in itertools.pairwise(lines):
            breaks += 1
            if text[end - 1] not in _TERMINAL and text[nxt].islower():
                continuations += 1
    return breaks >= 3 and continuations >= 0.25 * breaks


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], stripped, bounded in length."""
    cuts = [start]
    for match in _WESTERN_STOP.finditer(text, start, end):
        if _is_sentence_end(text, match, end):
            cuts.append(match.end())
    for match in _CJK_STOP.finditer(text, start, end):
        cuts.append(match.end())
    cuts.append(end)
    if len(cuts) > 2:
        cuts = sorted(set(cuts))
    spans: list[tuple[int, int]] = []
    for s, e in itertools.pairwise(cuts):
        s, e = _strip(text, s, e)
        if s < e:
            spans.extend(_bounded(text, s, e))
    return spans


def _is_sentence_end(text: str, match: re.Match[str], end: int) -> bool:
    nxt = match.end()
    while nxt < end and text[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return False
    following = text[nxt]
    if not (
        following.isupper()
        or following.isdigit()
        or following in _OPENERS
        or (following.isalpha() and not following.islower())
    ):
        return False
    stop = match.group(0)
    if stop[0] == "." and not stop.startswith(".."):
        word = _WORD_BEFORE.search(text, max(0, match.start() - 24), match.start())
        if word:
            token = word.group(1)
            if (len(token) == 1 and token.isupper()) or token.lower() in ABBREVIATIONS:
                return False
    return True


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _bounded(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut an over-long span into chunks, at whitespace where there is some."""
    if e - s <= MAX_UNIT_CHARS:
        return [(s, e)]
    pieces: list[tuple[int, int]] = []
    while e - s > MAX_UNIT_CHARS:
        limit = s + MAX_UNIT_CHARS
        cut = max(
            text.rfind(" ", s + _MIN_CHUNK_CHARS, limit),
            text.rfind("\n", s + _MIN_CHUNK_CHARS, limit),
            text.rfind("\t", s + _MIN_CHUNK_CHARS, limit),
        )
        if cut <= s:
            cut = _safe_cut(text, limit, e)
        piece = _strip(text, s, cut)
        if piece[0] < piece[1]:
            pieces.append(piece)
        s, e = _strip(text, cut, e)
    if s < e:
        pieces.append((s, e))
    return pieces


def _safe_cut(text: str, cut: int, end: int) -> int:
    """Move a hard cut forward so it never separates a character from its combining marks."""
    limit = min(end, cut + 16)
    while cut < limit and (
        unicodedata.combining(text[cut])
        or text[cut] in _GLUE
        or text[cut - 1] in _GLUE
        or 0x1F3FB <= ord(text[cut]) <= 0x1F3FF
    ):
        cut += 1
    return cut
