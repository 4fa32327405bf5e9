"""Writes screenplay elements as Fountain, forcing an element wherever Fountain would read it otherwise.

Final Draft and Word scripts arrive as typed paragraphs; the engine reads Fountain. Each
element is written the way https://fountain.io/syntax says it is recognised: a scene heading
that does not start with INT/EXT gets the forcing `.`, a character cue in mixed case gets
`@`, a transition that does not end in `TO:` gets `>`, an action line in capitals that would
look like a cue gets `!`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCENE_HEADING = re.compile(r"(?:INT\.?/EXT|INT/EXT|EXT\.?/INT|I/E|INT|EXT|EST)[.\s]", re.IGNORECASE)
_TRANSITION_NATURAL = re.compile(r"[A-Z0-9 .'\-]+TO:|FADE IN:|FADE OUT\.?|FADE TO BLACK\.?")
KINDS = ("heading", "action", "character", "parenthetical", "dialogue", "transition", "shot", "chapter")


@dataclass(frozen=True)
class ScriptElement:
    kind: str  # one of KINDS
    text: str
    dual: bool = False  # a character cue spoken at the same time as the previous one


def elements_to_fountain(elements: list[ScriptElement]) -> str:
    """The elements as Fountain text: blank lines between blocks, none inside a cue's dialogue."""
    blocks: list[tuple[str, list[str]]] = []
    for element in elements:
        text = " ".join(element.text.split()) if element.kind != "action" else element.text.strip()
        if not text:
            continue
        if element.kind in ("parenthetical", "dialogue") and blocks and blocks[-1][0] == "character":
            blocks[-1][1].append(_parenthetical(text) if element.kind == "parenthetical" else text)
            continue
        blocks.append((element.kind, [_line(element, text)]))
    # A cue with no line after it would read as action: keep its name, forced as action.
    texts = [
        "\n".join(block if kind != "character" or len(block) > 1 else [_action(block[0])]) for kind, block in blocks
    ]
    return "\n\n".join(texts) + "\n"


def _line(element: ScriptElement, text: str) -> str:
    if element.kind == "heading":
        heading = text.upper()
        return heading if SCENE_HEADING.match(heading + " ") else f".{heading}"
    if element.kind == "character":
        name = text.upper()
        natural = len(name) <= 40 and len(name.split()) <= 5 and any(c.isalpha() for c in name) and name[-1] != ":"
        return f"{'' if natural else '@'}{name}{' ^' if element.dual else ''}"
    if element.kind == "transition":
        transition = text.upper()
        return transition if _TRANSITION_NATURAL.fullmatch(transition) else f"> {transition}"
    if element.kind == "chapter":
        return f"# {text}"
    if element.kind in ("parenthetical", "dialogue"):
        # Speech with no cue before it cannot be dialogue in Fountain: keep its words as action.
        return _action(_parenthetical(text) if element.kind == "parenthetical" else text)
    return _action(text)


def _action(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    looks_like_something_else = first_line.isupper() or first_line[:1] in ".!@#>~=[" or first_line.startswith("/*")
    return f"!{text}" if looks_like_something_else else text


def _parenthetical(text: str) -> str:
    inner = text.strip().removeprefix("(").removesuffix(")").strip()
    return f"({inner})"
