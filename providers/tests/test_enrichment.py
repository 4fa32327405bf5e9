"""The language-model pass against a local chat-completions server: every answer and failure mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db.models import CharField, Model

from providers.enrichment import answer_key, answer_schema, enrich, scene_chunks
from providers.http import RetryPolicy
from providers.tests.servers import FakeService, Reply, chat_answer, running
from providers.text import OpenAIChat, wire_schema
from story import STYLE_PRESETS, SegmentOptions, segment
from story.lexicon import MOODS, TIME_OF_DAY

STORY = (
    "Mara Quinn climbed the lighthouse stairs at dawn. The old keeper, Tobias, was waiting at the top "
    'with a lantern. "You are late," Tobias said.\n\n'
    "By noon the storm had come. Mara watched the waves break on the rocks while Tobias fixed the lamp.\n\n"
    "That night Mara rowed alone to the island. The water was black and cold, and she was afraid."
)
CHAT_PATH = "/v1/chat/completions"


class Waits(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def engine():
    return segment(STORY, 30, SegmentOptions(scene_count=3))


def good_answer() -> dict:
    return {
        "characters": [
            {"name": "Mara Quinn", "aliases": ["Mara"], "looks": "a young woman in a yellow oilskin coat"},
            {"name": "Tobias", "aliases": ["the old keeper"], "looks": "an old lighthouse keeper with a grey beard"},
        ],
        "scenes": [
            {
                "index": 0,
                "title": "Late at the lighthouse",
                "description": "Mara climbs the lighthouse stairs; Tobias scolds her for being late.",
                "location": "the lighthouse lantern room",
                "time_of_day": "dawn",
                "mood": "tense",
                "background_prompt": "lighthouse lantern room, brass lamp, dawn light through salt-stained glass",
                "characters": ["Mara Quinn", "Tobias"],
            },
            {
                "index": 1,
                "title": "The storm breaks",
                "description": "A storm lashes the rocks while Tobias repairs the lamp.",
                "location": "the lighthouse gallery",
                "time_of_day": "noon",
                "mood": "ominous",
                "background_prompt": "lighthouse gallery in a storm, huge waves on black rocks",
                "characters": ["Mara", "Tobias"],
            },
            {
                "index": 2,
                "title": "Rowing to the island",
                "description": "Mara rows alone across black water towards the island.",
                "location": "the sea off the island",
                "time_of_day": "night",
                "mood": "fearful",
                "background_prompt": "small rowing boat on black night sea, distant island silhouette",
                "characters": ["Mara Quinn"],
            },
        ],
    }


def chat(url: str, waits: Waits | None = None, timeout: float = 10) -> OpenAIChat:
    return OpenAIChat(
        base_url=url,
        model="test-model",
        api_key="sk-text",
        timeout_seconds=timeout,
        retry=RetryPolicy(max_attempts=3, backoff_seconds=0.25),
        sleep=waits if waits is not None else Waits(),
    )


def run_pass(engine, *replies: Reply, waits: Waits | None = None, timeout: float = 10, max_tokens: int = 50_000):
    with running(FakeService()) as service:
        service.on("POST", CHAT_PATH, *replies)
        result = enrich(
            segmentation=engine,
            story_text=STORY,
            style="storyboard",
            chat=chat(service.url, waits, timeout),
            timeout_seconds=timeout,
            max_tokens=max_tokens,
        )
    return result, service


def spans(segmentation):
    return [(s.index, s.text, s.start_char, s.end_char, s.start_ms, s.duration_ms) for s in segmentation.scenes]


def test_a_good_answer_rewrites_the_words_and_never_the_spans(engine, caplog):
    caplog.set_level("INFO", logger="providers.enrichment")
    result, service = run_pass(engine, Reply(200, chat_answer(json.dumps(good_answer()))))

    scenes = result.segmentation.scenes
    assert spans(result.segmentation) == spans(engine)
    assert [s.title for s in scenes] == ["Late at the lighthouse", "The storm breaks", "Rowing to the island"]
    assert scenes[1].location == "the lighthouse gallery"
    assert [s.mood for s in scenes] == ["tense", "ominous", "fearful"]
    assert scenes[1].characters == ["Mara Quinn", "Tobias"]  # "Mara" resolved to her canonical name
    assert scenes[0].background_prompt.startswith("lighthouse lantern room, brass lamp")
    assert scenes[0].background_prompt.endswith(", " + STYLE_PRESETS["storyboard"])
    tobias = next(c for c in result.segmentation.characters if c.name == "Tobias")
    assert tobias.description == "an old lighthouse keeper with a grey beard"
    assert tobias.aliases == ["the old keeper"]
    assert tobias.prompt.startswith("Tobias, an old lighthouse keeper with a grey beard, full-body")
    assert scenes[0].character_prompts == [
        next(c.prompt for c in result.segmentation.characters if c.name == name) for name in scenes[0].characters
    ]
    assert result.fields == [
        "title",
        "description",
        "location",
        "time_of_day",
        "mood",
        "background_prompt",
        "characters",
        "character.aliases",
        "character.description",
    ]
    assert result.warning is None
    assert (result.tokens_used, result.calls, result.model) == (200, 1, "test-model")
    [logged] = [r.getMessage() for r in caplog.records if r.name == "providers.enrichment"]
    assert logged.startswith("Language-model pass model=test-model prompt=scene_enrichment_v1 calls=1 tokens=200 ")

    [request] = service.received
    body = request.json()
    assert request.headers["authorization"] == "Bearer sk-text"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == wire_schema(answer_schema())
    assert body["messages"][0]["content"] == (Path("providers/prompts/scene_enrichment_v1.md").read_text())
    sent = json.loads(body["messages"][1]["content"])
    assert [scene["index"] for scene in sent["scenes"]] == [0, 1, 2]
    assert sent["scenes"][0]["text"] == engine.scenes[0].text


def test_a_partial_answer_keeps_the_engines_values_where_the_model_gave_none(engine):
    answer = good_answer()
    answer["characters"] = []
    for scene in answer["scenes"]:
        scene["location"] = None
        scene["time_of_day"] = None
    answer["scenes"][2]["title"] = ""

    result, _ = run_pass(engine, Reply(200, chat_answer(json.dumps(answer))))

    scenes = result.segmentation.scenes
    assert [s.location for s in scenes] == [s.location for s in engine.scenes]
    assert [s.time_of_day for s in scenes] == [s.time_of_day for s in engine.scenes]
    assert scenes[2].title == engine.scenes[2].title
    assert scenes[0].title == "Late at the lighthouse"
    assert result.segmentation.characters == engine.characters
    assert "location" not in result.fields
    assert "title" in result.fields
    assert "scene 3: title kept the engine's" in (result.warning or "")


def test_invalid_json_leaves_the_engines_segmentation_with_a_warning(engine):
    result, _ = run_pass(engine, Reply(200, chat_answer("Sure! Here are your scenes: {scenes: [")))
    assert result.segmentation == engine
    assert result.fields == []
    assert result.warning.startswith("The language-model pass was skipped and the engine's scenes are kept: ")
    assert "answered text that is not JSON" in result.warning


def test_a_schema_violating_answer_keeps_the_engines_value_for_each_failing_field(engine):
    answer = good_answer()
    answer["scenes"][0]["mood"] = "extremely spooky"  # not one of the engine's moods
    answer["scenes"][1]["title"] = "x" * 301  # longer than a scene title may be
    answer["scenes"][2]["characters"] = "Mara Quinn"  # not a list
    answer["scenes"][2]["extra"] = True

    result, _ = run_pass(engine, Reply(200, chat_answer(json.dumps(answer))))

    scenes = result.segmentation.scenes
    assert scenes[0].mood == engine.scenes[0].mood
    assert scenes[1].title == engine.scenes[1].title
    assert scenes[2].characters == engine.scenes[2].characters
    assert scenes[0].title == "Late at the lighthouse"  # the valid fields are still used
    assert scenes[2].description == "Mara rows alone across black water towards the island."
    assert "the answer did not match the schema" in result.warning
    assert "scene 1: mood kept the engine's" in result.warning


def test_a_character_the_story_does_not_name_is_refused(engine):
    answer = good_answer()
    answer["characters"].append({"name": "Captain Nemo", "aliases": ["Nemo"], "looks": "a bearded sea captain"})
    answer["characters"][0]["aliases"] = ["Mara", "Mrs Quinn-Smith"]
    answer["scenes"][2]["characters"] = ["Mara Quinn", "Captain Nemo"]

    result, _ = run_pass(engine, Reply(200, chat_answer(json.dumps(answer))))

    names = [c.name for c in result.segmentation.characters]
    assert names == ["Mara Quinn", "Tobias"]
    mara = result.segmentation.characters[0]
    assert mara.aliases == ["Mara"]  # the invented alias is dropped
    assert result.segmentation.scenes[2].characters == ["Mara Quinn"]  # the engine's, since Nemo is no one
    assert "'Captain Nemo'" in result.warning
    assert "scene 3: characters kept the engine's" in result.warning


def test_scenes_answered_out_of_order_are_not_used(engine):
    answer = good_answer()
    answer["scenes"] = [answer["scenes"][1], answer["scenes"][0], answer["scenes"][2]]
    result, _ = run_pass(engine, Reply(200, chat_answer(json.dumps(answer))))
    assert [s.title for s in result.segmentation.scenes] == [s.title for s in engine.scenes]
    assert "the model answered scenes [1, 0, 2] for scenes 1-3" in result.warning


def test_a_429_with_retry_after_is_waited_out_then_the_answer_used(engine):
    waits = Waits()
    result, service = run_pass(
        engine,
        Reply(429, {"error": {"message": "Rate limit reached for requests"}}, {"Retry-After": "3"}),
        Reply(200, chat_answer(json.dumps(good_answer()))),
        waits=waits,
    )
    assert waits == [3.0]
    assert len(service.received) == 2
    assert result.segmentation.scenes[0].title == "Late at the lighthouse"
    assert result.warning is None


def test_rate_limited_past_the_deadline_keeps_the_engines_result(engine):
    waits = Waits()
    result, service = run_pass(
        engine,
        Reply(429, {"error": {"message": "Rate limit reached for requests"}}, {"Retry-After": "120"}),
        waits=waits,
        timeout=5,
    )
    assert result.segmentation == engine
    assert waits == []  # a wait past the deadline is not started
    assert len(service.received) == 1
    assert result.warning == (
        "The language-model pass was skipped and the engine's scenes are kept: "
        f"The language model test-model at {service.url} is rate-limiting requests (it asked to wait 120 s): "
        "Rate limit reached for requests"
    )


def test_a_timeout_keeps_the_engines_result(engine):
    result, _ = run_pass(engine, Reply(hang=True), timeout=0.5)
    assert result.segmentation == engine
    assert result.fields == []
    assert result.warning.endswith("did not answer within 0.5 seconds.")


def test_a_refusal_keeps_the_engines_result(engine):
    refusal = chat_answer("")
    refusal["choices"][0]["message"] = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
    result, _ = run_pass(engine, Reply(200, refusal))
    assert result.segmentation == engine
    assert result.warning.endswith("refused: I can't help with that.")


def test_the_token_budget_stops_before_a_call_it_cannot_afford(engine):
    result, service = run_pass(engine, Reply(200, chat_answer(json.dumps(good_answer()))), max_tokens=100)
    assert service.received == []
    assert result.segmentation == engine
    assert "token budget (100 per project) was reached" in result.warning


def test_long_texts_are_chunked_by_scenes_and_each_chunk_answered_in_order():
    story = "\n\n".join(f"Mara walked to house number {n}. It was quiet there." for n in range(12))
    engine = segment(story, 60, SegmentOptions(scene_count=12))
    chunks = scene_chunks(engine, budget=3_000)
    assert len(chunks) > 1
    assert [s.index for chunk in chunks for s in chunk] == list(range(12))

    def answer_for(request):
        sent = json.loads(request.json()["messages"][1]["content"])
        scenes = [
            {
                "index": scene["index"],
                "title": f"House {scene['index']}",
                "description": "Mara walks to a house.",
                "location": "a quiet street",
                "time_of_day": None,
                "mood": "peaceful",
                "background_prompt": "quiet street of houses",
                "characters": ["Mara"],
            }
            for scene in sent["scenes"]
        ]
        return Reply(200, chat_answer(json.dumps({"characters": [], "scenes": scenes})))

    with running(FakeService()) as service:
        service.on("POST", CHAT_PATH, answer_for)
        result = enrich(
            segmentation=engine,
            story_text=story,
            style="cinematic",
            chat=chat(service.url),
            timeout_seconds=10,
            max_tokens=3_000 * len(chunks),
            call_tokens=3_000,
        )
    assert result.calls == len(chunks) == len(service.received)
    assert [s.title for s in result.segmentation.scenes] == [f"House {n}" for n in range(12)]
    assert result.tokens_used == 200 * len(chunks)


def column_length(model: type[Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, CharField)
    assert field.max_length is not None
    return field.max_length


def test_the_schema_keeps_within_the_engines_vocabularies_and_the_models_limits():
    from scenes.models import Character, Scene

    scene = answer_schema()["properties"]["scenes"]["items"]["properties"]
    character = answer_schema()["properties"]["characters"]["items"]["properties"]
    assert set(scene["time_of_day"]["enum"]) - {None} == set(TIME_OF_DAY)
    assert set(scene["mood"]["enum"]) - {None} == set(MOODS)
    for name in ("title", "location"):
        assert scene[name]["maxLength"] <= column_length(Scene, name)
    assert max(len(value) for value in TIME_OF_DAY) <= column_length(Scene, "time_of_day")
    assert max(len(value) for value in MOODS) <= column_length(Scene, "mood")
    assert character["name"]["maxLength"] <= column_length(Character, "name")


def test_a_model_refusing_max_tokens_is_asked_again_with_max_completion_tokens(engine):
    unsupported = {
        "error": {
            "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "type": "invalid_request_error",
        }
    }
    result, service = run_pass(engine, Reply(400, unsupported), Reply(200, chat_answer(json.dumps(good_answer()))))
    first, second = (request.json() for request in service.received)
    assert ("max_tokens" in first, "temperature" in first) == (True, True)
    assert ("max_tokens" in second, "temperature" in second) == (False, False)
    assert second["max_completion_tokens"] == first["max_tokens"]
    assert result.segmentation.scenes[0].title == "Late at the lighthouse"


def test_another_400_is_not_asked_again(engine):
    result, service = run_pass(engine, Reply(400, {"error": {"message": "The model `gpt-9` does not exist"}}))
    assert len(service.received) == 1
    assert result.warning.endswith("refused the request (HTTP 400): The model `gpt-9` does not exist")


def test_the_schema_sent_keeps_every_property_and_drops_only_the_keywords_strict_mode_refuses():
    sent = wire_schema(answer_schema())
    scene = sent["properties"]["scenes"]["items"]
    assert set(scene["properties"]) == set(scene["required"])  # strict mode: every property required
    assert "title" in scene["properties"]
    assert scene["properties"]["title"] == {"type": "string"}
    assert "$schema" not in sent
    assert "title" not in sent
    assert sent["properties"]["scenes"] == {"type": "array", "items": scene}


# --- Answers kept for a retry of the same job ----------------------------------------------------


class DictAnswers(dict):
    """An AnswerStore in memory, counting what it is asked."""

    def __init__(self) -> None:
        super().__init__()
        self.hits = 0

    def get(self, key):  # type: ignore[override]
        answer = super().get(key)
        self.hits += answer is not None
        return answer

    def put(self, key, answer) -> None:
        self[key] = answer


def house_story(numbers: range) -> str:
    return "\n\n".join(f"Mara walked to house number {n}. It was quiet there." for n in numbers)


def houses_model(request):
    """Titles each scene it is sent after the text it was sent, so a reused answer shows which text it came from."""
    sent = json.loads(request.json()["messages"][1]["content"])
    scenes = [
        {
            "index": scene["index"],
            "title": f"House {scene['text'].split('number ')[1].split('.')[0]}",
            "description": "Mara walks to a house.",
            "location": "a quiet street",
            "time_of_day": None,
            "mood": "peaceful",
            "background_prompt": "quiet street of houses",
            "characters": ["Mara"],
        }
        for scene in sent["scenes"]
    ]
    return Reply(200, chat_answer(json.dumps({"characters": [], "scenes": scenes})))


def enrich_houses(url: str, story: str, answers, *, model: str = "test-model"):
    engine = segment(story, 60, SegmentOptions(scene_count=12))
    return enrich(
        segmentation=engine,
        story_text=story,
        style="cinematic",
        chat=OpenAIChat(base_url=url, model=model, retry=RetryPolicy(max_attempts=1), sleep=Waits()),
        timeout_seconds=10,
        max_tokens=50_000,
        call_tokens=3_000,
        answers=answers,
    )


def test_a_second_run_with_the_same_input_reuses_every_answer_and_calls_nothing():
    story = house_story(range(12))
    answers = DictAnswers()
    with running(FakeService()) as service:
        service.on("POST", CHAT_PATH, houses_model)
        first = enrich_houses(service.url, story, answers)
        calls_after_first = len(service.received)
        again = enrich_houses(service.url, story, answers)

    assert first.calls == calls_after_first == len(answers) > 1  # one answer kept per chunk
    assert len(service.received) == calls_after_first  # the second run asked nothing
    assert (again.calls, again.reused, answers.hits) == (0, first.calls, first.calls)
    assert again.segmentation == first.segmentation
    assert [s.title for s in again.segmentation.scenes] == [f"House {n}" for n in range(12)]
    assert again.tokens_used == first.tokens_used == 200 * first.calls  # what the words cost, paid once
    assert again.fields == first.fields


def test_a_run_cut_short_by_the_service_is_finished_by_the_next_asking_only_the_rest():
    story = house_story(range(12))
    answers = DictAnswers()
    with running(FakeService()) as service:
        service.on("POST", CHAT_PATH, houses_model, Reply(503, {"error": {"message": "overloaded"}}))
        cut_short = enrich_houses(service.url, story, answers)
        service.on("POST", CHAT_PATH, houses_model)
        finished = enrich_houses(service.url, story, answers)

    assert cut_short.calls == 1
    assert "onwards keep the engine's words" in (cut_short.warning or "")
    assert finished.reused == 1
    assert finished.calls == len(service.received) - 2 > 0  # the first run's two requests, then only the rest
    assert finished.warning is None
    assert [s.title for s in finished.segmentation.scenes] == [f"House {n}" for n in range(12)]


def test_another_text_or_another_model_is_never_given_a_kept_answer():
    answers = DictAnswers()
    with running(FakeService()) as service:
        service.on("POST", CHAT_PATH, houses_model)
        first = enrich_houses(service.url, house_story(range(12)), answers)
        other_text = enrich_houses(service.url, house_story(range(100, 112)), answers)
        other_model = enrich_houses(service.url, house_story(range(12)), answers, model="another-model")

    assert (other_text.reused, other_model.reused, answers.hits) == (0, 0, 0)
    assert other_text.calls == other_model.calls == first.calls
    assert len(service.received) == 3 * first.calls
    assert [s.title for s in other_text.segmentation.scenes] == [f"House {n}" for n in range(100, 112)]
    assert {request.json()["model"] for request in service.received} == {"test-model", "another-model"}


def test_the_answer_key_changes_with_each_thing_the_answer_depends_on():
    def key(model: str = "m", system: str = "prompt", user: str = '{"scenes": []}', max_tokens: int = 500) -> str:
        return answer_key(model=model, system=system, user=user, max_tokens=max_tokens)

    keys = {key(), key(model="m2"), key(system="prompt v2"), key(user='{"scenes": [1]}'), key(max_tokens=501)}

    assert len(keys) == 5
    assert key() == key()  # and the same input always gives the same key
