"""The MP4, probed with PyAV: codec, size, rate, duration to the frame, cuts, moves, captions and voice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from render import video
from render.types import DialogueLine, ProjectSheet, RenderInputError, VideoOptions

from .sheets import project_sheet

SMALL = VideoOptions(resolution="480p")
COLOURS = [(200, 30, 30), (30, 160, 40), (40, 60, 210), (230, 200, 40), (240, 240, 240), (20, 20, 20)]


def flat_project(tmp_path: Path, durations_ms: list[int], **fields: object) -> ProjectSheet:
    """One flat colour per scene (as its ready frame), so cuts can be read off the decoded pictures."""
    project = project_sheet(durations_ms, **fields)
    scenes = []
    for scene in project.scenes:
        path = tmp_path / f"flat{scene.index}.png"
        Image.new("RGB", (64, 36), COLOURS[scene.index % len(COLOURS)]).save(path)
        scenes.append(replace(scene, frame=path, dialogue=[]))
    return replace(project, scenes=scenes)


def decoded_rgb_means(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").reshape(-1, 3).mean(axis=0) for f in container.decode(video=0)]


def luma(frame: av.VideoFrame) -> np.ndarray:
    """The decoded Y plane as stored (limited range: black 16, white 235), without any conversion."""
    plane = frame.planes[0]
    rows = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
    return rows[:, : plane.width].astype(np.float64)


def half_up(frames: float) -> int:
    return int(np.floor(frames + 0.5 + 1e-9))


def nearest_colour(rgb: np.ndarray) -> int:
    return int(np.argmin([np.abs(rgb - np.array(c)).sum() for c in COLOURS]))


def test_stream_is_h264_yuv420p_at_the_asked_size_and_rate(tmp_path):
    project = flat_project(tmp_path, [1000, 1500])
    out = tmp_path / "film.mp4"
    result = video.render_video(project, out, options=VideoOptions(resolution="720p", fps=25))
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.width, stream.height) == (1280, 720)
        assert stream.average_rate == 25
        assert len(container.streams.audio) == 0
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == result.frames == 63  # 2.5 s at 25 fps, rounded once
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart: playable while it downloads


@pytest.mark.parametrize("fps", [24, 25, 30])
def test_every_scene_lasts_its_duration_to_the_frame(tmp_path, fps):
    durations = [1000, 1333, 417, 2042, 958, 1250]
    project = flat_project(tmp_path, durations)
    out = tmp_path / "film.mp4"
    result = video.render_video(project, out, options=replace(SMALL, fps=fps))
    means = decoded_rgb_means(out)
    assert len(means) == half_up(sum(durations) * fps / 1000)
    boundaries, elapsed = [0], 0
    for duration in durations:
        elapsed += duration
        boundaries.append(half_up(elapsed * fps / 1000))
    assert list(result.scene_frames) == boundaries[:-1]
    for index in range(len(durations)):
        first, last = boundaries[index], boundaries[index + 1] - 1
        assert nearest_colour(means[first]) == index, (index, first)
        assert nearest_colour(means[last]) == index, (index, last)
        assert abs((last - first + 1) - durations[index] * fps / 1000) <= 1  # within the rounding of both ends


def test_scene_frames_spread_the_rounding():
    starts = video.scene_frames([333, 333, 334, 20, 20], 24)
    assert starts == [0, 8, 16, 24, 24, 25]
    counts = np.diff(starts)
    assert counts.sum() == half_up(1040 * 24 / 1000)


def test_camera_viewports_are_eased_monotonic_and_end_on_the_framings():
    output = (1280, 720)
    source = video.picture_size(output)
    assert source == (1600, 900)
    pan = video.camera_viewports("pan_right", 96, output)
    xs = np.array([v.x for v in pan])
    assert xs[0] == pytest.approx(0)
    assert xs[-1] == pytest.approx(320)
    assert {v.width for v in pan} == {1280}  # a pan shows the picture at 1:1
    steps = np.diff(xs)
    assert (steps > 0).all()
    assert steps[len(steps) // 2] > 3 * steps[0]  # eased: faster in the middle than at the ends
    assert np.abs(np.diff(steps)).max() < 0.2 * steps.max()  # no jumps in speed
    push = video.camera_viewports("push_in", 48, output)
    assert (push[0].width, push[-1].width) == (pytest.approx(1600), pytest.approx(1280))
    assert all(abs(v.x + v.width / 2 - 800) < 1e-6 for v in push)  # centred all the way
    assert (np.diff([v.width for v in push]) < 0).all()


def test_a_pan_moves_smoothly_by_sub_pixel_steps_in_the_encoded_film(tmp_path):
    """A picture dark left, light right, panned right: the light share of each frame is the pan's offset."""
    width = SMALL.size[0]
    source = video.picture_size(SMALL.size)
    picture = Image.new("RGB", source, (0, 0, 0))
    picture.paste((255, 255, 255), (source[0] // 2, 0, source[0], source[1]))
    path = tmp_path / "edge.png"
    picture.save(path)
    project = project_sheet([2000], camera="pan_right", frame=path, characters=[])
    out = tmp_path / "pan.mp4"
    video.render_video(project, out, options=SMALL)
    with av.open(str(out)) as container:
        lumas = [luma(f).mean() for f in container.decode(video=0)]
    black, white = 16.0, 235.0  # limited-range luma
    shown = [width * (y - black) / (white - black) for y in lumas]
    expected = [width - (source[0] / 2 - v.x) for v in video.camera_viewports("pan_right", len(lumas), SMALL.size)]
    # where the camera should be to well under a pixel (whole-pixel steps, as ffmpeg's zoompan takes, miss by 0.5)
    assert np.abs(np.array(shown) - np.array(expected)).max() < 0.4
    steps = np.diff(shown)
    assert (steps > 0).all()  # never still, never back
    jerk = np.abs(np.diff(steps)).max()
    assert jerk < np.abs(np.diff(np.diff(expected))).max() + 0.3  # speed changes as gently as planned: no jitter


def test_static_camera_option_keeps_every_frame_of_a_moving_scene_still(tmp_path):
    project = project_sheet([1000], camera="push_in", location="the woods")
    out = tmp_path / "still.mp4"
    video.render_video(project, out, options=replace(SMALL, camera="static"))
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="gray").astype(np.int16) for f in container.decode(video=0)]
    assert max(np.abs(frames[0] - f).mean() for f in frames) < 0.5
    moving = tmp_path / "moving.mp4"
    video.render_video(project, moving, options=SMALL)
    with av.open(str(moving)) as container:
        frames = [f.to_ndarray(format="gray").astype(np.int16) for f in container.decode(video=0)]
    assert np.abs(frames[0] - frames[-1]).mean() > 5


