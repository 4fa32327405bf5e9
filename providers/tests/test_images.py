"""The remote image providers against local servers that speak their protocols."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from providers.http import (
    ProviderBadAnswer,
    ProviderNotConfigured,
    ProviderRefused,
    ProviderUnavailable,
    RetryPolicy,
)
from providers.images import ComfyUI, ImageProvider, OpenAIImages, comfyui_fill, comfyui_load_workflow
from providers.tests.servers import FakeService, Reply, comfyui_routes, images_answer, png_bytes, running

WORKFLOW = "providers/comfyui/txt2img_api.json"


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


class Waits(list):
    """Stands in for time.sleep: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def openai_provider(url: str, waits: Waits | None = None, **options) -> OpenAIImages:
    return OpenAIImages(
        base_url=url,
        model="flux-schnell",
        api_key="sk-test",
        timeout_seconds=10,
        retry=RetryPolicy(max_attempts=3, backoff_seconds=0.5),
        sleep=waits if waits is not None else Waits(),
        **options,
    )


def test_openai_b64_answer_is_decoded_checked_and_fitted_to_the_size_asked():
    with running(FakeService()) as service:
        service.on("POST", "/v1/images/generations", Reply(200, images_answer(png_bytes(64, 48))))
        provider = openai_provider(service.url)
        png = provider.generate(prompt="a lighthouse at dusk", width=160, height=90, seed=42)

    image = decoded(png)
    assert (image.format, image.size) == ("PNG", (160, 90))
    assert isinstance(provider, ImageProvider)
    [request] = service.received
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.json() == {
        "model": "flux-schnell",
        "prompt": "a lighthouse at dusk",
        "n": 1,
        "size": "160x90",
        "response_format": "b64_json",
        "seed": 42,
    }


def test_openai_own_models_get_an_accepted_size_and_no_seed():
    provider = OpenAIImages(base_url="http://127.0.0.1:9/v1", model="gpt-image-1", sizes=("1024x1024", "1536x1024"))
    assert provider.request_body(prompt="p", width=1280, height=720, seed=7) == {
        "model": "gpt-image-1",
        "prompt": "p",
        "n": 1,
        "size": "1536x1024",
    }


def test_a_base_url_with_v1_is_not_given_a_second_one():
    with running(FakeService()) as service:
        service.on("POST", "/v1/images/generations", Reply(200, images_answer(png_bytes())))
        openai_provider(service.url + "/v1").generate(prompt="p", width=64, height=48, seed=1)
    assert [request.path for request in service.received] == ["/v1/images/generations"]


def test_429_then_success_waits_as_retry_after_says():
    waits = Waits()
    with running(FakeService()) as service:
        service.on(
            "POST",
            "/v1/images/generations",
            Reply(429, {"error": {"message": "Slow down"}}, {"Retry-After": "2"}),
            Reply(200, images_answer(png_bytes())),
        )
        png = openai_provider(service.url, waits).generate(prompt="p", width=64, height=48, seed=1)

    assert decoded(png).size == (64, 48)
    assert waits == [2.0]
    assert len(service.received) == 2


def test_5xx_until_the_retries_run_out_is_a_clear_error_after_backing_off():
    waits = Waits()
    with running(FakeService()) as service:
        service.on("POST", "/v1/images/generations", Reply(503, {"error": {"message": "model is loading"}}))
        with pytest.raises(ProviderUnavailable) as failure:
            openai_provider(service.url, waits).generate(prompt="p", width=64, height=48, seed=1)

    assert str(failure.value) == (f"The image service at {service.url} failed with HTTP 503: model is loading")
    assert failure.value.status == 503
    assert "sk-test" not in str(failure.value)
    assert waits == [0.5, 1.0]  # doubling backoff between the three attempts
    assert len(service.received) == 3


def test_a_4xx_is_not_retried_and_carries_the_services_reason():
    with running(FakeService()) as service:
        service.on("POST", "/v1/images/generations", Reply(400, {"error": {"message": "Your prompt was rejected"}}))
        with pytest.raises(ProviderRefused, match="refused the request \\(HTTP 400\\): Your prompt was rejected"):
            openai_provider(service.url).generate(prompt="p", width=64, height=48, seed=1)
    assert len(service.received) == 1


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (images_answer(b"<html>not an image</html>"), "not a readable image"),
        (images_answer(b"GIF89a" + png_bytes()[6:]), "not a readable image"),
        ({"data": [{"url": "http://example.invalid/x.png"}]}, "without `b64_json`"),
        ({"data": [{"b64_json": "***"}]}, "not base64"),
        ({"nothing": True}, "without an image"),
    ],
)
def test_an_answer_that_is_not_an_image_is_refused(answer, message):
    with running(FakeService()) as service:
        service.on("POST", "/v1/images/generations", Reply(200, answer))
        with pytest.raises(ProviderBadAnswer, match=message):
            openai_provider(service.url).generate(prompt="p", width=64, height=48, seed=1)


