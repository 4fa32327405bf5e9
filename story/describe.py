"""Per-scene details read from the text: title, description, place, time of day, mood."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping

from .lexicon import (
    LIGHT_WORDS,
    LOWER,
    MOOD_OF_WORD,
    PLACE_FIXTURES,
    PLACE_NOUNS,
    POSSESSIVE_S_RE,
    PROP_NOUNS,
    STOPWORDS,
    TIME_OF_DAY,
    TIME_OF_DAY_CUES,
    UPPER,
    WEATHER_WORDS,
)

MAX_TITLE_WORDS = 8
MAX_HEADLINE_WORDS = 8
_QUOTE_OPENERS = frozenset("\"“‘'«")
# 'The next morning,' 'At dawn,' 'Years later,' 'That night' before the main clause.
_LEADING_TIME = re.compile(
    r"^(?:(?:(?:the\s++)?(?:next|following|same|one|early|late|later)\s++)?+"
    r"(?:[a-z]++\s++){0,2}?(?:morning|afternoon|evening|night|day|dawn|dusk|noon|midnight|later|week|year|years)"
    r"(?:\s++later)?+,\s*+"
    r"|(?:at|by|that|on|in)\s++(?:the\s++)?(?:[a-z]++\s++)?(?:morning|afternoon|evening|night|dawn|dusk|noon|midnight)"
    r",?\s++)",
    re.IGNORECASE,
)
_QUOTE_CLOSE = re.compile(r"[,.!?]?[\"”’]")
_CLAUSE_END = re.compile(r"[;:!?(—]|,\s++(?:and|but|while|when|as|so|then|which|who)\b|\s+(?:and then|but)\s")
_HEADLINE_TAIL = frozenset(["very", "so", "too", "just", "then", "not"])
# Where a long clause may be cut so the headline ends on a whole phrase: before a preposition or a joint.
_PREPOSITION_STARTS = frozenset(
    """up down on in into onto at to from with by for over under through across along toward towards behind
    beside past""".split()  # noqa: SIM905
)
_PHRASE_STARTS = _PREPOSITION_STARTS | frozenset(["and", "but", "while", "when", "as", "because", "which", "who"])
_HEADLINE_MIN_WORDS = 3
_OBJECTS = frozenset(["him", "them", "it", "me", "us"])  # 'She carried him' ends on its object
KEY_SENTENCES = 3
MAX_DESCRIPTION_CHARS = 600

_TIME_OF_WORD = {w: label for times in (TIME_OF_DAY, TIME_OF_DAY_CUES) for label, words in times.items() for w in words}
_WORD = re.compile(r"[a-z][a-z'’-]*")
# Where a scene is: 'in the kitchen', 'by the river', 'at the edge of the wood'. Not 'toward the reef' or
# 'from the forest', which name where someone goes or comes from.
_PLACE_PHRASE = re.compile(
    r"\b((?i:in|at|into|inside|outside|within|to|near|by|beside|past|on|under|beneath|below|above|along|over|behind|across|"
    r"through|around|reached|entered|(?:edge|end|side|middle|heart|top|foot|bottom|shore|bank)s?\s+of))\s++"
    r"(?=(?:the|a|an|his|her|their|our|my)\s+((?:[a-z-]+\s+)?[a-z-]+)\b)"
)  # a lookahead: 'edge of' is seen too
_NAMED_PLACE = re.compile(rf"\b(in|at|into|to|near|on|by|reached|entered)\s++((?:[{UPPER}][{LOWER}’']+\s?){{1,3}})")
# 'the train to Harrow', 'the road to the mill': where someone is going, not where the scene is.
_ROUTE_NOUNS = frozenset(
    [
        *("train", "bus", "coach", "tram", "ferry", "boat", "ship", "plane", "flight", "road", "path", "way"),
        *("route", "ticket", "tickets", "letter", "journey", "trip", "line", "carriage", "cab", "taxi", "car"),
    ]
)
SETTINGS = PLACE_NOUNS - PLACE_FIXTURES
_NUMBERS = {
    w: i + 1
    for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split())  # noqa: SIM905
}
_CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?::\d\d)?+(?:\s++o['’]clock)?+\s*+"
    r"(?P<suffix>a\.?m\b\.?|p\.?m\b\.?|at night|in the (?:morning|afternoon|evening))"
)
_CLOCK_HINT = re.compile(r"[ap]\.?m\b|at night|in the (?:morning|afternoon|evening)")
_NOT_NOW = frozenset(["had", "since", "until", "till", "before", "yesterday", "tomorrow", "every", "each", "previous"])
_CUES = frozenset(w for words in TIME_OF_DAY_CUES.values() for w in words)
_MARKUP = re.compile(r"[*_~>#=<\[\]]+")


def clean(text: str) -> str:
    """One-line, printable version of a span of story text."""
    if not text.isprintable():  # newlines, tabs, control characters: rare enough to do one by one
        text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(_MARKUP.sub(" ", text).split())


def title_from(sentence: str) -> str:
    words = clean(sentence).strip("\"'“”‘’ ").split()
    if not words:
        return "Untitled scene"
    title = " ".join(words[:MAX_TITLE_WORDS]).rstrip(",;:")
    return title + ("…" if len(words) > MAX_TITLE_WORDS else "")


def headline(sentences: list[str], max_words: int = MAX_HEADLINE_WORDS) -> str:
    """A short headline of what happens: the first narrative sentence's main clause, without its time phrase.

    'The next morning, Tessa walked to the studio on Cable Street.' -> 'Tessa walked to the studio'.
    Quotations are skipped when there is narration; the cut falls at a clause end or
    after `max_words`, never on a trailing function word, and has no ellipsis.
    """
    tried = 0
    for sentence in sentences:
        cleaned = clean(sentence[:400])
        if cleaned[:1] in _QUOTE_OPENERS:
            continue
        words = _headline_words(cleaned)
        if len(words) >= 2:
            return " ".join(words)[:1].upper() + " ".join(words)[1:]
        tried += 1
        if tried == 4:
            break
    for sentence in sentences[:1]:  # only quotations: the words spoken
        words = _headline_words(clean(sentence[:400]))
        if len(words) >= 2:
            return " ".join(words)[:1].upper() + " ".join(words)[1:]
    return title_from(sentences[0]) if sentences else "Untitled scene"


def _headline_words(sentence: str) -> list[str]:
    body = _LEADING_TIME.sub("", sentence).strip("\"'“”‘’ ")
    clause = _CLAUSE_END.split(body, maxsplit=1)[0]
    if sentence[:1] in _QUOTE_OPENERS:
        clause = _QUOTE_CLOSE.split(clause, maxsplit=1)[0]  # the words spoken, not the tag
    words = clause.split()
    if len(words) > MAX_HEADLINE_WORDS and words[MAX_HEADLINE_WORDS].lower() not in _PHRASE_STARTS:
        # the cut would fall inside a phrase: end before the last preposition instead
        # ('She carried him up the hundred and twelve steps…' -> 'She carried him')
        inner = [i for i in range(_HEADLINE_MIN_WORDS, MAX_HEADLINE_WORDS) if words[i].lower() in _PREPOSITION_STARTS]
        words = words[: inner[-1]] if inner else words
    words = words[:MAX_HEADLINE_WORDS]
    while words and (
        (words[-1].lower().strip(",;:") in STOPWORDS and words[-1].lower() not in _OBJECTS)
        or words[-1].lower() in _HEADLINE_TAIL
    ):
        words.pop()
    if words:
        words[-1] = words[-1].rstrip(",;:.!?")
    return words


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
    """The most frequent time-of-day word in `text` (a screenplay's action, where every word is present)."""
    counts = Counter(_TIME_OF_WORD[w] for w in _WORD.findall(text.lower()) if w in _TIME_OF_WORD)
    return _most_common(counts)


def time_of_day_evidence(sentences: list[str]) -> str | None:
    """The time of day a prose scene states it is in, or None when it does not say.

    Evidence is a clock time ('eleven at night', '6 a.m.'), or a time word that is
    not backstory or elsewhere in time: not after 'had', 'since', 'until', 'before',
    'yesterday', 'tomorrow', 'every' ('the rain had started at noon' in a scene at
    eleven at night). Meals and waking count half ('at breakfast', 'he woke'). The opening two sentences
    count double: a scene that says when it is says so first.
    """
    scores: defaultdict[str, float] = defaultdict(float)
    quoted = _quoted_spans(" ".join(sentences))
    offset = 0
    for i, sentence in enumerate(sentences):
        weight = 2.0 if i < 2 else 1.0
        lowered = sentence.lower()
        base, offset = offset, offset + len(sentence) + 1
        clocks = list(_CLOCK.finditer(lowered)) if _CLOCK_HINT.search(lowered) else []
        for match in clocks:
            label = _clock_label(match)
            if label and not _in_spans(quoted, base + match.start()):
                scores[label] += 2 * weight
        found = list(_WORD.finditer(lowered))
        words = [m.group(0) for m in found]
        for k, word in enumerate(words):
            label = _TIME_OF_WORD.get(word) or _TIME_OF_WORD.get(POSSESSIVE_S_RE.sub("", word))  # 'our night's work'
            if label is None or any(m.start() <= found[k].start() < m.end() for m in clocks):
                continue  # 'eleven at night' counted as a clock time; 'in the morning' alone is a time word
            greeting = k > 0 and words[k - 1] == "good"  # '“Good morning,” said Tessa' says when it is
            if quoted and not greeting and _in_spans(quoted, base + found[k].start()):
                continue  # '“Meet me at the bridge at night,” she said' at noon
            if any(w in _NOT_NOW for w in words[max(0, k - 4) : k]):
                continue
            scores[label] += weight * (0.5 if word in _CUES else 1.0)
    best = _most_common(scores)
    return best if best is not None and scores[best] >= 1 else None


def _clock_label(match: re.Match[str]) -> str | None:
    hour_word, suffix = match.group("hour"), match.group("suffix")
    hour = int(hour_word) if hour_word.isdigit() else _NUMBERS.get(hour_word, 0)
    if not 1 <= hour <= 12:
        return None
    if suffix in ("at night",):
        return "night" if hour >= 8 or hour <= 3 else "evening"
    if suffix in ("in the evening",):
        return "evening"
    if suffix in ("in the afternoon",):
        return "afternoon"
    if suffix in ("in the morning",):
        return "dawn" if hour <= 5 else "morning"
    pm = suffix.startswith("p")
    if pm:
        return "noon" if hour == 12 else "afternoon" if hour <= 4 else "evening" if hour <= 8 else "night"
    return "night" if hour == 12 or hour <= 3 else "dawn" if hour <= 5 else "morning"


def words_of(text: str) -> list[str]:
    """The lower-case words of a scene, once, for mood, visible details and the camera rules."""
    return _WORD.findall(text.lower())


def mood(text: str, words: list[str] | None = None) -> str | None:
    """The scene's mood as a whole: every mood word counts, the strong moods (fear, dread, anger,
    tension) weigh more than the quiet ones, a negated word ('not afraid') does not count, and a
    quiet mood needs more than a passing word to hold against them."""
    words = words_of(text) if words is None else words
    counts: defaultdict[str, float] = defaultdict(float)
    for i, word in enumerate(words):
        label = MOOD_OF_WORD.get(word)
        if label is None or (i and words[i - 1] in _NEGATIONS) or (i > 1 and words[i - 2] in _NEGATIONS):
            continue
        counts[label] += _MOOD_WEIGHT.get(label, 1.0)
    best = _most_common(counts)
    if best is None:
        return None
    total = sum(counts.values())
    if best in _QUIET_MOODS and counts[best] < 0.5 * total:
        strong = Counter({k: v for k, v in counts.items() if k not in _QUIET_MOODS})
        return _most_common(strong) or best
    return best


_NEGATIONS = frozenset(["not", "no", "never", "without", "nor", "hardly"])
_MOOD_WEIGHT = {"fearful": 1.6, "ominous": 1.3, "angry": 1.4, "tense": 1.3, "suspenseful": 1.1, "melancholic": 1.2}
_QUIET_MOODS = frozenset(["peaceful", "hopeful", "joyful", "romantic", "humorous"])


def visible_details(text: str, setting: str | None, limit: int = 4, words: list[str] | None = None) -> list[str]:
    """What can be seen in the scene besides its place: weather, light, and the things the text keeps
    pointing at ('snow', 'lamps', 'the stove'), most mentioned first."""
    words = words_of(text) if words is None else words
    weather: Counter[str] = Counter()
    light: Counter[str] = Counter()
    things: Counter[str] = Counter()
    setting_words = set((setting or "").lower().split())
    for i, word in enumerate(words):
        if word in WEATHER_WORDS:
            weather[WEATHER_WORDS[word]] += 1
        elif word in LIGHT_WORDS:
            light[LIGHT_WORDS[word]] += 1
        elif (
            word in PROP_NOUNS
            and word not in setting_words
            and i
            and (words[i - 1] in _DETERMINERS or (i > 1 and words[i - 2] in _DETERMINERS))
        ):
            things[word] += 1
    details = [w for w, _ in weather.most_common(2)] + [w for w, _ in light.most_common(1)]
    details += [w for w, _ in things.most_common(limit)]
    return details[: limit + 2]


_DETERMINERS = frozenset(["the", "a", "an", "his", "her", "their", "its", "our", "my", "two", "three", "some"])


def location(
    text: str, known_places: set[str], not_places: frozenset[str] = frozenset(), previous: str | None = None
) -> str | None:
    """Where the scene happens: the setting with the most evidence, or `previous` when the story has not moved.

    Evidence for a setting ('the kitchen', a named place the text uses as one) is a
    preposition of being there ('in', 'at', 'on', 'beside'...: 2), of arriving
    ('into', 'reached', 'entered': 1.5) or of heading there ('to': 1); a destination
    named after a vehicle or a route ('the train to Harrow', 'the road to Elm') is not
    evidence at all. A character's name is never a place. Settings are the place nouns
    less the parts of a building ('the door', 'the window'). A previous setting stays
    unless the scene shows being somewhere else (evidence of 2 or more); when a named
    place and a common setting are both where the scene is, both are kept ('the
    platform, Brixton'), and a town the scene reaches first gives way to the room or
    building it then is in ('the kitchen, Avonlea'), which is what an artist draws.
    """
    counts: defaultdict[str, float] = defaultdict(float)
    named: defaultdict[str, float] = defaultdict(float)
    first_at: dict[str, int] = {}
    quoted = _quoted_spans(text)
    for match in _NAMED_PLACE.finditer(text):
        name = re.sub(r"[’']s$", "", match.group(2).strip())
        if name in known_places and name not in not_places and not (set(name.split()) & not_places):
            weight = _evidence(text, match.start(), match.group(1).lower(), quoted)
            if _OF_SOMEONE.search(text, max(0, match.start() - 30), match.start()):
                weight = 0.0  # 'my adventures in Afghanistan', 'his days at Oxford': a life, not the scene
            if weight:
                named[name] += weight
                counts[name] += weight
                first_at.setdefault(name, match.start())
    for match in _PLACE_PHRASE.finditer(text):
        words = match.group(2).split()
        if words[-1] == "of" or _PART_OF.match(text, match.end(2)):
            continue  # 'under the roof of a high house', 'the roof of the mouth': a part of something else
        weight = _evidence(text, match.start(), match.group(1).lower().split()[0], quoted)
        if not weight:
            continue
        if _is_setting(words[-1]):
            setting = "the " + " ".join(words)  # 'in the old mill'
        elif len(words) == 2 and _is_setting(words[0]):
            setting = "the " + words[0]  # 'in a mill beside...'
        else:
            continue
        counts[setting] += weight
        first_at.setdefault(setting, match.start())
    best = _most_common(counts)
    if best is None and previous is None:
        vehicles = Counter(m.lower() for m in _VEHICLE.findall(text))
        vehicle = _most_common(Counter({k: v for k, v in vehicles.items() if v >= 2}))
        if vehicle is not None:
            return "the " + vehicle  # 'The great Pullman was whirling onward … this train': aboard
        if len(_FURNITURE.findall(text)) >= 3:
            return "a room"  # no place said, but a mantel-piece, an armchair and a table: indoors
    if best is None:
        return previous
    if previous is not None:
        opening_end = _SENTENCE_END.search(text)
        at = first_at.get(best, len(text))
        moved_first = at < (opening_end.start() if opening_end else len(text)) and not _NOT_YET.search(text, 0, at)
        if counts[best] < 2 and not moved_first:
            return previous  # only heading somewhere: the story has not moved yet
        # a scene that opens by going somewhere ('She carried him up the steps to the lamp room') is there
        if counts.get(previous.split(", ")[0], 0) >= counts[best] * 0.75:
            return previous
    if best not in named:
        place = _most_common(Counter({k: v for k, v in named.items() if v >= 2}))
        if place is not None:
            return f"{best}, {place}"
    else:  # a town or an estate, then a room or building in it: that is what gets drawn
        inside = {k: v for k, v in counts.items() if k not in named and v >= 2 and first_at[k] > first_at[best]}
        room = _most_common(Counter(inside))
        if room is not None:
            return f"{room}, {best}"
    return best


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# 'She thought about going to the market': a plan or a wish, not a move.
_NOT_YET = re.compile(r"\b(?:thought|wanted|wished|planned|meant|hoped|would|will|could|might|should|must|going to)\b")
_PLANNED = re.compile(r"\b(?:proposed|intended|engaged|instead\s+of|ready|about|before|until|till|unless|if)\b")
_QUOTE_MARK = re.compile(r"[\"“”‘]|(?<![A-Za-z])'|['’](?![A-Za-z])|\n[ \t]*+\n\s*+")
_VEHICLE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Oo]ur|[Tt]heir)\s++(?:[a-z-]++\s++)?(train|coach|carriage|boat|ship|cab|wagon|sleigh|sledge)\b"
)
_FURNITURE = re.compile(
    r"\b(?:mantel-?piece|mantelpiece|fireplace|hearth|armchair|arm-chair|sofa|couch|table|chair|carpet|rug|"
    r"ceiling|bookshelf|bookcase|sideboard|bed|wardrobe)s?\b"
)
_PART_OF = re.compile(r"\s++of\b")
_OF_SOMEONE = re.compile(r"\b(?:my|his|her|their|our|your)\s++[a-z]++\s++$")
_BACKSTORY = re.compile(r"\b(?:had|since|remembered|dreamed|dreamt|as if|as though)\b")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """The spans inside quotation marks, in one pass: speech talks of places the scene is not in.

    A double quotation closes only on a double mark, so the apostrophes of dialect
    inside it (dialect elisions such as 'em or on'y) do not end it; a single one on a
    mark not followed by a letter. Speech goes on over a paragraph break when the next
    paragraph opens with a quotation mark again (a long story told by one character);
    otherwise the break ends it.
    """
    spans: list[tuple[int, int]] = []
    start, closers, skip = -1, "", -1
    for match in _QUOTE_MARK.finditer(text):
        mark = match.group(0)
        if match.start() == skip:
            continue  # the opening mark of a speech's next paragraph
        if mark[0] == "\n":
            if start >= 0:
                if text[match.end() : match.end() + 1] in ('"“' if closers == '"”' else "‘'"):
                    skip = match.end()
                else:
                    spans.append((start, match.start()))
                    start = -1
        elif start < 0 and mark in "\"“‘'":
            start, closers = match.end(), ('"”' if mark in '"“' else "’'")
        elif start >= 0 and mark in closers:
            spans.append((start, match.start()))
            start = -1
    if start >= 0:
        spans.append((start, len(text)))
    return spans


