"""The cut as an OpenTimelineIO timeline, and that timeline in the editors' formats.

One video track; each scene is a clip named after its title, holding its frame as a still
(an ExternalReference to the relative path `frames/scene_001.png`, as the ZIP lays them out),
lasting exactly its frames at the chosen rate; the scene's description is a marker at the
clip's first frame. Written through OpenTimelineIO's adapters: `fcp_xml` (otio-fcp-adapter,
Final Cut Pro 7 XML that Premiere Pro and DaVinci Resolve import), `fcpx_xml`
(otio-fcpx-xml-adapter, FCPXML 1.8), `cmx_3600` (otio-cmx3600-adapter) and `otio_json`.

Nothing here reads the media or runs a program: every reference carries its available range, and
FCPXML goes through `_FcpxWriter`, which states the format the adapter would otherwise probe for.
"""

from __future__ import annotations

import math
from typing import IO, Any

import opentimelineio as otio
from otio_fcpx_xml_adapter import fcpx_xml
from PIL import Image

from render.exports.common import one_line, ordered_scenes, shots, timecode
from render.types import ProjectSheet, RenderInputError

TRACK_NAME = "Storyboard"
MARKER_COLOR = otio.schema.MarkerColor.RED
DEFAULT_FRAME_SIZE = (1280, 720)
EDL_EVENTS_MAX = 999  # CMX 3600 numbers its events 001 to 999: one list holds no more


def edl_too_long_message(scenes: int) -> str:
    """Why a project of `scenes` scenes has no single EDL, and what to export instead."""
    return (
        f"A CMX 3600 EDL holds at most {EDL_EVENTS_MAX} events and this project has {scenes:,} scenes: export "
        f"fcp7xml, fcpxml or otio instead, or the zip, whose EDL is split into lists of at most {EDL_EVENTS_MAX}."
    )


class EdlTooLong(RenderInputError):
    """The cut has more scenes (events) than one CMX 3600 list holds."""

    def __init__(self, scenes: int) -> None:
        super().__init__(edl_too_long_message(scenes))
        self.scenes = scenes


def build_timeline(project: ProjectSheet, fps: int) -> otio.schema.Timeline:
    """The project as one video track of still clips, with a marker per described scene."""
    timeline = otio.schema.Timeline(name=one_line(project.title) or "Animatic")
    timeline.global_start_time = otio.opentime.RationalTime(0, fps)
    track = otio.schema.Track(name=TRACK_NAME, kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    cursor = 0
    for shot in shots(project, fps):
        if shot.start_frame > cursor:
            gap = otio.opentime.TimeRange(
                otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(shot.start_frame - cursor, fps)
            )
            track.append(otio.schema.Gap(source_range=gap))
        scene = shot.scene
        length = otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(shot.frames, fps)
        )
        reference = otio.schema.ExternalReference(target_url=shot.frame_path, available_range=length)
        # The EDL's 8-character reel comes from the file name, so scene_1000 would read as scene 100's.
        reel = {"cmx_3600": {"reel": f"SCN{shot.number}"}} if shot.number > EDL_EVENTS_MAX else {}
        clip = otio.schema.Clip(
            name=one_line(scene.title) or f"Shot {shot.number}",
            media_reference=reference,
            source_range=length,
            metadata={
                "animatic_vision": {
                    "shot": shot.number,
                    "scene_index": scene.index,
                    "camera": scene.camera,
                    "start_ms": scene.start_ms,
                    "duration_ms": scene.duration_ms,
                    "record_in": timecode(shot.start_frame, fps),
                },
                **reel,
            },
        )
        description = one_line(scene.description)
        if description:
            clip.markers.append(
                otio.schema.Marker(
                    name=description,
                    marked_range=otio.opentime.TimeRange(
                        otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(0, fps)
                    ),
                    color=MARKER_COLOR,
                )
            )
        track.append(clip)
        cursor = shot.end_frame
    return timeline


def _write(project: ProjectSheet, fps: int, adapter: str, out: IO[bytes]) -> None:
    _write_timeline(build_timeline(project, fps), adapter, out)


def _write_timeline(timeline: otio.schema.Timeline, adapter: str, out: IO[bytes]) -> None:
    out.write(otio.adapters.write_to_string(timeline, adapter).encode("utf-8"))


def frame_size(project: ProjectSheet) -> tuple[int, int]:
    """The first readable frame's pixel size (its header only), else 1280x720: the sequence's frame size."""
    for scene in ordered_scenes(project):
        if scene.frame is None:
            continue
        try:
            with Image.open(scene.frame) as image:
                width, height = image.size
        except (OSError, ValueError, Image.DecompressionBombError):
            continue
        if width > 0 and height > 0:
            return width, height
    return DEFAULT_FRAME_SIZE


