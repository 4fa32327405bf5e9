"""Plain text, Markdown and Fountain files: the encoding detected, line endings normalised.

UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read as
such. Anything else that is not valid UTF-8 is read as Windows-1252, the encoding of older
Windows editors, unless it looks like broken UTF-8 (a valid multi-byte sequence beside an
invalid one, an overlong or surrogate encoding): a file damaged that way would come out as
mojibake, so it is refused instead. Binary files (NUL and other control bytes) are refused.
"""

from __future__ import annotations

import codecs
import re

from .errors import StoryFileError
from .types import ImportedStory

# Control characters no text editor writes: C0 controls other than tab, newline, form feed and carriage return.
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A well-formed UTF-8 multi-byte sequence (no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Lead bytes that only broken UTF-8 produces: overlong two-byte forms and surrogate halves.
_UTF8_DAMAGE = re.compile(rb"[\xc0\xc1][\x80-\xbf]|\xed[\xa0-\xbf][\x80-\xbf]")
_MARKDOWN_SETEXT = re.compile(r"^(?P<title>[^\n]*\S[^\n]*)\n(?P<rule>=+|-+)[ \t]*$", re.MULTILINE)
_MARKDOWN_H1 = re.compile(r"\A\s*#[ \t]+(?P<title>[^\n]+?)[ \t#]*$", re.MULTILINE)
_FOUNTAIN_TITLE_KEY = re.compile(r"(?P<key>[A-Za-z][A-Za-z ]{0,30}):[ \t]*(?P<value>.*)")
_FOUNTAIN_EMPHASIS = re.compile(r"[*_]+")


def decode_text(data: bytes) -> str:
    """The file's text with its encoding detected and its line endings made `\\n`."""
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if _UTF8_DAMAGE.search(data) or _UTF8_MULTIBYTE.search(data):
                raise StoryFileError(
                    "The file is not valid UTF-8: it mixes UTF-8 characters with damaged ones. "
                    "Save it again as UTF-8 and upload it once more."
                ) from None
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
                raise StoryFileError("The file is not text in UTF-8, UTF-16 or Windows-1252.") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _BINARY_CONTROL.search(text):
        raise StoryFileError("The file holds binary data, not text.")
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise StoryFileError(f"The file says it is {encoding.upper()} but is not valid {encoding.upper()}.") from None


def read_plain_text(data: bytes) -> ImportedStory:
    """A `.txt` story or script, kept as written."""
    return ImportedStory(text=decode_text(data), title=None, source_format="txt")


def read_markdown(data: bytes) -> ImportedStory:
    """A `.md` story: headings stay as `#` lines, which the engine takes as chapter breaks."""
    text = _MARKDOWN_SETEXT.sub(_setext_to_atx, decode_text(data))
    first_heading = _MARKDOWN_H1.match(text)
    title = first_heading.group("title").strip() if first_heading else None
    return ImportedStory(text=text, title=title or None, source_format="md")


def _setext_to_atx(match: re.Match[str]) -> str:
    level = "#" if match.group("rule").startswith("=") else "##"
    return f"{level} {match.group('title').strip()}"


def read_fountain(data: bytes) -> ImportedStory:
    """A `.fountain` script, kept as it is; the title page gives the title."""
    text = decode_text(data)
    return ImportedStory(text=text, title=fountain_title(text), source_format="fountain")


def fountain_title(text: str) -> str | None:
    """The `Title:` of a Fountain title page (the key-value block the script opens with), if any."""
    lines = text.lstrip("\n").split("\n")
    if not lines or not _FOUNTAIN_TITLE_KEY.fullmatch(lines[0].strip()):
        return None
    title_parts: list[str] = []
    in_title = False
    for line in lines:
        if not line.strip():
            break
        key_value = _FOUNTAIN_TITLE_KEY.fullmatch(line) if not line[:1].isspace() else None
        if key_value:
            in_title = key_value.group("key").strip().lower() == "title"
            if in_title and key_value.group("value").strip():
                title_parts.append(key_value.group("value").strip())
        elif in_title:
            title_parts.append(line.strip())
    title = " ".join(_FOUNTAIN_EMPHASIS.sub("", part).strip() for part in title_parts).strip()
    return title or None
