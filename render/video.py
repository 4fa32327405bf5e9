"""The animatic as an MP4: H.264 pictures with camera moves, burned-in captions and a temporary voice track.

Encoded in-process with PyAV (FFmpeg ships in its wheel): nothing to apt-install for the video
itself. Each scene becomes exactly its duration to the frame: scene boundaries are the
cumulative durations rounded to frames, so rounding never adds up and the total frame count
is the project's duration rounded once. A moving scene's picture is drawn 25% larger than the
output, converted to YUV once, and every frame is cut from its planes at a sub-pixel position
(bilinear), eased in and out; a still scene is converted once and sent to the encoder as the
same frame again and again, which x264 codes almost for free. Frames are made one at a time
and handed to the encoder, so memory does not grow with the duration. The file is written
under a temporary name beside the target and renamed into place only when it is complete.
"""

from __future__ import annotations

import math
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

from . import panels, subtitles
from .panels import frame_of
from .types import (
    CAMERA_MOVES,
    CAPTION_MODES,
    FRAME_RATES,
    RESOLUTIONS,
    ProjectSheet,
    RenderInputError,
    SceneSheet,
    VideoOptions,
)

ProgressCallback = Callable[[int], None]

CRF = 23
# x264's superfast preset with its macroblock tree and a short lookahead put back: about as small
# as veryfast on these drawings for half its time (see render/README.md); tuned for stills.
PRESET = "superfast"
TUNE = "stillimage"
X264_PARAMS = "mbtree=1:rc-lookahead=10"
PIPELINE_DEPTH = 4  # frames queued between the picture thread and the encoder thread
MOVE_ZOOM = 0.8  # a move's tightest framing is this fraction of the picture, so pictures are drawn 1/0.8 larger
AUDIO_RATE = 48_000
AUDIO_FRAME = 1024  # samples per AAC frame
ESPEAK = "espeak-ng"
ESPEAK_PACKAGE = "espeak-ng"
ESPEAK_TIMEOUT_S = 60
VOICE_WPM = (150, 320)  # espeak-ng speaking rates tried, slowest first, to fit a line in its cue


@dataclass(frozen=True)
class VideoResult:
    """What was written: the file and its measured shape."""

    path: Path
    width: int
    height: int
    fps: int
    frames: int
    duration_ms: int
    has_audio: bool
    scene_frames: tuple[int, ...]  # the first frame of each scene, in scene order


@dataclass(frozen=True)
class Viewport:
    """The part of a scene's picture one output frame shows: left, top, width, height in picture pixels."""

    x: float
    y: float
    width: float
    height: float


# --- timing ----------------------------------------------------------------------------------------------------


def scene_frames(durations_ms: Sequence[int], fps: int) -> list[int]:
    """Each scene's first frame, plus the total frame count at the end.

    Boundaries are the cumulative durations rounded to frames, so every scene is its
    duration to within half a frame and the total is the whole duration rounded once.
    """
    starts = [0]
    elapsed = 0
    for duration in durations_ms:
        elapsed += duration
        starts.append(frame_of(elapsed, fps))
    return starts


def ease(t: float) -> float:
    """Progress through a move at time t in [0, 1]: eased in and out, but never standing still.

    A cosine ease blended with a little linear motion: smooth start and stop, strictly increasing.
    """
    t = min(1.0, max(0.0, t))
    return 0.25 * t + 0.75 * (0.5 - 0.5 * math.cos(math.pi * t))


def picture_size(output: tuple[int, int]) -> tuple[int, int]:
    """The size a moving scene's picture is drawn at: the output over MOVE_ZOOM, in even pixels."""
    width, height = output
    return (2 * math.ceil(width / MOVE_ZOOM / 2), 2 * math.ceil(height / MOVE_ZOOM / 2))


def _framing_viewport(
    framing: tuple[float, float, float], output: tuple[int, int], source: tuple[int, int]
) -> Viewport:
    cx, cy, z = framing
    width, height = output[0] * z / MOVE_ZOOM, output[1] * z / MOVE_ZOOM
    width, height = min(width, source[0]), min(height, source[1])
    if z < 1.0:
        tx = (cx - z / 2) / (1 - z)
        ty = (cy - z / 2) / (1 - z)
    else:
        tx = ty = 0.5
    return Viewport((source[0] - width) * tx, (source[1] - height) * ty, width, height)


