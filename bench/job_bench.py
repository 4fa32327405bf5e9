"""Job latency: POST /projects/{id}/segment until GET /projects/{id} says `segmented`, through the real worker.

50 jobs, one after another (latency, not throughput), each on its own project with a
~500-word story. The clock starts before the POST and stops when a poll (every 10 ms, on a
kept-alive connection) first sees `segmented`, so a figure is at most one poll interval
late. The worker's own log gives the task's run time, reported beside it.
"""

from __future__ import annotations

import re
import statistics
import time

from bench.corpus import story
from bench.seed import Seed
from bench.stack import BenchStack, log

JOBS = 50
WORDS = 500
POLL_INTERVAL_S = 0.01
JOB_TIMEOUT_S = 60


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least 1
    return ordered[int(rank) - 1]


def task_runtimes_ms(log_text: str) -> list[float]:
    """Celery's own `Task scenes.tasks.segment_project[...] succeeded in 0.0123s` lines."""
    return [float(s) * 1000 for s in re.findall(r"segment_project\[[^\]]+\] succeeded in ([0-9.]+)s", log_text)]


def run(stack: BenchStack, seed: Seed, jobs: int = JOBS) -> dict:
    client = seed.jobs.client
    text = story(WORDS)
    project_ids = [
        client.post("/projects", {"title": f"Job {i:02d}", "story_text": text, "duration_sec": 60}, expect=(201,))[
            "data"
        ]["id"]
        for i in range(jobs + 2)
    ]
    status, _ = client.request("POST", f"/projects/{project_ids[0]}/segment", {}, expect=(202, 404, 405))
    if status != 202:
        log("jobs: POST /projects/{id}/segment is not there yet; skipped")
        return {"skipped": f"POST /projects/{{id}}/segment answered {status}"}
    project_ids = project_ids[1:]
    log(f"jobs: 1 warm-up + {jobs} segmentations of {len(text.split())} words")
    worker_log = stack.worker.log_path
    log_offset = 0
    latencies_ms: list[float] = []
    polls: list[int] = []
    statuses_at_post: dict[str, int] = {}
    for n, project_id in enumerate(project_ids):
        if n == 1:  # the first job is the warm-up: the worker's first task pays for imports
            log_offset = worker_log.stat().st_size
        started = time.perf_counter()
        answer = client.post(f"/projects/{project_id}/segment", {}, expect=(202,))
        status = answer["data"]["status"]
        count = 0
        deadline = started + JOB_TIMEOUT_S
        while status != "segmented":
            if status == "failed":
                raise RuntimeError(f"job for project {project_id} failed")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"job for project {project_id} not segmented after {JOB_TIMEOUT_S} s")
            time.sleep(POLL_INTERVAL_S)
            status = client.get(f"/projects/{project_id}")["status"]
            count += 1
        elapsed_ms = (time.perf_counter() - started) * 1000
        if n:
            latencies_ms.append(elapsed_ms)
            polls.append(count)
            statuses_at_post[answer["data"]["status"]] = statuses_at_post.get(answer["data"]["status"], 0) + 1
    with open(worker_log, "rb") as f:
        f.seek(log_offset)
        runtimes = task_runtimes_ms(f.read().decode(errors="replace"))
    result = {
        "jobs": jobs,
        "words": len(text.split()),
        "poll_interval_ms": POLL_INTERVAL_S * 1000,
        "p50_ms": round(percentile(latencies_ms, 50), 1),
        "p95_ms": round(percentile(latencies_ms, 95), 1),
        "min_ms": round(min(latencies_ms), 1),
        "max_ms": round(max(latencies_ms), 1),
        "mean_ms": round(statistics.fmean(latencies_ms), 1),
        "mean_polls": round(statistics.fmean(polls), 1),
        "status_in_post_answer": statuses_at_post,
        "latencies_ms": [round(x, 1) for x in latencies_ms],
    }
    if runtimes:
        result["worker_task_runtime_ms"] = {
            "count": len(runtimes),
            "p50": round(percentile(runtimes, 50), 1),
            "p95": round(percentile(runtimes, 95), 1),
        }
    log(f"jobs: p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  (max {result['max_ms']} ms)")
    return result
