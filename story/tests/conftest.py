import json
import os
from pathlib import Path

import pytest

# ../shared/eval/data beside the repository (a worktree sits one level deeper than the main checkout),
# or STORY_EVAL_DIR.
_HERE = Path(__file__).resolve()
EVAL_DIR = (
    Path(os.environ["STORY_EVAL_DIR"])
    if os.environ.get("STORY_EVAL_DIR")
    else next(
        (p / "shared" / "eval" / "data" for p in _HERE.parents if (p / "shared" / "eval" / "data").is_dir()),
        _HERE.parents[3] / "shared" / "eval" / "data",
    )
)
DATA_DIR = Path(__file__).resolve().parent / "data"


def eval_docs(kind: str) -> list[dict]:
    if not EVAL_DIR.is_dir():
        return []
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EVAL_DIR.glob("*.json"))]
    return [d for d in docs if d.get("kind") == kind]


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR
