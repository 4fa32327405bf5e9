"""Time the story engine on 1k, 10k and 100k-word inputs, each run in a fresh subprocess.

    .venv/bin/python bench/engine_bench.py [--out bench/results/engine.json] [--data ../shared/eval/data]
                                           [--no-hostile]

Inputs are built deterministically by repeating the eval's prose documents (or
a built-in paragraph when the eval folder is absent) up to the word count.
Peak memory is the subprocess's maximum resident set size (getrusage), which
includes the interpreter itself (about 20-25 MB).

Then the hostile inputs of story/tests/hostile.py (runs of every punctuation mark,
of spaces, unclosed openers...; the families where issue 12 found super-linear
regexes), each family 100,000 characters long, packed into 500,000-character texts,
segmented once each in one subprocess with a hard timeout: a pattern that turns
quadratic again shows as a slow or timed-out text here.
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
HOSTILE_TOTAL_CHARS = 500_000
HOSTILE_PIECE_CHARS = 100_000
HOSTILE_TIMEOUT_SEC = 600
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


def hostile_child() -> None:
    sys.path.insert(0, str(ROOT))
    from story import segment
    from story.tests.hostile import composites

    texts = composites(HOSTILE_TOTAL_CHARS, HOSTILE_PIECE_CHARS)
    segment(texts[0][:10_000], 60)  # warm-up
    timings = []
    for text in texts:
        start = time.perf_counter()
        segment(text, 60)
        timings.append(time.perf_counter() - start)
    chars = sum(len(t) for t in texts)
    print(
        json.dumps(
            {
                "texts": len(texts),
                "chars": chars,
                "total_s": sum(timings),
                "slowest_s": max(timings),
                "median_s": sorted(timings)[len(timings) // 2],
                "chars_per_s": chars / sum(timings),
            }
        )
    )


def run_hostile() -> dict[str, float] | None:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--hostile-child"],
            capture_output=True,
            text=True,
            check=True,
            timeout=HOSTILE_TIMEOUT_SEC,
        )
    except subprocess.TimeoutExpired:
        print(f"\nhostile inputs: TIMED OUT after {HOSTILE_TIMEOUT_SEC} s (a super-linear pattern is back)")
        return None
    row: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"\nhostile inputs: {row['texts']} texts, {row['chars']:,} chars, total {row['total_s']:.1f} s, "
        f"median {row['median_s'] * 1000:.0f} ms, slowest {row['slowest_s'] * 1000:.0f} ms per 500k-char text, "
        f"{row['chars_per_s']:,.0f} chars/s"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "engine.json")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "data")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile inputs")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--hostile-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.data))
        return
    if args.hostile_child:
        hostile_child()
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
    hostile = None if args.no_hostile else run_hostile()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {"python": sys.version.split()[0], "runs": rows}
    if not args.no_hostile:
        report["hostile"] = hostile if hostile is not None else {"timed_out_after_s": HOSTILE_TIMEOUT_SEC}
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
