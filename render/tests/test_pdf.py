"""The PDF sheets, read back with pypdf: pages, header, panel text and the embedded frames."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from render import panels
from render.exports import ExportOptions, export_bytes
from render.exports.pdf import fonts
from render.tests.conftest import make_project, make_scene
from render.types import CAMERA_MOVES, DialogueLine, ProjectSheet


def read(project: ProjectSheet, **options: object) -> PdfReader:
    return PdfReader(io.BytesIO(export_bytes(project, "pdf", ExportOptions(**options)).content))  # type: ignore[arg-type]


@pytest.mark.parametrize(("layout", "pages"), [("1x1", 7), ("3x1", 3), ("3x2", 2), ("3x5", 1), ("4x4", 1)])
def test_pages_are_the_scenes_over_the_panels_per_page_rounded_up(layout: str, pages: int) -> None:
    reader = read(make_project([2000] * 7), layout=layout)
    assert len(reader.pages) == pages
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert text.startswith("The Fox")
        assert f"Page {number}/{pages}" in text


def test_each_panel_has_its_shot_timecode_duration_title_description_and_dialogue(tmp_path: Path) -> None:
    project = make_project([4000, 2500, 7333], frames=tmp_path)
    text = read(project).pages[0].extract_text()
    for expected in (
        "SHOT 1", "00:00:00:00", "4 s", "static", "Scene 1", "Anna walks to place 1.", "ANNA: Line 1.",
        "SHOT 2", "00:00:04:00", "2.5 s", "push in",
        "SHOT 3", "00:00:06:12", "7.33 s", "pull out", "ANNA: Line 3.",
    ):  # fmt: skip
        assert expected in text
    assert text.index("SHOT 1") < text.index("SHOT 2") < text.index("SHOT 3")


def test_timecodes_follow_the_frame_rate() -> None:
    text = read(make_project([4000, 2500, 7333]), fps=30).pages[0].extract_text()
    assert "00:00:06:15" in text  # 6.5 s at 30 fps


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_sizes(paper: str, size: tuple[int, int]) -> None:
    for layout in ("3x2", "3x5"):
        box = read(make_project([2000]), paper=paper, layout=layout).pages[0].mediabox
        assert sorted((round(float(box.width)), round(float(box.height)))) == sorted(size)


def test_grids_turn_the_page_to_give_pictures_room() -> None:
    wide = read(make_project([2000]), layout="3x2").pages[0].mediabox
    tall = read(make_project([2000]), layout="3x5").pages[0].mediabox
    assert float(wide.width) > float(wide.height)
    assert float(tall.width) < float(tall.height)


def embedded(reader: PdfReader) -> list[Image.Image]:
    return [image.image for page in reader.pages for image in page.images if image.image is not None]


def test_png_frames_are_embedded_pixel_for_pixel(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (90, 160, 3), dtype=np.uint8)  # noise: Pillow uses every PNG row filter
    grey = rng.integers(0, 256, (45, 80), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "noise.png")
    Image.fromarray(grey).save(tmp_path / "grey.png")
    scenes = [
        make_scene(0, 0, 2000, frame=tmp_path / "noise.png"),
        make_scene(1, 2000, 2000, frame=tmp_path / "grey.png"),
    ]
    images = embedded(read(ProjectSheet(title="t", scenes=scenes)))
    assert len(images) == 2
    by_size = {image.size: np.asarray(image) for image in images}
    assert np.array_equal(by_size[(160, 90)], pixels)
    assert np.array_equal(by_size[(80, 45)].reshape(45, 80, -1)[..., 0], grey)


def test_jpeg_frames_are_copied_and_other_images_flattened(tmp_path: Path) -> None:
    Image.new("RGB", (640, 360), (200, 30, 30)).save(tmp_path / "red.jpg", quality=95)
    Image.new("RGBA", (64, 36), (0, 0, 255, 0)).save(tmp_path / "clear.png")  # transparent: flattened on white
    Image.new("RGB", (64, 36), (0, 200, 0)).save(tmp_path / "green.webp")
    scenes = [
        make_scene(0, 0, 2000, frame=tmp_path / "red.jpg"),
        make_scene(1, 2000, 2000, frame=tmp_path / "clear.png"),
        make_scene(2, 4000, 2000, frame=tmp_path / "green.webp"),
    ]
    reader = read(ProjectSheet(title="t", scenes=scenes))
    images = {image.size: image.convert("RGB").getpixel((10, 10)) for image in embedded(reader)}
    assert set(images) == {(640, 360), (64, 36)}
    jpeg_bytes = (tmp_path / "red.jpg").read_bytes()
    assert any(jpeg_bytes == img.data for page in reader.pages for img in page.images)
    colours = [tuple(int(v) for v in np.asarray(image.convert("RGB"))[10, 10]) for image in embedded(reader)]
    assert any(all(abs(a - b) <= 8 for a, b in zip(c, (255, 255, 255), strict=True)) for c in colours)
    assert any(all(abs(a - b) <= 8 for a, b in zip(c, (0, 200, 0), strict=True)) for c in colours)


def test_png_rows_are_decoded_by_a_single_named_filter_with_its_predictor(tmp_path: Path) -> None:
    # poppler (pdftoppm, Evince, many printers' RIPs) ignores a lone DecodeParms dictionary under a
    # Filter array and shows the PNG's filtered rows as they are; pypdf is lenient, so check the bytes.
    Image.new("RGB", (32, 18), (1, 2, 3)).save(tmp_path / "frame.png")
    raw = export_bytes(ProjectSheet(title="t", scenes=[make_scene(0, 0, 1000, frame=tmp_path / "frame.png")]), "pdf")
    assert b"/Filter /FlateDecode" in raw.content
    assert b"/Predictor 15" in raw.content


def test_the_same_frame_twice_is_stored_once(tmp_path: Path) -> None:
    Image.new("RGB", (32, 18), (1, 2, 3)).save(tmp_path / "same.png")
    scenes = [make_scene(i, i * 1000, 1000, frame=tmp_path / "same.png") for i in range(4)]
    raw = export_bytes(ProjectSheet(title="t", scenes=scenes), "pdf").content
    assert raw.count(b"/Subtype /Image") == 1


def test_a_missing_or_broken_frame_leaves_an_empty_box(tmp_path: Path) -> None:
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    scenes = [
        make_scene(0, 0, 2000, frame=tmp_path / "gone.png"),
        make_scene(1, 2000, 2000, frame=tmp_path / "broken.png"),
    ]
    reader = read(ProjectSheet(title="t", scenes=scenes))
    assert reader.pages[0].extract_text().count("no frame") == 2
    assert embedded(reader) == []


def test_a_long_description_is_cut_with_an_ellipsis_and_the_dialogue_keeps_its_room() -> None:
    long = " ".join(["The fox crept along the riverbank under the moon."] * 40)
    scene = make_scene(0, 0, 2000, description=long, dialogue=[DialogueLine("Anna", "Still shown.")])
    text = read(ProjectSheet(title="t", scenes=[scene]), layout="4x4").pages[0].extract_text()
    assert "…" in text
    assert "ANNA: Still shown." in text
    assert text.count("The fox crept") < 40
    assert text.index("The fox crept") < text.index("ANNA: Still shown.")


def test_dialogue_too_long_for_its_panel_ends_with_an_ellipsis() -> None:
    lines = [DialogueLine("Anna", f"Line number {i} of a very long exchange by the river.") for i in range(30)]
    scene = make_scene(0, 0, 2000, dialogue=lines)
    text = read(ProjectSheet(title="t", scenes=[scene]), layout="4x4").pages[0].extract_text()
    assert "Anna walks to place 1." in text  # the description keeps its first lines
    assert "Line number 0 " in text
    assert "Line number 29 " not in text
    assert "…" in text


def test_letters_beyond_latin_1_are_kept_when_dejavu_is_installed() -> None:
    if fonts()[0] == "Helvetica":
        pytest.skip("DejaVu Sans is not installed (fonts-dejavu-core)")
    scene = make_scene(0, 0, 2000, title="Лиса", dialogue=[DialogueLine("Анна", "Привет!")])
    text = read(ProjectSheet(title="Лиса и мост", scenes=[scene])).pages[0].extract_text()
    assert "Лиса и мост" in text
    assert "АННА: Привет!" in text  # noqa: RUF001 (Cyrillic on purpose)


def noisy_png(path: Path, size: tuple[int, int]) -> np.ndarray:
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return pixels


def test_a_large_frame_is_scaled_to_print_size_and_cached(tmp_path: Path) -> None:
    noisy_png(tmp_path / "big.png", (1920, 1080))  # about 6 MB: far above what a 4x4 panel prints
    assert (tmp_path / "big.png").stat().st_size > 400_000
    cache = tmp_path / "cache"
    project = ProjectSheet(title="t", scenes=[make_scene(0, 0, 2000, frame=tmp_path / "big.png")])
    first = read(project, layout="4x4", cache_dir=cache)
    (image,) = embedded(first)
    assert max(image.size) < 1920 / 2  # a 4x4 panel is about 2 inches wide: 200 dpi needs under 500 px
    assert first.pages[0].images[0].data[:2] == b"\xff\xd8"  # stored as JPEG
    (cached,) = cache.iterdir()
    Image.new("RGB", image.size, (0, 255, 0)).save(cached, "JPEG")  # prove the next export reads the cache
    (again,) = embedded(read(project, layout="4x4", cache_dir=cache))
    assert np.asarray(again)[5, 5].tolist() == pytest.approx([0, 255, 0], abs=8)


def test_a_frame_the_print_needs_whole_is_copied_even_when_large(tmp_path: Path) -> None:
    pixels = noisy_png(tmp_path / "wide.png", (640, 360))  # 690 KB, but a 1x1 page prints it at 1500 px
    assert (tmp_path / "wide.png").stat().st_size > 400_000
    (image,) = embedded(
        read(ProjectSheet(title="t", scenes=[make_scene(0, 0, 2000, frame=tmp_path / "wide.png")]), layout="1x1")
    )
    assert np.array_equal(np.asarray(image), pixels)


def test_the_print_cache_can_be_warmed_before_any_export(tmp_path: Path) -> None:
    from render.exports.pdfimages import warm_print_cache

    noisy_png(tmp_path / "big.png", (1920, 1080))
    cache = tmp_path / "cache"
    warm_print_cache([tmp_path / "big.png"], cache)
    made = sorted(p.name.rsplit("-", 1)[1] for p in cache.iterdir())
    assert made == ["480.jpg", "720.jpg"]
    for path in cache.iterdir():
        with Image.open(path) as scaled:
            assert max(scaled.size) <= int(path.stem.rsplit("-", 1)[1])
        Image.new("RGB", (64, 36), (255, 0, 255)).save(path, "JPEG")
    project = ProjectSheet(title="t", scenes=[make_scene(0, 0, 2000, frame=tmp_path / "big.png")])
    for layout in ("3x2", "4x4"):
        (image,) = embedded(read(project, layout=layout, cache_dir=cache))
        assert image.size == (64, 36)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm) to draw the page")
def test_a_strict_viewer_draws_the_frames_colours(tmp_path: Path) -> None:
    picture = np.zeros((180, 320, 3), dtype=np.uint8)
    picture[:90] = (220, 30, 30)
    picture[90:] = (30, 30, 220)
    Image.fromarray(picture).save(tmp_path / "halves.png")  # Pillow filters these rows ("Sub" leaves zeros)
    project = ProjectSheet(title="t", scenes=[make_scene(0, 0, 1000, frame=tmp_path / "halves.png", camera="static")])
    (tmp_path / "sheet.pdf").write_bytes(export_bytes(project, "pdf", ExportOptions(layout="1x1")).content)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(tmp_path / "sheet.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    page = np.asarray(Image.open(tmp_path / "page.png").convert("RGB")).astype(int)
    reds = (page[..., 0] > 180) & (page[..., 1] < 80) & (page[..., 2] < 80)
    blues = (page[..., 2] > 180) & (page[..., 0] < 80) & (page[..., 1] < 80)
    assert reds.sum() > 1000
    assert blues.sum() > 1000


def test_a_png_that_claims_a_huge_size_is_not_copied_into_the_sheet(tmp_path: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    (tmp_path / "bomb.png").write_bytes(bomb)
    reader = read(ProjectSheet(title="t", scenes=[make_scene(0, 0, 1000, frame=tmp_path / "bomb.png")]))
    assert embedded(reader) == []
    assert "no frame" in reader.pages[0].extract_text()


# --- The camera move, marked once ---------------------------------------------------------------

MOVE_STROKE = "1 .78 0 RG"  # the last framing's colour (MOVE_COLOUR) as the content stream sets it
RECTANGLE = re.compile(r"n ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re")


def page_content(project: ProjectSheet, **options: object) -> str:
    data = read(project, **options).pages[0].get_contents()
    assert data is not None
    return data.get_data().decode("latin-1")


@pytest.mark.parametrize("camera", [move for move in CAMERA_MOVES if move != "static"])
def test_the_sheet_marks_a_move_with_the_geometry_of_the_drawn_frames(camera: str) -> None:
    project = ProjectSheet(title="t", scenes=[make_scene(0, 0, 2000, camera=camera)])  # no frame: an empty box

    content = page_content(project, layout="1x1")

    assert MOVE_STROKE in content
    picture, first, last = [tuple(map(float, box)) for box in RECTANGLE.findall(content)][:3]
    px, py, pw, ph = picture
    expected = panels.camera_boxes(camera)
    assert expected is not None
    for (x, y, w, h), box in zip((first, last), expected, strict=True):
        # back to fractions of the picture, y downwards as render.panels has them
        drawn = ((x - px) / pw, 1 - (y - py + h) / ph, (x - px + w) / pw, 1 - (y - py) / ph)
        assert drawn == pytest.approx(box, abs=1e-4)


def test_a_static_shot_has_no_move_marked() -> None:
    content = page_content(ProjectSheet(title="t", scenes=[make_scene(0, 0, 2000, camera="static")]))
    assert MOVE_STROKE not in content


def test_a_frame_that_shows_its_move_is_not_marked_a_second_time(tmp_path: Path) -> None:
    scene = make_scene(0, 0, 2000, camera="push_in", characters=[])
    frame = tmp_path / "frame.png"
    panels.draw_frame(scene, (320, 180)).save(frame)
    composed = replace(scene, frame=frame, frame_shows_camera=True)
    plain = replace(scene, frame=frame)  # a picture from elsewhere: the sheet marks the move itself

    assert MOVE_STROKE not in page_content(ProjectSheet(title="t", scenes=[composed]))
    assert MOVE_STROKE in page_content(ProjectSheet(title="t", scenes=[plain]))
    # a composed frame that cannot be read leaves an empty box, which the sheet marks
    gone = replace(composed, frame=tmp_path / "gone.png")
    assert MOVE_STROKE in page_content(ProjectSheet(title="t", scenes=[gone]))


# --- Large frames scaled for print -----------------------------------------------------------------


def photographic_png(path: Path, size: tuple[int, int], mode: str = "RGB") -> np.ndarray:
    """A smooth picture with grain, like a generated image: large as a PNG, and any scaling error shows."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // width, y * 255 // height, (x + y) * 255 // (width + height)], axis=-1)
    grain = np.random.default_rng(3).integers(-6, 7, (height, width, 3))
    pixels = np.clip(base + grain, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    if mode == "RGBA":
        image.putalpha(255)
    image.save(path)
    return pixels


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])  # FFmpeg's decoder for plain PNGs, Pillow for the others
def test_a_large_frame_scaled_for_print_keeps_its_picture(tmp_path: Path, mode: str) -> None:
    pixels = photographic_png(tmp_path / "big.png", (1280, 720), mode)
    assert (tmp_path / "big.png").stat().st_size > 400_000  # not copied as it is

    (image,) = embedded(read(ProjectSheet(title="t", scenes=[make_scene(0, 0, 2000, frame=tmp_path / "big.png")])))

    assert image.size == (720, 405)  # a 3x2 panel on A4 at 200 dpi (a PRINT_SIDES entry), the aspect kept
    reference = np.asarray(Image.fromarray(pixels).resize(image.size, Image.Resampling.LANCZOS), dtype=np.float64)
    error = np.asarray(image.convert("RGB"), dtype=np.float64) - reference
    assert 10 * np.log10(255**2 / (error**2).mean()) > 35  # dB: JPEG at print size, nothing shifted or tinted


def test_only_plain_pngs_go_to_ffmpegs_decoder(tmp_path: Path) -> None:
    from render.exports import pdfimages

    photographic_png(tmp_path / "plain.png", (1280, 720))
    photographic_png(tmp_path / "alpha.png", (1280, 720), "RGBA")
    plain, alpha = (tmp_path / "plain.png").read_bytes(), (tmp_path / "alpha.png").read_bytes()

    scaled = pdfimages._plain_png_scaled(plain, 480)
    assert scaled is not None
    assert scaled.size == (480, 270)
    assert pdfimages._plain_png_scaled(alpha, 480) is None  # transparency: Pillow flattens it on white
    assert pdfimages._plain_png_scaled(plain[: len(plain) // 2], 480) is None  # truncated
    assert pdfimages._reencoded(plain[: len(plain) // 2], 480) is None  # and Pillow cannot read it either
