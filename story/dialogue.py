"""The lines spoken in a scene, and who speaks them.

A screenplay says it: a character cue, then its dialogue. Prose says it the way
a reader follows it: the speech tag next to the quotation ("said Tessa", "Tessa
asked", "said the Ferryman", "she whispered"), a tag before it ("Tessa said:"),
the one character the paragraph's narration names, or, in a two-person exchange
of untagged lines, the turn after the other speaker's. A line nobody can be
given to is kept with an empty `character`, so a voice track still reads it.
Every scan here is a single pass over the scene text (no backtracking regex).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import fountain
from .types import DialogueLine

MAX_LINE_CHARS = 600
_TAG_WINDOW = 90
_QUOTES = {"“": "”", '"': '"', "«": "»", "‘": "’"}
SPEECH_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "asked",
        "asks",
        "replied",
        "replies",
        "answered",
        "answers",
        "cried",
        "cries",
        "shouted",
        "shouts",
        "whispered",
        "whispers",
        "exclaimed",
        "called",
        "calls",
        "muttered",
        "mutters",
        "murmured",
        "murmurs",
        "added",
        "adds",
        "continued",
        "began",
        "snapped",
        "growled",
        "laughed",
        "sighed",
        "yelled",
        "screamed",
        "demanded",
        "insisted",
        "admitted",
        "agreed",
        "explained",
        "repeated",
        "returned",
        "observed",
        "remarked",
        "inquired",
        "enquired",
        "rejoined",
        "responded",
        "protested",
        "declared",
        "announced",
        "warned",
        "suggested",
        "urged",
        "pleaded",
        "begged",
        "roared",
        "hissed",
        "breathed",
        "stammered",
        "sobbed",
        "croaked",
        "sang",
        "told",
        "tells",
        "went",
        "interrupted",
        "teased",
        "grumbled",
        "gasped",
        "retorted",
        "wondered",
        "thought",
    ]
)
_PRONOUNS = frozenset(["he", "she", "they", "i", "we", "it"])
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*+")
_OPENER = re.compile(r"[“\"«]|(?<![A-Za-z])‘")  # an opening single quote inside a word is an apostrophe


@dataclass(frozen=True)
class _Quote:
    start: int
    end: int  # after the closing mark (or the paragraph's end when unclosed)
    text: str


def screenplay_lines(
    elements: list[fountain.Element], start: int, end: int, name_of: dict[str, str]
) -> list[DialogueLine]:
    """Cue + dialogue pairs inside text[start:end]; parentheticals are acting notes, not words."""
    lines: list[DialogueLine] = []
    speaker: str | None = None
    words: list[str] = []
    for element in elements:
        if element.start < start or element.start >= end:
            continue
        if element.kind == "character":
            _flush(lines, speaker, words)
            cue = fountain.cue_name(element.text)
            speaker = name_of.get(cue.upper(), _display(cue))
            words = []
        elif element.kind == "dialogue" and speaker is not None:
            words.append(element.text)
        elif element.kind != "parenthetical":
            _flush(lines, speaker, words)
            speaker, words = None, []
    _flush(lines, speaker, words)
    return lines


def _flush(lines: list[DialogueLine], speaker: str | None, words: list[str]) -> None:
    if speaker is not None and words:
        lines.append(DialogueLine(character=speaker, text=_cap(" ".join(" ".join(words).split()))))


def _display(raw: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in raw.split())


class Speakers:
    """Finds who speaks: character names, aliases and epithets ('the ferryman') mapped to their character."""

    def __init__(self, aliases: dict[str, str]) -> None:
        # words are compared without their full stops, as `names_in` reads them: 'Mr. Bingley' is 'mr bingley'
        self._by_lower = {_undotted(a).lower(): name for a, name in aliases.items() if a.strip()}
        # first word -> the word counts of the aliases it starts, longest first: one dict look-up per word
        self._sizes: dict[str, list[int]] = {}
        for alias in self._by_lower:
            words = alias.split()
            self._sizes.setdefault(words[0], []).append(len(words))
        for sizes in self._sizes.values():
            sizes.sort(reverse=True)

    def names_in(self, text: str) -> list[tuple[int, str]]:
        """(offset, character) for each alias in `text`, longest alias first at each word, in order."""
        words = [(m.start(), m.end(), m.group(0).rstrip(".")) for m in _WORD.finditer(text)]
        found: list[tuple[int, str]] = []
        i = 0
        while i < len(words):
            hit = None
            first = words[i][2].lower()
            sizes = self._sizes.get(first) or self._sizes.get(_strip_possessive(first)) or ()
            for size in sizes:
                if i + size > len(words):
                    continue
                chunk = " ".join(w[2] for w in words[i : i + size])
                key = _strip_possessive(chunk).lower()
                if key in self._by_lower and (size > 1 or chunk[:1].isupper() or key.startswith("the ")):
                    hit = (words[i][0], self._by_lower[key], size)
                    break
            if hit:
                found.append((hit[0], hit[1]))
                i += hit[2]
            else:
                i += 1
        return found

    def first_in(self, text: str) -> str | None:
        names = self.names_in(text)
        return names[0][1] if names else None


def _undotted(alias: str) -> str:
    return " ".join(w.rstrip(".") for w in alias.split())


def _strip_possessive(chunk: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if chunk.endswith(suffix):
            return chunk[: -len(suffix)]
    return chunk


def prose_lines(text: str, start: int, end: int, speakers: Speakers) -> list[DialogueLine]:
    """Quotations in text[start:end] with the speaker the text gives them.

    Names are looked up only where a quotation needs them (its paragraph, the narration
    before a pronoun tag), so narration without dialogue costs one scan for quote marks.
    """
    lines: list[DialogueLine] = []
    last: list[str] = []  # the attributed speakers so far, most recent last
    previous_paragraph_end = -1
    narrations: list[tuple[int, int]] = []  # the paragraphs before, for a pronoun tag's antecedent
    for p_start, p_end in _paragraphs(text, start, end):
        quotes = _quotations(text, p_start, p_end)
        if not quotes:
            narrations.append((p_start, p_end))
            del narrations[:-3]
            previous_paragraph_end = -1
            continue
        narration = _outside(text, p_start, p_end, quotes)
        paragraph_names: list[str] | None = None  # looked up only when a quotation has no tag
        for k, quote in enumerate(quotes):
            after_end = quotes[k + 1].start if k + 1 < len(quotes) else p_end
            before_start = quotes[k - 1].end if k else p_start

            def antecedent(q: _Quote = quote, p: int = p_start) -> str | None:
                for a, b in [(p, q.start), *reversed(narrations)]:
                    names = speakers.names_in(text[a:b])
                    if names:
                        return names[-1][1]
                return None

            speaker = _tag_after(text[quote.end : min(after_end, quote.end + _TAG_WINDOW)], speakers, antecedent)
            if speaker is None:
                speaker = _tag_before(text[max(before_start, quote.start - _TAG_WINDOW) : quote.start], speakers)
            if speaker is None and k and lines and lines[-1].character:
                speaker = lines[-1].character  # the same paragraph goes on with the same speaker
            if speaker is None:
                if paragraph_names is None:
                    paragraph_names = [n for _, n in speakers.names_in(narration)]
                speaker = paragraph_names[0] if paragraph_names else None
            if (
                speaker is None
                and len(quotes) == 1
                and not narration.strip()
                and len(set(last[-2:])) == 2
                and previous_paragraph_end >= 0
            ):
                speaker = last[-2]  # an untagged turn in a two-person exchange
            if speaker:
                last.append(speaker)
            lines.append(DialogueLine(character=speaker or "", text=quote.text))
        if narration.strip():
            narrations.append((p_start, p_end))
            del narrations[:-3]
        previous_paragraph_end = p_end
    return lines


def _tag_after(window: str, speakers: Speakers, antecedent: Callable[[], str | None]) -> str | None:
    """', said Tessa.' ', Tessa asked' ', said the ferryman' ', she whispered' right after a quotation."""
    words = _WORD.findall(window.split("\n\n")[0])[:6]
    if not words:
        return None
    lowered = [w.lower().rstrip(".") for w in words]
    if lowered[0] in SPEECH_VERBS:
        return speakers.first_in(" ".join(words[1:5])) or None
    for i in range(1, min(4, len(lowered))):
        if lowered[i] in SPEECH_VERBS:
            subject = " ".join(words[:i])
            named = speakers.first_in(subject)
            if named:
                return named
            if lowered[0] in _PRONOUNS and i == 1:
                return antecedent()
            return None
    return None


def _tag_before(window: str, speakers: Speakers) -> str | None:
    """'Tessa said, “…' or 'Tessa:' right before a quotation (the last clause of the narration)."""
    stripped = window.rstrip()
    if not stripped.endswith((",", ":")):
        return None
    clause = stripped.rsplit(".", 1)[-1]
    words = _WORD.findall(clause)
    if not words:
        return None
    if stripped.endswith(":") or any(w.lower() in SPEECH_VERBS for w in words[-4:]):
        return speakers.first_in(clause)
    return None


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        stop = text.find("\n\n", pos, end)
        if stop < 0:
            stop = end
        if text[pos:stop].strip():
            spans.append((pos, stop))
        pos = stop + 2
    return spans


def _quotations(text: str, start: int, end: int) -> list[_Quote]:
    """Quoted spans in one paragraph; an unclosed quotation runs to the paragraph's end (novels do that)."""
    quotes: list[_Quote] = []
    pos = start
    while pos < end:
        found = _OPENER.search(text, pos, end)
        if found is None:
            break
        opening = found.start()
        closer = _QUOTES[found.group(0)]
        close = _find_closer(text, closer, opening + 1, end)
        stop = end if close < 0 else close
        words = " ".join(text[opening + 1 : stop].split())
        if any(c.isalpha() for c in words):
            quotes.append(_Quote(opening, stop + 1 if close >= 0 else end, _cap(words)))
        pos = (close + 1) if close >= 0 else end
    return quotes


def _find_closer(text: str, closer: str, pos: int, end: int) -> int:
    """The closing mark; a right single quote followed by a letter is an apostrophe ("don't"), not a closer."""
    at = text.find(closer, pos, end)
    while closer == "’" and at >= 0 and at + 1 < end and text[at + 1].isalpha():
        at = text.find(closer, at + 1, end)
    return at


def _outside(text: str, start: int, end: int, quotes: list[_Quote]) -> str:
    pieces: list[str] = []
    pos = start
    for q in quotes:
        pieces.append(text[pos : q.start])
        pos = q.end
    pieces.append(text[pos:end])
    return " ".join(pieces)


def _cap(words: str) -> str:
    if len(words) <= MAX_LINE_CHARS:
        return words
    cut = words.rfind(" ", 0, MAX_LINE_CHARS)
    return words[: cut if cut > 0 else MAX_LINE_CHARS] + "…"
