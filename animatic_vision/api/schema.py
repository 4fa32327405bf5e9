"""drf-spectacular post-processing: make the OpenAPI schema say what the server really answers.

- Paths as the contract writes them, without the trailing slash the route regexes
  (`^projects/?$`) leave in the generated path; both spellings are served.
- The error answers every route can give, whatever its view documents: 503 when a
  dependency is down, 400/413 for an unreadable or oversized body, 403 for a
  cross-site unsafe request, 401 where a login is needed, 429 where a throttle applies.
- No security requirement on the routes that authenticate nobody (health, /test).
- A list route that answers an envelope documented as that envelope, not as an array of them.
- Every error `code` the server can answer, as the enum of the error body's `code`.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.permissions import AllowAny

from animatic_vision.errors import error_codes

ERROR_REF = {"$ref": "#/components/schemas/Error"}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}

COMMON_ERRORS = {
    "400": "Validation error or unreadable JSON, with `errors` per field when a field is wrong.",
    "401": "Not logged in, or the access token is expired or revoked.",
    "403": "Not allowed, or a cross-site request from an untrusted Origin.",
    "404": "Not found, or not yours.",
    "413": "The request body is larger than the server accepts.",
    "429": "Too many requests; see the Retry-After header.",
    "503": "A service the server depends on (database, cache, broker) is unavailable; see Retry-After.",
}


def _shape(path: str) -> str:
    """The path with its parameters unnamed: spectacular renames `{pk}` to `{id}` in the document."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _view_class(callback: Any) -> type | None:
    return getattr(callback, "cls", None)


def _needs_login(view_class: type) -> bool:
    permissions = getattr(view_class, "permission_classes", [])
    return bool(permissions) and not all(issubclass(permission, AllowAny) for permission in permissions)


def _error(code: str) -> dict[str, Any]:
    return {"description": COMMON_ERRORS[code], "content": {"application/json": {"schema": ERROR_REF}}}


def _unwrap_listed_envelopes(responses: dict[str, Any]) -> None:
    """A `list` action answering an envelope is documented by spectacular as an array of envelopes."""
    for response in responses.values():
        media = (response.get("content") or {}).get("application/json") or {}
        schema = media.get("schema") or {}
        ref = (schema.get("items") or {}).get("$ref", "") if schema.get("type") == "array" else ""
        if ref.endswith("Envelope"):
            media["schema"] = {"$ref": ref}


def contract_postprocessing_hook(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: documents the common error answers and drops trailing slashes."""
    views = {
        (_shape(path), method.lower()): _view_class(callback)
        for path, _regex, method, callback in (getattr(generator, "endpoints", None) or [])
    }
    paths: dict[str, Any] = {}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            view_class = views.get((_shape(path), method))
            responses = operation["responses"]
            wanted = ["503"]
            if "requestBody" in operation:
                wanted += ["400", "413"]
            if method in UNSAFE_METHODS:
                wanted.append("403")
            if view_class is not None:
                if getattr(view_class, "authentication_classes", None) == [] and not _needs_login(view_class):
                    operation["security"] = []
                if _needs_login(view_class):
                    wanted.append("401")
                if getattr(view_class, "throttle_classes", None):
                    wanted.append("429")
            if "{" in path:
                wanted.append("404")
            for code in wanted:
                responses.setdefault(code, _error(code))
            _unwrap_listed_envelopes(responses)
            operation["responses"] = dict(sorted(responses.items()))
        contract_path = path.rstrip("/") or "/"
        paths.setdefault(contract_path, {}).update(operations)
    result["paths"] = paths
    error = result.get("components", {}).get("schemas", {}).get("Error")
    if error is not None:
        error["properties"]["code"]["enum"] = error_codes()
    return result
