"""Hostile texts reach the whole segment() and finish: a hang fails the test instead of the CI run.

Each check runs in a subprocess with a hard timeout, because a regex that
backtracks catastrophically cannot be interrupted from inside the process. The
timeouts are hang guards, far above the normal run time (a 500,000-character
text segments in about a second), not speed targets: speed is bench/engine_bench.py's.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_SEC = 300


def _run_child(*parts: str) -> str:
    """Run the dedented `parts` as one script in a fresh interpreter, under the hang guard."""
    code = "\n".join(textwrap.dedent(p) for p in parts)
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_SEC,
        )
    except subprocess.TimeoutExpired as exc:  # pragma: no cover - the regression this test exists for
        pytest.fail(f"segment() did not finish within {HANG_GUARD_SEC} s; last output: {exc.stdout!r}")
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


_CHECK = """
def check(text):
    result = segment(text, 60)
    assert result.scenes, "no scene"
    assert result.scenes[0].start_char >= 0 and result.scenes[-1].end_char <= len(text)
    for a, b in zip(result.scenes, result.scenes[1:]):
        assert a.end_char <= b.start_char, (a.end_char, b.start_char)
    assert sum(s.duration_ms for s in result.scenes) == 60_000
"""


def test_runs_of_every_mark_and_unclosed_openers_at_half_a_million_characters_finish():
    out = _run_child(
        """
        from story import segment
        from story.tests.hostile import KEY_PREFIXES, composites
        """,
        _CHECK,
        """
        texts = composites(500_000, 100_000, KEY_PREFIXES)
        for i, text in enumerate(texts):
            assert len(text) <= 520_000, len(text)
            check(text)
            print(i, flush=True)
        print("done", len(texts))
        """,
    )
    assert "done" in out


def test_the_issue_12_inputs_finish():
    out = _run_child(
        """
        from story import segment
        """,
        _CHECK,
        """
        check("Wait" + "." * 40 + "what")
        check("Hmm" + "." * 10 + "no")
        check("[[ " * 200_000)
        check("/* " * 200_000)
        check("INT. A - DAY\\n\\n" + "/* [[ " * 80_000)
        print("done")
        """,
    )
    assert out.strip().endswith("done")


def test_random_runs_of_marks_spaces_and_openers_finish():
    """Hypothesis builds texts from runs of hostile pieces; the child shrinks and reports a failure."""
    out = _run_child(
        """
        from hypothesis import HealthCheck, given, settings, strategies as st
        from story import segment
        from story.tests.hostile import MARKS, OPENERS
        """,
        _CHECK,
        """
        pieces = st.sampled_from([*MARKS, *OPENERS, " ", "\\n", "\\n\\n", "\\t", "a", "Tom", "INT.", "said"])
        runs = st.lists(st.tuples(pieces, st.integers(min_value=1, max_value=3000)), min_size=1, max_size=12)

        @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        @given(runs)
        def prop(parts):
            text = "".join(p * n for p, n in parts)
            if text.strip():
                check(text)

        prop()
        print("done")
        """,
    )
    assert out.strip().endswith("done")