def _in_spans(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, len(spans) and 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _evidence(text: str, start: int, preposition: str, quoted: list[tuple[int, int]] | None = None) -> float:
    """How much a place phrase says the scene is there: nothing inside speech or in backstory
    ('had boarded this train at San Antonio'), else by the preposition."""
    if quoted and _in_spans(quoted, start):
        return 0.0
    window = max(0, start - 60)  # look back a bounded stretch: text with no full stop stays linear
    clause_start = max(text.rfind(".", window, start), text.rfind(";", window, start), start - 60)
    if _BACKSTORY.search(text, clause_start + 1, start):
        return 0.0
    if preposition in ("to", "towards", "toward"):
        before = text[max(0, start - 16) : start].lower().split()
        if before and before[-1].strip(",;") in _ROUTE_NOUNS:
            return 0.0
        if _NOT_YET.search(text, clause_start + 1, start) or _PLANNED.search(text, clause_start + 1, start):
            return 0.0  # 'proposed removing to Bath', 'instead of going to Bath': a plan, not a move
        return 1.0
    if preposition in ("into", "reached", "entered"):
        return 1.5
    return 2.0


def _is_setting(noun: str) -> bool:
    return noun in SETTINGS or (noun.endswith("s") and noun[:-1] in SETTINGS)  # 'through the streets'


def _most_common(counts: Mapping[str, float]) -> str | None:
    """The most frequent key; on a tie, the one seen first (Counter keeps insertion order)."""
    if not counts:
        return None
    return max(enumerate(counts.items()), key=lambda item: (item[1][1], -item[0]))[1][0]
