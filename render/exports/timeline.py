"""The cut as an OpenTimelineIO timeline, and that timeline in the editors' formats.

One video track; each scene is a clip named after its title, holding its frame as a still
(an ExternalReference to the relative path `frames/scene_001.png`, as the ZIP lays them out),
lasting exactly its frames at the chosen rate; the scene's description is a marker at the
clip's first frame. Written through OpenTimelineIO's adapters: `fcp_xml` (otio-fcp-adapter,
Final Cut Pro 7 XML that Premiere Pro and DaVinci Resolve import), `fcpx_xml`
(otio-fcpx-xml-adapter, FCPXML 1.8), `cmx_3600` (otio-cmx3600-adapter) and `otio_json`.
"""

from __future__ import annotations

from typing import IO

import opentimelineio as otio

from render.exports.common import one_line, shots, timecode
from render.types import ProjectSheet

TRACK_NAME = "Storyboard"
MARKER_COLOR = otio.schema.MarkerColor.RED


def build_timeline(project: ProjectSheet, fps: int) -> otio.schema.Timeline:
    """The project as one video track of still clips, with a marker per described scene."""
    timeline = otio.schema.Timeline(name=project.title or "Animatic")
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
                }
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
    text = otio.adapters.write_to_string(build_timeline(project, fps), adapter)
    out.write(text.encode("utf-8"))


def write_fcp7xml(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """Final Cut Pro 7 XML (xmeml), the interchange Premiere Pro and DaVinci Resolve import."""
    _write(project, fps, "fcp_xml", out)


def write_fcpxml(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """Final Cut Pro X's FCPXML."""
    _write(project, fps, "fcpx_xml", out)


def write_edl(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """A CMX 3600 edit decision list (Avid style: clip names and markers as comments)."""
    _write(project, fps, "cmx_3600", out)


def write_otio(project: ProjectSheet, fps: int, out: IO[bytes]) -> None:
    """OpenTimelineIO's own JSON."""
    _write(project, fps, "otio_json", out)