def test_an_image_of_another_type_is_refused():
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, format="GIF")
    with running(FakeService()) as service:
        service.on("POST", "/v1/images/generations", Reply(200, images_answer(gif.getvalue())))
        with pytest.raises(ProviderBadAnswer, match="a GIF file, not a PNG, JPEG or WebP"):
            openai_provider(service.url).generate(prompt="p", width=64, height=48, seed=1)


def test_comfyui_prompt_history_view_flow_fills_the_workflow():
    waits = Waits()
    with running(FakeService()) as service:
        comfyui_routes(service, image=png_bytes(96, 54), pending_polls=2)
        provider = ComfyUI.from_file(url=service.url, workflow_path=WORKFLOW, sleep=waits)
        png = provider.generate(prompt="a ruined castle", width=192, height=108, seed=1234)

    assert decoded(png).size == (192, 108)
    assert [request.path for request in service.received] == [
        "/prompt",
        "/history/p-1",
        "/history/p-1",
        "/history/p-1",
        "/view",
    ]
    graph = service.received[0].json()["prompt"]
    assert graph["6"]["inputs"]["text"] == "a ruined castle"
    assert graph["3"]["inputs"]["seed"] == 1234
    assert (graph["5"]["inputs"]["width"], graph["5"]["inputs"]["height"]) == (192, 108)
    assert service.received[-1].query == {"filename": ["av_00001_.png"], "subfolder": [""], "type": ["output"]}
    assert len(waits) == 2


def test_comfyui_execution_error_is_reported_with_its_reason():
    with running(FakeService()) as service:
        service.on("POST", "/prompt", Reply(200, {"prompt_id": "p-2", "number": 1, "node_errors": {}}))
        failed = {
            "p-2": {
                "outputs": {},
                "status": {
                    "status_str": "error",
                    "completed": False,
                    "messages": [["execution_error", {"exception_message": "CUDA out of memory"}]],
                },
            }
        }
        service.on("GET", "/history/p-2", Reply(200, failed))
        provider = ComfyUI.from_file(url=service.url, workflow_path=WORKFLOW, sleep=Waits())
        with pytest.raises(ProviderRefused, match="failed to run the workflow: CUDA out of memory"):
            provider.generate(prompt="p", width=64, height=64, seed=1)


def test_comfyui_refusing_the_workflow_gives_its_reason():
    with running(FakeService()) as service:
        service.on(
            "POST",
            "/prompt",
            Reply(400, {"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed"}}),
        )
        provider = ComfyUI.from_file(url=service.url, workflow_path=WORKFLOW, sleep=Waits())
        with pytest.raises(ProviderRefused, match="HTTP 400\\): Prompt outputs failed"):
            provider.generate(prompt="p", width=64, height=64, seed=1)


def test_comfyui_without_placeholders_fills_by_node_type(tmp_path):
    workflow = json.loads(Path(WORKFLOW).read_text())
    workflow["3"]["inputs"]["seed"] = 5
    workflow["5"]["inputs"].update(width=512, height=512)
    workflow["6"]["inputs"]["text"] = "a cat"
    workflow["7"]["inputs"]["text"] = "ugly"
    filled = comfyui_fill(workflow, prompt="a dog", width=320, height=200, seed=99)
    assert filled["6"]["inputs"]["text"] == "a dog"
    assert filled["7"]["inputs"]["text"] == "ugly"  # the negative prompt is not the positive's node
    assert filled["3"]["inputs"]["seed"] == 99
    assert (filled["5"]["inputs"]["width"], filled["5"]["inputs"]["height"]) == (320, 200)
    assert workflow["6"]["inputs"]["text"] == "a cat"  # the loaded workflow is not changed


def test_a_workflow_with_no_place_for_the_prompt_is_refused_when_loaded(tmp_path):
    path = tmp_path / "workflow.json"
    path.write_text(json.dumps({"1": {"class_type": "SaveImage", "inputs": {"filename_prefix": "x"}}}))
    with pytest.raises(ProviderNotConfigured, match="no place for the prompt"):
        comfyui_load_workflow(path)
    path.write_text("[1, 2]")
    with pytest.raises(ProviderNotConfigured, match="not in API format"):
        comfyui_load_workflow(path)
