"""Segmentation with the language-model pass, through the API, against a local chat-completions server."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

import story
from projects.models import Project, ProjectStatus
from providers.tests.servers import (
    FakeService,
    Reply,
    chat_answer,
    retitling_model,
    running,
)
from scenes import segmentation

FABLE = (
    "A Crow sat on a branch with a piece of cheese in her beak. A Fox saw her from below.\n\n"
    '"What a fine bird," said the Fox. "Surely her voice is as fine as her feathers."\n\n'
    "The Crow opened her beak to sing, and the cheese fell. The Fox ate it and ran off into the woods."
)
CHAT_PATH = "/v1/chat/completions"

pytestmark = [pytest.mark.usefixtures("inline_tasks"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chat_service():
    with running(FakeService()) as service:
        yield service


@pytest.fixture
def text_provider_configured(settings, chat_service):
    settings.TEXT_PROVIDER = "openai"
    settings.TEXT_API_BASE_URL = chat_service.url
    settings.TEXT_API_KEY = "sk-local"
    settings.TEXT_MODEL = "local-model"
    settings.TEXT_API_TIMEOUT_SECONDS = 10
    settings.TEXT_MAX_TOKENS_PER_PROJECT = 50_000
    return chat_service


@pytest.fixture
def project(user) -> Project:
    return Project.objects.create(owner=user, title="Fox and Crow", story_text=FABLE, duration_sec=24)


def engine_scenes():
    return story.segment(FABLE, 24, story.SegmentOptions(scene_count=3)).scenes


def spans_of(scenes: list[dict]) -> list[tuple]:
    return [(s["scene_index"], s["text"], s["start_char"], s["end_char"], s["duration_sec"]) for s in scenes]


def engine_spans() -> list[tuple]:
    return [(s.index, s.text, s.start_char, s.end_char, s.duration_ms / 1000) for s in engine_scenes()]


def test_with_a_provider_the_scenes_carry_the_models_words_and_the_engines_spans(
    user_client, project, text_provider_configured
):
    text_provider_configured.on("POST", CHAT_PATH, retitling_model)

    response = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3}, format="json")

    assert response.status_code == 202, response.content
    scenes = response.json()["data"]["scenes"]
    assert spans_of(scenes) == engine_spans()
    assert [s["title"] for s in scenes] == ["Model title 1", "Model title 2", "Model title 3"]
    assert {s["mood"] for s in scenes} == {"humorous"}
    assert scenes[0]["background_prompt"] == (
        "forest clearing, old oak branch, morning sun, " + story.STYLE_PRESETS["storyboard"]
    )
    assert [s["characters"] for s in scenes] == [s.characters for s in engine_scenes()]

    detail = user_client.get(f"/projects/{project.pk}").json()
    fox = next(c for c in detail["characters"] if c["name"] == "The Fox")
    assert fox["description"] == "a sleek fox with bright eyes"
    assert all(
        prompt.startswith("The Fox, a sleek fox with bright eyes")
        for scene in detail["scenes"]
        for name, prompt in zip(scene["characters"], scene["character_prompts"], strict=True)
        if name == "The Fox"
    )
    record = detail["segmentation"]
    assert record["status"] == "segmented"
    assert record["error"] is None
    assert record["warning"] is None
    assert record["text_model"] == "test-model"  # the model the service says answered
    assert record["tokens_used"] == 200
    assert record["enrich_seconds"] >= 0
    assert record["enriched_fields"] == [
        "title",
        "description",
        "location",
        "time_of_day",
        "mood",
        "background_prompt",
        "characters",
        "character.description",
    ]
    [call] = text_provider_configured.received
    assert call.headers["authorization"] == "Bearer sk-local"
    assert call.json()["model"] == "local-model"


def test_enrich_false_skips_the_model(user_client, project, text_provider_configured):
    text_provider_configured.on("POST", CHAT_PATH, retitling_model)

    response = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3, "enrich": False}, format="json")

    assert response.status_code == 202
    assert spans_of(response.json()["data"]["scenes"]) == engine_spans()
    assert [s["title"] for s in response.json()["data"]["scenes"]] == [s.title for s in engine_scenes()]
    assert text_provider_configured.received == []
    project.refresh_from_db()
    assert (project.segmentation_text_model, project.segmentation_enriched_fields) == (None, [])


def test_a_failing_model_leaves_the_engines_scenes_with_a_warning(user_client, project, text_provider_configured):
    text_provider_configured.on("POST", CHAT_PATH, Reply(200, chat_answer("I'd rather write a poem.")))

    response = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3}, format="json")

    assert response.status_code == 202
    scenes = response.json()["data"]["scenes"]
    assert [s["title"] for s in scenes] == [s.title for s in engine_scenes()]
    assert spans_of(scenes) == engine_spans()
    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED
    assert project.segmentation_error is None
    assert project.segmentation_warning.startswith(
        "The language-model pass was skipped and the engine's scenes are kept: "
    )
    assert "not JSON" in project.segmentation_warning
    assert project.segmentation_enriched_fields == []
    assert project.segmentation_text_model == "local-model"


def test_without_a_provider_the_segmentation_is_the_engines_and_enrich_is_refused(user_client, project, settings):
    settings.TEXT_PROVIDER = "none"

    response = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3}, format="json")

    assert response.status_code == 202
    scenes = response.json()["data"]["scenes"]
    engine = engine_scenes()
    assert spans_of(scenes) == engine_spans()
    assert [(s["title"], s["description"], s["mood"], s["background_prompt"]) for s in scenes] == [
        (s.title, s.description, s.mood, s.background_prompt) for s in engine
    ]
    record = user_client.get(f"/projects/{project.pk}").json()["segmentation"]
    assert (record["enriched_fields"], record["warning"], record["text_model"], record["tokens_used"]) == (
        [],
        None,
        None,
        None,
    )

    refused = user_client.post(f"/projects/{project.pk}/segment", {"enrich": True}, format="json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "validation_error"
    assert refused.json()["errors"] == {
        "enrich": ["This server has no language model configured, so enrich cannot be on."]
    }


def test_a_new_segmentation_clears_the_last_passs_record(user_client, project, text_provider_configured):
    text_provider_configured.on("POST", CHAT_PATH, retitling_model)
    user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3}, format="json")
    user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3, "enrich": False}, format="json")
    project.refresh_from_db()
    assert (project.segmentation_enriched_fields, project.segmentation_tokens_used) == ([], None)


def fail_first_store(monkeypatch) -> list[int]:
    """The first attempt to store the scenes hits a database error (so the task retries); later ones store."""
    attempts: list[int] = []
    real_replace = segmentation.scenes_replace

    def flaky_replace(**kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError(2006, "MySQL server has gone away")
        return real_replace(**kwargs)

    monkeypatch.setattr(segmentation, "scenes_replace", flaky_replace)
    return attempts


def test_a_retry_after_a_database_error_reuses_the_models_answer_and_a_new_job_asks_again(
    user_client, project, text_provider_configured, monkeypatch
):
    text_provider_configured.on("POST", CHAT_PATH, retitling_model)
    attempts = fail_first_store(monkeypatch)

    response = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3}, format="json")

    assert response.status_code == 202, response.content
    assert len(attempts) == 2  # the task ran twice: the database error, then the retry that stored
    assert len(text_provider_configured.received) == 1  # the model was asked once
    assert [s["title"] for s in response.json()["data"]["scenes"]] == [
        "Model title 1",
        "Model title 2",
        "Model title 3",
    ]
    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED
    assert project.segmentation_tokens_used == 200  # what the words cost, counted once
    assert project.segmentation_enriched_fields[:2] == ["title", "description"]

    again = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3}, format="json")

    assert again.status_code == 202
    assert len(text_provider_configured.received) == 2  # another job is never handed the last one's answer


def test_a_retry_with_the_cache_down_asks_the_model_again_and_still_segments(
    user_client, project, text_provider_configured, monkeypatch
):
    class CacheDown:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    text_provider_configured.on("POST", CHAT_PATH, retitling_model)
    fail_first_store(monkeypatch)
    monkeypatch.setattr(segmentation, "cache", CacheDown())

    response = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 3}, format="json")

    assert response.status_code == 202
    assert response.json()["data"]["scenes"][0]["title"] == "Model title 1"
    assert len(text_provider_configured.received) == 2  # nothing kept, so the retry paid again
    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED


# --- The check commands -----------------------------------------------------------------------


def test_check_text_provider_prints_what_the_model_answered(text_provider_configured, capsys):
    text_provider_configured.on("POST", CHAT_PATH, retitling_model)
    call_command("check_text_provider")
    out = capsys.readouterr().out
    assert 'test-model answered {"reply": "Hello there"} (24 tokens' in out
    assert "Scene pass: 1 call(s), 200 tokens" in out
    assert "scene 1: Model title 1 | a forest clearing | morning | humorous" in out


def test_check_text_provider_fails_with_the_services_reason(text_provider_configured):
    text_provider_configured.on("POST", CHAT_PATH, Reply(401, {"error": {"message": "Incorrect API key provided"}}))
    with pytest.raises(CommandError, match="refused the credentials \\(HTTP 401\\): Incorrect API key provided"):
        call_command("check_text_provider")


def test_check_text_provider_says_when_nothing_is_configured(settings, capsys):
    settings.TEXT_PROVIDER = "none"
    call_command("check_text_provider")
    assert "No language model is configured (TEXT_PROVIDER=none)" in capsys.readouterr().out
