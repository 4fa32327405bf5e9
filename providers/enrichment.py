"""The optional language-model pass over the story engine's scenes: the model may rewrite the words only.

The engine stays the source of truth for the number of scenes, their order, their spans
(`text`, `start_char`, `end_char`), their timing and the screenplay structure; this pass never
touches them. It asks a chat model (one call, or one per chunk of scenes within the token
budget) for the cast (canonical name, aliases, looks) and, per scene, title, description,
location, time of day, mood, background prompt and the characters present, with the prompt and
JSON schema of `providers/prompts/scene_enrichment_v1.*`. Each value is checked against that
schema and against the engine's facts:

- a chunk whose scenes do not come back as the same indexes, in order, is not used at all;
- a character whose name is not written in the story is dropped, as is an alias not in it;
- a scene's characters must all be cast members, or the scene keeps the engine's;
- every value must meet the schema (types, lengths, the engine's vocabularies for time of day
  and mood); a null is no opinion. A value that fails keeps the engine's for that field.

A service that times out, refuses, rate-limits or answers garbage leaves the engine's values in
place, with the reason in `EnrichmentResult.warning`. Nothing here raises a ProviderError.

Answers already paid for are not bought twice: given an `AnswerStore`, each call's answer is kept
under `answer_key` (a hash of everything the answer depends on: the prompt version, the prompt and
schema texts, the model, the answer's token limit and the scenes and cast sent), and a run that
finds an answer under that key uses it instead of calling. The segmentation job passes a store
scoped to itself, so a retry of the job (after a database error) reuses what its first attempt got.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from jsonschema import Draft202012Validator

from providers.http import ProviderError
from providers.text import ChatAnswer
from story.prompts import STYLE_PRESETS, character_prompt
from story.types import CharacterResult, SceneResult, Segmentation

logger = logging.getLogger(__name__)

PROMPT_VERSION = "scene_enrichment_v1"
PROMPT_DIR = Path(__file__).resolve().parent / "prompts"

SCENE_FIELDS = ("title", "description", "location", "time_of_day", "mood", "background_prompt", "characters")
CHARACTER_FIELDS = ("name", "aliases", "looks")
# What the record lists for a character's field (the API calls looks `description`).
CHARACTER_FIELD_NAMES = {"name": "character.name", "aliases": "character.aliases", "looks": "character.description"}

CHARS_PER_TOKEN = 4  # a rough, conservative estimate for English prose and JSON
ANSWER_TOKENS_PER_SCENE = 300
ANSWER_TOKENS_PER_CHARACTER = 80
ANSWER_TOKENS_BASE = 200
SCENE_TEXT_MAX_CHARS = 6_000  # a longer scene is shown to the model shortened in its middle
CALL_TOKENS_MAX = 24_000  # what one call may cost at most, prompt and answer together


class ChatModel(Protocol):
    """What the pass needs of a chat service (providers.text.OpenAIChat is one)."""

    model: str

    def complete_json(
        self,
        *,
        system: str,
        user: str,
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int,
        deadline: float | None = None,
    ) -> ChatAnswer: ...


class AnswerStore(Protocol):
    """Where a run keeps the answers it got, by `answer_key`, and looks for them before calling the model."""

    def get(self, key: str) -> ChatAnswer | None: ...

    def put(self, key: str, answer: ChatAnswer) -> None: ...


def answer_key(*, model: str, system: str, user: str, max_tokens: int) -> str:
    """The hash that names one call's answer: equal only for the same prompt, schema, model, limit and input."""
    parts = [PROMPT_VERSION, system, json.dumps(answer_schema(), sort_keys=True), model, max_tokens, user]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class EnrichmentResult:
    """The segmentation after the pass and the record of what the model did."""

    segmentation: Segmentation
    fields: list[str] = field(default_factory=list)  # what the model wrote, e.g. "title", "character.description"
    warning: str | None = None
    tokens_used: int = 0
    seconds: float = 0.0
    model: str = ""
    prompt_version: str = PROMPT_VERSION
    calls: int = 0  # calls made to the service by this run
    reused: int = 0  # answers taken from the AnswerStore instead (their tokens are in tokens_used)


