"""Word (`.docx`) files: a story's paragraphs in order, or a screenplay typed in Word as Fountain.

A .docx is a zip of XML parts, so it is checked as an archive before python-docx
decompresses anything: the member count and the declared total size are bounded (Python's
zipfile never inflates a member past its declared size, so a lying header cannot get round
it), a macro-enabled document and any part that declares a DTD are refused, and an
encrypted document (an OLE container, not a zip) is refused by name.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from .errors import StoryFileError
from .screenplay import SCENE_HEADING, ScriptElement, elements_to_fountain
from .types import ImportedStory

MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"  # a .docx is a zip archive
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml")
_CUE = re.compile(r"[A-Z0-9][A-Z0-9 .'\-]{0,38}(?:\s*\([A-Z0-9 .'\-]+\))?\s*\^?")
_TRANSITION = re.compile(r"(?:[A-Z .'\-]+ TO:|FADE IN:|FADE OUT\.?|FADE TO BLACK\.?|CUT TO BLACK\.?)")
# Styles of screenplay templates for Word name their elements; when present they decide.
_STYLE_KINDS = {
    "scene heading": "heading",
    "slugline": "heading",
    "action": "action",
    "character": "character",
    "parenthetical": "parenthetical",
    "dialogue": "dialogue",
    "transition": "transition",
    "shot": "action",
}
# A Word screenplay has at least this many scene headings.
MIN_SCREENPLAY_HEADINGS = 2


def read_docx(data: bytes) -> ImportedStory:
    """A Word document as story text (prose) or Fountain (a screenplay), with its title when it has one."""
    _check_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several types for a broken package
        raise StoryFileError(
            "The Word file could not be read: it is not a complete .docx document (save it again from Word, "
            f"or export it as .txt or .fountain). ({type(error).__name__})"
        ) from None
    paragraphs = list(_paragraphs_in_order(document))
    title = (document.core_properties.title or "").strip() or _styled_title(paragraphs)
    headings = sum(1 for paragraph in paragraphs if SCENE_HEADING.match(paragraph.text.strip().upper() + " "))
    if headings >= MIN_SCREENPLAY_HEADINGS:
        text = elements_to_fountain(_screenplay_elements(paragraphs))
    else:
        text = _prose(paragraphs)
    return ImportedStory(text=text, title=title[:200] or None, source_format="docx")


def _check_archive(data: bytes) -> None:
    if data.startswith(_OLE_SIGNATURE):
        raise StoryFileError(
            "The Word file is encrypted (password-protected) or in the old .doc format: "
            "save it as an unprotected .docx and upload it again."
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise StoryFileError("The file is named .docx but is not a Word document (not a zip archive).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise StoryFileError("The file is named .docx but is not a readable Word document.") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise StoryFileError(f"The Word file has {len(members):,} parts; a document has far fewer.")
        total = sum(member.file_size for member in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise StoryFileError(
                f"The Word file unpacks to {total:,} bytes, over the {MAX_UNCOMPRESSED_BYTES:,}-byte limit.",
                too_large=True,
            )
        names = {member.filename.lower() for member in members}
        if "word/document.xml" not in names:
            raise StoryFileError("The zip file is not a Word document (it has no word/document.xml).")
        content_types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
        if any(name.endswith(_MACRO_MARKERS) for name in names) or b"macroEnabled" in content_types:
            raise StoryFileError("Macro-enabled Word documents are refused: save it as a plain .docx.")
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels")) and b"<!DOCTYPE" in archive.read(member).upper():
                raise StoryFileError("The Word file declares a DTD, which a Word document never needs; it was refused.")


def _paragraphs_in_order(document: Document) -> Iterator[Paragraph]:
    """Body paragraphs in reading order, a table's cells read row by row where they stand."""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        else:
            yield block


def _style_name(paragraph: Paragraph) -> str:
    try:
        return (paragraph.style.name or "").strip().lower() if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return ""


def _is_heading(paragraph: Paragraph) -> bool:
    return _style_name(paragraph).startswith("heading")


def _styled_title(paragraphs: list[Paragraph]) -> str:
    for paragraph in paragraphs:
        if _style_name(paragraph) == "title" and paragraph.text.strip():
            return " ".join(paragraph.text.split())
    return ""


def _prose(paragraphs: list[Paragraph]) -> str:
    """Paragraphs separated by blank lines; headings become `#` lines, which the engine takes as chapter breaks."""
    blocks: list[str] = []
    for paragraph in paragraphs:
        text = paragraph.text.replace("\r", "").strip()
        if not text or _style_name(paragraph) == "title":  # the title is the project's, not a chapter
            continue
        blocks.append(f"# {' '.join(text.split())}" if _is_heading(paragraph) else text)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _left_indent(paragraph: Paragraph) -> int:
    indent = paragraph.paragraph_format.left_indent
    return int(indent) if indent is not None else 0


def _screenplay_elements(paragraphs: list[Paragraph]) -> list[ScriptElement]:
    """Each paragraph typed by its template style when it has one, else by how a script is written:
    headings start with INT./EXT., a cue is a short line in capitals followed by speech, and the
    speech runs on while the paragraphs keep the first speech paragraph's indent."""
    lines = [(paragraph, paragraph.text.replace("\r", "").strip()) for paragraph in paragraphs]
    lines = [(paragraph, text) for paragraph, text in lines if text]
    elements: list[ScriptElement] = []
    speech_indent: int | None = None
    for position, (paragraph, text) in enumerate(lines):
        styled = _STYLE_KINDS.get(_style_name(paragraph))
        next_text = lines[position + 1][1] if position + 1 < len(lines) else ""
        in_speech = bool(elements) and elements[-1].kind in ("character", "parenthetical", "dialogue")
        if styled:
            kind = styled
        elif _is_heading(paragraph):
            kind = "chapter"
        elif SCENE_HEADING.match(text.upper() + " ") and text.upper() == text:
            kind = "heading"
        elif _TRANSITION.fullmatch(text):
            kind = "transition"
        elif in_speech and text.startswith("(") and text.endswith(")"):
            kind = "parenthetical"
        elif _CUE.fullmatch(text) and next_text and not SCENE_HEADING.match(next_text.upper() + " "):
            kind = "character"
        elif in_speech and elements[-1].kind != "dialogue":
            kind = "dialogue"
            speech_indent = _left_indent(paragraph)
        elif in_speech and speech_indent and _left_indent(paragraph) == speech_indent:
            kind = "dialogue"
        else:
            kind = "action"
        if kind != "dialogue":
            speech_indent = None if kind not in ("character", "parenthetical") else speech_indent
        elements.append(ScriptElement(kind=kind, text=text, dual=kind == "character" and text.endswith("^")))
    return [
        ScriptElement(kind=element.kind, text=element.text.rstrip("^ ").strip(), dual=element.dual)
        for element in elements
    ]
