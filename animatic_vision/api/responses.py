"""The contract's success envelope: {"message", "status_code", "data"}."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, status
from rest_framework.response import Response


def envelope(data: Any, message: str, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
    """Wraps `data` in the success envelope most routes answer with."""
    return Response({"message": message, "status_code": status_code, "data": data}, status=status_code, **kwargs)


def envelope_serializer(name: str, data_field: serializers.Field | None = None) -> type[serializers.Serializer]:
    """A serializer class describing an envelope around `data_field`, for the OpenAPI schema."""
    fields: dict[str, Any] = {
        "message": serializers.CharField(),
        "status_code": serializers.IntegerField(),
        "data": data_field if data_field is not None else serializers.JSONField(allow_null=True),
    }
    return type(name, (serializers.Serializer,), fields)


class ErrorSerializer(serializers.Serializer):
    """The contract's error body (documentation only)."""

    detail = serializers.CharField()
    message = serializers.CharField()
    status_code = serializers.IntegerField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