@cache
def prompt_text() -> str:
    """The system prompt (the versioned file)."""
    return (PROMPT_DIR / f"{PROMPT_VERSION}.md").read_text(encoding="utf-8")


@cache
def answer_schema() -> dict[str, Any]:
    """The JSON schema of the answer (the versioned file beside the prompt)."""
    schema: dict[str, Any] = json.loads((PROMPT_DIR / f"{PROMPT_VERSION}.schema.json").read_text(encoding="utf-8"))
    return schema


@cache
def _validators() -> dict[str, Draft202012Validator]:
    schema = answer_schema()
    scene_props = schema["properties"]["scenes"]["items"]["properties"]
    character_props = schema["properties"]["characters"]["items"]["properties"]
    validators = {f"scene.{name}": Draft202012Validator(scene_props[name]) for name in scene_props}
    validators.update({f"character.{name}": Draft202012Validator(character_props[name]) for name in character_props})
    validators["answer"] = Draft202012Validator(schema)
    return validators


def _valid(kind: str, value: Any) -> bool:
    return bool(_validators()[kind].is_valid(value))


def enrich(
    *,
    segmentation: Segmentation,
    story_text: str,
    style: str,
    chat: ChatModel,
    timeout_seconds: float,
    max_tokens: int,
    call_tokens: int = CALL_TOKENS_MAX,
    answers: AnswerStore | None = None,
) -> EnrichmentResult:
    """Runs the pass: the engine's segmentation with the model's valid words, and what happened.

    Never raises for anything the service does; never lasts longer than `timeout_seconds`;
    never spends more than `max_tokens` (estimated before each call, counted from each answer);
    scenes go in chunks of at most `call_tokens` estimated tokens per call. A chunk whose answer
    is in `answers` is not sent again; each new answer is put there.
    """
    started = time.monotonic()
    deadline = started + timeout_seconds
    style = style if style in STYLE_PRESETS else "storyboard"
    result = EnrichmentResult(segmentation=segmentation, model=chat.model)
    if not segmentation.scenes:
        return result
    chunks = scene_chunks(segmentation, budget=min(max_tokens, call_tokens))
    costs = _Costs(segmentation)
    answered: list[tuple[list[SceneResult], dict[str, Any]]] = []
    problems: list[str] = []
    stopped: str | None = None
    for chunk in chunks:
        estimate = costs.call(chunk)
        if result.tokens_used + estimate > max_tokens:
            stopped = (
                f"the token budget ({max_tokens:,} per project) was reached, so scenes "
                f"{_span(chunk[0].index)} onwards keep the engine's words"
            )
            break
        user = _user_message(chunk, segmentation.characters)
        answer_tokens = _answer_tokens(chunk, segmentation.characters)
        key = answer_key(model=chat.model, system=prompt_text(), user=user, max_tokens=answer_tokens)
        answer = answers.get(key) if answers is not None else None
        if answer is not None:
            result.reused += 1
        else:
            try:
                answer = chat.complete_json(
                    system=prompt_text(),
                    user=user,
                    schema=answer_schema(),
                    schema_name=PROMPT_VERSION,
                    max_tokens=answer_tokens,
                    deadline=deadline,
                )
            except ProviderError as exc:
                stopped = str(exc)
                if answered:
                    stopped += f" (scenes {_span(chunk[0].index)} onwards keep the engine's words)"
                break
            result.calls += 1
            if answers is not None:
                answers.put(key, answer)
        result.tokens_used += answer.tokens_used
        result.model = answer.model or result.model
        if not _valid("answer", answer.data):
            problems.append(_schema_problem(answer.data))
        answered.append((chunk, answer.data))

    merged = _merge(segmentation=segmentation, story_text=story_text, style=style, answers=answered)
    result.segmentation = merged.segmentation
    result.fields = merged.fields
    problems.extend(merged.problems)
    result.seconds = round(time.monotonic() - started, 3)
    result.warning = _warning(stopped=stopped, problems=problems, used=bool(result.fields))
    logger.info(
        "Language-model pass model=%s prompt=%s calls=%s tokens=%s reused=%s seconds=%.2f fields=%s warning=%s",
        result.model,
        PROMPT_VERSION,
        result.calls,
        result.tokens_used,
        result.reused,
        result.seconds,
        ",".join(result.fields) or "-",
        result.warning or "-",
    )
    return result


