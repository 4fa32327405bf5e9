"""Readers that turn an uploaded script or manuscript into the story text the engine segments.

    from story.importers import read_story_file
    imported = read_story_file(data, "pilot.fdx")   # ImportedStory(text, title, source_format)

Every reader treats the bytes as hostile: the format is decided by the content as well as
the name, XML is parsed with entities, external references and DTDs refused, and Word
files are checked as zip archives before anything is decompressed. A file that cannot be
read raises `StoryFileError` with a sentence a writer can act on.
"""

from __future__ import annotations

from pathlib import PurePath

from .errors import StoryFileError
from .fdx import read_fdx
from .text import read_fountain, read_markdown, read_plain_text
from .types import MAX_FILE_BYTES, SOURCE_FORMATS, ImportedStory
from .word import ZIP_SIGNATURE, read_docx

_READERS = {
    ".fountain": read_fountain,
    ".spmd": read_fountain,
    ".fdx": read_fdx,
    ".docx": read_docx,
    ".txt": read_plain_text,
    ".text": read_plain_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".fountain", ".fdx", ".docx", ".txt", ".md")
_XML_PROLOGUE_BYTES = 2048  # an XML declaration and comments come before the root element


def read_story_file(data: bytes, filename: str) -> ImportedStory:
    """Reads a `.fountain`, `.fdx`, `.docx`, `.txt` or `.md` file's bytes into an ImportedStory."""
    extension = PurePath(filename or "").suffix.lower()
    held = _extension_by_content(data)
    # A name that says no type (a browser's Blob arrives as "blob") leaves the content to decide.
    reader = _READERS.get(extension or held)
    if reader is None:
        raise StoryFileError(
            f"'{filename}' is not a file we can import: send a {', '.join(SUPPORTED_EXTENSIONS)} file."
        )
    if len(data) > MAX_FILE_BYTES:
        raise StoryFileError(
            f"The file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (5 MB).", too_large=True
        )
    if not data.strip():
        raise StoryFileError("The file is empty.")
    if extension and held != ".txt" and reader is not _READERS[held]:
        kind = "a Final Draft script" if held == ".fdx" else "a zip archive (a Word document?)"
        raise StoryFileError(f"The file is named {extension} but holds {kind}: name it {held} and upload it again.")
    imported = reader(data)
    if not imported.text.strip():
        raise StoryFileError("The file holds no text to segment.")
    return imported


def _extension_by_content(data: bytes) -> str:
    """The extension the bytes say: .docx for a zip archive, .fdx for Final Draft XML, else .txt."""
    if data.startswith(ZIP_SIGNATURE):
        return ".docx"
    head = data[:_XML_PROLOGUE_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<FinalDraft" in head:
        return ".fdx"
    return ".txt"


__all__ = [
    "MAX_FILE_BYTES",
    "SOURCE_FORMATS",
    "SUPPORTED_EXTENSIONS",
    "ImportedStory",
    "StoryFileError",
    "read_story_file",
]
