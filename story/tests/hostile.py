"""Adversarial story texts: the inputs a regex with a nested or lazy quantifier chokes on.

Shared by the fuzz test (tests/test_hostile_input.py) and the speed benchmark
(bench/engine_bench.py --hostile), so that what is pinned is also what is timed.
"""

from __future__ import annotations

# Every punctuation mark the engine's patterns look at, and a few they do not.
MARKS = ".!?…,;:-—–'\"“”‘’«»()[]{}*_#=/\\<>~@^`|&%$+。！？」』）"
# Openers whose closer a pattern might look for: boneyard, notes, quotes, brackets, emphasis,
# Fountain's forced elements, scene headings, character cues with extensions.
OPENERS = (
    "/*",
    "[[",
    "(",
    "[",
    "{",
    '"',
    "“",
    "‘",
    "'",
    "*",
    "**",
    "_",
    "~",
    ">",
    "<",
    "#",
    "===",
    ".",
    "@",
    "!",
    "INT. ",
    "EXT. ",
    "BOB (",
)


def families(size: int) -> dict[str, str]:
    """One text of about `size` characters per failure family, keyed by a short name."""
    out: dict[str, str] = {}
    for mark in MARKS:
        out[f"run {mark}"] = "Wait" + mark * size + "what"
        out[f"spaced run {mark}"] = "Wait " + (mark + " ") * (size // 2) + "what"
        out[f"words run {mark}"] = ("Hmm" + mark) * (size // 4)
    for opener in OPENERS:
        piece = opener + " x\n" if opener.endswith(" ") else opener + " x "
        out[f"unclosed {opener.strip()}"] = piece * (size // len(piece))
    out["spaces"] = "A" + " " * size + "B"
    out["tabs"] = "A" + "\t" * size + "B"
    out["newlines"] = "A" + "\n" * size + "B"
    out["blank lines with spaces"] = "A" + " \n" * (size // 2) + "B"
    out["one word"] = "a" * size
    out["capitalised words"] = "Ab " * (size // 3)
    out["upper-case words"] = "AB " * (size // 3)
    out["upper-case names with commas"] = "TOM, " * (size // 5)
    out["names with commas"] = "Tom, " * (size // 5)
    out["titles"] = "Mr. " * (size // 4)
    out["saints"] = "St. " * (size // 4)
    out["speech"] = '," said ' * (size // 8)
    out["places"] = "in the " * (size // 7)
    out["edges"] = "edge of " * (size // 8)
    out["articles and adjectives"] = "the old " * (size // 8)
    out["pronoun sentences"] = "He was " * (size // 7)
    out["chapters"] = "Chapter " * (size // 8)
    out["heading with spaces"] = "INT. A" + " " * size + "B - DAY\n\nx\n\nINT. C - NIGHT\n\ny"
    out["heading with dashes"] = "INT. A " + "–—" * (size // 2) + " x\n\nINT. B - DAY\n\ny"
    out["heading scene numbers"] = "INT. A " + "#1" * (size // 2) + "\n\nINT. B - DAY\n\ny"
    out["cue extensions"] = "INT. A - DAY\n\nBOB" + "(x)" * (size // 3) + "\nHi.\n\nINT. B - DAY\n\nOk.\n"
    out["cue with spaces"] = "\n\nBOB" + " " * size + "X\nHi.\n"
    out["dots between words"] = "a." * (size // 2)
    out["hyphens between words"] = "a-" * (size // 2)
    out["apostrophes between words"] = "A" + "a'" * (size // 2)
    return out


# The families where a quadratic or exponential pattern was found once (issue 12): bare runs of
# every mark, unclosed openers, whitespace runs, character-cue extensions.
KEY_PREFIXES = ("run ", "unclosed ", "spaces", "tabs", "newlines", "cue ")


def composites(total: int, piece: int, prefixes: tuple[str, ...] | None = None) -> list[str]:
    """The families (those named with one of `prefixes`, or all) at `piece` characters each,
    packed into texts of at most about `total` characters.

    A pattern that is quadratic in a run takes piece² steps on one of these, so with
    pieces of 100,000 characters a regression hangs instead of costing a second.
    """
    texts: list[str] = []
    current: list[str] = []
    length = 0
    chosen = [t for name, t in families(piece).items() if prefixes is None or name.startswith(prefixes)]
    for text in chosen:
        if current and length + len(text) > total:
            texts.append("\n\n".join(current))
            current, length = [], 0
        current.append(text)
        length += len(text) + 2
    if current:
        texts.append("\n\n".join(current))
    return texts