def write_fcp7xml(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """Final Cut Pro 7 XML (xmeml), the interchange Premiere Pro and DaVinci Resolve import.

    The sequence states its frame size and rate (`samplecharacteristics`, set through the
    adapter's metadata), so an editor opens it at the frames' size instead of asking."""
    timeline = build_timeline(project, fps)
    width, height = frame_size(project)
    rate = {"timebase": str(fps), "ntsc": "FALSE"}
    characteristics = {
        "width": str(width),
        "height": str(height),
        "pixelaspectratio": "square",
        "fielddominance": "none",
        "rate": rate,
    }
    timeline.metadata["fcp_xml"] = {"media": {"video": {"format": {"samplecharacteristics": characteristics}}}}
    _write_timeline(timeline, "fcp_xml", out)


class _FcpxWriter(fcpx_xml.FcpxOtio):
    """The fcpx_xml adapter's writer, told the sequence's format instead of probing the media for it.

    The adapter names a clip's format by running an `ffprobe` binary on the clip's file whenever
    that path exists (a relative one against the process's working directory): a program this
    project never depends on, and a result that would change with the directory the server runs in.
    Every clip here is a still of the sequence's size, so the format is that size and rate, stated
    as `width` and `height` (and the name Final Cut Pro gives the standard HD sizes).

    The adapter also finds elements by name with an XPath built from the name, which breaks on an
    apostrophe ("The Fox's trick"); those look-ups compare the attribute instead.
    """

    def __init__(self, timeline: otio.schema.Timeline, *, width: int, height: int, fps: int) -> None:
        super().__init__(timeline)
        self.frame_width, self.frame_height, self.fps = width, height, fps

    def _clip_format_name(self, clip: Any) -> str:
        standard = {(1920, 1080): "1080", (1280, 720): "720"}.get((self.frame_width, self.frame_height))
        return f"FFVideoFormat{standard}p{self.fps}" if standard else ""

    def _find_or_create_format_from(self, clip: Any) -> Any:
        element = super()._find_or_create_format_from(clip)
        element.set("width", str(self.frame_width))
        element.set("height", str(self.frame_height))
        return element

    def _first_child(self, parent: Any, tag: str, attribute: str, value: str) -> Any:
        return next((child for child in parent.findall(tag) if child.get(attribute) == value), None)

    def _asset_by_path(self, path: str) -> Any:
        return self._first_child(self.resource_element, "asset", "src", path)

    def _asset_by_id(self, asset_id: str) -> Any:
        return self._first_child(self.resource_element, "asset", "id", asset_id)

    def _media_by_name(self, name: str) -> Any:
        return self._first_child(self.resource_element, "media", "name", name)

    def _media_by_id(self, media_id: str) -> Any:
        return self._first_child(self.resource_element, "media", "id", media_id)

    def _asset_clip_by_name(self, name: str) -> Any:
        return self._first_child(self.event_resource, "asset-clip", "name", name)


def write_fcpxml(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """Final Cut Pro X's FCPXML, its format the frames' size and the chosen rate (no media probed)."""
    width, height = frame_size(project)
    writer = _FcpxWriter(build_timeline(project, fps), width=width, height=height, fps=fps)
    out.write(writer.to_xml().encode("utf-8"))


def write_edl(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """A CMX 3600 edit decision list (Avid style: clip names and markers as comments).

    EdlTooLong past EDL_EVENTS_MAX scenes: a fourth digit is not CMX 3600 (see `edl_lists`)."""
    if len(project.scenes) > EDL_EVENTS_MAX:
        raise EdlTooLong(len(project.scenes))
    _write(project, fps, "cmx_3600", out)


def edl_lists(project: ProjectSheet, fps: int) -> list[str]:
    """The cut as CMX 3600 lists of at most EDL_EVENTS_MAX events: one list when it fits, else consecutive
    runs of scenes, each numbering its events from 001 and keeping the whole cut's record timecodes (a
    leading gap, which an EDL does not list), titled "<title> (part n of N)"."""
    timeline = build_timeline(project, fps)
    track = timeline.tracks[0]
    clips = [item for item in track if isinstance(item, otio.schema.Clip)]
    if len(clips) <= EDL_EVENTS_MAX:
        return [otio.adapters.write_to_string(timeline, "cmx_3600")]
    total = math.ceil(len(clips) / EDL_EVENTS_MAX)
    lists = []
    for number, first in enumerate(range(0, len(clips), EDL_EVENTS_MAX), start=1):
        run = clips[first : first + EDL_EVENTS_MAX]
        part = otio.schema.Timeline(name=f"{timeline.name} (part {number} of {total})")
        part_track = otio.schema.Track(name=TRACK_NAME, kind=otio.schema.TrackKind.Video)
        part.tracks.append(part_track)
        record_in = run[0].range_in_parent().start_time
        if record_in.value > 0:
            lead = otio.opentime.TimeRange(otio.opentime.RationalTime(0, fps), record_in)
            part_track.append(otio.schema.Gap(source_range=lead))
        for item in list(track)[track.index(run[0]) : track.index(run[-1]) + 1]:
            part_track.append(item.deepcopy())
        lists.append(otio.adapters.write_to_string(part, "cmx_3600"))
    return lists


def write_otio(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """OpenTimelineIO's own JSON."""
    _write(project, fps, "otio_json", out)
