"""The remote providers the settings configure (the providers package itself knows no Django)."""

from __future__ import annotations

from django.conf import settings

from providers.http import RetryPolicy
from providers.images import ComfyUI, ImageProvider, OpenAIImages
from providers.text import OpenAIChat

IMAGE_PROVIDERS = ("builtin", "openai", "comfyui")


def text_provider() -> OpenAIChat | None:
    """The configured chat-completions service (TEXT_PROVIDER=openai), or None when there is none."""
    if settings.TEXT_PROVIDER == "none":
        return None
    return OpenAIChat(
        base_url=settings.TEXT_API_BASE_URL,
        model=settings.TEXT_MODEL,
        api_key=settings.TEXT_API_KEY,
        timeout_seconds=settings.TEXT_API_TIMEOUT_SECONDS,
        retry=RetryPolicy(max_attempts=3, backoff_seconds=1.0, backoff_max_seconds=10.0),
    )


def remote_image_provider(name: str | None = None) -> ImageProvider | None:
    """The remote image provider `name` (default IMAGE_PROVIDER) built from the settings; None for `builtin`.

    Raises ProviderNotConfigured when its settings are missing or its workflow file is unusable.
    """
    name = (name or settings.IMAGE_PROVIDER).lower()
    if name == "openai":
        return OpenAIImages(
            base_url=settings.IMAGE_API_BASE_URL,
            model=settings.IMAGE_MODEL,
            api_key=settings.IMAGE_API_KEY,
            timeout_seconds=settings.IMAGE_API_TIMEOUT_SECONDS,
            sizes=settings.IMAGE_API_SIZES,
        )
    if name == "comfyui":
        return ComfyUI.from_file(
            url=settings.COMFYUI_URL,
            workflow_path=settings.COMFYUI_WORKFLOW,
            timeout_seconds=settings.IMAGE_API_TIMEOUT_SECONDS,
        )
    if name == "builtin":
        return None
    raise ValueError(f"Unknown image provider {name!r}; the providers are {', '.join(IMAGE_PROVIDERS)}.")
