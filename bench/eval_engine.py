"""Run the story engine over the labelled eval documents and score it with the eval's score.py.

    .venv/bin/python bench/eval_engine.py [--data ../shared/eval/data] [--duration 60] [--docs]
    .venv/bin/python bench/eval_engine.py --data story/tests/data/spliced --docs   # the spliced prose set

Two settings: the gold scene count given (scene_count = gold boundaries + 1),
and the engine's own choice of count for a `--duration`-second animatic.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from story import SegmentOptions, segment  # noqa: E402


def load_gold(data_dir: Path) -> list[dict]:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(data_dir.glob("*.json"))]
    return [d for d in docs if {"id", "kind", "text", "boundaries"} <= d.keys()]


def predict(docs: list[dict], out_dir: Path, duration: int, gold_count: bool) -> None:
    for doc in docs:
        opts = SegmentOptions(scene_count=len(doc["boundaries"]) + 1) if gold_count else SegmentOptions()
        result = segment(doc["text"], duration, opts)
        segments = [[s.start_char, s.end_char] for s in result.scenes]
        (out_dir / f"{doc['id']}.json").write_text(json.dumps({"id": doc["id"], "segments": segments}))


def run(data_dir: Path, scorer: Path, duration: int, gold_count: bool, show_docs: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        pred_dir = Path(tmp) / "engine"
        pred_dir.mkdir()
        predict(load_gold(data_dir), pred_dir, duration, gold_count)
        scores = Path(tmp) / "scores.json"
        command = [
            sys.executable,
            str(scorer),
            "--data",
            str(data_dir),
            "--pred",
            str(pred_dir),
            "--json-out",
            str(scores),
        ]
        done = subprocess.run(
            command if show_docs else [*command, "--no-docs"], capture_output=True, text=True, check=True
        )
        if show_docs:
            print("\n".join(done.stdout.splitlines()[:-1]))
        return json.loads(scores.read_text())


def table(label: str, result: dict) -> str:
    lines = [
        f"### {label}",
        "",
        "| kind | docs | F1 (±1 sentence) | Pk | WindowDiff | coverage | count ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, agg in result["by_kind"].items():
        lines.append(
            f"| {kind} | {agg['n']} | {agg['f1_tol1']:.2f} | {agg['pk']:.2f} | {agg['windowdiff']:.2f} "
            f"| {agg['coverage']:.2f} | {agg['seg_ratio']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "data")
    parser.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "eval" / "score.py")
    parser.add_argument("--duration", type=int, default=60, help="animatic length for the own-choice setting")
    parser.add_argument("--docs", action="store_true", help="also print the per-document tables")
    args = parser.parse_args()
    if not args.data.is_dir():
        parser.error(f"no eval data at {args.data}")
    if not args.scorer.is_file():
        parser.error(f"no scorer at {args.scorer}")
    gold = run(args.data, args.scorer, args.duration, gold_count=True, show_docs=args.docs)
    own = run(args.data, args.scorer, args.duration, gold_count=False, show_docs=args.docs)
    print(table("Gold scene count given (scene_count = gold boundaries + 1)", gold))
    print()
    print(table(f"Engine's own choice (duration {args.duration} s, no scene_count)", own))


if __name__ == "__main__":
    main()
