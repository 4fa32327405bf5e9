"""Deterministic stories for the benchmarks: prose with a fixed cast, any length in words."""

from __future__ import annotations

CAST = ("Anna", "Marcus", "Clara", "Tobias", "Helen")

# Each paragraph names its people, a place and a time, so the engine has something to find.
PARAGRAPHS = (
    "At dawn Anna walked down to the harbour, where the fishing boats knocked against the pier. "
    "The wind smelled of salt and tar. She counted the boats twice and frowned.",
    '"You are late again," Marcus said, leaning on the rail of his old boat. '
    "Anna laughed and tossed him the rope. He caught it without looking up.",
    "That afternoon Clara opened the bakery on the square. The bread was still warm, "
    "and the queue reached the fountain before the church bell rang three.",
    "Tobias came in from the rain and shook his coat by the door. "
    '"Has anyone seen Helen?" he asked. Clara shook her head and wrapped a loaf for him.',
    "In the evening Helen climbed the hill behind the village to the lighthouse. "
    "The lamp was dark. She pulled the heavy door open and listened to the sea below.",
    "Later that night Marcus and Tobias rowed out past the rocks with a lantern. "
    "The water was black and still. Somewhere ahead a bell was ringing on its own.",
    "Inside the lighthouse Helen found a logbook on the table, open at a page dated forty years ago. "
    "The last line read: the light must never go out.",
    "At midnight Anna and Clara reached the top of the stairs with a can of oil. "
    "Together they lit the lamp, and its beam swept over the boats far below.",
)


def story(words: int) -> str:
    """About `words` words of prose (whole sentences), the same text every time."""
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        paragraph = PARAGRAPHS[i % len(PARAGRAPHS)]
        out.append(paragraph)
        count += len(paragraph.split())
        i += 1
    return "\n\n".join(out)
