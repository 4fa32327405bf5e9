"""The one error the readers raise."""

from __future__ import annotations


class StoryFileError(ValueError):
    """The file cannot be imported; the message says why. `too_large` marks a size limit (HTTP 413)."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large
