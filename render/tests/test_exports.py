"""The export registry, the Storyboarder file and the ZIP that holds everything."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import opentimelineio as otio
import pytest
from PIL import Image

from render.exports import (
    EXPORT_FORMATS,
    ExportError,
    ExportOptions,
    InvalidExportOption,
    UnknownExportFormat,
    export_bytes,
    export_filename,
    parse_export_options,
    write_export,
)
from render.tests.conftest import make_project, make_scene
from render.types import DialogueLine, ProjectSheet, RenderInputError


def test_every_format_the_contract_lists_is_registered() -> None:
    assert set(EXPORT_FORMATS) == {"pdf", "fcp7xml", "fcpxml", "edl", "otio", "srt", "vtt", "storyboarder", "zip"}


@pytest.mark.parametrize(
    ("key", "filename", "media_type"),
    [
        ("pdf", "le-renard-moi.pdf", "application/pdf"),
        ("fcp7xml", "le-renard-moi.xml", "application/xml"),
        ("fcpxml", "le-renard-moi.fcpxml", "application/xml"),
        ("edl", "le-renard-moi.edl", "text/plain; charset=utf-8"),
        ("otio", "le-renard-moi.otio", "application/json"),
        ("srt", "le-renard-moi.srt", "application/x-subrip; charset=utf-8"),
        ("vtt", "le-renard-moi.vtt", "text/vtt; charset=utf-8"),
        ("storyboarder", "le-renard-moi.storyboarder", "application/json"),
        ("zip", "le-renard-moi.zip", "application/zip"),
    ],
)
def test_each_export_has_its_file_name_and_media_type(key: str, filename: str, media_type: str) -> None:
    project = make_project([2000, 3000], title="Le Renard & moi")
    exported = export_bytes(project, key)
    assert (exported.filename, exported.media_type) == (filename, media_type)
    assert exported.content


@pytest.mark.parametrize(
    ("title", "filename"),
    [
        ("狐", "狐.pdf"),
        ("אגדה של שועל", "אגדה-של-שועל.pdf"),
        ("Le Renard & moi", "le-renard-moi.pdf"),
        ("!!!", "animatic.pdf"),
    ],
)
def test_a_title_in_another_script_keeps_its_own_letters_in_the_download_name(title: str, filename: str) -> None:
    assert export_filename(make_project([1000], title=title), "pdf") == filename


def test_options_are_parsed_from_query_strings() -> None:
    options = parse_export_options("pdf", {"layout": "3x5", "paper": "letter", "fps": "25"})
    assert (options.layout, options.paper, options.fps) == ("3x5", "letter", 25)
    assert parse_export_options("srt", {"narration": "true", "speakers": "0"}) == ExportOptions(
        narration=True, speakers=False
    )
    assert parse_export_options("zip", {}, video=Path("/v.mp4")).video == Path("/v.mp4")
    assert parse_export_options("pdf", {}, video=Path("/v.mp4")).video is None


@pytest.mark.parametrize(
    ("key", "params", "error", "field"),
    [
        ("gif", {}, UnknownExportFormat, "format"),
        ("pdf", {"layout": "2x2"}, InvalidExportOption, "layout"),
        ("pdf", {"paper": "a3"}, InvalidExportOption, "paper"),
        ("pdf", {"fps": "60"}, InvalidExportOption, "fps"),
        ("pdf", {"fps": "twenty"}, InvalidExportOption, "fps"),
        ("edl", {"layout": "3x2"}, InvalidExportOption, "layout"),
        ("srt", {"narration": "maybe"}, InvalidExportOption, "narration"),
        ("vtt", {"colour": "red"}, InvalidExportOption, "colour"),
    ],
)
def test_unknown_formats_options_and_values_are_clear_errors(
    key: str, params: dict[str, str], error: type[ExportError], field: str
) -> None:
    with pytest.raises(error) as caught:
        parse_export_options(key, params)
    assert caught.value.field == field
    assert isinstance(caught.value, RenderInputError)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)


def test_options_built_by_hand_are_checked_too() -> None:
    with pytest.raises(InvalidExportOption, match="layout"):
        export_bytes(make_project([1000]), "pdf", ExportOptions(layout="9x9"))
    with pytest.raises(InvalidExportOption, match="does not exist"):
        export_bytes(make_project([1000]), "zip", ExportOptions(video=Path("/nowhere/video.mp4")))


def test_subtitle_exports_are_the_subtitle_text() -> None:
    project = make_project([2000, 3000])
    assert export_bytes(project, "srt").content.decode() == (
        "1\n00:00:00,000 --> 00:00:02,000\nAnna: Line 1.\n\n2\n00:00:02,000 --> 00:00:05,000\nAnna: Line 2.\n"
    )
    assert export_bytes(project, "vtt").content.decode().startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\n")


def test_storyboarder_boards_carry_dialogue_action_notes_and_timing() -> None:
    scene = make_scene(
        1,
        4000,
        2500,
        dialogue=[DialogueLine("Anna", "Who goes there?"), DialogueLine("Tom", "Only me.")],
        camera="pan_left",
    )
    project = ProjectSheet(title="The Fox", scenes=[make_scene(0, 0, 4000, camera="static"), scene])
    document = json.loads(export_bytes(project, "storyboarder", ExportOptions(fps=25)).content)
    assert set(document) == {"version", "aspectRatio", "fps", "defaultBoardTiming", "boards"}
    assert document["fps"] == 25
    assert document["aspectRatio"] == pytest.approx(16 / 9)
    first, second = document["boards"]
    assert [b["number"] for b in document["boards"]] == [1, 2]
    assert [b["shot"] for b in document["boards"]] == ["1A", "2A"]
    assert [(b["time"], b["duration"]) for b in document["boards"]] == [(0, 4000), (4000, 2500)]
    assert second["dialogue"] == "ANNA: Who goes there?\nTOM: Only me."
    assert second["action"] == "Anna walks to place 2."
    assert second["notes"] == "Scene 2\nCamera: pan left\nWood, night, tense"
    assert first["notes"] == "Scene 1\nWood, night, tense"
    for board in document["boards"]:
        assert re.fullmatch(r"[0-9A-Z]{5}", board["uid"])
        assert board["url"] == f"board-{board['number']}-{board['uid']}.png"
        assert board["layers"] == {
            "reference": {"url": f"board-{board['number']}-{board['uid']}-reference.png", "opacity": 0.75}
        }
        assert board["newShot"] is False
        assert isinstance(board["lastEdited"], int)
    assert first["uid"] != second["uid"]


def test_the_zip_holds_every_format_the_frames_and_the_video(tmp_path: Path) -> None:
    frames = tmp_path / "frames"
    frames.mkdir()
    project = make_project([4000, 2500, 7333], frames=frames)
    video = tmp_path / "render.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(1000))
    out = io.BytesIO()
    write_export(project, "zip", parse_export_options("zip", {"layout": "1x1"}, video=video), out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    assert archive.testzip() is None
    names = archive.namelist()
    for member in ("pdf", "xml", "fcpxml", "edl", "otio", "srt", "vtt", "mp4"):
        assert f"the-fox.{member}" in names
    assert archive.read("the-fox.mp4") == video.read_bytes()
    for i in range(3):
        assert archive.read(f"frames/scene_00{i + 1}.png") == (frames / f"panel_{i}.png").read_bytes()
    for name, adapter in (("the-fox.xml", "fcp_xml"), ("the-fox.fcpxml", "fcpx_xml"), ("the-fox.otio", "otio_json")):
        timeline = otio.adapters.read_from_string(archive.read(name).decode(), adapter)
        targets = [clip.media_reference.target_url for clip in timeline.find_clips()]
        assert len(targets) == 3
        assert all(target in names for target in targets)
    edl = otio.adapters.read_from_string(archive.read("the-fox.edl").decode(), "cmx_3600", rate=24)
    assert all(clip.media_reference.target_url in names for clip in edl.find_clips())
    board_file = json.loads(archive.read("storyboarder/the-fox.storyboarder"))
    for board in board_file["boards"]:
        for layer in board["layers"].values():
            with Image.open(io.BytesIO(archive.read(f"storyboarder/images/{layer['url']}"))) as image:
                assert image.size == (1600, 900)
        thumbnail = board["url"].replace(".png", "-thumbnail.png")
        assert f"storyboarder/images/{thumbnail}" in names
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(archive.read("the-fox.pdf"))).pages) == 3  # the options reach the members


def test_the_zip_draws_a_slate_for_a_scene_without_a_frame(tmp_path: Path) -> None:
    Image.new("RGB", (64, 36), (10, 20, 30)).save(tmp_path / "a.png")
    (tmp_path / "bad.png").write_bytes(b"junk")
    scenes = [
        make_scene(0, 0, 1000, frame=tmp_path / "a.png"),
        make_scene(1, 1000, 1000, frame=None),
        make_scene(2, 2000, 1000, frame=tmp_path / "bad.png"),
    ]
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(ProjectSheet(title="t", scenes=scenes), "zip").content))
    frames = sorted(n for n in archive.namelist() if n.startswith("frames/"))
    assert frames == ["frames/scene_001.png", "frames/scene_002.png", "frames/scene_003.png"]
    for name in frames[1:]:
        with Image.open(io.BytesIO(archive.read(name))) as slate:
            assert slate.size == (1280, 720)
    assert not [n for n in archive.namelist() if n.endswith(".mp4")]


def test_the_zip_turns_other_images_into_the_pngs_the_timelines_name(tmp_path: Path) -> None:
    Image.new("RGB", (64, 36), (0, 200, 0)).save(tmp_path / "green.webp", lossless=True)
    Image.new("RGB", (64, 36), (200, 0, 0)).save(tmp_path / "named.jpg", "PNG")  # a PNG that says it is a JPEG
    scenes = [
        make_scene(0, 0, 1000, frame=tmp_path / "green.webp"),
        make_scene(1, 1000, 1000, frame=tmp_path / "named.jpg"),
    ]
    project = ProjectSheet(title="t", scenes=scenes)
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(project, "zip").content))
    timeline = otio.adapters.read_from_string(archive.read("t.otio").decode(), "otio_json")
    targets = [clip.media_reference.target_url for clip in timeline.find_clips()]
    assert targets == ["frames/scene_001.png", "frames/scene_002.png"]  # no PNG under a .jpg name
    for target, colour in zip(targets, [(0, 200, 0), (200, 0, 0)], strict=True):
        with Image.open(io.BytesIO(archive.read(target))) as frame:
            assert (frame.format, frame.getpixel((5, 5))) == ("PNG", colour)
