"""Frames embedded in a PDF at print size, decoded only when they must be.

reportlab decodes every PNG and compresses it again (tens of milliseconds a frame). A PDF reads
PNG's own compressed rows directly (FlateDecode with the PNG predictors, /Predictor 15), and JPEG
as is (DCTDecode), so a frame that is small (the built-in renderer's flat drawings, about 90 KB
at 720p) or no larger than the print needs is copied byte for byte when it is an 8-bit grey or
RGB non-interlaced PNG without transparency, or a grey or RGB JPEG. A large frame (a
photographic 720p PNG is 1-2 MB) is decoded once, scaled to the panel's size at PRINT_DPI and
stored as a JPEG, so a 200-panel sheet stays tens of MB instead of hundreds; those scaled copies
can be kept in a cache folder for the next export. Anything else (alpha, palettes, 16 bits,
WebP, CMYK JPEG) is decoded and flattened on white the same way.

This drives two internal parts of reportlab's canvas (its XObject registry and
`PDFImageXObject`), pinned to the version in requirements.txt and checked by the tests, which
read the embedded images back with pypdf.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FALLBACK_MAX_SIDE = 1280
PASSTHROUGH_MAX_BYTES = 400_000
MAX_PIXELS = 8192 * 8192  # the uploads' own limit: a larger picture is not copied into a sheet
# Print sizes a scaled frame is made at (pixels on its long side): each layout's need is rounded up to
# one of these, so a frame has at most a few scaled copies in the cache whatever the layout and paper.
PRINT_SIDES = (480, 720, 960, 1280, 1920)
FALLBACK_JPEG_QUALITY = 85
_PNG_COLOURS = {0: (1, "DeviceGray"), 2: (3, "DeviceRGB")}
_JPEG_SPACES = {"L": "DeviceGray", "RGB": "DeviceRGB"}


@dataclass(frozen=True)
class EmbeddableImage:
    """Image bytes a PDF viewer decodes itself, with what the image dictionary must say about them."""

    width: int
    height: int
    colour_space: str
    filter_name: str  # FlateDecode or DCTDecode
    data: bytes
    colours: int = 3  # components per pixel, for the PNG predictor

    @property
    def aspect(self) -> float:
        return self.width / self.height


@dataclass(frozen=True)
class PlainPng:
    """An 8-bit grey or RGB, non-interlaced PNG without transparency or palette: its size and its rows."""

    width: int
    height: int
    colour_type: int
    idat: list[bytes]  # the IDAT chunks' bodies, in order: together, the zlib stream of the rows


def _plain_png(raw: bytes) -> PlainPng | None:
    """The PNG's header and compressed rows when it is a plain one (see PlainPng), else None."""
    if not raw.startswith(PNG_SIGNATURE):
        return None
    pos = len(PNG_SIGNATURE)
    header: tuple[int, ...] | None = None
    idat: list[bytes] = []
    while pos + 8 <= len(raw):
        (length,) = struct.unpack(">I", raw[pos : pos + 4])
        kind = raw[pos + 4 : pos + 8]
        body = raw[pos + 8 : pos + 8 + length]
        if len(body) != length:
            return None  # truncated
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind in (b"tRNS", b"PLTE"):
            return None  # transparency or a palette: let Pillow flatten it
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        return None
    width, height, depth, colour_type, _compression, _filter, interlace = header
    if depth != 8 or interlace != 0 or colour_type not in _PNG_COLOURS or not 0 < width * height <= MAX_PIXELS:
        return None
    return PlainPng(width, height, colour_type, idat)


def _png_passthrough(raw: bytes) -> EmbeddableImage | None:
    png = _plain_png(raw)
    if png is None:
        return None
    colours, space = _PNG_COLOURS[png.colour_type]
    return EmbeddableImage(png.width, png.height, space, "FlateDecode", b"".join(png.idat), colours)


def _jpeg_passthrough(raw: bytes) -> EmbeddableImage | None:
    if not raw.startswith(b"\xff\xd8"):
        return None
    try:
        with Image.open(io.BytesIO(raw)) as image:  # reads the header only
            mode, (width, height) = image.mode, image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    if mode not in _JPEG_SPACES or not 0 < width * height <= MAX_PIXELS:
        return None
    return EmbeddableImage(width, height, _JPEG_SPACES[mode], "DCTDecode", raw, 1 if mode == "L" else 3)


