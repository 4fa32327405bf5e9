"""Uploaded images: hostile until decoded. Type, size and pixel limits checked, then re-encoded as PNG."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps

from animatic_vision.errors import ImageInvalid, ImageTooLarge
from render.panels import png_bytes

# What each accepted format may be called.
EXTENSIONS = {"PNG": {".png"}, "JPEG": {".jpg", ".jpeg", ".jpe"}, "WEBP": {".webp"}}
ACCEPTED = "PNG, JPEG or WebP"
# Stored images are scaled down to fit this side: frames are drawn at 1280x720.
STORED_MAX_SIDE = 2560


@dataclass(frozen=True)
class DecodedImage:
    image: Image.Image  # RGB or RGBA, fully decoded
    source_format: str  # PNG, JPEG or WEBP


def _invalid(message: str) -> ImageInvalid:
    return ImageInvalid(message, errors={"file": [message]})


def image_decode(data: bytes, *, filename: str = "") -> DecodedImage:
    """The image in `data`, decoded and checked; ImageInvalid (400) or ImageTooLarge (413) otherwise.

    The decoder is Pillow's, with its decompression-bomb guard turned into a refusal, and the
    sides are checked from the header before any pixel is decoded.
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if len(data) > limit:
        message = f"The image is {len(data):,} bytes; at most {limit:,} bytes ({limit // 2**20} MB) are accepted."
        raise ImageTooLarge(message, errors={"file": [message]})
    if not data:
        raise _invalid("The file is empty.")
    max_side = settings.IMAGE_UPLOAD_MAX_SIDE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=list(EXTENSIONS))
            source_format = opened.format or ""
            width, height = opened.size
            if width > max_side or height > max_side:
                raise _invalid(f"The image is {width}x{height} pixels; at most {max_side} pixels a side are accepted.")
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except ImageInvalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(f"The image has too many pixels; at most {max_side} pixels a side are accepted.") from None
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError):
        raise _invalid(f"The file is not a {ACCEPTED} image that can be decoded.") from None
    # A name that says no type (a browser's Blob is sent as "blob") leaves the decoded content to decide.
    suffix = PurePath(filename).suffix.lower()
    if suffix and suffix not in EXTENSIONS.get(source_format, set()):
        raise _invalid(f"The file is named {suffix} but holds a {source_format} image: name it after its type.")
    if image.mode == "I" or image.mode.startswith("I;16"):
        image = _greyscale_eight_bit(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    return DecodedImage(image=image, source_format=source_format)


def _greyscale_eight_bit(image: Image.Image) -> Image.Image:
    """A 16-bit greyscale image (Pillow's I;16 or I modes, from a 16-bit PNG) as 8-bit L, each value scaled
    from 0-65,535 to 0-255: Pillow's own conversion clips every value above 255 to white."""
    values = np.clip(np.asarray(image).astype(np.int64), 0, 65_535)
    return Image.fromarray(((values * 255 + 32_767) // 65_535).astype(np.uint8))  # 2-D uint8: mode L


def upload_decode(upload: UploadedFile) -> DecodedImage:
    """An uploaded file (multipart `file`) decoded and checked; its size is checked before it is read."""
    if upload.size is not None and upload.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        limit = settings.IMAGE_UPLOAD_MAX_BYTES
        message = f"The image is {upload.size:,} bytes; at most {limit:,} bytes ({limit // 2**20} MB) are accepted."
        raise ImageTooLarge(message, errors={"file": [message]})
    upload.seek(0)
    return image_decode(upload.read(), filename=upload.name or "")


def image_reencode(image: Image.Image) -> tuple[bytes, int, int]:
    """The image as the PNG bytes that are stored (scaled down to STORED_MAX_SIDE), with its size."""
    if max(image.size) > STORED_MAX_SIDE:
        image = image.copy()
        image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    return png_bytes(image), image.width, image.height
