"""Text as the exports write it: on one line, without the control characters XML and subtitles cannot carry."""

from __future__ import annotations

import re

# C0 and C1 controls (tab, newlines and the like included: they become spaces first), DEL, and the
# lone surrogates and non-characters an XML 1.0 document must not contain.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def one_line(text: str | None) -> str:
    """The text with every run of whitespace or control characters folded to one space, trimmed."""
    return " ".join(_CONTROL.sub(" ", text or "").split())
