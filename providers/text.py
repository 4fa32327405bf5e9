"""A client of any OpenAI-compatible chat-completions API that answers JSON to a JSON schema.

Works with OpenAI and with self-hosted servers that speak the same protocol (vLLM, llama.cpp's
server, Ollama's /v1). The base URL may be given with or without its `/v1`. A request sends
`response_format: {"type": "json_schema", ...}`, temperature 0 and `max_tokens`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from providers.http import (
    ProviderBadAnswer,
    ProviderNotConfigured,
    ProviderRefused,
    RetryPolicy,
    ServiceClient,
)
from providers.images import openai_endpoint

# Keywords OpenAI's strict structured outputs refuse; they are checked locally on the answer instead.
_UNSENT_KEYWORDS = frozenset({"$schema", "title", "minLength", "maxLength", "minItems", "maxItems", "minimum"})


@dataclass(frozen=True)
class ChatAnswer:
    """A model's answer: the decoded JSON, the model that wrote it, and the tokens it cost."""

    data: Any
    model: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def tokens_used(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def wire_schema(schema: Any) -> Any:
    """The schema as sent to the service: without the keywords strict mode refuses (checked locally)."""
    if isinstance(schema, dict):
        return {key: wire_schema(value) for key, value in schema.items() if key not in _UNSENT_KEYWORDS}
    if isinstance(schema, list):
        return [wire_schema(item) for item in schema]
    return schema


@dataclass
class OpenAIChat:
    """An OpenAI-compatible chat-completions service and one model on it."""

    base_url: str
    model: str
    api_key: str = ""
    timeout_seconds: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    name: str = "openai"

    def __post_init__(self) -> None:
        if not self.base_url or not self.model:
            raise ProviderNotConfigured("The openai text provider needs TEXT_API_BASE_URL and TEXT_MODEL.")

    def client(self) -> ServiceClient:
        return ServiceClient(
            service=f"The language model {self.model} at {self.base_url}",
            base_url=self.base_url,
            api_key=self.api_key,
            deadline_seconds=self.timeout_seconds,
            retry=self.retry,
            sleep=self.sleep,
            max_response_bytes=8 * 1024 * 1024,
        )

    def complete_json(
        self,
        *,
        system: str,
        user: str,
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int,
        deadline: float | None = None,
    ) -> ChatAnswer:
        """One chat completion whose answer must be a JSON object; ProviderError when it is not one."""
        client = self.client()
        body = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": 0,
            "max_tokens": max_tokens,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "strict": True, "schema": wire_schema(schema)},
            },
        }
        answer = client.post_json(openai_endpoint(self.base_url, "chat/completions"), body, deadline=deadline)
        return _chat_answer(answer, service=client.service, default_model=self.model)


def _chat_answer(answer: Any, *, service: str, default_model: str) -> ChatAnswer:
    choices = answer.get("choices") if isinstance(answer, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ProviderBadAnswer(f"{service} answered without a choice.", service=service)
    choice = choices[0]
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else {}
    prompt_tokens = _count(usage.get("prompt_tokens"))
    completion_tokens = _count(usage.get("completion_tokens"))
    model = answer.get("model") if isinstance(answer.get("model"), str) else default_model
    refusal = message.get("refusal")
    if isinstance(refusal, str) and refusal.strip():
        raise ProviderRefused(f"{service} refused: {refusal.strip()[:300]}", service=service, reason=refusal)
    if choice.get("finish_reason") == "content_filter":
        raise ProviderRefused(f"{service} refused: its content filter stopped the answer.", service=service)
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ProviderBadAnswer(f"{service} answered an empty message.", service=service)
    if choice.get("finish_reason") == "length":
        raise ProviderBadAnswer(
            f"{service} stopped at its token limit before the answer was complete.", service=service
        )
    try:
        data = json.loads(_unfenced(content))
    except ValueError:
        raise ProviderBadAnswer(
            f"{service} answered text that is not JSON: {' '.join(content.split())[:120]!r}", service=service
        ) from None
    if not isinstance(data, dict):
        raise ProviderBadAnswer(f"{service} answered JSON that is not an object.", service=service)
    return ChatAnswer(data=data, model=model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _unfenced(content: str) -> str:
    # Some servers wrap JSON in a Markdown code fence even when asked for JSON.
    text = content.strip()
    if text.startswith("```") and text.endswith("```"):
        text = text[3:-3]
        if text.lower().startswith("json"):
            text = text[4:]
    return text
