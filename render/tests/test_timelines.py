"""The editors' timelines, read back through OpenTimelineIO's own adapters."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import opentimelineio as otio
import pytest

from render.exports import ExportOptions, export_bytes, timeline
from render.exports.common import ms_to_frame
from render.exports.timeline import EdlTooLong, edl_lists
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


# --- CMX 3600's 999 events ---------------------------------------------------------------------


def edl_events(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line[:3].isdigit()]


def test_an_edl_holds_999_scenes_and_refuses_a_thousand_naming_the_limit_and_the_other_formats() -> None:
    fits = export_bytes(make_project([500] * 999), "edl").content.decode()

    with pytest.raises(EdlTooLong) as refused:
        export_bytes(make_project([500] * 1000), "edl")

    assert [event[0] for event in edl_events(fits)][-2:] == ["998", "999"]
    assert str(refused.value) == (
        "A CMX 3600 EDL holds at most 999 events and this project has 1,000 scenes: export fcp7xml, fcpxml or "
        "otio instead, or the zip, whose EDL is split into lists of at most 999."
    )


def test_a_thousand_scenes_make_two_lists_numbered_from_001_on_the_whole_cuts_record_timecodes() -> None:
    first, second = edl_lists(make_project([500] * 1000), fps=24)

    assert [e[0] for e in edl_events(first)] == [f"{n:03d}" for n in range(1, 1000)]
    [(number, reel, *_, record_in, record_out)] = edl_events(second)
    assert (number, reel) == ("001", "SCN1000")  # not scene100, the reel scene_1000 would truncate to
    assert (record_in, record_out) == ("00:08:19:12", "00:08:20:00")  # scene 1000 starts at 999 x 12 frames
    assert first.startswith("TITLE: The Fox (part 1 of 2)")
    assert second.startswith("TITLE: The Fox (part 2 of 2)")


def test_the_zip_splits_a_long_edl_into_parts_that_read_back_as_the_whole_cut(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(timeline, "EDL_EVENTS_MAX", 2)
    project = make_project([1000, 2000, 1000, 1500, 500], frames=tmp_path)

    content = export_bytes(project, "zip").content

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        parts = [archive.read(f"the-fox_part{n}.edl").decode() for n in (1, 2, 3)]
    assert "the-fox.edl" not in names
    assert "the-fox_part4.edl" not in names
    assert [[e[0] for e in edl_events(part)] for part in parts] == [["001", "002"], ["001", "002"], ["001"]]
    read = [otio.adapters.read_from_string(part, "cmx_3600", rate=24) for part in parts]
    clips = [clip for part in read for clip in part.find_clips()]
    assert [clip.name for clip in clips] == [f"Scene {n}" for n in range(1, 6)]
    record_ins = [event[-2] for part in parts for event in edl_events(part)]
    assert record_ins == ["00:00:00:00", "00:00:01:00", "00:00:03:00", "00:00:04:00", "00:00:05:12"]
