"""Rebuild the spliced prose documents in spliced/ from the shared eval's two prose works.

    .venv/bin/python story/tests/data/build_spliced.py [../shared/eval/data]

Each eval prose document is cut at its gold boundaries (the author's chapter and
section breaks, markers already removed) into pieces; the pieces are joined
again in other orders and combinations, with a blank line between them, so a
boundary sits exactly where one author-marked piece ends and another begins.
This gives more labelled documents whose breaks are real chapter openings and
endings, and cross-author joins, for leave-one-out checks of the prose scorer.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUSTEN = "pr_austen_pride_prejudice_ch1_12"
DOYLE = "pr_doyle_scandal_in_bohemia"
# (id, title, [(document, piece index)]), piece indices from 0
RECIPES = [
    (
        "spl_austen_odd_chapters",
        "Pride and Prejudice chapters I, III, V, VII, IX, XI",
        [(AUSTEN, i) for i in (0, 2, 4, 6, 8, 10)],
    ),
    (
        "spl_austen_even_chapters",
        "Pride and Prejudice chapters II, IV, VI, VIII, X, XII",
        [(AUSTEN, i) for i in (1, 3, 5, 7, 9, 11)],
    ),
    ("spl_doyle_reordered", "A Scandal in Bohemia, parts II, III, I", [(DOYLE, 1), (DOYLE, 2), (DOYLE, 0)]),
    (
        "spl_doyle_austen_mixed",
        "A Scandal in Bohemia parts with Pride and Prejudice chapters between them",
        [(DOYLE, 0), (AUSTEN, 2), (DOYLE, 1), (AUSTEN, 7), (DOYLE, 2)],
    ),
]


def pieces(doc: dict) -> list[str]:
    text = doc["text"]
    edges = [0, *doc["boundaries"], len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(edges)]


def build(eval_dir: Path) -> None:
    docs = {d: json.loads((eval_dir / f"{d}.json").read_text(encoding="utf-8")) for d in (AUSTEN, DOYLE)}
    cut = {d: pieces(doc) for d, doc in docs.items()}
    for doc_id, title, recipe in RECIPES:
        text, boundaries = "", []
        for doc, index in recipe:
            if text:
                text += "\n\n"
                boundaries.append(len(text))
            text += cut[doc][index]
        sources = sorted({docs[d]["source"] for d, _ in recipe})
        out = {
            "id": doc_id,
            "kind": "prose",
            "source": " + ".join(sources),
            "license": "Public domain in the USA (Project Gutenberg texts, as in the shared eval)",
            "title": title,
            "text": text + "\n",
            "boundaries": boundaries,
        }
        (HERE / "spliced" / f"{doc_id}.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "eval" / "data")
