"""Time per Argon2id hash with the project's own hasher and settings; prints one JSON object.

    DJANGO_SETTINGS_MODULE=animatic_vision.settings .venv/bin/python bench/argon2_bench.py [--rounds 20]

The login endpoint's throughput is bounded by this: one verification per login, one
process per core doing it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "animatic_vision.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    hasher = get_hasher()
    password = "bench-Password-2026!"
    encoded = make_password(password)  # warm-up
    hash_ms, verify_ms = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        encoded = make_password(password)
        hash_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert check_password(password, encoded)
        verify_ms.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "hasher": f"{type(hasher).__module__}.{type(hasher).__name__}",
                "time_cost": settings.ARGON2_TIME_COST,
                "memory_cost_kib": settings.ARGON2_MEMORY_COST_KIB,
                "parallelism": settings.ARGON2_PARALLELISM,
                "encoded_prefix": encoded.rsplit("$", 2)[0],
                "rounds": args.rounds,
                "hash_ms_median": round(statistics.median(hash_ms), 2),
                "verify_ms_median": round(statistics.median(verify_ms), 2),
                "verify_ms_min": round(min(verify_ms), 2),
                "cores": os.cpu_count(),
                "verifications_per_s_all_cores": round(1000 / statistics.median(verify_ms) * (os.cpu_count() or 1), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
