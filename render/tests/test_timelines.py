"""The editors' timelines, read back through OpenTimelineIO's own adapters."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from render.exports import ExportOptions, export_bytes
from render.exports.common import ms_to_frame
from render.tests.conftest import make_project, make_scene
from render.types import ProjectSheet

ADAPTERS = {"fcp7xml": "fcp_xml", "fcpxml": "fcpx_xml", "edl": "cmx_3600", "otio": "otio_json"}


def read_back(project: ProjectSheet, key: str, fps: int = 24) -> otio.schema.Timeline:
    content = export_bytes(project, key, ExportOptions(fps=fps)).content
    extra = {"rate": fps} if key == "edl" else {}  # an EDL does not say its rate: the reader must be told
    timeline = otio.adapters.read_from_string(content.decode("utf-8"), ADAPTERS[key], **extra)
    assert isinstance(timeline, otio.schema.Timeline)
    return timeline


def clip_frames(timeline: otio.schema.Timeline, fps: int) -> list[int]:
    return [round(clip.source_range.duration.rescaled_to(fps).value) for clip in timeline.find_clips()]


@pytest.mark.parametrize("key", list(ADAPTERS))
def test_every_scene_is_a_named_still_clip_of_its_exact_length(key: str) -> None:
    project = make_project([4000, 2500, 7333, 1000, 5167])
    timeline = read_back(project, key)
    clips = list(timeline.find_clips())
    assert [c.name for c in clips] == ["Scene 1", "Scene 2", "Scene 3", "Scene 4", "Scene 5"]
    # 7333 ms at 24 fps ends on frame round(13.833 * 24) = 332, so scene 3 holds 332 - 156 = 176 frames
    assert clip_frames(timeline, 24) == [96, 60, 176, 24, 124]
    assert [c.media_reference.target_url for c in clips] == [f"frames/scene_00{i}.png" for i in range(1, 6)]


@pytest.mark.parametrize("key", list(ADAPTERS))
def test_descriptions_come_back_as_markers(key: str) -> None:
    project = make_project([2000, 3000])
    names = [[m.name for m in clip.markers] for clip in read_back(project, key).find_clips()]
    expected = [["Anna walks to place 1."], ["Anna walks to place 2."]]
    if key == "edl":  # CMX 3600 comments are upper case by convention, and the adapter writes them so
        expected = [[n.upper() for n in names_] for names_ in expected]
    assert names == expected


@pytest.mark.parametrize("key", list(ADAPTERS))
@pytest.mark.parametrize("fps", [24, 25, 30])
def test_rounding_spreads_so_the_cut_lasts_the_whole_project(key: str, fps: int) -> None:
    project = make_project([1010] * 9 + [1333])
    frames = clip_frames(read_back(project, key, fps), fps)
    assert len(frames) == 10
    assert sum(frames) == ms_to_frame(project.duration_ms, fps)
    assert max(frames[:9]) - min(frames[:9]) <= 1  # equal scenes differ by at most the one frame rounding moves


def test_a_multiline_description_stays_one_marker_on_one_line() -> None:
    scene = make_scene(0, 0, 2000, description="The fox runs.\n\nIt hides   under the bridge.")
    timeline = read_back(ProjectSheet(title="t", scenes=[scene]), "fcp7xml")
    assert [m.name for m in next(iter(timeline.find_clips())).markers] == ["The fox runs. It hides under the bridge."]


def test_a_scene_shorter_than_a_frame_still_gets_one() -> None:
    project = make_project([10, 4000])
    assert clip_frames(read_back(project, "otio"), 24) == [1, 95]


def test_the_edl_is_cmx_3600_with_record_timecodes_end_to_end() -> None:
    text = export_bytes(make_project([4000, 2500]), "edl").content.decode()
    events = [line.split() for line in text.splitlines() if line[:3].isdigit()]
    assert [e[0] for e in events] == ["001", "002"]
    assert [(e[-2], e[-1]) for e in events] == [("00:00:00:00", "00:00:04:00"), ("00:00:04:00", "00:00:06:12")]


def test_a_title_with_markup_characters_survives_the_xml() -> None:
    scene = make_scene(0, 0, 2000, title='Fox & "Hound" <night>')
    for key in ("fcp7xml", "fcpxml"):
        clips = list(read_back(ProjectSheet(title="A & B", scenes=[scene]), key).find_clips())
        assert [c.name for c in clips] == ['Fox & "Hound" <night>']


@pytest.mark.parametrize("key", list(ADAPTERS))
def test_titles_with_apostrophes_and_quotes_survive_every_timeline(key: str) -> None:
    titles = ["The Fox's trick", "Both ' and \"", "The Fox's trick"]  # the same name twice, too
    scenes = [make_scene(i, i * 2000, 2000, title=title) for i, title in enumerate(titles)]

    timeline = read_back(ProjectSheet(title="Fox's night", scenes=scenes), key)

    assert [clip.name for clip in timeline.find_clips()] == titles


def test_the_fcp7_sequence_states_the_frames_size_and_rate(tmp_path: Path) -> None:
    project = make_project([2000, 3000], frames=tmp_path)  # 320x180 frames
    timeline = read_back(project, "fcp7xml", fps=25)
    characteristics = timeline.metadata["fcp_xml"]["media"]["video"]["format"]["samplecharacteristics"]
    assert (characteristics["width"], characteristics["height"]) == ("320", "180")
    assert characteristics["rate"]["timebase"] == "25"
    without_frames = read_back(make_project([2000]), "fcp7xml")
    assert without_frames.metadata["fcp_xml"]["media"]["video"]["format"]["samplecharacteristics"]["width"] == "1280"


@pytest.mark.parametrize("key", list(ADAPTERS))
def test_control_characters_in_titles_cannot_break_the_files(key: str) -> None:
    scene = make_scene(0, 0, 2000, title="Fox\x00 at\x1b night\x7f", description="Runs\x0b away\x08.")
    timeline = read_back(ProjectSheet(title="The\x00 Fox", scenes=[scene]), key)
    (clip,) = timeline.find_clips()
    assert clip.name == "Fox at night"
    assert [m.name.lower() for m in clip.markers] == ["runs away ."]
