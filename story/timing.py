"""Splitting the animatic's duration between scenes."""

from __future__ import annotations

MIN_SCENE_MS = 2000
# A normal pace: narration read aloud and dialogue spoken at about 150-180 words a minute,
# action on screen at about a page (some 180 words) a minute, and a moment to establish
# each new place.
NARRATION_WORDS_PER_SEC = 3.0
DIALOGUE_WORDS_PER_SEC = 2.5
ACTION_WORDS_PER_SEC = 3.0
ESTABLISHING_MS = 1000


def natural_ms(*, action_words: float, dialogue_words: float, establishing: bool) -> int:
    """What a scene's content needs at a normal pace: its action and its dialogue, plus an establishing beat."""
    seconds = action_words / ACTION_WORDS_PER_SEC + dialogue_words / DIALOGUE_WORDS_PER_SEC
    return round(seconds * 1000) + (ESTABLISHING_MS if establishing else 0)


def allocate_durations(weights: list[float], total_ms: int, *, floor: bool = True) -> list[int]:
    """Integer durations proportional to `weights`, each at least a minimum where the total allows.

    Scenes whose proportional share falls under the minimum are pinned to it and
    the rest is shared again among the others (with `floor=False`, as for a
    screenplay whose scenes' lengths are the writer's, there is no minimum); largest remainders settle the
    rounding so that the durations sum to `total_ms` exactly.
    """
    n = len(weights)
    if n == 0:
        return []
    floor_ms = min(MIN_SCENE_MS, total_ms // n) if floor else 0
    safe = [max(w, 1e-9) for w in weights]
    pinned = [False] * n
    while True:
        free_weight = sum(w for w, p in zip(safe, pinned, strict=True) if not p)
        free_ms = total_ms - floor_ms * sum(pinned)
        newly = [i for i in range(n) if not pinned[i] and free_ms * safe[i] / free_weight < floor_ms]
        if not newly:
            break
        for i in newly:
            pinned[i] = True
        if all(pinned):
            break
    shares = [float(floor_ms) if pinned[i] else 0.0 for i in range(n)]
    free_weight = sum(w for w, p in zip(safe, pinned, strict=True) if not p)
    free_ms = total_ms - floor_ms * sum(pinned)
    for i in range(n):
        if not pinned[i]:
            shares[i] = free_ms * safe[i] / free_weight
    result = [int(s) for s in shares]
    leftover = total_ms - sum(result)
    by_remainder = sorted(range(n), key=lambda i: (-(shares[i] - result[i]), i))
    for j in range(leftover):
        result[by_remainder[j % n]] += 1
    return result
