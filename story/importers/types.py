"""What a reader returns, and the limits every reader keeps."""

from __future__ import annotations

from dataclasses import dataclass

MAX_FILE_BYTES = 5 * 1024 * 1024
SOURCE_FORMATS: tuple[str, ...] = ("fountain", "fdx", "docx", "txt", "md")


@dataclass(frozen=True)
class ImportedStory:
    text: str  # the story text to segment: Fountain for scripts, plain text for prose
    title: str | None  # from the title page or the document's properties, when it has one
    source_format: str  # one of SOURCE_FORMATS
