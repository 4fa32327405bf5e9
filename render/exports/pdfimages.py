"""Frames embedded in a PDF without decoding them, so a 200-panel sheet takes well under a second.

reportlab decodes every PNG and compresses it again (tens of milliseconds a frame). A PDF reads
PNG's own compressed rows directly (FlateDecode with the PNG predictors, /Predictor 15), and JPEG
as is (DCTDecode), so an 8-bit grey or RGB non-interlaced PNG without transparency and a grey or
RGB JPEG are copied byte for byte. Anything else (alpha, palettes, 16 bits, WebP, CMYK JPEG) is
decoded once with Pillow, flattened on white, scaled to at most `FALLBACK_MAX_SIDE` and stored
as a JPEG.

This drives two documented-but-internal parts of reportlab's canvas (its XObject registry and
`PDFImageXObject`), pinned to the version in requirements.txt and checked by the tests, which
read the embedded images back with pypdf.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FALLBACK_MAX_SIDE = 1280
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


def _png_passthrough(raw: bytes) -> EmbeddableImage | None:
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
    if depth != 8 or interlace != 0 or colour_type not in _PNG_COLOURS or width < 1 or height < 1:
        return None
    colours, space = _PNG_COLOURS[colour_type]
    return EmbeddableImage(width, height, space, "FlateDecode", b"".join(idat), colours)


def _jpeg_passthrough(raw: bytes) -> EmbeddableImage | None:
    if not raw.startswith(b"\xff\xd8"):
        return None
    try:
        with Image.open(io.BytesIO(raw)) as image:  # reads the header only
            mode, (width, height) = image.mode, image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    if mode not in _JPEG_SPACES:
        return None
    return EmbeddableImage(width, height, _JPEG_SPACES[mode], "DCTDecode", raw, 1 if mode == "L" else 3)


def _reencoded(raw: bytes) -> EmbeddableImage | None:
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.thumbnail((FALLBACK_MAX_SIDE, FALLBACK_MAX_SIDE))
            if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
            else:
                flat = image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    buffer = io.BytesIO()
    flat.save(buffer, "JPEG", quality=FALLBACK_JPEG_QUALITY)
    return EmbeddableImage(flat.width, flat.height, "DeviceRGB", "DCTDecode", buffer.getvalue())


def load_embeddable(path: Path) -> EmbeddableImage | None:
    """The frame ready to embed, or None when the file is missing or is not an image Pillow can read."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return _png_passthrough(raw) or _jpeg_passthrough(raw) or _reencoded(raw)


class _PassThroughXObject(pdfdoc.PDFImageXObject):  # type: ignore[misc]
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
        entries["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(self._image.filter_name)])
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
