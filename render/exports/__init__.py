"""Every export of a project as a file: a registry the Django route calls with the query's options.

    fmt = EXPORT_FORMATS["pdf"]
    options = parse_export_options("pdf", {"layout": "3x5", "paper": "letter"})  # ExportError on bad input
    with open(path, "wb") as out:
        write_export(project, "pdf", options, out)
    export_filename(project, "pdf"), fmt.media_type  # "the-fox.pdf", "application/pdf"

or `export_bytes(project, "pdf", options)` for the bytes, file name and media type at once.
Unknown formats and options, and bad option values, raise an `ExportError` (a `RenderInputError`,
so a `ValueError`) whose message says what is accepted: the API answers 400 with it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from render.exports import archive, pdf, storyboarder, timeline
from render.exports.common import download_stem, shots, slug
from render.subtitles import srt, webvtt
from render.types import FRAME_RATES, PAPER_SIZES, PDF_LAYOUTS, ProjectSheet, RenderInputError


class ExportError(RenderInputError):
    """An export cannot be made as asked: unknown format, unknown option or a bad value. Maps to 400."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownExportFormat(ExportError):
    """The format is not one of EXPORT_FORMATS."""


class InvalidExportOption(ExportError):
    """An option the format does not take, or a value it does not accept."""


@dataclass(frozen=True)
class ExportOptions:
    """The choices an export takes; each format reads only those it lists in its `options`."""

    fps: int = 24  # timelines' and timecodes' frame rate: pass the rendered video's when there is one
    layout: str = "3x2"  # PDF grid, a key of PDF_LAYOUTS: columns x rows
    paper: str = "a4"  # one of PAPER_SIZES
    narration: bool = False  # subtitles: scenes without dialogue show their description
    speakers: bool = True  # subtitles: "Name: line"
    video: Path | None = None  # the rendered MP4 to put in the ZIP (not a query option)
    cache_dir: Path | None = None  # where the PDF may keep frames scaled for print between exports (not a query option)


@dataclass(frozen=True)
class ExportFormat:
    """One downloadable file: its extension, media type, the options it takes and its writer."""

    key: str
    extension: str
    media_type: str
    options: frozenset[str]
    write: Callable[[ProjectSheet, ExportOptions, IO[bytes]], None] = field(repr=False)
    label: str = ""
    # What the writer reads of the frames' files: their pixels (every frame, drawn first when missing),
    # one frame's size (a timeline's format), or nothing (the paths it names come from the scenes alone).
    frames: Literal["pixels", "size", "none"] = "none"


@dataclass(frozen=True)
class ExportFile:
    """An export made in memory: the download's file name, its media type and its bytes."""

    filename: str
    media_type: str
    content: bytes


def _pdf(project: ProjectSheet, options: ExportOptions, out: IO[bytes]) -> None:
    pdf.write_pdf(
        project.title, shots(project, options.fps), options.fps, options.layout, options.paper, out, options.cache_dir
    )


def _storyboarder(project: ProjectSheet, options: ExportOptions, out: IO[bytes]) -> None:
    storyboarder.write_storyboarder(project.title, shots(project, options.fps), options.fps, out)


def _srt(project: ProjectSheet, options: ExportOptions, out: IO[bytes]) -> None:
    out.write(srt(project, speakers=options.speakers, narration=options.narration).encode("utf-8"))


def _vtt(project: ProjectSheet, options: ExportOptions, out: IO[bytes]) -> None:
    out.write(webvtt(project, speakers=options.speakers, narration=options.narration).encode("utf-8"))


def _timeline(
    writer: Callable[[ProjectSheet, int, IO[bytes]], None],
) -> Callable[[ProjectSheet, ExportOptions, IO[bytes]], None]:
    def write(project: ProjectSheet, options: ExportOptions, out: IO[bytes]) -> None:
        writer(project, options.fps, out)

    return write