def camera_viewports(camera: str, frames: int, output: tuple[int, int]) -> list[Viewport]:
    """The viewport of each of a scene's `frames` frames for a camera move, on a picture of picture_size(output).

    The first frame shows the move's first framing and the last frame its last (see
    panels.camera_framings); in between, positions follow `ease`, with no rounding to pixels.
    """
    source = picture_size(output)
    first, last = (_framing_viewport(f, output, source) for f in panels.camera_framings(camera))
    out = []
    for k in range(frames):
        p = ease(k / (frames - 1)) if frames > 1 else 0.0
        out.append(
            Viewport(
                first.x + (last.x - first.x) * p,
                first.y + (last.y - first.y) * p,
                first.width + (last.width - first.width) * p,
                first.height + (last.height - first.height) * p,
            )
        )
    return out


# --- checks ----------------------------------------------------------------------------------------------------


def espeak_path() -> str | None:
    """The espeak-ng program on PATH, or None."""
    return shutil.which(ESPEAK)


def voice_available() -> bool:
    """Whether the voice option can be honoured on this machine."""
    return espeak_path() is not None


def check_options(options: VideoOptions) -> None:
    """RenderInputError when the options cannot be rendered here (call it before queueing a render)."""
    if options.resolution not in RESOLUTIONS:
        raise RenderInputError(f"resolution must be one of {', '.join(RESOLUTIONS)}")
    if options.fps not in FRAME_RATES:
        raise RenderInputError(f"fps must be one of {', '.join(map(str, FRAME_RATES))}")
    if options.camera not in ("auto", "static"):
        raise RenderInputError("camera must be auto or static")
    if options.captions not in CAPTION_MODES:
        raise RenderInputError(f"captions must be one of {', '.join(CAPTION_MODES)}")
    if options.voice and not voice_available():
        raise RenderInputError(
            f"the voice track needs espeak-ng, which is not installed on the server: "
            f"install the Debian package {ESPEAK_PACKAGE} (sudo apt-get install {ESPEAK_PACKAGE})"
        )


def _check_project(project: ProjectSheet) -> list[SceneSheet]:
    scenes = sorted(project.scenes, key=lambda s: s.index)
    if not scenes:
        raise RenderInputError("the project has no scenes to render")
    for scene in scenes:
        if scene.duration_ms < 0:
            raise RenderInputError(f"scene {scene.index + 1} has a negative duration")
        if scene.camera not in CAMERA_MOVES:
            raise RenderInputError(f"scene {scene.index + 1}: camera must be one of {', '.join(CAMERA_MOVES)}")
    if sum(s.duration_ms for s in scenes) <= 0:
        raise RenderInputError("the project's scenes last no time at all")
    return scenes


# --- pictures as YUV planes ------------------------------------------------------------------------------------


