"""Time the render engine: the animatic MP4 with and without camera moves, its memory, and panel drawing.

    .venv/bin/python bench/render_bench.py [--out bench/results/render.json] [--quick]

Each case runs in a fresh subprocess, so its peak resident set size (getrusage, interpreter,
numpy, Pillow and PyAV included) is its own:

- `moves_60s`: 60 s of 1280x720 at 24 fps, 15 scenes of 4 s, every scene moving (push in, pull
  out, pans, tilts in turn), two characters each, no captions, no voice. Target: 4x real time.
- `static_60s`: the same project with `camera="static"`. Target: 10x real time.
- `moves_600s`: ten minutes (150 scenes) with moves, for memory that must not grow with the
  duration (target < 400 MB for both lengths). `--quick` skips it.
- `captions_voice_60s`: the 60 s project with burned captions and the espeak-ng voice (when
  espeak-ng is installed), for information.
- `panels`: one 1280x720 composed frame (best and median of every setting), its PNG encoding,
  and the builtin provider's whole job for a 200-scene project (a background and a frame per
  scene, a card per character) in two worker processes (target < 15 s, < 300 MB each).

Reported: wall time, CPU seconds (all threads), the real-time factor, the machine's core count
and how busy the rest of the machine was meanwhile (CPU other processes used, from /proc/stat),
because on a shared 2-core machine wall time moves with whatever else runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from render.types import CharacterSheet, DialogueLine, ProjectSheet, SceneSheet, VideoOptions  # noqa: E402

MOVES = ("push_in", "pan_left", "tilt_up", "pull_out", "pan_right", "tilt_down")
PLACES = ("the kitchen", "the harbour", "the old forest", "the high street", "the mountains", "the meadow", "the sky")
TIMES = ("night", "dawn", "morning", "noon", "afternoon", "evening")
MOODS = ("tense", "hopeful", "mysterious", None, "joyful", "ominous", "peaceful")
NAMES = ("Mara", "Tobias", "Ines", "Old Pike", "The Fox", "Dr. Wren", "Sam", "Lucia")
TARGETS = {"moves_60s": 4.0, "static_60s": 10.0}
MEMORY_TARGET_MB = 400
PANELS_TARGET_S = 15.0
PANELS_MEMORY_TARGET_MB = 300
FRAME_TARGET_MS = 50.0


def bench_project(scenes: int, scene_ms: int = 4000) -> ProjectSheet:
    """A deterministic project: settings, light and moods in turn, two characters a scene, a line every other."""
    sheets = []
    for i in range(scenes):
        names = [NAMES[i % len(NAMES)], NAMES[(i + 3) % len(NAMES)]]
        dialogue = [DialogueLine(character=names[0], text="We have to cross before the tide turns.")] if i % 2 else []
        sheets.append(
            SceneSheet(
                index=i,
                title=f"Scene {i + 1}",
                description=f"{names[0]} and {names[1]} look out over {PLACES[i % len(PLACES)]}.",
                text="",
                location=PLACES[i % len(PLACES)],
                time_of_day=TIMES[i % len(TIMES)],
                mood=MOODS[i % len(MOODS)],
                characters=names,
                start_ms=i * scene_ms,
                duration_ms=scene_ms,
                camera=MOVES[i % len(MOVES)],
                dialogue=dialogue,
            )
        )
    characters = [CharacterSheet(name=n, description=f"{n} in a {c} coat") for n, c in zip(NAMES, ("red", "blue",
                  "green", "grey", "orange", "black", "yellow", "purple"), strict=True)]  # fmt: skip
    return ProjectSheet(title="Render bench", scenes=sheets, characters=characters)


def machine_busy_s() -> float:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def measured(work: Callable[[], dict]) -> dict:
    """Run `work()`, with wall time, own CPU, the rest of the machine's CPU and peak RSS."""
    wall0, cpu0, busy0 = time.perf_counter(), own_cpu_s(), machine_busy_s()
    extra = work() or {}
    wall, cpu, busy = time.perf_counter() - wall0, own_cpu_s() - cpu0, machine_busy_s() - busy0
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "other_processes_cpu_s": round(max(busy - cpu, 0.0), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **extra,
    }


