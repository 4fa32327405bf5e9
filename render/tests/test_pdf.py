"""The PDF sheets, read back with pypdf: pages, header, panel text and the embedded frames."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from render.exports import ExportOptions, export_bytes
from render.exports.pdf import fonts
from render.tests.conftest import make_project, make_scene
from render.types import DialogueLine, ProjectSheet


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
    colours = [tuple(np.asarray(image.convert("RGB"))[10, 10]) for image in embedded(reader)]
    assert any(all(abs(a - b) <= 8 for a, b in zip(c, (255, 255, 255), strict=True)) for c in colours)
    assert any(all(abs(a - b) <= 8 for a, b in zip(c, (0, 200, 0), strict=True)) for c in colours)


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


def test_text_too_long_for_its_panel_ends_with_an_ellipsis() -> None:
    long = " ".join(["The fox crept along the riverbank under the moon."] * 40)
    scene = make_scene(0, 0, 2000, description=long, dialogue=[DialogueLine("Anna", "Unseen line.")])
    text = read(ProjectSheet(title="t", scenes=[scene]), layout="4x4").pages[0].extract_text()
    assert "…" in text
    assert "Unseen line." not in text
    assert text.count("The fox crept") < 40


def test_letters_beyond_latin_1_are_kept_when_dejavu_is_installed() -> None:
    if fonts()[0] == "Helvetica":
        pytest.skip("DejaVu Sans is not installed (fonts-dejavu-core)")
    scene = make_scene(0, 0, 2000, title="Лиса", dialogue=[DialogueLine("Анна", "Привет!")])
    text = read(ProjectSheet(title="Лиса и мост", scenes=[scene])).pages[0].extract_text()
    assert "Лиса и мост" in text
    assert "АННА: Привет!" in text  # noqa: RUF001 (Cyrillic on purpose)
