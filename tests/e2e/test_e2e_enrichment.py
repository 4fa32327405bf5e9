"""The language-model pass for real: gunicorn and a Celery worker configured with a chat-completions service
(a local one the test starts), segmenting over HTTP like the browser client."""

from __future__ import annotations

from pathlib import Path

import pytest

import story
from harness.processes import PrivateRedis
from providers.tests.servers import FakeService, retitling_model, running
from tests.e2e.conftest import database_env, running_stack, stack_env
from tests.e2e.flows import FABLE, create_project, sign_up_and_log_in, wait_for_status

pytestmark = [pytest.mark.mysql, pytest.mark.redis]


def test_segmentation_carries_the_models_words_and_the_engines_spans(
    transactional_db, private_redis: PrivateRedis, tmp_path: Path
):
    with running(FakeService()) as chat:
        chat.on("POST", "/v1/chat/completions", retitling_model)
        env = {
            **stack_env(private_redis, database_env()),
            "TEXT_PROVIDER": "openai",
            "TEXT_API_BASE_URL": f"{chat.url}/v1",
            "TEXT_API_KEY": "sk-e2e",
            "TEXT_MODEL": "e2e-model",
            "TEXT_API_TIMEOUT_SECONDS": "20",
        }
        with running_stack(tmp_path, env) as stack:
            browser = stack.browser()
            sign_up_and_log_in(browser)
            project_id = create_project(browser)
            started = browser.post(f"/projects/{project_id}/segment", {"scene_count": 3})
            assert started.status == 202, started.body
            detail = wait_for_status(browser, project_id, {"segmented", "failed"}, timeout=60)

    engine = story.segment(FABLE, 30, story.SegmentOptions(scene_count=3)).scenes
    assert detail["status"] == "segmented", detail["segmentation"]
    assert [(s["text"], s["start_char"], s["end_char"], float(s["duration_sec"])) for s in detail["scenes"]] == [
        (s.text, s.start_char, s.end_char, s.duration_ms / 1000) for s in engine
    ]
    assert [s["title"] for s in detail["scenes"]] == ["Model title 1", "Model title 2", "Model title 3"]
    assert detail["segmentation"]["warning"] is None
    assert detail["segmentation"]["text_model"] == "test-model"
    assert detail["segmentation"]["tokens_used"] == 200
    assert "title" in detail["segmentation"]["enriched_fields"]
    [call] = chat.received
    assert call.headers["authorization"] == "Bearer sk-e2e"