def _fit(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The size that fits `max_side` on the long side, the aspect kept (never larger than the picture)."""
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _plain_png_scaled(raw: bytes, max_side: int) -> Image.Image | None:
    """A plain PNG (see PlainPng) decoded by FFmpeg's decoder (PyAV, already the video's encoder) and scaled
    by area averaging, as RGB; None when it is not plain or FFmpeg refuses it.

    Decoding is most of a large frame's cost: FFmpeg's PNG decoder (SIMD row filters) takes about two
    thirds of Pillow's time, and runs without the GIL, so load_all's threads use every core, where
    Pillow's decoding loop returns to Python between blocks and two threads gain little.
    """
    png = _plain_png(raw)
    if png is None:
        return None
    width, height = _fit(png.width, png.height, max_side)
    try:
        decoded = av.CodecContext.create("png", "r").decode(av.Packet(raw))
    except (av.FFmpegError, ValueError):
        return None
    if len(decoded) != 1 or not isinstance(decoded[0], av.VideoFrame):
        return None
    frame = decoded[0]
    if (frame.width, frame.height) != (png.width, png.height):
        return None
    scaled = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA")
    plane = scaled.planes[0]  # rows of `line_size` bytes (padded); one copy, where to_image() makes two
    return Image.frombuffer("RGB", (width, height), bytes(plane), "raw", "RGB", plane.line_size, 1)


def _reencoded(raw: bytes, max_side: int) -> EmbeddableImage | None:
    flat = _plain_png_scaled(raw, max_side)
    if flat is None:
        flat = _pillow_scaled(raw, max_side)
    if flat is None:
        return None
    buffer = io.BytesIO()
    flat.save(buffer, "JPEG", quality=FALLBACK_JPEG_QUALITY)
    return EmbeddableImage(flat.width, flat.height, "DeviceRGB", "DCTDecode", buffer.getvalue())


def _pillow_scaled(raw: bytes, max_side: int) -> Image.Image | None:
    """Any image Pillow reads, scaled to fit `max_side` and flattened on white, as RGB."""
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format == "JPEG":
                image.draft("RGB", (max_side, max_side))  # the JPEG decoder scales by 1/2, 1/4, 1/8 for free
            image.load()
            factor = max(1, min(image.width, image.height) // max(1, max_side) // 2)
            picture = image.reduce(factor) if factor > 1 else image
            size = _fit(picture.width, picture.height, max_side)
            if size != picture.size:
                # BOX (area averaging) for a reduction: sharper than BILINEAR here and half its time
                picture = picture.resize(size, Image.Resampling.BOX)
            if picture.mode in ("RGBA", "LA", "P", "PA") or "transparency" in picture.info:
                rgba = picture.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                return flat
            return picture.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _pixel_width(raw: bytes) -> int | None:
    if raw.startswith(PNG_SIGNATURE) and len(raw) >= 24:
        width: int = struct.unpack(">I", raw[16:20])[0]
        return width
    return None


def load_embeddable(
    path: Path, max_side: int = FALLBACK_MAX_SIDE, cache_dir: Path | None = None
) -> EmbeddableImage | None:
    """The frame ready to embed, or None when the file is missing or is not an image Pillow can read.

    Copied as it is when it is small (at most PASSTHROUGH_MAX_BYTES, like the built-in renderer's
    flat drawings) or no larger than the print needs (`max_side` pixels, with a margin); otherwise
    decoded once and scaled to `max_side`, and kept in `cache_dir` (when given) for the next export.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    width = _pixel_width(raw)
    if len(raw) <= PASSTHROUGH_MAX_BYTES or (width is not None and width <= max_side * 3 // 2):
        kept = _png_passthrough(raw) or _jpeg_passthrough(raw)
        if kept is not None:
            return kept
    cached = cache_dir / f"{image_key(path)}-{max_side}.jpg" if cache_dir is not None else None
    if cached is not None:
        try:
            hit = _jpeg_passthrough(cached.read_bytes())
        except OSError:  # not made yet, or pruned meanwhile by another process
            hit = None
        if hit is not None:
            return hit
    made = _reencoded(raw, max_side)
    if made is not None and cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
            partial.write_bytes(made.data)
            partial.replace(cached)  # atomic: a concurrent export never reads half a file
        except OSError:
            pass  # a cache that cannot be written only costs time
    return made


def print_side(pixels_needed: float) -> int:
    """The PRINT_SIDES entry at or above what a panel needs (the largest when it needs more)."""
    return next((side for side in PRINT_SIDES if side >= pixels_needed), PRINT_SIDES[-1])


def warm_print_cache(paths: list[Path], cache_dir: Path, sides: tuple[int, ...] = (480, 720)) -> None:
    """Make the scaled copies the PDF would make, ahead of time (e.g. once frames are drawn), so the
    next PDF export of large frames only copies bytes. The default sides serve every grid layout."""
    for side in sides:
        load_all(paths, side, cache_dir)


def load_all(
    paths: list[Path], max_side: int, cache_dir: Path | None = None, workers: int | None = None
) -> dict[Path, EmbeddableImage | None]:
    """load_embeddable for every distinct path, on a few threads (Pillow decodes and encodes without the GIL)."""
    unique = list(dict.fromkeys(paths))
    count = workers or min(4, os.cpu_count() or 1)
    if count <= 1 or len(unique) <= 1:
        return {p: load_embeddable(p, max_side, cache_dir) for p in unique}
    with ThreadPoolExecutor(max_workers=count) as pool:
        loaded = pool.map(lambda p: load_embeddable(p, max_side, cache_dir), unique)
        return dict(zip(unique, loaded, strict=True))


class PrintImages:
    """load_embeddable of every distinct path, on a few threads, handed out in the paths' order as they are
    ready: the sheet draws its first panels while the later frames are still being decoded.

    Use it as a context manager: leaving it stops the loads not yet started.
    """

    def __init__(
        self, paths: list[Path], max_side: int, cache_dir: Path | None = None, workers: int | None = None
    ) -> None:
        unique = list(dict.fromkeys(paths))
        count = workers or min(4, os.cpu_count() or 1)

        def load(path: Path) -> EmbeddableImage | None:
            return load_embeddable(path, max_side, cache_dir)

        self._pool = ThreadPoolExecutor(max_workers=count) if count > 1 and len(unique) > 1 else None
        loaded = self._pool.map(load, unique) if self._pool is not None else map(load, unique)
        self._pending = zip(unique, loaded, strict=True)
        self._ready: dict[Path, EmbeddableImage | None] = {}

    def get(self, path: Path) -> EmbeddableImage | None:
        """The frame ready to embed (waiting for it and those before it), or None (unreadable, or not listed)."""
        while path not in self._ready:
            try:
                key, image = next(self._pending)
            except StopIteration:
                return None
            self._ready[key] = image
        return self._ready[path]

    def __enter__(self) -> PrintImages:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class _PassThroughXObject(pdfdoc.PDFImageXObject):
    def __init__(self, name: str, image: EmbeddableImage) -> None:
        super().__init__(name)
        self.width = image.width
        self.height = image.height
        self.bitsPerComponent = 8
        self.colorSpace = image.colour_space
        self._filters = (image.filter_name,)
        self.streamContent = image.data
        self.mask = None
        self._image = image

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        stream = pdfdoc.PDFStream(content=self.streamContent)
        entries = stream.dictionary
        entries["Type"] = pdfdoc.PDFName("XObject")
        entries["Subtype"] = pdfdoc.PDFName("Image")
        entries["Width"] = self.width
        entries["Height"] = self.height
        entries["BitsPerComponent"] = 8
        entries["ColorSpace"] = pdfdoc.PDFName(self.colorSpace)
        # A single filter by name, so the DecodeParms dictionary below plainly belongs to it (poppler
        # ignores a lone DecodeParms dictionary when Filter is an array).
        entries["Filter"] = pdfdoc.PDFName(self._image.filter_name)
        if self._image.filter_name == "FlateDecode":
            entries["DecodeParms"] = pdfdoc.PDFDictionary(
                {
                    "Predictor": 15,
                    "Colors": self._image.colours,
                    "BitsPerComponent": 8,
                    "Columns": self.width,
                }
            )
        result: bytes = stream.format(document)
        return result


def image_key(path: Path) -> str:
    """A name for a frame file that changes when the file does (its path, size and modification time)."""
    try:
        stat = path.stat()
    except OSError:
        return hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()
    ident = f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return hashlib.sha1(ident.encode(), usedforsecurity=False).hexdigest()


def draw_embeddable(
    canvas: Canvas, image: EmbeddableImage, key: str, x: float, y: float, width: float, height: float
) -> None:
    """Draw the image stretched to the box (the caller keeps the aspect); the same key is stored once."""
    name = key
    document = canvas._doc
    registered = document.getXObjectName(name)
    if registered not in document.idToObject:
        xobject = _PassThroughXObject(name, image)
        canvas._setXObjects(xobject)
        document.Reference(xobject, registered)
        document.addForm(name, xobject)
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{registered} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)