# The formats a ZIP holds at its root, in order; the Storyboarder file goes in its own folder with its images.
_ZIPPED = ("pdf", "fcp7xml", "fcpxml", "edl", "otio", "srt", "vtt")


def _bound(fmt: ExportFormat, options: ExportOptions) -> Callable[[ProjectSheet, IO[bytes]], None]:
    def write(project: ProjectSheet, out: IO[bytes]) -> None:
        fmt.write(project, options, out)

    return write


_Member = tuple[str, Callable[[ProjectSheet, IO[bytes]], None]]


def _edl_members(project: ProjectSheet, options: ExportOptions) -> list[_Member]:
    """The ZIP's EDL: `<slug>.edl`, or past EDL_EVENTS_MAX scenes `<slug>_part1.edl`, ... (timeline.edl_lists)."""
    stem = slug(project.title)
    count = math.ceil(len(project.scenes) / timeline.EDL_EVENTS_MAX)
    if count <= 1:
        return [(f"{stem}.edl", _bound(EXPORT_FORMATS["edl"], options))]

    def part(index: int) -> Callable[[ProjectSheet, IO[bytes]], None]:
        def write(complete: ProjectSheet, out: IO[bytes]) -> None:
            out.write(timeline.edl_lists(complete, options.fps)[index].encode("utf-8"))

        return write

    return [(f"{stem}_part{index + 1}.edl", part(index)) for index in range(count)]


def _zip(project: ProjectSheet, options: ExportOptions, out: IO[bytes]) -> None:
    stem = slug(project.title)
    members: list[_Member] = []
    for key in _ZIPPED:
        if key == "edl":
            members.extend(_edl_members(project, options))
        else:
            members.append((f"{stem}{EXPORT_FORMATS[key].extension}", _bound(EXPORT_FORMATS[key], options)))
    members.append((f"storyboarder/{stem}.storyboarder", _bound(EXPORT_FORMATS["storyboarder"], options)))
    archive.write_zip(project, options.fps, members, options.video, out)


_TIMELINE = frozenset({"fps"})
_SUBTITLES = frozenset({"narration", "speakers"})
EXPORT_FORMATS: dict[str, ExportFormat] = {
    fmt.key: fmt
    for fmt in (
        ExportFormat(
            "pdf",
            ".pdf",
            "application/pdf",
            frozenset({"layout", "paper", "fps"}),
            _pdf,
            "PDF storyboard sheets",
            frames="pixels",
        ),
        ExportFormat(
            "fcp7xml",
            ".xml",
            "application/xml",
            _TIMELINE,
            _timeline(timeline.write_fcp7xml),
            "Final Cut Pro 7 XML (Premiere Pro, DaVinci Resolve)",
            frames="size",
        ),
        ExportFormat(
            "fcpxml",
            ".fcpxml",
            "application/xml",
            _TIMELINE,
            _timeline(timeline.write_fcpxml),
            "FCPXML (Final Cut Pro)",
            frames="size",
        ),
        ExportFormat(
            "edl", ".edl", "text/plain; charset=utf-8", _TIMELINE, _timeline(timeline.write_edl), "CMX 3600 EDL"
        ),
        ExportFormat(
            "otio",
            ".otio",
            "application/json",
            _TIMELINE,
            _timeline(timeline.write_otio),
            "OpenTimelineIO",
        ),
        ExportFormat("srt", ".srt", "application/x-subrip; charset=utf-8", _SUBTITLES, _srt, "SubRip subtitles"),
        ExportFormat("vtt", ".vtt", "text/vtt; charset=utf-8", _SUBTITLES, _vtt, "WebVTT subtitles"),
        ExportFormat(
            "storyboarder", ".storyboarder", "application/json", _TIMELINE, _storyboarder, "Storyboarder project"
        ),
        ExportFormat(
            "zip",
            ".zip",
            "application/zip",
            frozenset({"layout", "paper", "fps"}) | _SUBTITLES,
            _zip,
            "Everything, with the frames",
            frames="pixels",
        ),
    )
}


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def export_format(key: str) -> ExportFormat:
    """The format named `key`, or UnknownExportFormat listing the known ones."""
    try:
        return EXPORT_FORMATS[key]
    except KeyError:
        known = ", ".join(EXPORT_FORMATS)
        raise UnknownExportFormat(f"Unknown export format {key!r}: use one of {known}.", field="format") from None


