"""Time every export of a 200-scene project (target: each under 2 s, the ZIP excepted), in one process.

    .venv/bin/python bench/export_bench.py [--scenes 200] [--repeats 3] [--out bench/results/exports.json]

Two projects of `--scenes` scenes (2-7 s, two dialogue lines, every camera move), each scene with
its own 1280x720 PNG file (20 pictures copied to 200 files, so nothing is shared):
  - "drawn": flat shapes and gradients, like the built-in renderer's panels (~100-200 KB each);
  - "photographic": the same with grain, like a generated image (~1.6 MB each), where the PDF
    scales each frame to print size, timed cold and with its cache folder warm.
Each export is written once to warm up (imports, fonts), then `--repeats` times: the table gives
the median wall time, the median CPU time of the process (all threads) and the output size. The
ZIP (every other format, the frames, a 1600x900 Storyboarder layer per board) has no 2 s target
and runs once, on the drawn project.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0
UNTIMED = {"zip"}  # no target: it holds everything else and re-encodes the Storyboarder layers


def painted_frame(seed: int, path: Path, grain: bool) -> None:
    """A 1280x720 picture of gradients and outlined shapes, with film grain when `grain`."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(seed)
    low = rng.integers(0, 255, (3, 4, 3), dtype=np.uint8)
    image = Image.fromarray(low).resize((1280, 720), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = int(rng.integers(0, 1200)), int(rng.integers(0, 650))
        w, h = int(rng.integers(40, 300)), int(rng.integers(40, 300))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        draw.ellipse((x, y, x + w, y + h), fill=colour, outline=(20, 20, 20), width=3)
    if grain:
        image = image.filter(ImageFilter.SMOOTH)
        noise = rng.integers(-6, 7, (720, 1280, 3))
        pixels = np.clip(np.asarray(image, dtype=np.int16) + noise, 0, 255).astype(np.uint8)
        image = Image.fromarray(pixels)
    image.save(path, "PNG")


def build_project(scenes: int, folder: Path, grain: bool):  # type: ignore[no-untyped-def]
    from render.types import CAMERA_MOVES, DialogueLine, ProjectSheet, SceneSheet

    bases = []
    for i in range(min(20, scenes)):
        base = folder / f"base_{i}.png"
        painted_frame(i, base, grain)
        bases.append(base)
    sheets = []
    start = 0
    for i in range(scenes):
        frame = folder / f"frame_{i:03d}.png"
        shutil.copyfile(bases[i % len(bases)], frame)
        duration = 2000 + (i * 1237) % 5000
        sheets.append(
            SceneSheet(
                index=i,
                title=f"Scene {i + 1}: the fox at the river",
                description="Anna follows the tracks along the river bank while the light goes; "
                "the wind picks up and the reeds bend towards the water.",
                text="Anna followed the tracks along the river bank.",
                location="River",
                time_of_day="dusk",
                mood="tense",
                characters=["Anna", "Tom"],
                start_ms=start,
                duration_ms=duration,
                camera=CAMERA_MOVES[i % len(CAMERA_MOVES)],
                dialogue=[
                    DialogueLine("Anna", "Did you hear that? Something is moving in the reeds over there."),
                    DialogueLine("Tom", "Only the wind."),
                ],
                frame=frame,
            )
        )
        start += duration
    return ProjectSheet(title="The Fox at the River", scenes=sheets)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(project, key: str, options, repeats: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    from render.exports import write_export

    walls, cpus, size = [], [], 0
    for _ in range(repeats):
        out = io.BytesIO()
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        write_export(project, key, options, out)
        walls.append(time.perf_counter() - wall0)
        cpus.append(cpu_seconds() - cpu0)
        size = out.tell()
    wall = statistics.median(walls)
    return {
        "median_wall_s": round(wall, 4),
        "median_cpu_s": round(statistics.median(cpus), 4),
        "bytes": size,
        "target_s": None if key in UNTIMED else TARGET_S,
        "met": None if key in UNTIMED else wall < TARGET_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "exports.json")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from render.exports import EXPORT_FORMATS, ExportOptions, write_export

    load_before = os.getloadavg()[0]
    rows = []
    frames_mb = {}
    for kind, grain in (("drawn", False), ("photographic", True)):
        with tempfile.TemporaryDirectory(prefix="av-export-bench-") as tmp:
            project = build_project(args.scenes, Path(tmp), grain)
            frames_mb[kind] = round(sum(s.frame.stat().st_size for s in project.scenes if s.frame) / 1e6, 1)
            for key in EXPORT_FORMATS:
                if key in UNTIMED and kind != "drawn":
                    continue
                write_export(project, key, ExportOptions(), io.BytesIO())  # warm-up
                row = timed(project, key, ExportOptions(), 1 if key in UNTIMED else args.repeats)
                rows.append({"frames": kind, "format": key, **row})
                if key == "pdf" and kind == "photographic":
                    cache = Path(tmp) / "print-cache"
                    write_export(project, key, ExportOptions(cache_dir=cache), io.BytesIO())  # fills the cache
                    row = timed(project, key, ExportOptions(cache_dir=cache), args.repeats)
                    rows.append({"frames": kind, "format": "pdf (warm cache)", **row})
            print(f"{kind}: done", file=sys.stderr)
    result = {
        "scenes": args.scenes,
        "repeats": args.repeats,
        "frames_total_mb": frames_mb,
        "cores": os.cpu_count(),
        "load_average_1min_before": round(load_before, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "runs": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print("\n".join(report_lines(result)))


def report_lines(result: dict) -> list[str]:  # type: ignore[type-arg]
    """The exports section of bench/results/summary.md."""
    sizes = result["frames_total_mb"]
    lines = [
        "## Exports (bench/export_bench.py)",
        "",
        f"{result['scenes']} scenes, each with its own 1280x720 PNG frame: drawn ({sizes['drawn']} MB in all) "
        f"or photographic ({sizes['photographic']} MB); {result['cores']} cores, 1-minute load average "
        f"{result['load_average_1min_before']} when it started; median of {result['repeats']} runs after a "
        f"warm-up (the ZIP: one run). Peak RSS {result['peak_rss_mb']} MB.",
        "",
        "| frames | format | wall time | CPU time | size | target < 2 s |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in result["runs"]:
        verdict = "n/a" if r["met"] is None else ("met" if r["met"] else "**missed**")
        lines.append(
            f"| {r['frames']} | {r['format']} | {r['median_wall_s'] * 1000:.0f} ms | {r['median_cpu_s'] * 1000:.0f} ms "
            f"| {r['bytes'] / 1e6:.2f} MB | {verdict} |"
        )
    return [*lines, ""]


if __name__ == "__main__":
    main()
