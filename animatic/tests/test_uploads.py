"""animatic.uploads: an uploaded image decodes to the picture it shows, whatever its PNG bit depth or mode."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from animatic.uploads import image_decode
from animatic_vision.errors import ImageInvalid


def png_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("value", "grey"), [(0, 0), (40_000, 156), (65_535, 255), (257, 1)])
def test_a_16_bit_greyscale_png_keeps_its_shades(value, grey):
    """Pillow opens it as I;16, whose plain conversion to RGB clips every value above 255 to white."""
    sixteen_bit = Image.fromarray(np.full((8, 12), value, dtype=np.uint16))
    assert sixteen_bit.mode.startswith("I;16")

    decoded = image_decode(png_of(sixteen_bit), filename="scan.png")

    assert decoded.image.mode == "RGB"
    assert decoded.image.size == (12, 8)
    assert decoded.image.getpixel((5, 4)) == (grey, grey, grey)


def test_a_16_bit_greyscale_png_keeps_its_gradient():
    ramp = np.tile(np.linspace(0, 65_535, 64).astype(np.uint16), (4, 1))

    decoded = image_decode(png_of(Image.fromarray(ramp)), filename="ramp.png")

    row = np.asarray(decoded.image)[0, :, 0]
    assert row[0] == 0
    assert row[-1] == 255
    assert len(set(row.tolist())) > 32  # shades, not black and white


def png_bytes(size: tuple[int, int] = (8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("filename", ["blob", "", "photo"])
def test_a_name_that_says_no_type_leaves_the_content_to_decide(filename):
    decoded = image_decode(png_bytes(), filename=filename)

    assert decoded.source_format == "PNG"
    assert decoded.image.size == (8, 6)


@pytest.mark.parametrize("filename", ["photo.jpg", "photo.webp", "photo.txt"])
def test_a_name_that_says_another_type_is_refused(filename):
    with pytest.raises(ImageInvalid, match="name it after its type"):
        image_decode(png_bytes(), filename=filename)