# --- Chunks and messages -------------------------------------------------------------------------


def _scene_entry(scene: SceneResult) -> dict[str, Any]:
    return {
        "index": scene.index,
        "text": _scene_text(scene.text),
        "title": scene.title,
        "location": scene.location,
        "time_of_day": scene.time_of_day,
        "mood": scene.mood,
        "characters": list(scene.characters),
    }


def _character_entry(character: CharacterResult) -> dict[str, Any]:
    return {"name": character.name, "aliases": list(character.aliases), "looks": character.description or None}


def _tokens_of(data: Any) -> int:
    return len(json.dumps(data, ensure_ascii=False)) // CHARS_PER_TOKEN + 1


class _Costs:
    """Estimated tokens of a call: the fixed prompt, each scene and each cast member, asked and answered."""

    def __init__(self, segmentation: Segmentation) -> None:
        self.base = (len(prompt_text()) + len(json.dumps(answer_schema()))) // CHARS_PER_TOKEN + ANSWER_TOKENS_BASE
        self.scene = {s.index: _tokens_of(_scene_entry(s)) + ANSWER_TOKENS_PER_SCENE for s in segmentation.scenes}
        self.character = {
            c.name: _tokens_of(_character_entry(c)) + ANSWER_TOKENS_PER_CHARACTER for c in segmentation.characters
        }

    def call(self, chunk: Sequence[SceneResult]) -> int:
        present = {name for scene in chunk for name in scene.characters}
        return (
            self.base
            + sum(self.scene[scene.index] for scene in chunk)
            + sum(self.character.get(name, 0) for name in present)
        )


def scene_chunks(segmentation: Segmentation, *, budget: int) -> list[list[SceneResult]]:
    """Consecutive scenes grouped so that each call's estimated prompt and answer fit in `budget` tokens."""
    costs = _Costs(segmentation)
    chunks: list[list[SceneResult]] = []
    current: list[SceneResult] = []
    for scene in segmentation.scenes:
        if current and costs.call([*current, scene]) > budget:
            chunks.append(current)
            current = []
        current.append(scene)
    if current:
        chunks.append(current)
    return chunks


def _scene_text(text: str) -> str:
    if len(text) <= SCENE_TEXT_MAX_CHARS:
        return text
    half = SCENE_TEXT_MAX_CHARS // 2
    return f"{text[:half]} [...] {text[-half:]}"


def _user_message(chunk: Sequence[SceneResult], cast: Sequence[CharacterResult]) -> str:
    present = {name for scene in chunk for name in scene.characters}
    data = {
        "scenes": [_scene_entry(scene) for scene in chunk],
        "cast": [_character_entry(c) for c in cast if c.name in present],
    }
    return json.dumps(data, ensure_ascii=False)


def _answer_tokens(chunk: Sequence[SceneResult], cast: Sequence[CharacterResult]) -> int:
    present = {name for scene in chunk for name in scene.characters}
    return (
        ANSWER_TOKENS_BASE
        + ANSWER_TOKENS_PER_SCENE * len(chunk)
        + ANSWER_TOKENS_PER_CHARACTER * sum(1 for c in cast if c.name in present)
    )


def _span(index: int) -> str:
    return str(index + 1)


# --- Merging the answers into the engine's result ------------------------------------------------


@dataclass
class _Merged:
    segmentation: Segmentation
    fields: list[str]
    problems: list[str]


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _in_text(name: str, haystack: str) -> bool:
    """Whether `name` is written in the story, as whole words (case and spacing aside)."""
    wanted = _words(name)
    if not wanted:
        return False
    return re.search(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)", haystack) is not None


