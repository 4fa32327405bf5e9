"""Final Draft (`.fdx`) scripts: the typed paragraphs of its XML written out as Fountain.

The XML is parsed with defusedxml with DTDs forbidden, so entity expansion (a billion
laughs), external entities (a local file's contents) and external DTDs are refused
before anything is expanded.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import StoryFileError
from .screenplay import ScriptElement, elements_to_fountain
from .types import ImportedStory

# Final Draft's paragraph types, and what each is in Fountain.
_PARAGRAPH_KINDS = {
    "scene heading": "heading",
    "action": "action",
    "character": "character",
    "parenthetical": "parenthetical",
    "dialogue": "dialogue",
    "transition": "transition",
    "shot": "action",
    "general": "action",
    "cast list": "action",
    "new act": "chapter",
    "end of act": "action",
}


def read_fdx(data: bytes) -> ImportedStory:
    """A Final Draft script as Fountain text, its title page's first line as the title."""
    root = _parse(data)
    content = root.find("Content")
    if content is None:
        raise StoryFileError("The Final Draft file has no script content (no <Content> element).")
    elements: list[ScriptElement] = []
    for paragraph in content.findall("Paragraph"):
        dual = paragraph.find("DualDialogue")
        if dual is not None:
            elements.extend(_dual_dialogue(dual))
        else:
            element = _element(paragraph)
            if element is not None:
                elements.append(element)
    text = elements_to_fountain(elements)
    return ImportedStory(text=text, title=_title(root), source_format="fdx")


def _parse(data: bytes) -> Element:
    if not data.lstrip().startswith(b"<"):
        raise StoryFileError("The file is named .fdx but is not a Final Draft (XML) file.")
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise StoryFileError(
            "The Final Draft file declares a DTD or entities, which a Final Draft file never needs; it was refused."
        ) from None
    except (ParseError, ValueError):
        raise StoryFileError("The file is named .fdx but is not well-formed XML.") from None
    if root.tag != "FinalDraft":
        raise StoryFileError(f"The XML file is not a Final Draft script (its root is <{root.tag}>, not <FinalDraft>).")
    return root


def _paragraph_text(paragraph: Element) -> str:
    # A paragraph's text is split into <Text> runs by style (bold, italic, revision colour).
    return "".join(run.text or "" for run in paragraph.findall("Text")).replace("\r", "")


def _element(paragraph: Element, *, dual: bool = False) -> ScriptElement | None:
    kind = _PARAGRAPH_KINDS.get((paragraph.get("Type") or "general").strip().lower(), "action")
    text = _paragraph_text(paragraph)
    if not text.strip():
        return None
    return ScriptElement(kind=kind, text=text, dual=dual and kind == "character")


def _dual_dialogue(dual: Element) -> list[ScriptElement]:
    """Two speakers at once: the second cue is marked with Fountain's `^`."""
    elements: list[ScriptElement] = []
    cues = 0
    for paragraph in dual.findall("Paragraph"):
        is_cue = (paragraph.get("Type") or "").strip().lower() == "character"
        cues += is_cue
        element = _element(paragraph, dual=is_cue and cues > 1)
        if element is not None:
            elements.append(element)
    return elements


def _title(root: Element) -> str | None:
    title_page = root.find("TitlePage/Content")
    if title_page is None:
        return None
    for paragraph in title_page.findall("Paragraph"):
        text = " ".join(_paragraph_text(paragraph).split())
        if text:
            return text[:200]
    return None
