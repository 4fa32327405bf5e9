"""Scoring candidate scene boundaries between sentence units, and choosing the best ones.

A candidate boundary `i` sits before unit `i` (1 <= i < n). Explicit markers
force a boundary. In paragraphed prose a paragraph start scores by the rules a
storyboard artist states: the narration moves the clock, the writer opens a
section in small capitals, a block of narration sets the scene (not a reply), the
vocabulary turns over (TextTiling valley), with time and place words as nudges
(see `_paragraph_scores`; chosen by leave-one-author-out on the dev set, see
README). In unparagraphed text (Choi's set, one long block) the valley depth
leads, with a change in the named people and places and time cues added.
Everything here is linear in the length of the text.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter

from .lexicon import LOWER, LOWER_WORD_RE, NOT_NAMES, PLACE_NOUNS, STOPWORDS, TITLES, UPPER, stem
from .sentences import Unit

WINDOW_FACTOR = 0.6
CHANGE_WEIGHT = 0.25
PARAGRAPH_WINDOW_FACTOR = 0.3
PARAGRAPH_WINDOW_MAX = 40
LENGTH_WEIGHT = 1.0
CLOCK_WEIGHT = 1.0
SMALL_CAPS_WEIGHT = 5.0
TALE_WEIGHT = 3.0
SLEEP_WEIGHT = 1.0
EXIT_WEIGHT = 0.5
CAST_WEIGHT = 3.0
CAST_WINDOW_FACTOR = 0.5
CAST_TURNOVER = 0.8
CAST_MIN_NAMES = 5
TIME_WEIGHT = 0.5
PLACE_WEIGHT = 0.3
QUOTE_PENALTY = 0.6
GAP_FACTOR = 0.4
PARAGRAPH_GAP_FACTOR = 0.6
INNER_OFFSET = -1.0
REFINE_SCORE_WEIGHT = 0.0
FORCED = 1e6
PREFERRED = 1e3
PREFERENCE_PARAGRAPHS_PER_SCENE = 3
FORBIDDEN = -1e6

_MARKER = re.compile(
    r"""^(?:
        (?:\*\s*){1,}\*? | (?:[-–—_~=•·#]\s*){3,}       # *** , * * * , ---- , ###
      | \#{1,6}(?:\s+\S.*)?                            # '#' or a markdown heading
      | (?:chapter|part|book|volume|canto|prologue|epilogue|interlude|section)\b[^.!?]{0,60}[.:]?
      | [IVXLC]{1,7}\.? | \d{1,3}\.?                    # a lone section number
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMBER_ONLY = re.compile(r"^(?:[IVXLC]{1,7}|\d{1,3})\.?$", re.IGNORECASE)
_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|several|some|many|a few|\d+)"
_PERIOD = r"(?:morning|afternoon|evening|night|day|week|month|year|spring|summer|autumn|fall|winter|hour|weekend)"
_TIME_CUE = re.compile(
    rf"""\b(?:
        (?:the\s+)?(?:next|following|previous)\s+{_PERIOD}
      | (?:that|this|one|the\s+same|early\s+next|late\s+that|the\s+whole|all)\s+
        (?:(?!the\b|a\b|an\b)[a-z]+\s+)?{_PERIOD}                 # 'one stormy night'
      | {_NUM}\s+(?:{_PERIOD}|minute|moment)s?\s+(?:later|after|afterwards|passed|went\s+by|before)
      | (?:later\s+(?:that|in\s+the)|soon\s+after|some\s+time\s+(?:later|after)|not\s+long\s+after)
      | (?:at|by|before|until)\s+(?:dawn|dusk|noon|midnight|daybreak|sunrise|sunset|night|nightfall
                                |breakfast|dinner|supper)
      | (?:in|during)\s+the\s+(?:morning|afternoon|evening|night)
      | at\s+(?:half-past\s+|a\s+quarter\s+(?:past|to)\s+)?\w+\s+o['’]clock | o['’]clock
      | on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)
      | the\s+(?:day|evening|morning|night)\s+(?:passed|came|arrived|was\s+spent|wore\s+on)
      | the\s+rest\s+of\s+the\s+(?:day|evening|morning|night)
      | meanwhile | afterwards | the\s+next\s+day | when\s+(?:morning|night|evening)\s+came
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_OPENING_TIME = re.compile(
    r"^\W*(?:meanwhile|later|afterwards|next|then,|the\s+next|the\s+following|that\s+"
    r"(?:night|evening|morning|afternoon)|years|months|weeks|days|hours|at\s+(?:last|length|dawn|"
    r"noon|night)|early|late|on\s+the|in\s+the\s+(?:morning|evening|night))\b",
    re.IGNORECASE,
)
# A paragraph that opens by moving the story in time: 'The next morning', 'One stormy night', 'Years later'.
_TIME_CHANGE = re.compile(
    rf"""^\W*(?:
        meanwhile | later | afterwards
      | (?:the\s+)?(?:next|following)\s+{_PERIOD}
      | (?:one|that|early\s+(?:next|that|one)|late\s+(?:that|one))\s+(?:(?!the\b|a\b|an\b|of\b)[a-z]+\s+)?{_PERIOD}
      | (?:{_NUM}\s+)?{_PERIOD}s?\s+(?:later|afterwards|passed|went\s+by)
      | at\s+(?:last|length|dawn|noon|night|sunrise|sunset|midnight|daybreak|nightfall)
      | on\s+the\s+(?:[a-z]+\s+)?{_PERIOD}
      | in\s+the\s+(?:morning|afternoon|evening|night)
      | when\s+(?:morning|night|evening)\s+came
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_SPAN = r"(?:minutes?|hours?|days?|nights?|weeks?|months?|years?|mornings?|evenings?)"
# The narration moves the clock: a time of day with 'one/that/next', 'two days later', 'after this',
# an hour ('half-past five', 'eleven o'clock', 'about noon'), waking up, the end of a meal.
_CLOCK_MOVE = re.compile(
    rf"""\b(?:
        (?:one|that|this|next|the\s+following|the\s+next|the\s+same|early\s+(?:next|one|that)|late\s+(?:that|one))
        \s+(?:morning|afternoon|evening|night|day)
      | {_NUM}\s+(?:very\s+few\s+)?{_SPAN}\s+(?:later|more|after(?:wards)?|passed|went\s+by|elapsed)
      | (?:not\s+(?:very\s+)?long|soon|shortly|some\s+time|the\s+day|the\s+morning|the\s+night|the\s+week)
        \s+after(?:\s+(?:this|that))?
      | after\s+this | from\s+this\s+time | from\s+that\s+(?:day|time|hour|moment)
      | in\s+(?:the\s+)?(?:late|early)\s+(?:morning|afternoon|evening)
      | half-past\s+\w+ | a\s+quarter\s+(?:past|to)\s+\w+ | \w+\s+o['’]clock
      | (?:about|at|by|towards?|before|after)\s+(?:noon|midnight|dawn|daybreak|sunrise|sunset|dusk|nightfall|daylight
                                               |breakfast|dinner|supper|tea)
      | broad\s+daylight | awoke | woke | awaking | waking | opened\s+(?:his|her|their|my)\s+eyes
      | (?:done|finished)\s+(?:breakfast|dinner|supper)\w*
      | (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:morning|afternoon|evening|night)
      | (?:on|by|next|last)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)
      | the\s+sun\s+(?:rose|had\s+risen|was\s+rising|set|had\s+set|was\s+setting|went\s+down|came\s+up)
      | (?:dawn|day)\s+(?:broke|had\s+broken) | (?:night|darkness|dusk)\s+(?:fell|came\s+on|had\s+fallen)
      | on\s+the\s+(?:[a-z]+\s+){{0,2}}(?:morning|afternoon|evening|night|day)\s+(?:appointed|of|after|following|before)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A new tale: 'Once upon a time', 'There was once', 'Long ago'.
_TALE_OPENING = re.compile(
    r"^\W*(?:once\s+upon\s+a\s+time|there\s+(?:was|were|lived)\s+once|there\s+once\s+(?:was|were|lived)"
    r"|long,?\s+(?:long\s+)?ago|many\s+(?:many\s+)?years\s+ago|in\s+(?:the\s+)?(?:olden|old|former)\s+(?:days|times))\b",
    re.IGNORECASE,
)
# The night passes across the gap: the paragraph before ends with someone going to sleep.
_FELL_ASLEEP = re.compile(
    r"\b(?:asleep|slept|slumber\w*|turned\s+in|to\s+bed|into\s+(?:a\s+)?(?:[a-z]+\s+)?sleep|to\s+sleep)\b",
    re.IGNORECASE,
)
# Someone leaves across the gap: the paragraph before ends with a departure.
_LEAVES = re.compile(
    r"\b(?:left\s+the\s+(?:room|house)|departed|went\s+(?:away|home|out|off)|drove\s+(?:off|away)|rode\s+(?:off|away)"
    r"|walked\s+(?:off|away)|disappeared|vanished|closed\s+the\s+door|shut\s+the\s+door|was\s+gone)\b",
    re.IGNORECASE,
)
# A section opened in small capitals, as printed books and many pasted stories do: 'MATTHEW Cuthbert and…'.
_SMALL_CAPS_OPENING = re.compile(r"^\W?[A-Z]{2,}\b(?=\s+[A-Za-z]*[a-z])")
_PLACE_CUE = re.compile(
    r"\b(?:at|to|in|into|reached|entered|arrived\s+at|returned\s+to|went\s+to|came\s+to|walked\s+to|"
    rf"drove\s+to|within|outside|inside)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+)?([{UPPER}][{LOWER}]+|[a-z-]+)\b"
)
OPENING_QUOTES = frozenset("\"'“‘«—")
_CAPITALISED = re.compile(rf"(?<=[a-z,;:] )([{UPPER}][{LOWER}]{{2,}})")
_NOT_CAST = frozenset(TITLES) | NOT_NAMES


def is_marker(text: str, unit: Unit, next_unit: Unit | None) -> bool:
    """An explicit scene break: a row of stars, '#', a chapter or part heading, a lone section number."""
    line = text[unit.start : unit.end]
    if len(line) > 80 or not unit.line_start or not _MARKER.match(line):
        return False
    if _NUMBER_ONLY.match(line):
        return unit.para_start and (next_unit is None or next_unit.para_start)
    return True


def unit_words(text: str, units: list[Unit]) -> list[list[str]]:
    """Content-word stems of each unit, for lexical cohesion."""
    words = []
    for u in units:
        chunk = text[u.start : u.end].lower()
        words.append([stem(w) for w in LOWER_WORD_RE.findall(chunk) if len(w) > 2 and w not in STOPWORDS])
    return words


def cohesion_depths(words: list[list[str]], window: int) -> list[float]:
    """TextTiling depth scores: how deep the cosine-similarity valley at each gap is (0..2)."""
    n = len(words)
    sims = [0.0] * n
    if n < 2:
        return sims
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    state = [0.0, 0.0, 0.0]  # dot product, |left|^2, |right|^2

    def move(word: str, mine: Counter[str], other: Counter[str], delta: int, norm: int) -> None:
        count = mine[word]
        state[0] += delta * other[word]
        state[norm] += 2 * count * delta + 1
        mine[word] = count + delta

    for j in range(min(window, n)):
        for w in words[j]:
            move(w, right, left, 1, 2)
    for i in range(1, n):
        for w in words[i - 1]:
            move(w, right, left, -1, 2)
            move(w, left, right, 1, 1)
        if i - 1 - window >= 0:
            for w in words[i - 1 - window]:
                move(w, left, right, -1, 1)
        if i - 1 + window < n:
            for w in words[i - 1 + window]:
                move(w, right, left, 1, 2)
        denom = math.sqrt(state[1] * state[2])
        sims[i] = state[0] / denom if denom > 0 else 0.0
    smooth = sims[:]
    for i in range(2, n - 1):
        smooth[i] = (sims[i - 1] + sims[i] + sims[i + 1]) / 3
    depths = [0.0] * n
    reach = max(2, window)
    for i in range(1, n):
        lo, hi = max(1, i - reach), min(n, i + reach + 1)
        depths[i] = max(smooth[lo : i + 1]) + max(smooth[i:hi]) - 2 * smooth[i]
    return depths


def entity_change(text: str, units: list[Unit], window: int) -> list[float]:
    """1 - Jaccard overlap of capitalised names (people, places) just before and just after each gap."""
    names = [set(_CAPITALISED.findall(text[u.start : u.end])) for u in units]
    n = len(units)
    change = [0.0] * n
    for i in range(1, n):
        before: set[str] = set().union(*names[max(0, i - window) : i])
        after: set[str] = set().union(*names[i : i + window])
        if before or after:
            change[i] = 1.0 - len(before & after) / len(before | after)
    return change


def cast_turnovers(paragraph_names: list[list[str]], window: int) -> list[float]:
    """How wholly the people change at each paragraph, as at the start of a new tale: the smaller of the share
    of names in the `window` paragraphs before that are never named again and the share of names in the
    `window` paragraphs from here on that were never named before; 0 without CAST_MIN_NAMES on each side.

    Counted with difference arrays over each mention's reach, so linear in the mentions.
    """
    p = len(paragraph_names)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for j, names in enumerate(paragraph_names):
        for name in names:
            first.setdefault(name, j)
            last[name] = j
    mentions = [0, *itertools.accumulate(len(names) for names in paragraph_names)]
    new = [0] * (p + 2)  # new[j]: mentions in paragraphs j..j+window-1 of names first named at or after j
    gone = [0] * (p + 2)  # gone[j]: mentions in paragraphs j-window..j-1 of names last named before j
    for j, names in enumerate(paragraph_names):
        for name in names:
            lo, hi = max(0, j - window + 1), first[name]
            if lo <= hi:
                new[lo] += 1
                new[hi + 1] -= 1
            lo, hi = last[name] + 1, min(p, j + window)
            if lo <= hi:
                gone[lo] += 1
                gone[hi + 1] -= 1
    new = list(itertools.accumulate(new))
    gone = list(itertools.accumulate(gone))
    turnover = [0.0] * p
    for j in range(1, p):
        after = mentions[min(p, j + window)] - mentions[j]
        before = mentions[j] - mentions[max(0, j - window)]
        if min(after, before) >= CAST_MIN_NAMES:
            turnover[j] = min(new[j] / after, gone[j] / before)
    return turnover


def time_cue(sentence: str) -> float:
    head = sentence[:120]
    if _OPENING_TIME.match(head):
        return 1.0
    return 0.7 if _TIME_CUE.search(head) else 0.0


def opens_with_time_change(sentence: str) -> bool:
    return bool(_TIME_CHANGE.match(sentence[:120]))


def clock_moves(sentence: str) -> bool:
    """The sentence moves the story's clock: 'It was half-past five', 'two days later', 'When Scrooge awoke'."""
    return bool(_CLOCK_MOVE.search(sentence[:200]))


def opens_a_tale(sentence: str) -> bool:
    """A new story begins: 'Once upon a time there was a prince…'."""
    return bool(_TALE_OPENING.match(sentence))


def falls_asleep(sentence: str) -> bool:
    """The sentence ends a day: '…and fell asleep upon the instant', '…cried herself to sleep'."""
    return bool(_FELL_ASLEEP.search(sentence))


def someone_leaves(sentence: str) -> bool:
    """The sentence ends a scene with a departure: '…and went home', '…closed the door'."""
    return bool(_LEAVES.search(sentence))


def opens_in_small_caps(sentence: str) -> bool:
    """The sentence opens with a word in capitals followed by running text: 'MATTHEW Cuthbert and the mare'."""
    return bool(_SMALL_CAPS_OPENING.match(sentence))


def min_gap(units: list[Unit], expected_len: float) -> int:
    """Fewest units between two chosen boundaries that `choose` first tries to keep."""
    factor = PARAGRAPH_GAP_FACTOR if has_paragraphs(units) else GAP_FACTOR
    return max(1, int(expected_len * factor))


def prefer_time_changes(text: str, units: list[Unit], scores: list[float], k: int) -> None:
    """Paragraphs that open with a time change ('The next morning', 'Years later') all become boundaries
    when scenes are short and the count leaves room for every one of them after the markers.

    Short means at most PREFERENCE_PARAGRAPHS_PER_SCENE paragraphs per scene: there a
    cohesion valley is measured over a few sentences and is noise next to the writer's
    own time change. In chapter-sized scenes the cues compete with the valleys as usual
    (preferring them there costs the eval's Doyle story its part breaks).
    """
    if not has_paragraphs(units):
        return
    paragraphs = 1 + sum(1 for u in units[1:] if u.para_start)
    if paragraphs > PREFERENCE_PARAGRAPHS_PER_SCENE * k:
        return
    forced = sum(1 for s in scores[1:] if s >= FORCED)
    cued = [
        i
        for i in range(1, len(units))
        if units[i].para_start
        and FORBIDDEN < scores[i] < FORCED
        and opens_with_time_change(text[units[i].start : units[i].end])
    ]
    if cued and forced + len(cued) <= k - 1:
        for i in cued:
            scores[i] += PREFERRED


def place_cue(sentence: str) -> float:
    match = _PLACE_CUE.search(sentence[:100])
    if not match:
        return 0.0
    place = match.group(1)
    return 1.0 if place[0].isupper() or place in PLACE_NOUNS else 0.0


def has_paragraphs(units: list[Unit]) -> bool:
    """Blank lines group the units into paragraphs (not one unit per paragraph, not a single block)."""
    return any(u.para_start for u in units[1:]) and not all(u.para_start for u in units)


def gap_scores(text: str, units: list[Unit], expected_len: float) -> list[float]:
    """One score per candidate boundary (index 0 unused); markers are FORCED, the line after one FORBIDDEN."""
    n = len(units)
    words = unit_words(text, units)
    if has_paragraphs(units):
        scores = _paragraph_scores(text, units, words, expected_len)
    else:
        scores = _plain_scores(text, units, words, expected_len)
    for i in range(n):
        if is_marker(text, units[i], units[i + 1] if i + 1 < n else None):
            if i > 0:
                scores[i] = FORCED
            if i + 1 < n:
                scores[i + 1] = FORBIDDEN
    return scores


def _plain_scores(text: str, units: list[Unit], words: list[list[str]], expected_len: float) -> list[float]:
    """Unparagraphed text (one unit per line, or one block): lexical valleys first, cues as a nudge."""
    n = len(units)
    window = max(2, min(12, round(expected_len * WINDOW_FACTOR)))
    depths = cohesion_depths(words, window)
    top = max(depths) or 1.0
    changes = entity_change(text, units, max(2, window // 2))
    scores = [0.0] * n
    for i in range(1, n):
        u = units[i]
        scores[i] = depths[i] / top + CHANGE_WEIGHT * changes[i] + 0.15 * time_cue(text[u.start : u.end])
    return scores


def _paragraph_scores(text: str, units: list[Unit], words: list[list[str]], expected_len: float) -> list[float]:
    """Paragraphed prose: the rules a storyboard artist states for where a scene starts.

    A scene starts at a paragraph, and
    * where the narration moves the clock ('It was half-past five', 'Two days later',
      'When Scrooge awoke', 'Monday morning', 'The sun rose'), CLOCK_WEIGHT;
    * where a new tale begins ('Once upon a time'), TALE_WEIGHT, or the people change wholesale (no one
      named just before is named again, no one named just after was named before), CAST_WEIGHT;
    * after a paragraph that ends with someone going to sleep (the night passes), SLEEP_WEIGHT, or
      leaving ('…and went home', '…closed the door'), EXIT_WEIGHT;
    * where the writer opens a section in small capitals (when the text does so at least
      twice: a convention, not an acronym), SMALL_CAPS_WEIGHT;
    * with a block of narration that sets the scene rather than a line of talk: the
      paragraph's length percentile among all paragraphs (LENGTH_WEIGHT), less
      QUOTE_PENALTY when it opens with a quotation;
    * where the vocabulary turns over: the percentile of its TextTiling valley, with a
      window of PARAGRAPH_WINDOW_FACTOR of the scene length asked for;
    * with smaller nudges for a time word in its opening (TIME_WEIGHT) and a place it
      goes to (PLACE_WEIGHT).
    Sentences inside a paragraph rank below every paragraph start.
    """
    n = len(units)
    window = max(2, min(PARAGRAPH_WINDOW_MAX, round(expected_len * PARAGRAPH_WINDOW_FACTOR)))
    depths = cohesion_depths(words, window)
    starts = [i for i in range(1, n) if units[i].para_start]
    inner = [i for i in range(1, n) if not units[i].para_start]
    rank = _percentiles(depths, starts)
    rank.update(_percentiles(depths, inner))
    lengths = [0.0] * n
    edges = [*starts, n]
    for a, b in itertools.pairwise(edges):
        lengths[a] = float(units[b - 1].end - units[a].start)
    length_rank = _percentiles(lengths, starts)
    # Small capitals are a convention of the whole text; one paragraph opening with 'NASA' is not.
    small_caps = {i for i in starts if opens_in_small_caps(text[units[i].start : units[i].end])}
    if len(small_caps) < 2:
        small_caps = set()
    new_cast = _new_cast_starts(text, units, edges, expected_len)
    scores = [0.0] * n
    for i in range(1, n):
        u = units[i]
        sentence = text[u.start : u.end]
        if u.para_start:
            score = rank[i] + LENGTH_WEIGHT * length_rank[i]
            score += TIME_WEIGHT * time_cue(sentence) + PLACE_WEIGHT * place_cue(sentence)
            score += CLOCK_WEIGHT * clock_moves(sentence) + SMALL_CAPS_WEIGHT * (i in small_caps)
            score += TALE_WEIGHT * opens_a_tale(sentence) + CAST_WEIGHT * (i in new_cast)
            before = text[units[i - 1].start : units[i - 1].end]
            score += SLEEP_WEIGHT * falls_asleep(before) + EXIT_WEIGHT * someone_leaves(before)
            if sentence[0] in OPENING_QUOTES:
                score -= QUOTE_PENALTY
        else:
            score = INNER_OFFSET + 0.5 * rank[i] + 0.3 * time_cue(sentence)
        scores[i] = score
    return scores


def _new_cast_starts(text: str, units: list[Unit], edges: list[int], expected_len: float) -> set[int]:
    """The paragraph starts (`edges`: every paragraph start, then len(units)) where the cast turns over by at
    least CAST_TURNOVER: in each run of such paragraphs, the ones where it turns over most."""
    paragraph_starts = [0, *edges]
    names = [
        [m for m in _CAPITALISED.findall(text[units[a].start : units[b - 1].end]) if m not in _NOT_CAST]
        for a, b in itertools.pairwise(paragraph_starts)
    ]
    per_scene = len(names) * expected_len / len(units)
    turnover = cast_turnovers(names, max(3, round(per_scene * CAST_WINDOW_FACTOR)))
    chosen: set[int] = set()
    for over, run in itertools.groupby(range(len(names)), key=lambda j: turnover[j] >= CAST_TURNOVER):
        if over:
            js = list(run)
            peak = max(turnover[j] for j in js)
            chosen.update(paragraph_starts[j] for j in js if turnover[j] == peak)
    return chosen


def _percentiles(values: list[float], indices: list[int]) -> dict[int, float]:
    """Mid-rank percentile (0..1) of values[i] among the given indices; ties share one rank."""
    ordered = sorted(values[i] for i in indices)
    m = len(ordered)
    return {i: (bisect_left(ordered, values[i]) + bisect_right(ordered, values[i])) / (2 * m) for i in indices}


def choose(scores: list[float], k: int, min_gap: int) -> list[int]:
    """The k-1 best boundaries: every marker the count allows, then every preferred time change, then the
    others kept at least `min_gap` units apart when possible."""
    n = len(scores)
    wanted = min(k, n) - 1
    if wanted <= 0:
        return []
    order = sorted(range(1, n), key=lambda i: (-scores[i], i))
    chosen = sorted(i for i in order[:wanted] if scores[i] >= PREFERRED)  # markers, then time changes, however close
    taken = set(chosen)
    gap = max(1, min_gap)
    while len(chosen) < wanted:
        for i in order:
            if len(chosen) >= wanted:
                break
            if i in taken or (scores[i] <= FORBIDDEN and gap > 1):
                continue
            pos = bisect_left(chosen, i)
            if (pos > 0 and i - chosen[pos - 1] < gap) or (pos < len(chosen) and chosen[pos] - i < gap):
                continue
            insort(chosen, i)
            taken.add(i)
        if gap == 1:
            break
        gap = max(1, gap // 2)
    return chosen


def merge_smallest(boundaries: list[int], weights: list[float], k: int) -> list[int]:
    """Drop boundaries until k segments remain, always merging the lightest neighbouring pair."""
    bounds = sorted(boundaries)
    if len(bounds) + 1 <= k:
        return bounds
    n = len(weights)
    edges = [0, *bounds, n]
    prefix = [0.0]
    for w in weights:
        prefix.append(prefix[-1] + w)
    seg_weight = [prefix[edges[j + 1]] - prefix[edges[j]] for j in range(len(edges) - 1)]
    prev = list(range(-1, len(seg_weight) - 1))
    nxt = list(range(1, len(seg_weight) + 1))
    alive = [True] * len(seg_weight)
    heap = [(seg_weight[j] + seg_weight[j + 1], j, j + 1) for j in range(len(seg_weight) - 1)]
    heapq.heapify(heap)
    segments = len(seg_weight)
    while segments > k and heap:
        total, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or nxt[a] != b or total != seg_weight[a] + seg_weight[b]:
            continue
        seg_weight[a] = total
        alive[b] = False
        nxt[a] = nxt[b]
        if nxt[b] < len(seg_weight):
            prev[nxt[b]] = a
            heapq.heappush(heap, (seg_weight[a] + seg_weight[nxt[b]], a, nxt[b]))
        if prev[a] >= 0:
            heapq.heappush(heap, (seg_weight[prev[a]] + seg_weight[a], prev[a], a))
        segments -= 1
    return [edges[j] for j in range(1, len(seg_weight)) if alive[j]]


def refine(
    words: list[list[str]], bounds: list[int], scores: list[float], radius: int, paragraph_starts: list[bool]
) -> list[int]:
    """Move each boundary within `radius` units to where its two neighbouring segments share the fewest words.

    A boundary at a paragraph start only moves to another paragraph start, and
    candidate gap scores still count (REFINE_SCORE_WEIGHT), so that the layout
    and cues of prose are not traded for a slightly deeper lexical valley. Forced
    boundaries stay put. One sweep per boundary, linear in the text.
    """
    n = len(words)
    bounds = list(bounds)
    for j, b0 in enumerate(bounds):
        if scores[b0] >= FORCED:
            continue
        a = bounds[j - 1] if j > 0 else 0
        c = bounds[j + 1] if j + 1 < len(bounds) else n
        lo, hi = max(a + 1, b0 - radius), min(c - 1, b0 + radius)
        if lo >= hi:
            continue
        left: Counter[str] = Counter(w for u in range(a, lo) for w in words[u])
        right: Counter[str] = Counter(w for u in range(lo, c) for w in words[u])
        dot = sum(cnt * right[w] for w, cnt in left.items())
        nl = sum(cnt * cnt for cnt in left.values())
        nr = sum(cnt * cnt for cnt in right.values())
        best, best_cost = b0, math.inf
        for b in range(lo, hi + 1):
            if scores[b] > FORBIDDEN and (paragraph_starts[b] or not paragraph_starts[b0]):
                cos = dot / math.sqrt(nl * nr) if nl and nr else 1.0
                cost = cos - REFINE_SCORE_WEIGHT * min(scores[b], 2.0) + 1e-9 * abs(b - b0)
                if cost < best_cost:
                    best, best_cost = b, cost
            for w in words[b]:
                r, l_ = right[w], left[w]
                dot += r - 1 - l_
                nr += 1 - 2 * r
                nl += 2 * l_ + 1
                right[w] = r - 1
                left[w] = l_ + 1
        bounds[j] = best
    return bounds
