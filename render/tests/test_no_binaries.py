"""Every export is made in-process: no ffprobe or ffmpeg binary is looked for, run, or needed."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import opentimelineio as otio
import pytest
from PIL import Image

from render.exports import EXPORT_FORMATS, ExportOptions, export_bytes
from render.tests.conftest import make_project, make_scene
from render.types import ProjectSheet

ADAPTERS = {"fcp7xml": "fcp_xml", "fcpxml": "fcpx_xml", "edl": "cmx_3600", "otio": "otio_json"}


def check_file(key: str, content: bytes, scenes: int, fps: int) -> None:
    """The export is a valid file of its kind holding every scene."""
    if key in ADAPTERS:
        extra = {"rate": fps} if key == "edl" else {}
        timeline = otio.adapters.read_from_string(content.decode("utf-8"), ADAPTERS[key], **extra)
        assert len(list(timeline.find_clips())) == scenes
    elif key == "pdf":
        assert content.startswith(b"%PDF-")
        assert content.rstrip().endswith(b"%%EOF")
    elif key in {"srt", "vtt"}:
        assert content.decode("utf-8").count(" --> ") == scenes
    elif key == "storyboarder":
        assert len(json.loads(content)["boards"]) == scenes
    else:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
        assert sum(name.startswith("frames/") for name in names) == scenes
        assert {Path(name).suffix for name in names} >= {".pdf", ".xml", ".fcpxml", ".edl", ".otio", ".srt", ".vtt"}


@pytest.mark.parametrize("key", list(EXPORT_FORMATS))
def test_every_export_is_made_with_no_ffprobe_or_ffmpeg_on_the_path(key, tmp_path, monkeypatch):
    project = make_project([2000, 3000, 1500], frames=tmp_path)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("ffprobe") is None
    assert shutil.which("ffmpeg") is None

    content = export_bytes(project, key, ExportOptions(fps=25)).content

    check_file(key, content, scenes=3, fps=25)


@pytest.mark.parametrize("key", ["fcpxml", "zip"])
def test_fcpxml_never_runs_ffprobe_even_when_the_frames_it_names_exist_where_it_runs(key, tmp_path, monkeypatch):
    # The fcpx adapter probes a clip's file with ffprobe when its path exists, and ours are relative
    # (frames/scene_001.png): a server whose working directory holds such a file would run whatever
    # `ffprobe` its PATH finds. Here one that records being run, and the files it would look at.
    project = make_project([2000, 3000], frames=tmp_path)  # 320x180 frames
    workdir = tmp_path / "workdir"
    (workdir / "frames").mkdir(parents=True)
    for number in (1, 2):
        Image.new("RGB", (1920, 1080)).save(workdir / "frames" / f"scene_{number:03d}.png")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ran = tmp_path / "ffprobe-ran"
    fake = bin_dir / "ffprobe"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {ran}\necho 1920x1080\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.chdir(workdir)
    assert os.path.exists("frames/scene_001.png")

    content = export_bytes(project, key, ExportOptions(fps=24)).content

    assert not ran.exists()
    if key == "zip":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = archive.read("the-fox.fcpxml")
    text = content.decode("utf-8")
    assert '<format id="r1" frameDuration="25/600s" name="" width="320" height="180"/>' in text
    assert len(list(otio.adapters.read_from_string(text, "fcpx_xml").find_clips())) == 2


@pytest.mark.parametrize(
    ("size", "name"), [((1920, 1080), "FFVideoFormat1080p30"), ((1280, 720), "FFVideoFormat720p30")]
)
def test_the_fcpxml_format_names_the_standard_hd_sizes(size, name, tmp_path):
    frame = tmp_path / "frame.png"
    Image.new("RGB", size).save(frame)
    project = ProjectSheet(title="The Fox", scenes=[make_scene(0, 0, 2000, frame=frame)])

    text = export_bytes(project, "fcpxml", ExportOptions(fps=30)).content.decode("utf-8")

    assert f'frameDuration="100/3000s" name="{name}" width="{size[0]}" height="{size[1]}"' in text
