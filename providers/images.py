"""Image providers: one interface, and the remote services that implement it.

Every provider has a `name` and `generate(*, prompt, width, height, seed, subject=None) -> bytes`,
which returns a PNG of exactly `width` x `height`. `subject` is what the image is of (the render
engine's `SceneSheet` or `CharacterSheet`): the offline `builtin` provider (render/panels.py)
draws from it; the remote ones below use the prompt and ignore it.

- `OpenAIImages`: any OpenAI-compatible `POST .../v1/images/generations` answering `b64_json`.
- `ComfyUI`: a ComfyUI server's `POST /prompt` -> `GET /history/{id}` -> `GET /view` flow, with an
  API-format workflow file whose prompt, seed and size are filled in (see `comfyui_fill`).

Nothing a service answers is trusted before Pillow has decoded it: the type must be PNG, JPEG or
WebP, the size at most `MAX_SIDE` a side and within Pillow's decompression-bomb limit. An answer of
another size is scaled and cropped to the size asked for, and everything is re-encoded as PNG.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PIL import Image, ImageOps

from providers.http import (
    ProviderBadAnswer,
    ProviderError,
    ProviderNotConfigured,
    ProviderRefused,
    ProviderTimeout,
    RetryPolicy,
    ServiceClient,
)

ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "WEBP"})
MAX_SIDE = 8192
MAX_PIXELS = 40_000_000


@runtime_checkable
class ImageProvider(Protocol):
    """What draws an image: `builtin` offline, or a remote service."""

    name: str

    def generate(self, *, prompt: str, width: int, height: int, seed: int, subject: object | None = None) -> bytes:
        """A PNG of exactly width x height for this prompt; the same seed asks for the same picture."""
        ...


def image_checked(data: bytes, *, width: int, height: int, service: str) -> bytes:
    """Decodes an answer as an image, refuses anything else, and returns it as a PNG of width x height."""
    if not data:
        raise ProviderBadAnswer(f"{service} answered an empty image.", service=service)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                size = probe.size
                if kind not in ACCEPTED_FORMATS:
                    raise ProviderBadAnswer(
                        f"{service} answered a {kind or 'unknown'} file, not a PNG, JPEG or WebP image.",
                        service=service,
                    )
                if max(size) > MAX_SIDE or size[0] * size[1] > MAX_PIXELS:
                    raise ProviderBadAnswer(
                        f"{service} answered a {size[0]}x{size[1]} image, larger than this server accepts.",
                        service=service,
                    )
                probe.load()
                image = probe.convert("RGBA" if "A" in probe.getbands() else "RGB")
    except ProviderBadAnswer:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ProviderBadAnswer(f"{service} answered an image too large to decode.", service=service) from None
    except (OSError, ValueError, SyntaxError, Image.UnidentifiedImageError):
        raise ProviderBadAnswer(
            f"{service} answered something that is not a readable image.", service=service
        ) from None
    if image.size != (width, height):
        image = ImageOps.fit(image, (width, height), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _check_request(width: int, height: int) -> None:
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ValueError(f"An image is 1 to {MAX_SIDE} pixels a side, not {width}x{height}.")


def openai_endpoint(base_url: str, path: str) -> str:
    """`path` under an OpenAI-compatible base URL, given with or without its `/v1` (both spellings are common)."""
    base = base_url.rstrip("/")
    return path if base.endswith("/v1") else "v1/" + path


# OpenAI's own image models accept neither `seed` nor (gpt-image) `response_format`; self-hosted servers do.
_OPENAI_OWN_MODELS = ("dall-e", "gpt-image")


@dataclass
class OpenAIImages:
    """Any OpenAI-compatible images API (`/v1/images/generations`, base64 answers)."""

    base_url: str
    model: str
    api_key: str = ""
    timeout_seconds: float = 120.0
    # Sizes the service accepts ("1024x1024", ...): the one closest in shape is asked for and the answer
    # fitted to the size wanted. Empty: the exact size is asked for (self-hosted servers take any).
    sizes: tuple[str, ...] = ()
    send_seed: bool | None = None  # None: send it unless the model is one of OpenAI's own
    send_response_format: bool | None = None  # None: send it unless the model is gpt-image-*
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    name: str = "openai"

    def __post_init__(self) -> None:
        if not self.base_url or not self.model:
            raise ProviderNotConfigured("The openai image provider needs IMAGE_API_BASE_URL and IMAGE_MODEL.")

    def client(self) -> ServiceClient:
        return ServiceClient(
            service=f"The image service at {self.base_url}",
            base_url=self.base_url,
            api_key=self.api_key,
            deadline_seconds=self.timeout_seconds,
            retry=self.retry,
            sleep=self.sleep,
        )

    def request_body(self, *, prompt: str, width: int, height: int, seed: int) -> dict[str, Any]:
        """The JSON sent to `/images/generations`."""
        own_model = self.model.lower().startswith(_OPENAI_OWN_MODELS)
        body: dict[str, Any] = {"model": self.model, "prompt": prompt, "n": 1, "size": self.size_for(width, height)}
        send_format = self.send_response_format
        if send_format is None:
            send_format = not self.model.lower().startswith("gpt-image")
        send_seed = self.send_seed if self.send_seed is not None else not own_model
        if send_format:
            body["response_format"] = "b64_json"
        if send_seed:
            body["seed"] = seed
        return body

    def size_for(self, width: int, height: int) -> str:
        """The size to ask for: the exact one, or the accepted size closest in shape (then in area)."""
        if not self.sizes:
            return f"{width}x{height}"

        def distance(size: str) -> tuple[float, float]:
            w, h = (int(part) for part in size.lower().split("x"))
            return abs(w / h - width / height), abs(w * h - width * height)

        return min(self.sizes, key=distance)

    def generate(self, *, prompt: str, width: int, height: int, seed: int, subject: object | None = None) -> bytes:
        """Asks the service for one image and returns it, checked, as a PNG of width x height."""
        _check_request(width, height)
        client = self.client()
        answer = client.post_json(
            openai_endpoint(self.base_url, "images/generations"),
            self.request_body(prompt=prompt, width=width, height=height, seed=seed),
        )
        items = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            raise ProviderBadAnswer(f"{client.service} answered without an image (no `data`).", service=client.service)
        encoded = items[0].get("b64_json")
        if not isinstance(encoded, str) or not encoded:
            # A URL answer would make this server fetch an address the service chose: refused, not followed.
            raise ProviderBadAnswer(
                f"{client.service} answered without `b64_json`; it must support response_format=b64_json.",
                service=client.service,
            )
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ProviderBadAnswer(
                f"{client.service} answered `b64_json` that is not base64.", service=client.service
            ) from None
        return image_checked(data, width=width, height=height, service=client.service)


# --- ComfyUI ---------------------------------------------------------------------------------

# Placeholders a workflow may hold as input values; each is replaced by the request's value.
COMFYUI_PLACEHOLDERS = {
    "{{prompt}}": "prompt",
    "{{negative_prompt}}": "negative_prompt",
    "{{seed}}": "seed",
    "{{width}}": "width",
    "{{height}}": "height",
}
COMFYUI_NEGATIVE_PROMPT = "text, watermark, signature, blurry, deformed"
_SAMPLERS = ("KSampler", "KSamplerAdvanced")
_LATENTS = ("EmptyLatentImage", "EmptySD3LatentImage", "EmptyHunyuanLatentVideo")


def comfyui_load_workflow(path: str | Path) -> dict[str, Any]:
    """Reads an API-format workflow (ComfyUI's "Save (API)"): a JSON object of nodes by id."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProviderNotConfigured(f"The ComfyUI workflow file {path} cannot be read ({exc.strerror}).") from None
    except ValueError:
        raise ProviderNotConfigured(f"The ComfyUI workflow file {path} is not JSON.") from None
    if not isinstance(data, dict) or not all(
        isinstance(node, dict) and isinstance(node.get("inputs"), dict) for node in data.values()
    ):
        raise ProviderNotConfigured(
            f"The ComfyUI workflow file {path} is not in API format (nodes by id, each with `inputs`): "
            "export it with ComfyUI's 'Save (API)'."
        )
    comfyui_fill(data, prompt="check", width=64, height=64, seed=0)  # refuses a workflow with no prompt to fill
    return data


def comfyui_fill(workflow: dict[str, Any], *, prompt: str, width: int, height: int, seed: int) -> dict[str, Any]:
    """A copy of the workflow with the request's prompt, seed and size filled in.

    With placeholders: every input whose value is exactly `{{prompt}}`, `{{negative_prompt}}`,
    `{{seed}}`, `{{width}}` or `{{height}}` gets that value (numbers as numbers). Without any
    placeholder, by node type: the `text` of the CLIPTextEncode node wired to a KSampler's
    `positive` input gets the prompt, the KSampler's `seed` (`noise_seed` for KSamplerAdvanced) the
    seed, an EmptyLatentImage's `width`/`height` the size.
    """
    values: dict[str, Any] = {
        "prompt": prompt,
        "negative_prompt": COMFYUI_NEGATIVE_PROMPT,
        "seed": seed,
        "width": width,
        "height": height,
    }
    filled = json.loads(json.dumps(workflow))
    found: set[str] = set()
    for node in filled.values():
        inputs = node["inputs"]
        for key, value in inputs.items():
            if isinstance(value, str) and value.strip() in COMFYUI_PLACEHOLDERS:
                name = COMFYUI_PLACEHOLDERS[value.strip()]
                inputs[key] = values[name]
                found.add(name)
    if not found:
        found = _comfyui_fill_by_type(filled, values)
    if "prompt" not in found:
        raise ProviderNotConfigured(
            "The ComfyUI workflow has no place for the prompt: put {{prompt}} as a text input "
            "(and {{seed}}, {{width}}, {{height}} where they go), or wire a CLIPTextEncode to a KSampler."
        )
    return filled


def _comfyui_fill_by_type(workflow: dict[str, Any], values: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for node in workflow.values():
        kind, inputs = node.get("class_type"), node["inputs"]
        if kind in _SAMPLERS:
            seed_key = "noise_seed" if "noise_seed" in inputs else "seed"
            inputs[seed_key] = values["seed"]
            found.add("seed")
            positive = inputs.get("positive")
            # A link is [node id, output index].
            if isinstance(positive, list) and positive and str(positive[0]) in workflow:
                target = workflow[str(positive[0])]
                if target.get("class_type") == "CLIPTextEncode":
                    target["inputs"]["text"] = values["prompt"]
                    found.add("prompt")
        elif kind in _LATENTS:
            inputs["width"], inputs["height"] = values["width"], values["height"]
            found.update({"width", "height"})
    return found


@dataclass
class ComfyUI:
    """A ComfyUI server: queue the filled workflow, wait for its history, fetch the first image it saved."""

    url: str
    workflow: dict[str, Any]
    timeout_seconds: float = 300.0
    poll_seconds: float = 0.5
    poll_max_seconds: float = 3.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    name: str = "comfyui"

    @classmethod
    def from_file(cls, *, url: str, workflow_path: str | Path, **options: Any) -> ComfyUI:
        """A provider for the server at `url` running the API-format workflow in `workflow_path`."""
        if not url:
            raise ProviderNotConfigured("The comfyui image provider needs COMFYUI_URL.")
        if not workflow_path:
            raise ProviderNotConfigured("The comfyui image provider needs COMFYUI_WORKFLOW (a workflow file).")
        return cls(url=url, workflow=comfyui_load_workflow(workflow_path), **options)

    def client(self) -> ServiceClient:
        return ServiceClient(
            service=f"The ComfyUI server at {self.url}",
            base_url=self.url,
            deadline_seconds=self.timeout_seconds,
            retry=self.retry,
            sleep=self.sleep,
        )

    def generate(self, *, prompt: str, width: int, height: int, seed: int, subject: object | None = None) -> bytes:
        """Runs the workflow for this prompt, seed and size; returns its first output image as a checked PNG."""
        _check_request(width, height)
        client = self.client()
        deadline = client.start_deadline()
        graph = comfyui_fill(self.workflow, prompt=prompt, width=width, height=height, seed=seed)
        queued = client.post_json("prompt", {"prompt": graph, "client_id": uuid.uuid4().hex}, deadline=deadline)
        prompt_id = queued.get("prompt_id") if isinstance(queued, dict) else None
        if not isinstance(prompt_id, str) or not prompt_id:
            errors = queued.get("node_errors") if isinstance(queued, dict) else None
            raise ProviderRefused(
                f"{client.service} did not queue the workflow{f': {errors}' if errors else ''}.", service=client.service
            )
        image_ref = self._wait_for_image(client, prompt_id, deadline)
        data = client.get_bytes("view", params=image_ref, deadline=deadline)
        return image_checked(data, width=width, height=height, service=client.service)

    def _wait_for_image(self, client: ServiceClient, prompt_id: str, deadline: float) -> dict[str, str]:
        wait = self.poll_seconds
        while True:
            history = client.get_json(f"history/{prompt_id}", deadline=deadline)
            entry = history.get(prompt_id) if isinstance(history, dict) else None
            if isinstance(entry, dict):
                status = entry.get("status") if isinstance(entry.get("status"), dict) else {}
                if status.get("status_str") == "error":
                    raise ProviderRefused(
                        f"{client.service} failed to run the workflow: {_comfyui_error(status)}",
                        service=client.service,
                    )
                image = _first_image(entry.get("outputs"))
                if image is not None:
                    return image
                if status.get("completed"):
                    raise ProviderBadAnswer(
                        f"{client.service} ran the workflow but it saved no image (is there a SaveImage node?).",
                        service=client.service,
                    )
            if time.monotonic() + wait >= deadline:
                raise ProviderTimeout(
                    f"{client.service} did not finish the image within {self.timeout_seconds:g} seconds.",
                    service=client.service,
                )
            self.sleep(wait)
            wait = min(self.poll_max_seconds, wait * 1.5)


def _first_image(outputs: Any) -> dict[str, str] | None:
    if not isinstance(outputs, dict):
        return None
    for node_id in sorted(outputs, key=str):
        images = outputs[node_id].get("images") if isinstance(outputs[node_id], dict) else None
        for image in images or []:
            if isinstance(image, dict) and isinstance(image.get("filename"), str):
                return {
                    "filename": image["filename"],
                    "subfolder": str(image.get("subfolder") or ""),
                    "type": str(image.get("type") or "output"),
                }
    return None


def _comfyui_error(status: dict[str, Any]) -> str:
    for message in status.get("messages") or []:
        if isinstance(message, list) and len(message) == 2 and message[0] == "execution_error":
            detail = message[1] if isinstance(message[1], dict) else {}
            return str(detail.get("exception_message") or "execution error").strip()[:300]
    return "the server reported an error"


__all__ = [
    "ComfyUI",
    "ImageProvider",
    "OpenAIImages",
    "ProviderError",
    "comfyui_fill",
    "comfyui_load_workflow",
    "image_checked",
]