class _Planes:
    """A picture as three 'L' images: Y at full size, U and V at half size (yuv420p, BT.709, limited range)."""

    def __init__(self, y: Image.Image, u: Image.Image, v: Image.Image) -> None:
        self.y, self.u, self.v = y, u, v

    @classmethod
    def from_rgb(cls, image: Image.Image) -> _Planes:
        frame = av.VideoFrame.from_image(image).reformat(
            format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG", interpolation="BICUBIC"
        )
        planes = []
        for plane in frame.planes:
            rows = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
            planes.append(Image.fromarray(np.ascontiguousarray(rows[:, : plane.width]), "L"))
        return cls(*planes)

    def paste(self, overlay: _Overlay) -> None:
        self.y.paste(overlay.y, overlay.at, overlay.alpha)
        chroma_at = (overlay.at[0] // 2, overlay.at[1] // 2)
        self.u.paste(overlay.u, chroma_at, overlay.chroma_alpha)
        self.v.paste(overlay.v, chroma_at, overlay.chroma_alpha)

    def copy(self) -> _Planes:
        return _Planes(self.y.copy(), self.u.copy(), self.v.copy())

    def cut(self, view: Viewport, size: tuple[int, int]) -> _Planes:
        """The viewport, resampled to `size` (bilinear; a pure shift blends two or four whole-pixel crops)."""
        width, height = size
        chroma = (width // 2, height // 2)
        if abs(view.width - width) < 1e-6 and abs(view.height - height) < 1e-6:
            return _Planes(
                _shift(self.y, view.x, view.y, size),
                _shift(self.u, view.x / 2, view.y / 2, chroma),
                _shift(self.v, view.x / 2, view.y / 2, chroma),
            )
        box = (view.x, view.y, view.x + view.width, view.y + view.height)
        half = tuple(c / 2 for c in box)
        bilinear = Image.Resampling.BILINEAR
        return _Planes(
            self.y.resize(size, bilinear, box=box),
            self.u.resize(chroma, bilinear, box=half),  # type: ignore[arg-type]
            self.v.resize(chroma, bilinear, box=half),  # type: ignore[arg-type]
        )

    def write_into(self, frame: av.VideoFrame) -> None:
        """Copy these planes into a yuv420p frame of the same size (in place: one copy per plane)."""
        for image, plane in zip((self.y, self.u, self.v), frame.planes, strict=True):
            if plane.line_size == plane.width:
                plane.update(image.tobytes())
            else:  # rows padded for alignment
                rows = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
                rows[:, : plane.width] = np.asarray(image)


def _shift(plane: Image.Image, x: float, y: float, size: tuple[int, int]) -> Image.Image:
    """The `size` window of `plane` at a sub-pixel position (x, y): exact bilinear for a pure translation."""
    width, height = size
    max_x, max_y = plane.width - width, plane.height - height
    x, y = min(max(x, 0.0), float(max_x)), min(max(y, 0.0), float(max_y))
    ix, iy = math.floor(x), math.floor(y)
    fx, fy = x - ix, y - iy

    def crop(dx: int, dy: int) -> Image.Image:
        return plane.crop((ix + dx, iy + dy, ix + dx + width, iy + dy + height))

    def row(dy: int) -> Image.Image:
        left = crop(0, dy)
        return Image.blend(left, crop(1, dy), fx) if fx > 1e-4 and ix < max_x else left

    top = row(0)
    return Image.blend(top, row(1), fy) if fy > 1e-4 and iy < max_y else top


# --- burned-in captions ----------------------------------------------------------------------------------------


class _Overlay:
    """A caption box as YUV planes with alpha, at an even position so the chroma planes line up."""

    def __init__(self, image: Image.Image, at: tuple[int, int]) -> None:
        planes = _Planes.from_rgb(image.convert("RGB"))
        self.y, self.u, self.v = planes.y, planes.u, planes.v
        self.alpha = image.getchannel("A")
        self.chroma_alpha = self.alpha.resize(self.u.size, Image.Resampling.BILINEAR)
        self.at = at


def _caption_overlay(lines: Sequence[str], size: tuple[int, int]) -> _Overlay | None:
    width, height = size
    lines = [line for line in lines if line.strip()]
    if not lines:
        return None
    face = panels.font(max(12, round(height * 0.042)), bold=True)
    line_height = round(face.size * 1.3)
    text_width = max(face.getlength(line) for line in lines)
    max_width = width * 0.9
    if text_width > max_width:
        lines = [panels.wrap(line, face, max_width, 1)[0] for line in lines]
        text_width = max_width
    pad = round(face.size * 0.5)
    box_w = 2 * math.ceil((text_width + 2 * pad) / 2)
    box_h = 2 * math.ceil((line_height * len(lines) + pad) / 2)
    image = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, box_w - 1, box_h - 1), radius=pad, fill=(0, 0, 0, 170))
    for i, line in enumerate(lines):
        x = (box_w - face.getlength(line)) / 2
        draw.text((x, pad / 2 + i * line_height), line, font=face, fill=(255, 255, 255, 255))
    left = 2 * ((width - box_w) // 4)
    top = 2 * ((round(height * 0.93) - box_h) // 2)
    return _Overlay(image, (left, max(0, top)))


@dataclass(frozen=True)
class _Span:
    """Frames [start, end) of the film that show one caption (or none)."""

    start: int
    end: int
    overlay: _Overlay | None


def _caption_spans(project: ProjectSheet, fps: int, size: tuple[int, int], total: int) -> list[_Span]:
    spans: list[_Span] = []
    cursor = 0
    for cue in subtitles.cues(project):
        start, end = frame_of(cue.start_ms, fps), min(frame_of(cue.end_ms, fps), total)
        if end <= start or start < cursor:
            continue
        if start > cursor:
            spans.append(_Span(cursor, start, None))
        spans.append(_Span(start, end, _caption_overlay(cue.lines, size)))
        cursor = end
    if cursor < total:
        spans.append(_Span(cursor, total, None))
    return spans


# --- the voice track -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Speech:
    start_sample: int
    end_sample: int
    text: str
    voice: str


def _speech_parts(project: ProjectSheet) -> list[_Speech]:
    parts = []
    for cue in subtitles.cues(project, speakers=False, narration=True):
        text = " ".join(cue.lines).strip()
        if not text:
            continue
        pitch = 30 + panels.stable_seed(cue.speaker) % 40 if cue.speaker else 50
        parts.append(
            _Speech(
                cue.start_ms * AUDIO_RATE // 1000,
                cue.end_ms * AUDIO_RATE // 1000,
                text,
                f"-p{pitch}",
            )
        )
    return parts


def _synthesise(program: str, speech: _Speech, folder: Path, number: int) -> Path:
    """One cue spoken into a WAV file, at a rate that fits its slot when espeak-ng can go that fast."""
    seconds = max((speech.end_sample - speech.start_sample) / AUDIO_RATE, 0.2)
    words = max(len(speech.text.split()), 1)
    wpm = min(max(round(words * 60 / (seconds * 0.9)), VOICE_WPM[0]), VOICE_WPM[1])
    path = folder / f"cue{number}.wav"
    try:
        subprocess.run(
            [program, "-v", "en", speech.voice, "-s", str(wpm), "-w", str(path), "--stdin"],
            input=speech.text.encode("utf-8"),
            capture_output=True,
            check=True,
            timeout=ESPEAK_TIMEOUT_S,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise RenderInputError(f"espeak-ng could not read a line: {exc}") from exc
    return path


def _read_wav(path: Path, limit: int) -> np.ndarray:
    """The WAV's first `limit` samples, mono float32 at AUDIO_RATE, with a short fade where it is cut."""
    chunks = []
    resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE)
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
    for out in resampler.resample(None):
        chunks.append(out.to_ndarray().reshape(-1))
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if samples.size > limit:
        samples = samples[:limit].copy()
        fade = min(limit, AUDIO_RATE // 20)
        samples[limit - fade :] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return samples


class _VoiceTrack:
    """The spoken cues, synthesised ahead in two worker threads to WAV files, mixed in as the film advances.

    Only the cues being heard are in memory; the rest wait on disk, so memory stays flat.
    """

    def __init__(self, project: ProjectSheet, folder: Path, total_samples: int) -> None:
        program = espeak_path()
        if program is None:
            raise RenderInputError(f"the voice track needs espeak-ng: install the Debian package {ESPEAK_PACKAGE}")
        self.parts = _speech_parts(project)
        self.total = total_samples
        self.cursor = 0
        self.next_part = 0
        self.playing: list[tuple[int, np.ndarray]] = []
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="espeak")
        self.files: list[Future[Path]] = [
            self.pool.submit(_synthesise, program, part, folder, i) for i, part in enumerate(self.parts)
        ]

    def close(self) -> None:
        for future in self.files:
            future.cancel()
        self.pool.shutdown(wait=True)

    def chunk(self, count: int) -> np.ndarray:
        """The next `count` samples of the track."""
        start, end = self.cursor, self.cursor + count
        while self.next_part < len(self.parts) and self.parts[self.next_part].start_sample < end:
            part = self.parts[self.next_part]
            path = self.files[self.next_part].result()
            self.playing.append((part.start_sample, _read_wav(path, max(part.end_sample - part.start_sample, 0))))
            path.unlink(missing_ok=True)
            self.next_part += 1
        out = np.zeros(count, np.float32)
        still = []
        for at, samples in self.playing:
            lo, hi = max(start, at), min(end, at + samples.size)
            if hi > lo:
                out[lo - start : hi - start] += samples[lo - at : hi - at]
            if at + samples.size > end:
                still.append((at, samples))
        self.playing = still
        self.cursor = end
        np.clip(out, -1.0, 1.0, out=out)
        return out


# --- the render ------------------------------------------------------------------------------------------------


def _scene_picture(
    scene: SceneSheet, project: ProjectSheet, size: tuple[int, int], views: Sequence[Viewport] = ()
) -> Image.Image:
    """What the scene shows: its background with the figures; a ready frame when it has no background.

    With the move's `views`, the figures stand in the part of the picture every view shows.
    """
    if scene.background is None and scene.frame is not None:
        return panels.load_image(scene.frame, size)
    span = (0.0, 1.0)
    if views:
        left = max(views[0].x, views[-1].x)
        right = min(v.x + v.width for v in (views[0], views[-1]))
        span = (left / size[0], right / size[0])
    return panels.draw_picture(scene, size, characters=project.characters, figure_span=span)


def _scene_frames(
    scene: SceneSheet, project: ProjectSheet, options: VideoOptions, count: int
) -> Iterator[tuple[_Planes, bool]]:
    """The scene's frames as planes, and whether the planes object is shared with the frames around it."""
    output = options.size
    camera = "static" if options.camera == "static" else scene.camera
    if camera == "static" or count < 2:
        planes = _Planes.from_rgb(_scene_picture(scene, project, output))
        for _ in range(count):
            yield planes, True
        return
    views = camera_viewports(camera, count, output)
    source = _Planes.from_rgb(_scene_picture(scene, project, picture_size(output), views))
    for view in views:
        yield source.cut(view, output), False


class _Writer:
    """The open MP4: its video stream, and its audio stream when there is a voice track."""

    def __init__(self, path: Path, options: VideoOptions, voice: _VoiceTrack | None) -> None:
        self.container = av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"})
        width, height = options.size
        self.fps = options.fps
        self.video = self.container.add_stream(
            "libx264",
            rate=options.fps,
            options={"crf": str(CRF), "preset": PRESET, "tune": TUNE, "x264-params": X264_PARAMS},
        )
        self.video.width, self.video.height, self.video.pix_fmt = width, height, "yuv420p"
        self.video.time_base = Fraction(1, options.fps)
        context = self.video.codec_context
        context.colorspace = context.color_primaries = context.color_trc = 1  # BT.709, as _Planes converts
        context.color_range = 1  # limited ("MPEG") range
        self.voice = voice
        self.audio = None
        if voice is not None:
            self.audio = self.container.add_stream("aac", rate=AUDIO_RATE, layout="mono")
            self.audio.bit_rate = 96_000
        self.samples = 0

    def write(self, frame: av.VideoFrame) -> None:
        for packet in self.video.encode(frame):
            self.container.mux(packet)

    def write_audio(self, until_frame: int, last: bool) -> None:
        """Audio up to the end of frame `until_frame`, in whole AAC frames (and the remainder at the end)."""
        if self.voice is None or self.audio is None:
            return
        due = until_frame * AUDIO_RATE // self.fps
        while self.samples < due and (last or due - self.samples >= AUDIO_FRAME):
            count = min(AUDIO_FRAME, due - self.samples)
            frame = av.AudioFrame.from_ndarray(self.voice.chunk(count)[np.newaxis, :], format="flt", layout="mono")
            frame.sample_rate = AUDIO_RATE
            frame.pts = self.samples
            frame.time_base = Fraction(1, AUDIO_RATE)
            for packet in self.audio.encode(frame):
                self.container.mux(packet)
            self.samples += count

    def finish(self) -> None:
        for packet in self.video.encode(None):
            self.container.mux(packet)
        if self.audio is not None:
            for packet in self.audio.encode(None):
                self.container.mux(packet)

    def close(self) -> None:
        self.container.close()


class _EncoderThread:
    """Encodes and muxes in a thread of its own, so the next picture is cut while x264 codes this one.

    PyAV lets go of the GIL while FFmpeg encodes, and Pillow while it resamples, so the two
    stages overlap on two cores. Frames travel with their timestamp and picture type, so a
    still can be queued many times as one frame object. Progress is read by the caller's
    thread (`done`), never reported from this one.
    """

    def __init__(self, writer: _Writer, total: int) -> None:
        self.writer = writer
        self.total = total
        self.queue: queue.Queue[tuple[av.VideoFrame, int, bool] | None] = queue.Queue(maxsize=PIPELINE_DEPTH)
        self.done = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="animatic-encoder", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        intra, predicted = av.video.frame.PictureType.I, av.video.frame.PictureType.NONE
        while True:
            item = self.queue.get()
            if item is None:
                break
            if self.error is not None:
                continue  # drain until the producer stops
            frame, number, cut = item
            try:
                frame.pts = number
                frame.pict_type = intra if cut else predicted  # a key frame at every cut
                self.writer.write(frame)
                self.writer.write_audio(number + 1, last=number + 1 == self.total)
                self.done = number + 1
            except BaseException as exc:  # handed to the producer, which raises it
                self.error = exc
        if self.error is None:
            try:
                self.writer.finish()
            except BaseException as exc:
                self.error = exc

    def put(self, frame: av.VideoFrame, number: int, cut: bool) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((frame, number, cut))

    def close(self) -> None:
        """Wait for everything queued to be written; raise what went wrong in the thread."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _encode(
    writer: _Writer,
    project: ProjectSheet,
    options: VideoOptions,
    starts: list[int],
    captions: list[_Span],
    report: Callable[[int], None],
) -> None:
    width, height = options.size
    total = starts[-1]
    # Moving frames rotate through a ring one longer than can be in flight (queued, plus one
    # being encoded), so a frame is never refilled before x264 has copied it. A still gets
    # a frame of its own, queued once per frame it lasts.
    ring = [av.VideoFrame(width, height, "yuv420p") for _ in range(PIPELINE_DEPTH + 2)]
    encoder = _EncoderThread(writer, total)
    span = 0
    number = 0
    try:
        for i, scene in enumerate(project.scenes):
            shown: _Overlay | None = None
            still: av.VideoFrame | None = None
            for k, (planes, shared) in enumerate(_scene_frames(scene, project, options, starts[i + 1] - starts[i])):
                while span < len(captions) and captions[span].end <= number:
                    span += 1
                overlay = captions[span].overlay if span < len(captions) and captions[span].start <= number else None
                if still is None or not shared or overlay is not shown:
                    if overlay is not None:
                        planes = planes.copy() if shared else planes
                        planes.paste(overlay)
                    frame = av.VideoFrame(width, height, "yuv420p") if shared else ring[number % len(ring)]
                    planes.write_into(frame)
                    still = frame if shared else None
                    shown = overlay
                else:
                    frame = still
                encoder.put(frame, number, k == 0)
                number += 1
                report(encoder.done)
    except BaseException:
        encoder.queue.put(None)  # stop the thread; the caller discards the partial file
        encoder.thread.join()
        raise
    encoder.close()
    report(total)


def render_video(
    project: ProjectSheet,
    path: Path,
    *,
    options: VideoOptions | None = None,
    progress: ProgressCallback | None = None,
) -> VideoResult:
    """Render the project's animatic to `path` (an MP4), replacing it only once the new file is complete.

    `progress` is called with whole per cents as frames are encoded, and with 100 at the end.
    Raises RenderInputError for options or scenes that cannot be rendered (the caller's 400).
    """
    options = options or VideoOptions()
    check_options(options)
    scenes = _check_project(project)
    fps = options.fps
    starts = scene_frames([s.duration_ms for s in scenes], fps)
    total = starts[-1]
    if total == 0:
        raise RenderInputError("the project is shorter than one frame")
    ordered = ProjectSheet(title=project.title, scenes=scenes, characters=project.characters)
    captions = _caption_spans(ordered, fps, options.size, total) if options.captions == "burn" else []
    reported = -1

    def report(done: int) -> None:
        nonlocal reported
        percent = min(99, done * 100 // total)
        if progress is not None and percent != reported:
            reported = percent
            progress(percent)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.part.mp4")
    workdir = Path(tempfile.mkdtemp(prefix="animatic-voice-")) if options.voice else None
    voice = _VoiceTrack(ordered, workdir, total * AUDIO_RATE // fps) if workdir is not None else None
    try:
        writer = _Writer(temporary, options, voice if voice is not None and voice.parts else None)
        try:
            _encode(writer, ordered, options, starts, captions, report)
        finally:
            writer.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
        if voice is not None:
            voice.close()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    if progress is not None:
        progress(100)
    return VideoResult(
        path=path,
        width=options.size[0],
        height=options.size[1],
        fps=fps,
        frames=total,
        duration_ms=sum(s.duration_ms for s in scenes),
        has_audio=writer.audio is not None,
        scene_frames=tuple(starts[:-1]),
    )
