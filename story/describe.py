"""Per-scene details read from the text: title, description, place, time of day, mood."""

from __future__ import annotations

import re
from collections import Counter

from .lexicon import MOOD_OF_WORD, PLACE_FIXTURES, PLACE_NOUNS, STOPWORDS, TIME_OF_DAY

MAX_TITLE_WORDS = 8
KEY_SENTENCES = 3
MAX_DESCRIPTION_CHARS = 600

_TIME_OF_WORD = {w: label for label, words in TIME_OF_DAY.items() for w in words}
_WORD = re.compile(r"[a-z][a-z'’-]*")
# Where a scene is: 'in the kitchen', 'by the river', 'at the edge of the wood'. Not 'toward the reef' or
# 'from the forest', which name where someone goes or comes from.
_PLACE_PHRASE = re.compile(
    r"\b(?i:in|at|into|inside|outside|within|to|near|by|beside|past|on|under|beneath|along|over|behind|across|"
    r"through|around|reached|entered|(?:edge|end|side|middle|heart|top|foot|bottom|shore|bank)s?\s+of)\s+"
    r"(?=(?:the|a|an|his|her|their|our|my)\s+((?:[a-z-]+\s+)?[a-z-]+)\b)"
)  # a lookahead: 'edge of' is seen too
_NAMED_PLACE = re.compile(r"\b(?:in|at|into|to|near|on|by|reached|entered)\s+((?:[A-Z][a-z’']+\s?){1,3})")
SETTINGS = PLACE_NOUNS - PLACE_FIXTURES
_MARKUP = re.compile(r"[*_~>#=<\[\]]+")


def clean(text: str) -> str:
    """One-line, printable version of a span of story text."""
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(_MARKUP.sub(" ", text).split())


def title_from(sentence: str) -> str:
    words = clean(sentence).strip("\"'“”‘’ ").split()
    if not words:
        return "Untitled scene"
    title = " ".join(words[:MAX_TITLE_WORDS]).rstrip(",;:")
    return title + ("…" if len(words) > MAX_TITLE_WORDS else "")


def key_sentences(sentences: list[str]) -> str:
    """The scene itself when short, else its most content-rich sentences, kept in story order."""
    if len(sentences) <= KEY_SENTENCES:
        return _cap(clean(" ".join(sentences)))
    bags = [[w for w in _WORD.findall(s.lower()) if w not in STOPWORDS and len(w) > 2] for s in sentences]
    freq = Counter(w for bag in bags for w in set(bag))
    scores = []
    for i, bag in enumerate(bags):
        score = sum(freq[w] for w in set(bag)) / (len(bag) + 4) ** 0.5
        scores.append((-(score + (1.0 if i == 0 else 0.0)), i))
    chosen = sorted(i for _, i in sorted(scores)[:KEY_SENTENCES])
    return _cap(" ".join(clean(sentences[i]) for i in chosen))


def _cap(text: str) -> str:
    if len(text) <= MAX_DESCRIPTION_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_DESCRIPTION_CHARS)
    return text[: cut if cut > 0 else MAX_DESCRIPTION_CHARS] + "…"


def time_of_day(text: str) -> str | None:
    counts = Counter(_TIME_OF_WORD[w] for w in _WORD.findall(text.lower()) if w in _TIME_OF_WORD)
    return _most_common(counts)


def mood(text: str) -> str | None:
    counts = Counter(MOOD_OF_WORD[w] for w in _WORD.findall(text.lower()) if w in MOOD_OF_WORD)
    return _most_common(counts)


def location(text: str, known_places: set[str]) -> str | None:
    """The most mentioned setting: a named place after 'at', 'on'..., or 'the kitchen'-like phrases.

    Settings are the place nouns less the parts of a building ('the door', 'the window'),
    which a character touches or passes but which are not where a scene is drawn.
    """
    counts: Counter[str] = Counter()
    for match in _NAMED_PLACE.finditer(text):
        name = re.sub(r"[’']s$", "", match.group(1).strip())
        if name in known_places:
            counts[name] += 2
    for match in _PLACE_PHRASE.finditer(text):
        words = match.group(1).split()
        if _is_setting(words[-1]):
            counts["the " + " ".join(words)] += 1  # 'in the old mill'
        elif len(words) == 2 and _is_setting(words[0]):
            counts["the " + words[0]] += 1  # 'in a mill beside...'
    return _most_common(counts)


def _is_setting(noun: str) -> bool:
    return noun in SETTINGS or (noun.endswith("s") and noun[:-1] in SETTINGS)  # 'through the streets'


def _most_common(counts: Counter[str]) -> str | None:
    """The most frequent key; on a tie, the one seen first (Counter keeps insertion order)."""
    if not counts:
        return None
    return max(enumerate(counts.items()), key=lambda item: (item[1][1], -item[0]))[1][0]
