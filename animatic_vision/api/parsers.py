"""The JSON body parser every route uses: DRF's, with a bound on how deeply the body may nest.

Python's decoder recurses once per level and gives up near the interpreter's recursion limit
(about 1,000 levels) with a RecursionError, which would otherwise end as a 500. No body this API
takes nests more than a few levels, so anything past JSON_MAX_DEPTH is refused as malformed here,
in one place, before any view sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

JSON_MAX_DEPTH = 32
TOO_DEEP = f"The JSON body is nested too deeply: at most {JSON_MAX_DEPTH} levels of objects and arrays."


def nesting_depth(value: Any) -> int:
    """How many levels of objects and arrays `value` has (0 for a scalar), without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > JSON_MAX_DEPTH:
            break
        pending.extend((child, depth) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than JSON_MAX_DEPTH is a 400, never a RecursionError."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if nesting_depth(data) > JSON_MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