def test_burned_captions_show_during_their_cue_only(tmp_path):
    project = flat_project(tmp_path, [1000, 1000])
    spoken = replace(project.scenes[0], dialogue=[DialogueLine(character="Mara", text="Over here!")])
    project = replace(project, scenes=[spoken, project.scenes[1]])
    plain, burned = tmp_path / "plain.mp4", tmp_path / "burned.mp4"
    video.render_video(project, plain, options=SMALL)
    video.render_video(project, burned, options=replace(SMALL, captions="burn"))
    with av.open(str(plain)) as a, av.open(str(burned)) as b:
        pairs = list(zip(a.decode(video=0), b.decode(video=0), strict=True))
    differences = []
    for x, y in pairs:
        lower = slice(SMALL.size[1] * 3 // 4, None)
        gx, gy = x.to_ndarray(format="gray")[lower], y.to_ndarray(format="gray")[lower]
        differences.append(np.abs(gx.astype(np.int16) - gy.astype(np.int16)).mean())
    assert min(differences[:24]) > 3  # the line is on screen through the first scene
    assert max(differences[24:]) < 0.5  # and gone with the cut


def test_voice_track_speaks_the_lines_in_their_scenes(tmp_path):
    if not video.voice_available():
        pytest.skip("espeak-ng is not installed (sudo apt-get install espeak-ng)")
    project = flat_project(tmp_path, [2000, 2000], description="", text="")
    spoken = replace(project.scenes[1], dialogue=[DialogueLine(character="Mara", text="Hello there, old friend.")])
    project = replace(project, scenes=[project.scenes[0], spoken])
    out = tmp_path / "voice.mp4"
    result = video.render_video(project, out, options=replace(SMALL, voice=True))
    assert result.has_audio
    with av.open(str(out)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "aac"
        assert stream.sample_rate == video.AUDIO_RATE
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    rate = video.AUDIO_RATE
    assert abs(samples.size - 4 * rate) < 2048  # as long as the pictures, to an AAC frame
    silent_scene, spoken_scene = samples[: int(1.9 * rate)], samples[int(2.05 * rate) : 4 * rate]
    assert np.sqrt(np.mean(silent_scene**2)) < 0.002
    assert np.sqrt(np.mean(spoken_scene**2)) > 0.02


def test_voice_without_espeak_is_an_input_error_naming_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert not video.voice_available()
    with pytest.raises(RenderInputError, match=r"apt-get install espeak-ng"):
        video.check_options(replace(SMALL, voice=True))
    out = tmp_path / "voice.mp4"
    with pytest.raises(RenderInputError, match="espeak-ng"):
        video.render_video(flat_project(tmp_path, [1000]), out, options=replace(SMALL, voice=True))
    assert not out.exists()
    video.render_video(flat_project(tmp_path, [1000]), out, options=SMALL)  # without the voice it renders
    assert out.exists()


def test_progress_climbs_to_100(tmp_path):
    seen: list[int] = []
    video.render_video(flat_project(tmp_path, [1000, 1000]), tmp_path / "p.mp4", options=SMALL, progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == 100
    assert len(seen) > 20


def test_a_failed_render_leaves_the_previous_file_and_no_partial_one(tmp_path):
    out = tmp_path / "film.mp4"
    out.write_bytes(b"the previous render")

    def stop(percent: int) -> None:
        if percent >= 50:
            raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError, match="worker lost"):
        video.render_video(flat_project(tmp_path, [1000, 1000]), out, options=SMALL, progress=stop)
    assert out.read_bytes() == b"the previous render"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".mp4") == ["film.mp4"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"resolution": "4k"}, "resolution"),
        ({"fps": 60}, "fps"),
        ({"camera": "dolly"}, "camera"),
        ({"captions": "soft"}, "captions"),
    ],
)
def test_bad_options_are_input_errors(tmp_path, change, message):
    with pytest.raises(RenderInputError, match=message):
        video.render_video(flat_project(tmp_path, [1000]), tmp_path / "x.mp4", options=replace(SMALL, **change))


def test_bad_scenes_are_input_errors(tmp_path):
    empty = ProjectSheet(title="Nothing", scenes=[])
    with pytest.raises(RenderInputError, match="no scenes"):
        video.render_video(empty, tmp_path / "x.mp4")
    with pytest.raises(RenderInputError, match="camera"):
        video.render_video(project_sheet([1000], camera="zoom"), tmp_path / "x.mp4")
    with pytest.raises(RenderInputError, match="negative"):
        video.render_video(project_sheet([1000, -5]), tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()
