"""CPU accounting from /proc: the server's CPU per request, and how busy the rest of the machine was.

Throughput on a shared 2-core machine moves with whatever else runs; the CPU time the
server spends per request does much less, so each wrk run records both, and the share of
the machine's CPU used by processes that are not part of the benchmark ("foreign").
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def machine_busy_s() -> float:
    """Seconds of CPU the whole machine has spent busy (all cores) since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICK


def process_cpu_s(pid: int, with_children: bool = False) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    total = utime + stime + ((cutime + cstime) if with_children else 0)
    return total / TICK


def group_cpu_s(leader: int) -> float:
    """CPU of a process group we started: the live members, plus the children its leader already reaped
    (gunicorn's recycled workers)."""
    out = subprocess.run(["pgrep", "-g", str(leader)], capture_output=True, text=True).stdout.split()
    return sum(process_cpu_s(int(pid), with_children=int(pid) == leader) for pid in out)


def pids_named(name: str) -> list[int]:
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in out]


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Snapshot:
    wall: float
    machine: float
    server: float
    redis: float
    mariadb: float
    load_generator: float


class CpuMeter:
    """Snapshots of the CPU used by the server (gunicorn), Redis, MariaDB, the load generator and the machine."""

    def __init__(self, gunicorn_leader: int, redis_pid: int):
        self.gunicorn_leader = gunicorn_leader
        self.redis_pid = redis_pid

    def snapshot(self) -> Snapshot:
        return Snapshot(
            wall=time.monotonic(),
            machine=machine_busy_s(),
            server=group_cpu_s(self.gunicorn_leader),
            redis=process_cpu_s(self.redis_pid),
            mariadb=sum(process_cpu_s(pid) for pid in pids_named("mariadbd")),
            load_generator=children_cpu_s(),
        )

    @staticmethod
    def between(before: Snapshot, after: Snapshot, requests: int) -> dict:
        wall = after.wall - before.wall
        ours = {
            "server": after.server - before.server,
            "redis": after.redis - before.redis,
            "mariadb": after.mariadb - before.mariadb,
            "wrk": after.load_generator - before.load_generator,
        }
        machine = after.machine - before.machine
        foreign = max(machine - sum(ours.values()), 0.0)
        per_request = max(requests, 1)
        return {
            "server_cpu_ms_per_req": round(ours["server"] * 1000 / per_request, 3),
            "redis_cpu_ms_per_req": round(ours["redis"] * 1000 / per_request, 3),
            "mariadb_cpu_ms_per_req": round(ours["mariadb"] * 1000 / per_request, 3),
            "wrk_cpu_ms_per_req": round(ours["wrk"] * 1000 / per_request, 3),
            "machine_busy_pct": round(100 * machine / (wall * CORES), 1),
            "foreign_cpu_pct": round(100 * foreign / (wall * CORES), 1),
        }

    def foreign_share(self, seconds: float = 1.0) -> float:
        """The share of the machine (0..1) used by other processes over `seconds`, while we are idle."""
        before = self.snapshot()
        time.sleep(seconds)
        after = self.snapshot()
        return self.between(before, after, 1)["foreign_cpu_pct"] / 100

    def wait_for_quiet(self, threshold: float = 0.2, max_wait_s: float = 30.0) -> float:
        """Waits (at most `max_wait_s`) until other processes use less than `threshold` of the machine."""
        deadline = time.monotonic() + max_wait_s
        share = self.foreign_share()
        while share > threshold and time.monotonic() < deadline:
            share = self.foreign_share()
        return share