def child_video(case: str) -> dict:
    from render import video

    seconds = 600 if case == "moves_600s" else 60
    project = bench_project(seconds // 4)
    options = VideoOptions(resolution="720p", fps=24)
    if case == "static_60s":
        options = replace(options, camera="static")
    if case == "captions_voice_60s":
        options = replace(options, captions="burn", voice=video.voice_available())
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "bench.mp4"

        def work() -> dict:
            result = video.render_video(project, out, options=options)
            return {"frames": result.frames, "mp4_kb": out.stat().st_size // 1024, "has_audio": result.has_audio}

        row = measured(work)
    row.update(case=case, video_s=seconds, realtime_x=round(seconds / row["wall_s"], 2))
    # What the same CPU time would give with every core to itself: the figure a busy shared
    # machine cannot show in wall time (an upper bound: it assumes both cores kept busy).
    row["cpu_bound_realtime_x"] = round(seconds / (row["cpu_s"] / (os.cpu_count() or 1)), 2)
    row["voice"] = options.voice
    return row


def _panel_job(scenes: list[SceneSheet], characters: list[CharacterSheet]) -> dict:
    """What the builtin provider does for these scenes: a background, a frame and the cards, as PNG bytes."""
    from render import panels

    start = time.perf_counter()
    total_bytes = 0
    for scene in scenes:
        background = panels.draw_background(scene, (1280, 720))
        total_bytes += len(panels.png_bytes(background))
        total_bytes += len(panels.frame_png(scene, (1280, 720), characters=characters, background=background))
    for character in characters:
        total_bytes += len(panels.character_png(character, (1280, 720)))
    return {
        "wall_s": time.perf_counter() - start,
        "png_mb": total_bytes / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_panels() -> dict:
    from concurrent.futures import ProcessPoolExecutor

    from render import panels

    project = bench_project(200)
    settings: dict[str, list[SceneSheet]] = {}
    for scene in project.scenes[:42]:  # every setting, several lights and moods
        settings.setdefault(panels.scene_setting(scene), []).append(scene)
    panels.draw_frame(project.scenes[0], (1280, 720))  # fonts loaded once
    per_setting = {}
    encode_ms = []
    for setting, scenes in settings.items():
        times = []
        for scene in scenes:
            for _ in range(3):
                t = time.perf_counter()
                image = panels.draw_frame(scene, (1280, 720), characters=project.characters)
                times.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            panels.png_bytes(image)
            encode_ms.append((time.perf_counter() - t) * 1000)
        per_setting[setting] = {"best_ms": round(min(times), 1), "median_ms": round(statistics.median(times), 1)}
    drawn = [m["median_ms"] for m in per_setting.values()]
    halves = [project.scenes[0::2], project.scenes[1::2]]
    cards = [project.characters[0::2], project.characters[1::2]]

    def job() -> dict:
        with ProcessPoolExecutor(max_workers=2) as pool:
            parts = list(pool.map(_panel_job, halves, cards))
        return {
            "workers": 2,
            "worker_peak_rss_mb": round(max(p["peak_rss_mb"] for p in parts), 1),
            "png_mb": round(sum(p["png_mb"] for p in parts), 1),
        }

    wall0, busy0 = time.perf_counter(), machine_busy_s()
    job_row = job()
    wall, busy = time.perf_counter() - wall0, machine_busy_s() - busy0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    job_row.update(
        scenes=200,
        characters=len(project.characters),
        wall_s=round(wall, 2),
        cpu_s=round(children.ru_utime + children.ru_stime, 2),
        machine_busy_s=round(busy, 2),
    )
    return {
        "case": "panels",
        "frame_1280x720": per_setting,
        "frame_median_ms": round(statistics.median(drawn), 1),
        "frame_worst_median_ms": round(max(drawn), 1),
        "png_encode_median_ms": round(statistics.median(encode_ms), 1),
        "project_200_scenes": job_row,
    }


def run_child(case: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", case], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "render.json")
    parser.add_argument("--quick", action="store_true", help="skip the ten-minute render")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        row = child_panels() if args.child == "panels" else child_video(args.child)
        print(json.dumps(row))
        return
    cases = ["moves_60s", "static_60s", "captions_voice_60s"] + ([] if args.quick else ["moves_600s"])
    load_before = os.getloadavg()
    rows = []
    for case in cases:
        print(f"render bench: {case}", file=sys.stderr)
        rows.append(run_child(case))
    print("render bench: panels", file=sys.stderr)
    panels_row = run_child("panels")
    result = {
        "nproc": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "videos": rows,
        "panels": panels_row,
    }
    print(markdown(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\nwritten to {args.out}")


def markdown(result: dict) -> str:
    """The figures as the README and bench/results/summary.md show them."""
    lines = [
        f"{result['nproc']} cores; load average {result['loadavg_before'][0]} before, "
        f"{result['loadavg_after'][0]} after.",
        "",
        "| render (720p, 24 fps) | frames | wall | CPU (all threads) | other processes' CPU | real time | "
        "CPU-bound real time | peak RSS | MP4 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["videos"]:
        target = TARGETS.get(r["case"])
        mark = f" (target {target:.0f}x: {'met' if r['realtime_x'] >= target else 'MISSED'})" if target else ""
        memory = f" ({'<' if r['peak_rss_mb'] < MEMORY_TARGET_MB else '>='} {MEMORY_TARGET_MB})"
        lines.append(
            f"| {r['case']}{' (voice)' if r.get('voice') else ''} | {r['frames']} | {r['wall_s']:.1f} s | "
            f"{r['cpu_s']:.1f} s | {r['other_processes_cpu_s']:.1f} s | {r['realtime_x']:.1f}x{mark} | "
            f"{r['cpu_bound_realtime_x']:.1f}x | "
            f"{r['peak_rss_mb']:.0f} MB{memory} | {r['mp4_kb']} KB |"
        )
    p = result["panels"]
    job = p["project_200_scenes"]
    lines += [
        "",
        f"Panels: a 1280x720 composed frame in {p['frame_median_ms']} ms (median over settings; slowest setting "
        f"{p['frame_worst_median_ms']} ms; target {FRAME_TARGET_MS:.0f} ms), "
        f"its PNG in {p['png_encode_median_ms']} ms.",
        f"The builtin provider's job for {job['scenes']} scenes and {job['characters']} characters (background + "
        f"frame per scene, a card per character, as PNG) in {job['workers']} processes: {job['wall_s']:.1f} s wall, "
        f"{job['cpu_s']:.1f} s CPU, {job['worker_peak_rss_mb']:.0f} MB peak per worker, {job['png_mb']} MB of PNG "
        f"(targets {PANELS_TARGET_S:.0f} s, {PANELS_MEMORY_TARGET_MB} MB).",
        "",
        "| setting | best | median |",
        "|---|---:|---:|",
    ]
    for setting, row in p["frame_1280x720"].items():
        lines.append(f"| {setting} | {row['best_ms']} ms | {row['median_ms']} ms |")
    lines += [
        "",
        "Real time = video seconds / wall seconds. CPU-bound real time = video seconds / (CPU seconds / cores): "
        "what the run would reach with the machine to itself. Other processes' CPU is what the rest of the "
        "machine used meanwhile (from /proc/stat).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
