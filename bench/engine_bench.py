"""Time the story engine on 1k, 10k and 100k-word inputs, each run in a fresh subprocess.

    .venv/bin/python bench/engine_bench.py [--out bench/results/engine.json] [--data ../shared/eval/data]

Inputs are built deterministically by repeating the eval's prose documents (or
a built-in paragraph when the eval folder is absent) up to the word count.
Peak memory is the subprocess's maximum resident set size (getrusage), which
includes the interpreter itself (about 20-25 MB).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000, 10_000, 100_000)
REPEATS = {1_000: 20, 10_000: 5, 100_000: 2}
FALLBACK = (
    "The fox crept through the wood at night. The next morning Anna found tracks by the river. "
    '"Who goes there?" she called. Nobody answered, and she walked back to the old house.\n\n'
)


def build_text(words: int, data_dir: Path) -> str:
    sources = []
    if data_dir.is_dir():
        for path in sorted(data_dir.glob("pr_*.json")):
            sources.append(json.loads(path.read_text(encoding="utf-8"))["text"])
    corpus = "\n\n".join(sources) or FALLBACK
    paragraphs = [p for p in corpus.split("\n\n") if p.strip()]
    out: list[str] = []
    count = i = 0
    while count < words:
        paragraph = paragraphs[i % len(paragraphs)]
        out.append(paragraph)
        count += len(paragraph.split())
        i += 1
    return "\n\n".join(out)


def child(words: int, data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    from story import segment

    text = build_text(words, Path(data_dir))
    segment(text, 60)  # warm-up: imports and regex compilation
    timings = []
    for _ in range(REPEATS[words]):
        start = time.perf_counter()
        segment(text, 60)
        timings.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "words": len(text.split()),
                "chars": len(text),
                "best_s": min(timings),
                "median_s": sorted(timings)[len(timings) // 2],
                "peak_rss_mb": peak_kb / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "engine.json")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "data")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.data))
        return
    rows = []
    for words in SIZES:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(words), "--data", str(args.data)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["words_per_s"] = row["words"] / row["median_s"]
        rows.append(row)
    print("| words | chars | median wall time | best | words/s | peak RSS |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['words']:,} | {r['chars']:,} | {r['median_s'] * 1000:.1f} ms | {r['best_s'] * 1000:.1f} ms "
            f"| {r['words_per_s']:,.0f} | {r['peak_rss_mb']:.0f} MB |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"python": sys.version.split()[0], "runs": rows}, indent=1) + "\n")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
