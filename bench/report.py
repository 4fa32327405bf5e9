"""Renders bench/results/*.json as the Markdown summary (bench/results/summary.md), targets included."""

from __future__ import annotations

import json
from pathlib import Path

READ_RATIO_TARGET = 0.60
READ_P99_TARGET_MS = 50.0
READ_P99_CONNECTIONS = 16
JOB_P50_TARGET_MS = 300.0


def load(results: Path, name: str) -> dict | None:
    path = results / name
    return json.loads(path.read_text()) if path.exists() else None


def mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def unsaturated_runs(runs: list[dict]) -> str:
    return ", ".join(f"{u['rps']:,.0f} req/s with the machine {u['machine_busy_pct']:.0f}% busy" for u in runs)


def render(results: Path) -> str:
    machine = load(results, "machine.json") or {}
    http = load(results, "http.json")
    jobs = load(results, "jobs.json")
    engine = load(results, "engine.json")
    argon2 = load(results, "argon2.json")
    profile = load(results, "profile.json")
    out: list[str] = ["# Benchmark results", ""]
    if machine:
        mariadb = next((w.rstrip(",") for w in machine.get("mariadb", "").split() if "MariaDB" in w), "?")
        dirty = " with uncommitted changes" if machine.get("git_worktree_dirty") else ""
        out += [
            f"Machine: **{machine.get('nproc')} cores** ({machine.get('cpu_model')}), "
            f"{machine.get('memory_gib')} GiB; Python {machine.get('python')}, Django {machine.get('django')}; "
            f"commit {machine.get('git_commit')}{dirty}; {machine.get('date_utc')}.",
            f"Server: gunicorn -c gunicorn.conf.py, {machine.get('gunicorn_workers')} workers x "
            f"{machine.get('gunicorn_threads')} threads (gthread); Celery worker with "
            f"{machine.get('celery_worker_processes')} processes; MariaDB ({mariadb}) "
            "and a private redis-server on the same machine; wrk on the same 2 cores.",
            "",
        ]
    targets: list[str] = []
    if http:
        out += [
            f"## HTTP (wrk, {http['wrk_threads']} threads, {http['duration_s']} s per run after a "
            f"{http['warmup_s']} s warm-up)",
            "",
            "Each endpoint ran right after a run of the bare Django view (`GET /bench/floor`: a constant "
            "JsonResponse through the same server and middleware) at the same connection count. *Ratio* = its "
            "requests/s over that floor run's; *CPU ratio* = the floor's server CPU per request over the "
            "endpoint's (steadier when other work shares the machine); *others* = the share of the machine "
            "used by processes outside the benchmark during the run.",
            "",
            "| endpoint | conns | req/s | p50 ms | p99 ms | errors | ratio to floor | server CPU ms/req "
            "| CPU ratio | others |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        runs = http["runs"]
        for conns in sorted({r["connections"] for r in runs}):
            floors = [r for r in runs if r["connections"] == conns and r["endpoint"] == "floor"]
            if floors:
                n = len(floors)
                out.append(
                    f"| {floors[0]['label']}, mean of {n} runs | {conns} | {sum(f['rps'] for f in floors) / n:,.0f} "
                    f"| {sum(f['p50_ms'] for f in floors) / n:.1f} | {sum(f['p99_ms'] for f in floors) / n:.1f} "
                    f"| {sum(f['errors'] for f in floors)} | 1.00 "
                    f"| {sum(f['server_cpu_ms_per_req'] for f in floors) / n:.2f} | 1.00 "
                    f"| {sum(f['foreign_cpu_pct'] for f in floors) / n:.0f}% |"
                )
            for r in runs:
                if r["connections"] == conns and r["endpoint"] != "floor":
                    out.append(
                        f"| {r['label']} | {conns} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                        f"| {r['errors']} | {r['ratio_to_floor']:.2f} (floor {r['floor']['rps']:,.0f}) "
                        f"| {r['server_cpu_ms_per_req']:.2f} | {r['cpu_ratio_to_floor']:.2f} "
                        f"| {r['foreign_cpu_pct']:.0f}% |"
                    )
        out.append("")
        seed = http.get("seed", {})
        server = http.get("server", {})
        out.append(
            f"Seeded through the API: the reader owns {seed.get('list_projects')} projects; the detail has "
            f"{seed.get('detail_scenes')} scenes and {seed.get('detail_characters')} characters "
            f"(scenes via {seed.get('scenes_seeded_via')}). {server.get('throttles', '')}. "
            f"{server.get('logs', '')}."
        )
        repeated = [
            f"{r['label']} at {r['connections']} conns ({unsaturated_runs(r['unsaturated_runs_repeated'])})"
            for r in runs
            if r.get("unsaturated_runs_repeated")
        ]
        if repeated:
            out.append(
                "Measured again, because the run left the machine well under busy (all of wrk's keep-alive "
                "connections on one gunicorn worker, so one core; see bench/http_bench.py): "
                + "; ".join(repeated)
                + "."
            )
        out.append("")
        reads = [r for r in runs if r.get("read")]
        for r in reads:
            targets.append(
                f"- {r['label']} at {r['connections']} conns: {r['ratio_to_floor']:.0%} of the floor "
                f"(target >= {READ_RATIO_TARGET:.0%}): {mark(r['ratio_to_floor'] >= READ_RATIO_TARGET)}"
            )
        for r in reads:
            if r["connections"] == READ_P99_CONNECTIONS:
                targets.append(
                    f"- {r['label']} p99 at {READ_P99_CONNECTIONS} conns: {r['p99_ms']:.1f} ms "
                    f"(target < {READ_P99_TARGET_MS:.0f} ms): {mark(r['p99_ms'] < READ_P99_TARGET_MS)}"
                )
    if argon2:
        out += [
            "## Argon2 (login cost)",
            "",
            f"Argon2id, time_cost={argon2['time_cost']}, memory_cost={argon2['memory_cost_kib']} KiB, "
            f"parallelism={argon2['parallelism']} (`{argon2['encoded_prefix']}`): "
            f"**{argon2['verify_ms_median']:.1f} ms per verification** (median of {argon2['rounds']}; "
            f"hashing {argon2['hash_ms_median']:.1f} ms), so at most ~{argon2['verifications_per_s_all_cores']:.0f} "
            f"logins/s on {argon2['cores']} cores with nothing else running.",
            "",
        ]
        if http:
            for r in http["runs"]:
                if r["endpoint"] == "login":
                    bound = argon2["verifications_per_s_all_cores"]
                    targets.append(
                        f"- POST /auth/login at {r['connections']} conns: {r['rps']:.0f} req/s = "
                        f"{r['rps'] / bound:.0%} of the Argon2 bound ({bound:.0f}/s): set by the hash parameters"
                    )
    if jobs and jobs.get("error"):
        targets.append(f"- job latency: the benchmark failed: {jobs['error']}")
    elif jobs and jobs.get("skipped"):
        targets.append(f"- job latency: not measured ({jobs['skipped']})")
    elif jobs:
        worker = jobs.get("worker_task_runtime_ms")
        worker_text = (
            f" The task itself (Celery's `succeeded in`): p50 {worker['p50']:.1f} ms, p95 {worker['p95']:.1f} ms."
            if worker
            else ""
        )
        out += [
            "## Segmentation jobs",
            "",
            f"{jobs['jobs']} jobs of {jobs['words']} words, one after another, each from POST "
            f"/projects/{{id}}/segment to the first GET /projects/{{id}} that says `segmented` (polling every "
            f"{jobs['poll_interval_ms']:.0f} ms): **p50 {jobs['p50_ms']:.0f} ms, p95 {jobs['p95_ms']:.0f} ms** "
            f"(min {jobs['min_ms']:.0f}, max {jobs['max_ms']:.0f}).{worker_text}",
            "",
        ]
        targets.append(
            f"- job latency p50: {jobs['p50_ms']:.0f} ms (target < {JOB_P50_TARGET_MS:.0f} ms): "
            f"{mark(jobs['p50_ms'] < JOB_P50_TARGET_MS)}"
        )
    if engine:
        out += [
            "## Story engine (bench/engine_bench.py)",
            "",
            "| words | median time | words/s | peak RSS |",
            "|---:|---:|---:|---:|",
        ]
        for r in engine.get("runs", []):
            out.append(
                f"| {r['words']:,} | {r['median_s'] * 1000:.1f} ms | {r['words_per_s']:,.0f} | "
                f"{r['peak_rss_mb']:.0f} MB |"
            )
        out += ["", "Peak RSS is the whole process's, interpreter included.", ""]
    render_figures = load(results, "render.json")
    if render_figures:
        from bench.render_bench import markdown as render_markdown

        out += ["## Render engine (bench/render_bench.py)", "", render_markdown(render_figures), ""]
    if profile:
        endpoints = profile["endpoints"]
        variants = [
            k for k, v in next(iter(endpoints.values())).items() if isinstance(v, dict) and "queries_per_req" in v
        ]
        out += [
            "## Where the time goes (bench/profile_views.py)",
            "",
            "CPU ms per request inside one process through Django's WSGI handler (no gunicorn, no network for "
            f"the client; best of {profile['batches']} interleaved batches), as the code is and with candidate "
            "fixes applied in memory only. Every variant's response was compared byte for byte with the "
            "baseline's; a different one is marked. The cProfile listings are in profile.json. "
            "`/bench/drf` answers the floor's constant through DRF (no authentication) and `/bench/drf-auth` "
            "adds the API's authentication, so the rows from the floor down price DRF, then authentication, "
            "then each endpoint's own work.",
            "",
            "| endpoint | queries | " + " | ".join(variants) + " |",
            "|---|---:|" + "---:|" * len(variants),
        ]
        for entry in endpoints.values():
            cells = []
            for name in variants:
                cell = f"{entry[name]['cpu_ms_per_req_best']:.2f}"
                if entry[name]["queries_per_req"] != entry["baseline"]["queries_per_req"]:
                    cell += f" ({entry[name]['queries_per_req']:.0f} queries)"
                if not entry[name]["same_response"]:
                    cell += " (different body)"
                cells.append(cell)
            out.append(f"| {entry['path']} | {entry['baseline']['queries_per_req']:.0f} | " + " | ".join(cells) + " |")
        out.append("")
    if targets:
        out += ["## Targets", "", *targets, ""]
    return "\n".join(out)
