"""Subtitles: parsed back from SRT and WebVTT text, cues inside their scenes' slots."""

from __future__ import annotations

import itertools
import re

from render.subtitles import MAX_LINE_CHARS, cues, srt, webvtt
from render.tests.conftest import make_project, make_scene
from render.types import DialogueLine, ProjectSheet

TIMING = re.compile(r"^(\d\d):(\d\d):(\d\d)([,.])(\d\d\d) --> (\d\d):(\d\d):(\d\d)([,.])(\d\d\d)$")


def to_ms(h: str, m: str, s: str, ms: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def parse(text: str, separator: str) -> list[tuple[int, int, str]]:
    """A strict reader of SRT/VTT blocks: number, timing line, text lines, blank line."""
    out: list[tuple[int, int, str]] = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        if lines == ["WEBVTT"]:
            continue
        assert lines[0] == str(len(out) + 1)
        match = TIMING.match(lines[1])
        assert match, lines[1]
        g = match.groups()
        assert g[3] == separator
        assert g[8] == separator
        text_lines = lines[2:]
        assert text_lines
        assert all(text_lines)
        out.append((to_ms(g[0], g[1], g[2], g[4]), to_ms(g[5], g[6], g[7], g[9]), "\n".join(text_lines)))
    return out


def test_srt_has_one_cue_per_line_inside_each_slot() -> None:
    project = make_project([4000, 2500, 7333])
    parsed = parse(srt(project), ",")
    assert parsed == [
        (0, 4000, "Anna: Line 1."),
        (4000, 6500, "Anna: Line 2."),
        (6500, 13833, "Anna: Line 3."),
    ]


def test_vtt_starts_with_its_signature_and_uses_dots() -> None:
    project = make_project([1500, 2000])
    text = webvtt(project)
    assert text.startswith("WEBVTT\n\n")
    assert parse(text, ".") == [(0, 1500, "Anna: Line 1."), (1500, 3500, "Anna: Line 2.")]


def test_several_lines_share_the_slot_by_length_and_tile_it() -> None:
    scene = make_scene(
        0,
        10_000,
        9000,
        dialogue=[
            DialogueLine("Anna", "Yes."),
            DialogueLine("Tom", "Then we leave before the river rises over the old bridge."),
            DialogueLine("Anna", "Now."),
        ],
    )
    items = cues(ProjectSheet(title="t", scenes=[scene]))
    assert [c.speaker for c in items] == ["Anna", "Tom", "Anna"]
    assert items[0].start_ms == 10_000
    assert items[-1].end_ms == 19_000
    assert all(a.end_ms == b.start_ms for a, b in itertools.pairwise(items))
    durations = [c.end_ms - c.start_ms for c in items]
    assert durations[1] > 2 * durations[0]  # the long line stays up longer
    assert durations[0] >= 1000  # and the short ones are still readable


def test_long_lines_are_wrapped_and_split_into_two_line_cues() -> None:
    speech = " ".join(["the fox ran over the hill and into the dark wood"] * 6)
    scene = make_scene(0, 0, 12_000, dialogue=[DialogueLine("Narrator", speech)])
    items = cues(ProjectSheet(title="t", scenes=[scene]))
    assert len(items) > 1
    assert all(1 <= len(c.lines) <= 2 for c in items)
    assert all(len(line) <= MAX_LINE_CHARS for c in items for line in c.lines)
    rejoined = " ".join(" ".join(c.lines) for c in items)
    assert rejoined == f"Narrator: {speech}"
    assert items[0].start_ms == 0
    assert items[-1].end_ms == 12_000


def test_scenes_without_dialogue_are_silent_unless_narration_is_asked() -> None:
    quiet = make_scene(1, 3000, 2000, dialogue=[], description="The wood at dawn.")
    project = ProjectSheet(title="t", scenes=[make_scene(0, 0, 3000), quiet])
    assert [c.scene_index for c in cues(project)] == [0]
    narrated = cues(project, narration=True)
    assert [(c.scene_index, c.text, c.speaker) for c in narrated] == [
        (0, "Anna: Line 1.", "Anna"),
        (1, "The wood at dawn.", None),
    ]


def test_without_speakers_the_names_are_dropped() -> None:
    project = make_project([2000])
    assert [c.text for c in cues(project, speakers=False)] == ["Line 1."]


def test_markup_is_escaped_in_vtt_and_kept_in_srt() -> None:
    scene = make_scene(0, 0, 2000, dialogue=[DialogueLine("A", "x --> <b>y</b> & z")])
    project = ProjectSheet(title="t", scenes=[scene])
    assert "A: x --&gt; &lt;b&gt;y&lt;/b&gt; &amp; z" in webvtt(project)
    assert "A: x --> <b>y</b> & z" in srt(project)


def test_empty_lines_and_empty_projects_give_no_cues() -> None:
    scene = make_scene(0, 0, 2000, dialogue=[DialogueLine("A", "  \n ")])
    assert cues(ProjectSheet(title="t", scenes=[scene])) == []
    assert srt(ProjectSheet(title="t", scenes=[])) == ""
    assert webvtt(ProjectSheet(title="t", scenes=[])) == "WEBVTT\n"


def test_times_past_an_hour_are_written_in_full() -> None:
    scene = make_scene(0, 3_723_004, 1000)
    assert "01:02:03,004 --> 01:02:04,004" in srt(ProjectSheet(title="t", scenes=[scene]))