def _choice(name: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise InvalidExportOption(f"{name} must be one of {', '.join(allowed)}; got {value!r}.", field=name)
    return value


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidExportOption(f"{name} must be true or false; got {value!r}.", field=name)


def parse_export_options(
    key: str, params: Mapping[str, str], *, video: Path | None = None, cache_dir: Path | None = None
) -> ExportOptions:
    """Options for format `key` from query parameters (strings), checked: an option the format does
    not take or a value outside its choices raises InvalidExportOption. `video` goes to the ZIP;
    `cache_dir` (the server's, never the client's) lets the PDF reuse frames it scaled before."""
    fmt = export_format(key)
    unknown = sorted(set(params) - fmt.options)
    if unknown:
        takes = ", ".join(sorted(fmt.options)) or "no options"
        raise InvalidExportOption(
            f"The {key} export does not take {', '.join(unknown)}; it takes {takes}.", field=unknown[0]
        )
    values: dict[str, object] = {}
    if "layout" in params:
        values["layout"] = _choice("layout", params["layout"], list(PDF_LAYOUTS))
    if "paper" in params:
        values["paper"] = _choice("paper", params["paper"], list(PAPER_SIZES))
    if "fps" in params:
        values["fps"] = int(_choice("fps", params["fps"].strip(), [str(rate) for rate in FRAME_RATES]))
    for name in ("narration", "speakers"):
        if name in params:
            values[name] = _flag(name, params[name])
    if video is not None and key == "zip":
        values["video"] = video
    if cache_dir is not None:
        values["cache_dir"] = cache_dir
    return ExportOptions(**values)  # type: ignore[arg-type]


def export_filename(project: ProjectSheet, key: str) -> str:
    """The download's file name: the project title as a slug plus the format's extension."""
    return f"{download_stem(project.title)}{export_format(key).extension}"


def check_options(options: ExportOptions) -> None:
    """Raise InvalidExportOption for values a caller built by hand outside the accepted choices."""
    if options.layout not in PDF_LAYOUTS:
        _choice("layout", options.layout, list(PDF_LAYOUTS))
    if options.paper not in PAPER_SIZES:
        _choice("paper", options.paper, list(PAPER_SIZES))
    if options.fps not in FRAME_RATES:
        _choice("fps", str(options.fps), [str(rate) for rate in FRAME_RATES])
    if options.video is not None and not Path(options.video).is_file():
        raise InvalidExportOption(f"The video {options.video} does not exist.", field="video")


def write_export(project: ProjectSheet, key: str, options: ExportOptions | None, out: IO[bytes]) -> None:
    """Write the project as format `key` to the binary file object `out`."""
    fmt = export_format(key)
    options = options or ExportOptions()
    check_options(options)
    fmt.write(project, options, out)


def export_bytes(project: ProjectSheet, key: str, options: ExportOptions | None = None) -> ExportFile:
    """The export in memory with its file name and media type (for a ZIP with a long video, use write_export)."""
    buffer = io.BytesIO()
    write_export(project, key, options, buffer)
    return ExportFile(export_filename(project, key), export_format(key).media_type, buffer.getvalue())


__all__ = [
    "EXPORT_FORMATS",
    "ExportError",
    "ExportFile",
    "ExportFormat",
    "ExportOptions",
    "InvalidExportOption",
    "UnknownExportFormat",
    "export_bytes",
    "export_filename",
    "export_format",
    "parse_export_options",
    "write_export",
]
