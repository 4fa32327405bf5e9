import json
import os
from pathlib import Path

import pytest

# ../shared/eval/data beside the repository, or STORY_EVAL_DIR (a git worktree sits elsewhere).
EVAL_DIR = Path(
    os.environ.get("STORY_EVAL_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "data"
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