@dataclass
class _CastMember:
    name: str
    aliases: list[str]
    description: str
    from_engine: CharacterResult | None = None

    def names(self) -> set[str]:
        return {_words(self.name), *(_words(alias) for alias in self.aliases)}


def _merge(
    *, segmentation: Segmentation, story_text: str, style: str, answers: list[tuple[list[SceneResult], dict[str, Any]]]
) -> _Merged:
    haystack = _words(story_text)
    written: set[str] = set()
    problems: list[str] = []

    cast = [
        _CastMember(name=c.name, aliases=list(c.aliases), description=c.description, from_engine=c)
        for c in segmentation.characters
    ]
    for _chunk, data in answers:
        entries = data.get("characters")
        for entry in entries if isinstance(entries, list) else []:
            _merge_character(cast, entry, haystack=haystack, written=written, problems=problems)

    renamed = {
        member.from_engine.name: member.name
        for member in cast
        if member.from_engine is not None and member.from_engine.name != member.name
    }
    by_key: dict[str, _CastMember] = {}
    for member in cast:
        for key in member.names():
            by_key.setdefault(key, member)
    prompts = {member.name: character_prompt(member.name, member.description, style) for member in cast}

    scenes = list(segmentation.scenes)
    answered: dict[int, dict[str, Any]] = {}
    for chunk, data in answers:
        items = data.get("scenes") if isinstance(data.get("scenes"), list) else None
        indexes = [item.get("index") if isinstance(item, dict) else None for item in items or []]
        expected = [scene.index for scene in chunk]
        if indexes != expected:
            problems.append(
                f"the model answered scenes {indexes[:5]}{'...' if len(indexes) > 5 else ''} for scenes "
                f"{_span(expected[0])}-{_span(expected[-1])}, so those keep the engine's words"
            )
            continue
        answered.update({scene.index: item for scene, item in zip(chunk, items or [], strict=True)})

    for position, scene in enumerate(scenes):
        item = answered.get(scene.index)
        scenes[position] = _scene_merged(
            scene,
            item,
            by_key=by_key,
            renamed=renamed,
            prompts=prompts,
            style=style,
            written=written,
            problems=problems,
        )

    characters = [
        dataclasses.replace(
            member.from_engine,
            name=member.name,
            aliases=member.aliases,
            description=member.description,
            prompt=prompts[member.name],
        )
        if member.from_engine is not None
        else CharacterResult(
            name=member.name, aliases=member.aliases, description=member.description, prompt=prompts[member.name]
        )
        for member in cast
    ]
    merged = dataclasses.replace(segmentation, scenes=scenes, characters=characters)
    order = [*SCENE_FIELDS, *CHARACTER_FIELD_NAMES.values()]
    return _Merged(segmentation=merged, fields=[name for name in order if name in written], problems=problems)


def _merge_character(
    cast: list[_CastMember], entry: Any, *, haystack: str, written: set[str], problems: list[str]
) -> None:
    if not isinstance(entry, dict) or not _valid("character.name", entry.get("name")):
        problems.append("a character entry without a usable name was ignored")
        return
    name = " ".join(entry["name"].split())
    if not _in_text(name, haystack):
        problems.append(f"the model named a character the story does not ({name[:60]!r}), which was ignored")
        return
    aliases_value: Any = entry.get("aliases")
    aliases = (
        [" ".join(a.split()) for a in aliases_value if _in_text(a, haystack)]
        if _valid("character.aliases", aliases_value)
        else []
    )
    if _valid("character.aliases", aliases_value) and len(aliases) < len(aliases_value):
        problems.append(f"aliases of {name[:60]} not written in the story were ignored")
    looks: Any = entry.get("looks")
    looks_ok = looks is not None and _valid("character.looks", looks)
    if looks is not None and not looks_ok:
        problems.append(f"the looks of {name[:60]} were not usable")

    keys = {_words(name), *(_words(alias) for alias in aliases)}
    member = next((m for m in cast if m.names() & keys), None)
    if member is None:
        member = _CastMember(name=name, aliases=[], description="")
        cast.append(member)
        written.add(CHARACTER_FIELD_NAMES["name"])
    elif (
        member.from_engine is not None
        and member.name == member.from_engine.name
        and name != member.name
        and not any(_words(other.name) == _words(name) for other in cast if other is not member)
    ):
        # The model's canonical name wins once; the engine's name becomes an alias.
        member.aliases = [member.name, *member.aliases]
        member.name = name
        written.add(CHARACTER_FIELD_NAMES["name"])
    known = {_words(member.name), *(_words(alias) for alias in member.aliases)}
    for alias in aliases:
        if _words(alias) not in known:
            member.aliases.append(alias)
            known.add(_words(alias))
            written.add(CHARACTER_FIELD_NAMES["aliases"])
    member.aliases = [alias for alias in member.aliases if _words(alias) != _words(member.name)]
    if looks_ok:
        member.description = " ".join(looks.split())
        written.add(CHARACTER_FIELD_NAMES["looks"])


def _scene_merged(
    scene: SceneResult,
    item: dict[str, Any] | None,
    *,
    by_key: dict[str, _CastMember],
    renamed: dict[str, str],
    prompts: dict[str, str],
    style: str,
    written: set[str],
    problems: list[str],
) -> SceneResult:
    changes: dict[str, Any] = {}
    rejected: list[str] = []
    engine_names = _unique(renamed.get(name, name) for name in scene.characters)
    names = engine_names
    if item is not None:
        for name in ("title", "description", "location", "time_of_day", "mood", "background_prompt"):
            value: Any = item.get(name)
            if value is None and name in ("location", "time_of_day", "mood"):
                continue  # no opinion: the engine's value stays
            if not _valid(f"scene.{name}", value) or not value.strip():
                rejected.append(name)
                continue
            value = " ".join(value.split())
            if name == "background_prompt":
                value = _with_style(value, style)
            changes[name] = value
            written.add(name)
        names_value: Any = item.get("characters")
        members = [by_key.get(_words(n)) for n in names_value] if _valid("scene.characters", names_value) else [None]
        if all(member is not None for member in members):
            names = _unique(member.name for member in members if member is not None)
            written.add("characters")
        else:
            rejected.append("characters")
    if rejected:
        problems.append(f"scene {_span(scene.index)}: {', '.join(rejected)} kept the engine's")
    changes["characters"] = names
    changes["character_prompts"] = [prompts.get(name) or character_prompt(name, "", style) for name in names]
    dialogue = getattr(scene, "dialogue", None)
    if dialogue and renamed:
        changes["dialogue"] = [
            dataclasses.replace(line, character=renamed.get(line.character, line.character)) for line in dialogue
        ]
    return dataclasses.replace(scene, **changes)


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def _with_style(prompt: str, style: str) -> str:
    suffix = STYLE_PRESETS[style]
    return prompt if suffix.casefold() in prompt.casefold() else f"{prompt.rstrip(' ,.')}, {suffix}"


def _schema_problem(data: Any) -> str:
    error = next(iter(_validators()["answer"].iter_errors(data)), None)
    if error is None:
        return "the answer did not match the schema"
    where = "/".join(str(part) for part in error.absolute_path) or "the answer"
    return f"the answer did not match the schema at {where} ({error.message[:100]})"


def _warning(*, stopped: str | None, problems: list[str], used: bool) -> str | None:
    if stopped and not used:
        return f"The language-model pass was skipped and the engine's scenes are kept: {stopped}"
    parts: list[str] = []
    if stopped:
        parts.append(stopped)
    if problems:
        shown = "; ".join(problems[:5])
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        parts.append(shown + more)
    if not parts:
        return None
    lead = "The language model's answer was used in part" if used else "The language model's answer was not used"
    return f"{lead}, and the engine's values kept where it failed: {'. '.join(parts)}."
