"""Frames scaled for print, kept between PDF exports.

render.exports.pdfimages scales a large frame (a generated or uploaded picture) once for print and
can keep the result in a folder, named after the frame file's path, size and modification time:
the next PDF of the project copies bytes instead of decoding and scaling every frame again (200
photographic frames: 2.6 s cold, 0.13 s warm). On the default storage the frames are files with
stable paths, so the folder serves; on object storage each export works on temporary copies
whose names never come back, so nothing is kept. The folder is bounded by PRINT_CACHE_MAX_MB,
the oldest copies going first; a frame that is replaced simply stops being asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from animatic_vision.media_links import serves_files_itself


def print_cache_dir() -> Path | None:
    """Where PDF exports keep frames scaled for print; None on object storage (see the module's note)."""
    if not serves_files_itself():
        return None
    return Path(settings.PRINT_CACHE_DIR)


def print_cache_prune(folder: Path, *, max_bytes: int | None = None) -> int:
    """Deletes the oldest files until `folder` holds at most `max_bytes` (PRINT_CACHE_MAX_MB by default);
    returns how many went. A file another process deletes meanwhile is skipped."""
    limit = settings.PRINT_CACHE_MAX_MB * 1024 * 1024 if max_bytes is None else max_bytes
    files: list[tuple[float, int, str]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_file():
                        stat = entry.stat()
                        files.append((stat.st_mtime, stat.st_size, entry.path))
                except OSError:
                    continue
    except OSError:
        return 0
    total = sum(size for _, size, _ in files)
    removed = 0
    for _, size, path in sorted(files):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
        removed += 1
    return removed
