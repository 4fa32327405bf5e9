"""Panels: decodable images of the asked size, deterministic, and visibly different by light and place."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from render import panels
from render.types import CharacterSheet, RenderInputError

from .sheets import LINE
from .sheets import scene_sheet as make_scene


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def luminance(image: Image.Image) -> float:
    return float(np.asarray(image.convert("L"), dtype=np.float64).mean())


@pytest.mark.parametrize(
    ("fields", "setting"),
    [
        ({"location": "the kitchen"}, "interior"),
        ({"title": "INT. SHIP - NIGHT", "location": "SHIP"}, "interior"),
        ({"title": "EXT. CASTLE - DAY", "location": "CASTLE"}, "field"),
        ({"location": "the harbour"}, "water"),
        ({"location": "the old forest"}, "forest"),
        ({"location": "Baker Street"}, "street"),
        ({"location": "the mountains"}, "mountain"),
        ({"location": "the meadow"}, "field"),
        ({"background_prompt": "storm clouds seen from a plane, sky"}, "sky"),
        ({"description": "They sat by the lake and talked."}, "water"),
        ({"location": "the kitchen", "background_prompt": "forest"}, "interior"),  # the location comes first
    ],
)
def test_setting_is_read_from_the_scene(fields, setting):
    assert panels.scene_setting(make_scene(**{"description": "", **fields})) == setting


def test_frame_png_decodes_at_the_asked_size():
    scene = make_scene(location="the square", time_of_day="evening", camera="push_in", dialogue=[LINE])
    image = decode(panels.frame_png(scene, (1280, 720), scene_count=12))
    assert image.format == "PNG"
    assert image.size == (1280, 720)
    assert image.mode == "RGB"
    small = decode(panels.frame_png(scene, (854, 480)))
    assert small.size == (854, 480)


def test_drawings_are_deterministic_and_the_seed_changes_them():
    scene = make_scene(location="the woods", time_of_day="morning")
    assert panels.background_png(scene, (640, 360)) == panels.background_png(scene, (640, 360))
    assert panels.frame_png(scene, (640, 360)) == panels.frame_png(scene, (640, 360))
    assert panels.background_png(scene, (640, 360), seed=1) != panels.background_png(scene, (640, 360), seed=2)


@pytest.mark.parametrize("location", ["the kitchen", "the harbour", "the woods", "the high street", "the meadow"])
def test_night_is_darker_than_noon_and_dawn_differs_from_both(location):
    def background(time_of_day: str) -> Image.Image:
        return panels.draw_background(make_scene(location=location, time_of_day=time_of_day), (320, 180))

    night, noon, dawn = background("night"), background("noon"), background("dawn")
    assert luminance(night) < luminance(noon) - 25
    assert mean_difference(dawn, noon) > 8
    assert mean_difference(dawn, night) > 8


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).mean())


def test_settings_look_different_from_one_another():
    places = ["the kitchen", "the harbour", "the woods", "the high street", "the mountains", "the meadow"]
    images = [panels.draw_background(make_scene(location=p, time_of_day="day"), (320, 180)) for p in places]
    assert {panels.scene_setting(make_scene(location=p)) for p in places} == {
        "interior", "water", "forest", "street", "mountain", "field",
    }  # fmt: skip
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert mean_difference(images[i], images[j]) > 12, (places[i], places[j])


def test_a_sea_picture_is_blue_below_the_horizon_and_a_forest_is_green():
    sea = np.asarray(panels.draw_background(make_scene(location="the sea", time_of_day="day"), (320, 180)))
    band = sea[100:140].reshape(-1, 3).mean(axis=0)  # between the horizon and the sand
    assert band[2] > band[0] + 40
    forest = np.asarray(panels.draw_background(make_scene(location="the forest", time_of_day="day"), (320, 180)))
    middle = forest[60:130].reshape(-1, 3).mean(axis=0)
    assert middle[1] > middle[0]
    assert middle[1] > middle[2]


def test_a_dark_mood_darkens_the_same_place():
    calm = panels.draw_background(make_scene(location="the meadow", mood="peaceful"), (320, 180))
    grim = panels.draw_background(make_scene(location="the meadow", mood="ominous"), (320, 180))
    assert luminance(grim) < luminance(calm) - 20


def test_figures_are_drawn_where_the_characters_stand():
    alone = make_scene(location="the meadow", characters=[])
    crowd = make_scene(location="the meadow", characters=["Mara", "Tobias", "Ines"])
    empty = np.asarray(panels.draw_picture(alone, (640, 360)), dtype=np.int16)
    full = np.asarray(panels.draw_picture(crowd, (640, 360)), dtype=np.int16)
    changed = np.abs(full - empty).sum(axis=2) > 30
    for x in panels.figure_positions(3, 640):
        column = changed[150:280, round(x) - 4 : round(x) + 4]
        assert column.mean() > 0.5, x  # a body where each figure stands
    assert changed[150:280, 5:40].mean() < 0.05  # and not at the edge


def test_a_characters_looks_colour_its_figure():
    red = panels.character_colours("Mara", "a woman in a red coat")[0]
    blue = panels.character_colours("Mara", "a woman in a blue coat")[0]
    assert red[0] > red[2]
    assert blue[2] > blue[0]
    assert panels.character_colours("Mara") == panels.character_colours("Mara")


def test_character_card_decodes_and_follows_the_looks():
    red = decode(panels.character_png(CharacterSheet(name="Mara", description="a red coat"), (1024, 576)))
    blue = decode(panels.character_png(CharacterSheet(name="Mara", description="a blue coat"), (1024, 576)))
    assert red.size == blue.size == (1024, 576)
    torso_red = np.asarray(red)[200:260, 130:160].reshape(-1, 3).mean(axis=0)  # the front view's torso
    torso_blue = np.asarray(blue)[200:260, 130:160].reshape(-1, 3).mean(axis=0)
    assert torso_red[0] > torso_red[2] + 60
    assert torso_blue[2] > torso_blue[0] + 60


def test_a_background_file_replaces_the_drawn_background(tmp_path):
    path = tmp_path / "bg.png"
    Image.new("RGB", (400, 300), (10, 200, 30)).save(path)
    scene = make_scene(location="the kitchen", characters=[], background=path)
    picture = np.asarray(panels.draw_picture(scene, (320, 180)))
    assert (picture[5, 5] == (10, 200, 30)).all()
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    with pytest.raises(RenderInputError, match=r"broken\.png"):
        panels.draw_picture(make_scene(background=broken), (320, 180))


@pytest.mark.parametrize("size", [(0, 720), (1280, -1), (10_000, 720), ("a", 3), (1280,)])
def test_a_bad_size_is_an_input_error(size):
    with pytest.raises(RenderInputError):
        panels.draw_frame(make_scene(), size)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
def test_png_encoder_round_trips_exactly(mode):
    rng = np.random.default_rng(3)
    channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    pixels = rng.integers(0, 256, size=(37, 53, channels), dtype=np.uint8)
    image = Image.fromarray(pixels[:, :, 0] if mode == "L" else pixels, mode)
    back = decode(panels.png_bytes(image))
    assert back.mode == mode
    assert np.array_equal(np.asarray(back), np.asarray(image))


def test_timecode_counts_frames():
    assert panels.timecode(0, 24) == "00:00:00:00"
    assert panels.timecode(61_500, 24) == "00:01:01:12"
    assert panels.timecode(3_600_000 + 1_000 // 25, 25) == "01:00:00:01"


def test_caption_prefers_dialogue_then_the_key_line():
    assert panels.scene_caption(make_scene(dialogue=[LINE])) == "MARA: “Did you hear that?”"
    assert panels.scene_caption(make_scene(description="She runs. Then she stops.")) == "She runs."


@pytest.mark.parametrize("camera", ["pan_right", "tilt_up", "push_in"])
def test_the_frame_marks_the_moves_last_framing_where_camera_boxes_puts_it(camera):
    scene = make_scene(characters=[], camera=camera, description="", dialogue=[])
    grey = Image.new("RGB", (640, 360), (128, 128, 128))
    frame = np.asarray(panels.draw_frame(scene, (640, 360), background=grey), dtype=np.int16)
    boxes = panels.camera_boxes(camera)
    assert boxes is not None
    left, top, _right, bottom = boxes[1]
    x, y = round(left * 640), round((top + (bottom - top) * 0.3) * 360)  # its left edge, clear of the arrows
    yellow = (255, 214, 0)
    near = frame[y - 2 : y + 3, x - 2 : x + 3].reshape(-1, 3)
    assert any(np.abs(pixel - yellow).max() < 40 for pixel in near)
    assert panels.camera_boxes("static") is None


# Line and paragraph breaks a person can type into a title or a name (\n, \r, \x1c-\x1e, NEL, U+2029): the
# shaping library Pillow lays text out with (raqm) refuses them, which ended an export as a 500.
BREAKS = "One\nTwo\r\nThree\x1cFour\x1dFive\x1eSix\x85Seven\u2029Eight\x00\x1b end"


def test_a_frame_draws_texts_holding_line_breaks_and_control_characters_on_one_line():
    scene = make_scene(title=BREAKS, description=BREAKS, location=BREAKS, mood=BREAKS, dialogue=[LINE])
    cast = [CharacterSheet(name=BREAKS, description=BREAKS), CharacterSheet(name="Tobias", description="")]

    image = panels.draw_frame(replace(scene, characters=[BREAKS, "Tobias"]), (640, 360), characters=cast)

    assert image.size == (640, 360)


def test_a_character_card_draws_a_name_holding_line_breaks():
    image = panels.draw_character(CharacterSheet(name=BREAKS, description=BREAKS), (400, 600))

    assert image.size == (400, 600)
