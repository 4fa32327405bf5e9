"""Storyboard panels drawn offline with Pillow: scene backgrounds, composed frames and character cards.

Everything here is deterministic: the same scene, size and seed give the same pixels, with no
network and no model. Light and palette follow the scene's time of day and mood; the setting
(interior, forest, water, street, mountain, open country, sky) is read from its location,
title, background prompt and description. Sizes are (width, height) in pixels; every length
in a drawing is a fraction of the picture so that any size looks the same.
"""

from __future__ import annotations

import math
import random
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from .text import one_line
from .types import CharacterSheet, RenderInputError, SceneSheet

Color = tuple[int, int, int]
Size = tuple[int, int]
AnyFont = ImageFont.FreeTypeFont

# fonts-dejavu-core on Debian/Ubuntu; without it Pillow's own scalable default font is used.
FONT_DIRS: tuple[str, ...] = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
MAX_SIDE = 8192
PNG_COMPRESS_LEVEL = 2  # zlib level: flat drawings compress well even at the fast levels
_PNG_COLOUR_TYPES = {"L": 0, "RGB": 2, "RGBA": 6}

SETTINGS: tuple[str, ...] = ("interior", "forest", "water", "street", "mountain", "field", "sky")

_SETTING_WORDS: dict[str, tuple[str, ...]] = {
    "water": (
        "sea", "ocean", "shore", "beach", "harbour", "harbor", "ship", "boat", "deck", "lake", "river",
        "coast", "waves", "pier", "dock", "island", "bay", "lagoon", "sail", "sailing", "seaside", "pond",
    ),
    "forest": ("forest", "wood", "woods", "jungle", "grove", "trees", "glade", "thicket", "orchard", "woodland"),
    "street": (
        "street", "road", "lane", "square", "market", "village", "town", "city", "alley", "avenue",
        "station", "crossing", "downtown", "boulevard", "highway", "sidewalk", "pavement", "plaza", "bridge",
    ),
    "mountain": ("mountain", "mountains", "hill", "hills", "valley", "cliff", "cliffs", "peak", "summit", "ridge"),
    "field": (
        "field", "fields", "meadow", "farm", "garden", "gardens", "park", "yard", "countryside", "plain",
        "desert", "prairie", "lawn", "pasture", "camp", "porch", "terrace", "balcony", "roof", "courtyard",
    ),
    "sky": ("sky", "clouds", "cloud", "air", "flying", "flight", "heavens", "aloft"),
    "interior": (
        "room", "kitchen", "bedroom", "parlour", "parlor", "drawing-room", "library", "study", "hall",
        "ballroom", "office", "shop", "store", "inn", "tavern", "pub", "bar", "cafe", "restaurant", "church",
        "chapel", "cottage", "cabin", "house", "home", "castle", "palace", "hospital", "prison", "cell",
        "court", "courtroom", "school", "classroom", "attic", "cellar", "basement", "corridor", "apartment",
        "flat", "museum", "theatre", "theater", "hotel", "factory", "temple", "train", "carriage", "cave",
        "hut", "barn", "stable", "tent", "dungeon", "tower", "lobby", "lounge", "studio", "warehouse",
        "bathroom", "hallway", "staircase", "stairs", "diner", "lab", "laboratory", "garage", "car",
    ),
}  # fmt: skip
_SETTING_OF_WORD = {word: setting for setting, words in _SETTING_WORDS.items() for word in words}
_WORD = re.compile(r"[a-z][a-z'-]*")
_HEADING_PREFIX = re.compile(r"^\s*(INT\.?/EXT|EXT\.?/INT|I/E|INT|EXT|EST)[.\s]", re.IGNORECASE)


@dataclass(frozen=True)
class Light:
    """The light of a time of day: sky gradient, ambient level, the sun or moon's place."""

    name: str
    sky_top: Color
    sky_bottom: Color
    ambient: float  # 0..1, multiplies the ground and the things on it
    sun: tuple[float, float] | None  # the sun's (x, y) as fractions of the picture, None at night
    sun_color: Color
    night: bool


_LIGHTS: dict[str, Light] = {
    "dawn": Light("dawn", (72, 82, 146), (252, 178, 128), 0.72, (0.2, 0.52), (255, 214, 160), False),
    "morning": Light("morning", (104, 168, 236), (206, 228, 246), 0.95, (0.28, 0.24), (255, 246, 214), False),
    "day": Light("day", (66, 146, 230), (178, 216, 246), 1.0, (0.5, 0.12), (255, 252, 230), False),
    "afternoon": Light("afternoon", (86, 148, 218), (234, 216, 170), 0.95, (0.74, 0.24), (255, 236, 190), False),
    "evening": Light("evening", (64, 52, 116), (246, 132, 82), 0.68, (0.8, 0.5), (255, 172, 96), False),
    "night": Light("night", (8, 12, 38), (30, 42, 86), 0.38, None, (232, 236, 255), True),
}
_TIME_ALIASES = {
    "dawn": "dawn", "sunrise": "dawn", "daybreak": "dawn",
    "morning": "morning",
    "day": "day", "noon": "day", "midday": "day", "continuous": "day", "later": "day", "moments later": "day",
    "same": "day", "same time": "day",
    "afternoon": "afternoon",
    "evening": "evening", "dusk": "evening", "sunset": "evening", "twilight": "evening", "magic hour": "evening",
    "night": "night", "midnight": "night", "nightfall": "night",
}  # fmt: skip

# A mood grades the palette: blend towards a tint, scale saturation and brightness; dark moods add a vignette.
_MOODS: dict[str, tuple[Color, float, float, float, float]] = {
    # tint, tint strength, saturation, brightness, vignette strength
    "joyful": ((255, 214, 120), 0.12, 1.15, 1.05, 0.0),
    "romantic": ((255, 150, 170), 0.16, 1.05, 1.0, 0.15),
    "tense": ((120, 150, 110), 0.14, 0.8, 0.85, 0.35),
    "suspenseful": ((70, 90, 120), 0.18, 0.7, 0.8, 0.45),
    "fearful": ((60, 80, 90), 0.2, 0.6, 0.72, 0.55),
    "ominous": ((50, 50, 80), 0.24, 0.55, 0.7, 0.55),
    "melancholic": ((110, 130, 170), 0.2, 0.6, 0.88, 0.25),
    "angry": ((200, 60, 40), 0.18, 1.1, 0.9, 0.35),
    "mysterious": ((110, 80, 160), 0.2, 0.8, 0.82, 0.4),
    "peaceful": ((190, 220, 200), 0.1, 0.9, 1.04, 0.0),
    "humorous": ((255, 230, 120), 0.1, 1.2, 1.05, 0.0),
    "hopeful": ((255, 226, 160), 0.12, 1.05, 1.06, 0.0),
    "triumphant": ((255, 190, 80), 0.14, 1.2, 1.05, 0.0),
    "action-packed": ((255, 120, 60), 0.12, 1.15, 0.95, 0.25),
    "solemn": ((150, 130, 110), 0.16, 0.65, 0.9, 0.3),
}
_NEUTRAL_MOOD: tuple[Color, float, float, float, float] = ((128, 128, 128), 0.0, 1.0, 1.0, 0.0)

_COLOUR_WORDS: dict[str, Color] = {
    "red": (180, 40, 40), "crimson": (160, 20, 50), "scarlet": (200, 36, 30), "blue": (46, 86, 170),
    "navy": (30, 40, 90), "green": (46, 130, 70), "yellow": (222, 190, 50), "gold": (212, 170, 60),
    "golden": (212, 170, 60), "orange": (226, 120, 40), "purple": (110, 60, 150), "violet": (130, 80, 170),
    "pink": (226, 130, 160), "brown": (120, 80, 50), "black": (36, 36, 40), "white": (232, 232, 226),
    "grey": (130, 130, 136), "gray": (130, 130, 136), "silver": (180, 184, 192), "tan": (196, 160, 120),
    "auburn": (140, 60, 30), "blond": (230, 200, 120), "blonde": (230, 200, 120), "dark": (60, 50, 50),
}  # fmt: skip

CAMERA_LABELS = {
    "static": "STATIC",
    "push_in": "PUSH IN",
    "pull_out": "PULL OUT",
    "pan_left": "PAN LEFT",
    "pan_right": "PAN RIGHT",
    "tilt_up": "TILT UP",
    "tilt_down": "TILT DOWN",
}


# --- small helpers -------------------------------------------------------------------------------------------


def check_size(size: Size) -> Size:
    """The size as ints, or RenderInputError when it is not a drawable (width, height)."""
    try:
        width, height = int(size[0]), int(size[1])
    except (TypeError, ValueError, IndexError) as exc:
        raise RenderInputError(f"size must be (width, height), got {size!r}") from exc
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise RenderInputError(f"size must be between 16 and {MAX_SIDE} pixels a side, got {width}x{height}")
    return width, height


def stable_seed(*parts: object) -> int:
    """A seed from the given values that is the same in every process (unlike `hash`)."""
    return zlib.crc32("\x1f".join(str(p) for p in parts).encode("utf-8"))


def scene_seed(scene: SceneSheet) -> int:
    """The default seed of a scene's drawings: its index and words, so a re-draw gives the same picture."""
    return stable_seed(scene.index, scene.title, scene.location, scene.time_of_day, scene.mood)


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> AnyFont:
    """DejaVu Sans (fonts-dejavu-core) at `size` px, else Pillow's bundled scalable default font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), max(size, 6))
    fallback = ImageFont.load_default(size=max(size, 6))
    if not isinstance(fallback, ImageFont.FreeTypeFont):  # a Pillow built without FreeType
        raise RenderInputError("no scalable font: install fonts-dejavu-core (Debian) or a Pillow with FreeType")
    return fallback


def _mix(a: Color, b: Color, t: float) -> Color:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _scale(c: Color, k: float) -> Color:
    return (min(255, round(c[0] * k)), min(255, round(c[1] * k)), min(255, round(c[2] * k)))


def _hue_color(seed: int, saturation: float = 0.55, value: float = 0.72) -> Color:
    hue = (seed % 360) / 360.0
    i = int(hue * 6) % 6
    f = hue * 6 - int(hue * 6)
    p, q, t = value * (1 - saturation), value * (1 - f * saturation), value * (1 - (1 - f) * saturation)
    r, g, b = [(value, t, p), (q, value, p), (p, value, t), (p, q, value), (t, p, value), (value, p, q)][i]
    return (round(r * 255), round(g * 255), round(b * 255))


def _text_width(text: str, face: AnyFont) -> float:
    return face.getlength(text)


def _fit(text: str, face: AnyFont, width: float) -> str:
    """The text on one line (no control characters: the shaper refuses line and paragraph breaks), cut with an
    ellipsis where it would be wider than `width`."""
    text = one_line(text)
    if _text_width(text, face) <= width:
        return text
    while text and _text_width(text + "…", face) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, face: AnyFont, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap to `width` pixels, at most `max_lines` lines, the last one ellipsised if cut."""
    words = text.split()
    lines: list[str] = []
    line = ""
    for i, word in enumerate(words):
        candidate = f"{line} {word}" if line else word
        if _text_width(candidate, face) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        if len(lines) == max_lines:
            lines[-1] = _fit(lines[-1] + " " + " ".join(words[i:]), face, width)
            return lines
    if line:
        lines.append(_fit(line, face, width))
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _fit(" ".join(lines[max_lines - 1 :]), face, width)]
    return lines


def frame_of(ms: int, fps: int) -> int:
    """The frame a time in milliseconds falls on, half a frame rounding up (the video's scene boundaries)."""
    return (ms * fps * 2 + 1000) // 2000


def timecode(ms: int, fps: int = 24) -> str:
    """HH:MM:SS:FF of a time in milliseconds, frames rounded as the video rounds scene boundaries."""
    frames = frame_of(ms, fps)
    seconds, ff = divmod(frames, fps)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}:{ff:02d}"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(image: Image.Image) -> bytes:
    """The image as PNG bytes, several times faster than Pillow's encoder for these drawings.

    Pillow tries every PNG row filter on every row, which costs more than drawing the frame;
    here each row uses the "Up" filter (flat areas and vertical gradients become zeros) and
    zlib's fast level. Any PNG decoder reads the result.
    """
    if image.mode not in _PNG_COLOUR_TYPES:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    pixels = np.asarray(image, dtype=np.uint8)
    height, width = pixels.shape[0], pixels.shape[1]
    flat = pixels.reshape(height, -1)
    rows = np.empty((height, flat.shape[1] + 1), dtype=np.uint8)
    rows[:, 0] = 2  # the "Up" filter
    rows[0, 1:] = flat[0]
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])
    header = struct.pack(">IIBBBBB", width, height, 8, _PNG_COLOUR_TYPES[image.mode], 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_COMPRESS_LEVEL)),
            _png_chunk(b"IEND", b""),
        )
    )


def load_image(path: Path, size: Size) -> Image.Image:
    """An image file scaled and centre-cropped to cover `size`, as RGB; RenderInputError if unreadable."""
    try:
        with Image.open(path) as opened:
            opened.draft("RGB", size)
            image = ImageOps.fit(opened.convert("RGB"), size, Image.Resampling.BILINEAR)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise RenderInputError(f"cannot read the image {path.name}: {exc}") from exc
    return image


# --- what the scene says ---------------------------------------------------------------------------------------


def scene_setting(scene: SceneSheet) -> str:
    """Which kind of place the scene is drawn as: one of SETTINGS.

    The location is read first, then the title (a screenplay heading's INT./EXT. decides
    inside or out), the background prompt and the description; the first setting word wins.
    """
    heading = _HEADING_PREFIX.match(scene.title or "")
    prefix = heading.group(1).upper().rstrip(".") if heading else ""
    for source in (scene.location, scene.title, scene.background_prompt, scene.description):
        if not source:
            continue
        for word in _WORD.findall(source.lower()):
            setting = _SETTING_OF_WORD.get(word)
            if setting is None:
                continue
            if prefix == "INT" and setting != "interior":
                continue  # 'INT. SHIP - NIGHT' is a cabin, not the sea
            if prefix in ("EXT", "EST") and setting == "interior":
                continue  # 'EXT. CASTLE' is outside the castle
            return setting
    if prefix == "INT":
        return "interior"
    return "field"


def scene_light(scene: SceneSheet) -> Light:
    """The light of the scene's time of day (day light when it is unknown)."""
    key = (scene.time_of_day or "").strip().lower()
    return _LIGHTS[_TIME_ALIASES.get(key, "day")]


def _mood(scene: SceneSheet) -> tuple[Color, float, float, float, float]:
    return _MOODS.get((scene.mood or "").strip().lower(), _NEUTRAL_MOOD)


class _Palette:
    """The scene's colours, graded once by light and mood (cheaper than grading the pixels)."""

    def __init__(self, light: Light, mood: tuple[Color, float, float, float, float]) -> None:
        self.light = light
        self.tint, self.tint_amount, self.saturation, self.brightness, self.vignette = mood

    def sky(self, c: Color) -> Color:
        return self._grade(c, 1.0)

    def lit(self, c: Color) -> Color:
        """A colour on the ground, lit by the ambient light."""
        return self._grade(c, self.light.ambient)

    def glow(self, c: Color) -> Color:
        """A light source (a lamp, a lit window): not darkened by the night."""
        return self._grade(c, 1.0)

    def _grade(self, c: Color, light: float) -> Color:
        grey = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
        sat = tuple(grey + (v - grey) * self.saturation for v in c)
        tinted = tuple(v + (t - v) * self.tint_amount for v, t in zip(sat, self.tint, strict=True))
        k = light * self.brightness
        if self.light.night:
            tinted = (tinted[0] * 0.8, tinted[1] * 0.85, tinted[2] * 1.05)  # moonlight is blue
        return (
            max(0, min(255, round(tinted[0] * k))),
            max(0, min(255, round(tinted[1] * k))),
            max(0, min(255, round(tinted[2] * k))),
        )


# --- backgrounds ---------------------------------------------------------------------------------------------


def _paste_gradient(image: Image.Image, box: tuple[int, int, int, int], top: Color, bottom: Color) -> None:
    """Fill `box` with a vertical gradient from `top` to `bottom`.

    Drawn as one filled rectangle per run of rows of the same colour: cheaper than building
    a gradient image and pasting it, which moves the whole area through memory twice.
    """
    x0, y0, x1, y1 = box
    rows = y1 - y0
    if x1 <= x0 or rows <= 0:
        return
    draw = ImageDraw.Draw(image)
    run_start, run_colour = y0, top
    for i in range(1, rows + 1):
        colour = _mix(top, bottom, i / max(rows - 1, 1)) if i < rows else None
        if colour != run_colour:
            draw.rectangle((x0, run_start, x1 - 1, y0 + i - 1), fill=run_colour)
            if colour is None:
                break
            run_start, run_colour = y0 + i, colour


@lru_cache(maxsize=32)
def _vignette_mask(size: Size, strength: float) -> Image.Image:
    """An 'L' mask, 0 in the middle rising to 255 * strength in the corners, for darkening the edges."""
    small = Image.radial_gradient("L").resize((64, 36), Image.Resampling.BILINEAR)
    curve = small.point(lambda v: max(0, min(255, round((v - 150) * 2.4 * strength))))
    return curve.resize(size, Image.Resampling.BILINEAR)


def _draw_sky(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, horizon: int, rng: random.Random) -> None:
    width = image.width
    light = pal.light
    _paste_gradient(image, (0, 0, width, horizon), pal.sky(light.sky_top), pal.sky(light.sky_bottom))
    unit = image.height / 720
    if light.night:
        for _ in range(int(90 * width / 1280)):
            x, y = rng.uniform(0, width), rng.uniform(0, horizon * 0.85)
            r = rng.choice((0.8, 1.0, 1.4)) * unit
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(236, 238, 255))
        mx, my, mr = width * 0.78, horizon * 0.22, 26 * unit
        draw.ellipse((mx - mr * 1.6, my - mr * 1.6, mx + mr * 1.6, my + mr * 1.6), fill=(60, 70, 110, 70))
        draw.ellipse((mx - mr, my - mr, mx + mr, my + mr), fill=(236, 236, 220))
        draw.ellipse((mx - mr * 0.55, my - mr * 1.05, mx + mr * 1.35, my + mr * 0.75), fill=pal.sky(light.sky_top))
        return
    if light.sun is not None:
        sx, sy = light.sun[0] * width, light.sun[1] * image.height
        sy = min(sy, horizon - 12 * unit)
        for k, alpha in ((3.2, 40), (2.2, 60), (1.5, 90)):
            r = 30 * unit * k
            draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(*light.sun_color, alpha))
        r = 30 * unit
        draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=_mix(light.sun_color, (255, 255, 255), 0.5))
    cloud = pal.sky(_mix((255, 255, 255), light.sky_bottom, 0.25))
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(0.05, 0.95) * width, rng.uniform(0.08, 0.5) * horizon
        for _ in range(5):
            w, h = rng.uniform(50, 110) * unit, rng.uniform(18, 34) * unit
            dx, dy = rng.uniform(-70, 70) * unit, rng.uniform(-10, 8) * unit
            draw.ellipse((cx + dx - w, cy + dy - h, cx + dx + w, cy + dy + h), fill=(*cloud, 170))


def _draw_hills(draw: ImageDraw.ImageDraw, width: int, horizon: int, colour: Color, rng: random.Random) -> None:
    for _ in range(4):
        cx, w = rng.uniform(0, width), rng.uniform(0.3, 0.6) * width
        h = rng.uniform(0.05, 0.12) * horizon
        draw.ellipse((cx - w, horizon - h, cx + w, horizon + h), fill=colour)


def _draw_tree(
    draw: ImageDraw.ImageDraw, x: float, ground: float, h: float, leaf: Color, trunk: Color, pine: bool
) -> None:
    tw = max(2.0, h * 0.05)
    edge = _scale(leaf, 0.7)
    draw.rectangle((x - tw / 2, ground - h * 0.5, x + tw / 2, ground), fill=trunk)
    if pine:
        for k in range(3):
            top = ground - h + k * h * 0.2
            half = h * (0.13 + 0.06 * k)
            draw.polygon([(x, top), (x - half, top + h * 0.36), (x + half, top + h * 0.36)], fill=leaf, outline=edge)
    else:
        r = h * 0.24
        for dx, dy in ((-0.7, 0.55), (0.7, 0.55), (0.0, 0.0)):
            cx, cy = x + dx * r, ground - h + r + dy * r
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=leaf, outline=edge)


def _bg_field(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, rng: random.Random) -> None:
    width, height = image.size
    horizon = round(height * 0.6)
    _draw_sky(image, draw, pal, horizon, rng)
    _draw_hills(draw, width, horizon, pal.lit((112, 150, 96)), rng)
    _paste_gradient(image, (0, horizon, width, height), pal.lit((120, 170, 90)), pal.lit((76, 128, 58)))
    path = pal.lit((196, 176, 132))
    draw.polygon([(width * 0.47, horizon), (width * 0.53, horizon), (width * 0.7, height), (width * 0.3, height)], path)
    for _ in range(3):
        x = rng.choice((rng.uniform(0.04, 0.25), rng.uniform(0.75, 0.96))) * width
        _draw_tree(
            draw,
            x,
            horizon + height * 0.04,
            height * rng.uniform(0.18, 0.26),
            pal.lit((60, 110, 60)),
            pal.lit((92, 66, 44)),
            pine=False,
        )


def _bg_sky(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, rng: random.Random) -> None:
    width, height = image.size
    horizon = round(height * 0.9)
    _draw_sky(image, draw, pal, horizon, rng)
    cloud = pal.sky((246, 246, 250))
    for _ in range(3):  # a bank of cloud below the viewer: we are up in the air
        cx = rng.uniform(0, width)
        for _ in range(6):
            w, h = rng.uniform(90, 200) * height / 720, rng.uniform(30, 60) * height / 720
            x, y = cx + rng.uniform(-200, 200) * height / 720, horizon + rng.uniform(-40, 10) * height / 720
            draw.ellipse((x - w, y - h, x + w, y + h), fill=cloud)
    draw.rectangle((0, horizon, width, height), fill=cloud)


def _bg_forest(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, rng: random.Random) -> None:
    width, height = image.size
    horizon = round(height * 0.62)
    _draw_sky(image, draw, pal, horizon, rng)
    _paste_gradient(image, (0, horizon, width, height), pal.lit((70, 96, 52)), pal.lit((36, 56, 30)))
    for layer, (leaf, count, scale) in enumerate(
        (((120, 160, 130), 16, 0.3), ((70, 124, 76), 12, 0.42), ((36, 86, 46), 7, 0.58))
    ):
        trunk = pal.lit((92 - layer * 14, 66 - layer * 10, 44 - layer * 6))
        ground = horizon + layer * height * 0.06
        for i in range(count):
            x = (i + rng.uniform(0.1, 0.9)) * width / count
            shade = rng.uniform(0.85, 1.12)
            colour = pal.lit(_scale(_mix(leaf, pal.light.sky_bottom, 0.35 - layer * 0.15), shade))
            _draw_tree(draw, x, ground, height * scale * rng.uniform(0.8, 1.1), colour, trunk, pine=rng.random() < 0.6)
    _paste_gradient(
        image, (0, round(horizon + height * 0.14), width, height), pal.lit((58, 84, 44)), pal.lit((36, 56, 30))
    )
    if not pal.light.night:
        for _ in range(3):  # light through the canopy
            x = rng.uniform(0.15, 0.85) * width
            draw.polygon(
                [(x, 0), (x + width * 0.04, 0), (x + width * 0.12, height), (x + width * 0.05, height)],
                fill=(*pal.light.sun_color, 28),
            )


def _bg_water(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, rng: random.Random) -> None:
    width, height = image.size
    horizon = round(height * 0.52)
    _draw_sky(image, draw, pal, horizon, rng)
    sea_top, sea_bottom = pal.lit((70, 120, 170)), pal.lit((24, 66, 116))
    _paste_gradient(image, (0, horizon, width, height), sea_top, sea_bottom)
    light = pal.light
    glint_x = light.sun[0] * width if light.sun else width * 0.78
    glint = pal.glow(light.sun_color if light.sun else (210, 216, 240))
    wave = pal.lit((170, 200, 226))
    for row in range(28):
        t = row / 27
        y = horizon + (height - horizon) * t**1.6
        length = (12 + 60 * t) * height / 720
        for _ in range(6 + row // 2):
            x = rng.uniform(0, width)
            near_glint = abs(x - glint_x) < width * (0.03 + 0.08 * t)
            draw.arc(
                (x - length, y - length * 0.12, x + length, y + length * 0.12),
                200,
                340,
                fill=glint if near_glint else wave,
                width=max(1, round(1 + 2 * t)),
            )
    # a far sail and, on a shore or beach, the sand in front
    sx, sy, s = rng.uniform(0.15, 0.6) * width, horizon, height * 0.05
    hull = pal.lit((60, 50, 46))
    draw.polygon(
        [(sx - s, sy - s * 0.2), (sx + s, sy - s * 0.2), (sx + s * 0.7, sy + s * 0.1), (sx - s * 0.7, sy + s * 0.1)],
        fill=hull,
    )
    draw.polygon(
        [(sx, sy - s * 1.6), (sx, sy - s * 0.25), (sx + s * 0.8, sy - s * 0.25)], fill=pal.lit((236, 230, 216))
    )
    sand = pal.lit((214, 192, 146))
    draw.polygon(
        [(0, height * 0.86), (width * 0.4, height * 0.9), (width, height * 0.84), (width, height), (0, height)],
        fill=sand,
    )


def _bg_street(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, rng: random.Random) -> None:
    width, height = image.size
    horizon = round(height * 0.56)
    _draw_sky(image, draw, pal, horizon, rng)
    night = pal.light.night or pal.light.name == "evening"
    lit_window, dark_window = pal.glow((255, 214, 120)), pal.lit((86, 110, 140))
    x = -rng.uniform(0, 40) * height / 720
    while x < width:
        w = rng.uniform(0.08, 0.16) * width
        top = horizon - rng.uniform(0.15, 0.45) * height
        base = pal.lit(rng.choice([(150, 120, 100), (120, 112, 118), (170, 150, 120), (100, 96, 110)]))
        draw.rectangle((x, top, x + w - 2, horizon + height * 0.04), fill=base)
        ww, wh = w / 7, height * 0.035
        for row in range(int((horizon - top) // (wh * 2)) - 1):
            for col in range(3):
                wx, wy = x + ww * (1 + 2 * col), top + wh * (1 + 2 * row)
                lit = night and rng.random() < 0.55
                draw.rectangle((wx, wy, wx + ww, wy + wh), fill=lit_window if lit else dark_window)
        x += w
    pavement, road = pal.lit((150, 148, 142)), pal.lit((78, 78, 84))
    ground = round(horizon + height * 0.04)
    draw.rectangle((0, ground, width, height), fill=pavement)
    vx = width / 2
    draw.polygon(
        [(vx - width * 0.06, ground), (vx + width * 0.06, ground), (width * 0.95, height), (width * 0.05, height)],
        fill=road,
    )
    line = pal.lit((236, 226, 170))
    for k in range(8):
        t0, t1 = (k / 8) ** 1.5, ((k + 0.5) / 8) ** 1.5
        y0, y1 = ground + (height - ground) * t0, ground + (height - ground) * t1
        w0, w1 = 2 + 6 * t0, 2 + 6 * t1
        draw.polygon([(vx - w0, y0), (vx + w0, y0), (vx + w1, y1), (vx - w1, y1)], fill=line)
    for side in (0.12, 0.88):  # street lamps
        lx, lh = width * side, height * 0.36
        draw.rectangle((lx - 3, ground + height * 0.1 - lh, lx + 3, ground + height * 0.1), fill=pal.lit((50, 50, 56)))
        ly = ground + height * 0.1 - lh
        if night:
            for r, a in ((60, 50), (34, 90)):
                rr = r * height / 720
                draw.ellipse((lx - rr, ly - rr, lx + rr, ly + rr), fill=(255, 220, 140, a))
        draw.ellipse((lx - 10, ly - 10, lx + 10, ly + 10), fill=pal.glow((255, 236, 170)) if night else pavement)


def _bg_mountain(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, rng: random.Random) -> None:
    width, height = image.size
    horizon = round(height * 0.66)
    _draw_sky(image, draw, pal, horizon, rng)
    _paste_gradient(image, (0, horizon, width, height), pal.lit((104, 130, 80)), pal.lit((72, 96, 56)))
    for layer, rock in enumerate(((150, 150, 170), (112, 110, 128), (82, 88, 90))):
        colour = pal.lit(_mix(rock, pal.light.sky_bottom, 0.35 - layer * 0.15))
        snow = pal.lit((240, 242, 250))
        peaks = 3 + layer
        base = horizon + layer * height * 0.05
        for i in range(peaks):
            cx = (i + rng.uniform(0.2, 0.8)) * width / peaks
            h = rng.uniform(0.25, 0.42) * height * (1 - layer * 0.2)
            half = width / peaks * rng.uniform(0.7, 1.0)
            draw.polygon([(cx - half, base), (cx, base - h), (cx + half, base)], fill=colour)
            if layer < 2:
                draw.polygon(
                    [(cx - half * 0.22, base - h * 0.78), (cx, base - h), (cx + half * 0.22, base - h * 0.78)],
                    fill=snow,
                )
    # the valley floor in front of the nearest range
    draw.rectangle((0, round(horizon + height * 0.1), width, height), fill=pal.lit((88, 114, 68)))


def _bg_interior(image: Image.Image, draw: ImageDraw.ImageDraw, pal: _Palette, rng: random.Random) -> None:
    width, height = image.size
    light = pal.light
    inside = _Palette(
        Light(
            light.name,
            light.sky_top,
            light.sky_bottom,
            max(light.ambient, 0.55),
            light.sun,
            light.sun_color,
            light.night,
        ),
        (pal.tint, pal.tint_amount, pal.saturation, pal.brightness, pal.vignette),
    )
    wall = inside.lit(rng.choice([(214, 196, 164), (190, 200, 186), (200, 184, 176), (176, 188, 204)]))
    floor = inside.lit((140, 100, 66))
    bx0, by0, bx1, by1 = width * 0.14, height * 0.1, width * 0.86, height * 0.64
    draw.rectangle((0, 0, width, height), fill=_scale(wall, 0.8))
    draw.polygon([(0, 0), (width, 0), (bx1, by0), (bx0, by0)], fill=_scale(wall, 0.92))  # ceiling
    draw.polygon([(0, height), (width, height), (bx1, by1), (bx0, by1)], fill=floor)
    for k in range(1, 9):  # floorboards, converging on the vanishing point
        x = width * k / 9
        draw.line([(bx0 + (bx1 - bx0) * k / 9, by1), (x, height)], fill=_scale(floor, 0.8), width=2)
    draw.rectangle((bx0, by0, bx1, by1), fill=wall)
    draw.line([(0, 0), (bx0, by0)], fill=_scale(wall, 0.7), width=2)
    draw.line([(width, 0), (bx1, by0)], fill=_scale(wall, 0.7), width=2)
    # a window on the back wall shows the time of day
    wx0, wy0, wx1, wy1 = width * 0.52, height * 0.18, width * 0.74, height * 0.46
    sky = Image.new("RGB", (round(wx1 - wx0), round(wy1 - wy0)))
    sky_draw = ImageDraw.Draw(sky, "RGBA")
    _draw_sky(sky, sky_draw, pal, sky.height, random.Random(rng.random()))
    image.paste(sky, (round(wx0), round(wy0)))
    frame_colour = inside.lit((240, 236, 226))
    draw.rectangle((wx0, wy0, wx1, wy1), outline=frame_colour, width=max(3, round(8 * height / 720)))
    draw.line(
        [((wx0 + wx1) / 2, wy0), ((wx0 + wx1) / 2, wy1)], fill=frame_colour, width=max(2, round(5 * height / 720))
    )
    draw.line(
        [(wx0, (wy0 + wy1) / 2), (wx1, (wy0 + wy1) / 2)], fill=frame_colour, width=max(2, round(5 * height / 720))
    )
    if not light.night:  # daylight falling on the floor
        draw.polygon(
            [(wx0, wy1), (wx1, wy1), (wx1 + width * 0.1, height), (wx0 - width * 0.02, height)],
            fill=(*light.sun_color, 34),
        )
    # a door, a picture, a table
    door = inside.lit((112, 78, 52))
    draw.rectangle((width * 0.2, height * 0.24, width * 0.31, by1), fill=door)
    draw.ellipse((width * 0.29, height * 0.44, width * 0.3, height * 0.46), fill=inside.lit((220, 190, 90)))
    draw.rectangle((width * 0.36, height * 0.2, width * 0.46, height * 0.34), fill=inside.lit((96, 70, 50)))
    draw.rectangle((width * 0.37, height * 0.215, width * 0.45, height * 0.325), fill=inside.lit((110, 140, 120)))
    table = inside.lit((120, 84, 54))
    draw.polygon(
        [
            (width * 0.6, height * 0.68),
            (width * 0.84, height * 0.68),
            (width * 0.88, height * 0.74),
            (width * 0.56, height * 0.74),
        ],
        fill=table,
    )
    for lx in (0.58, 0.86):
        draw.rectangle((width * lx - 4, height * 0.74, width * lx + 4, height * 0.86), fill=_scale(table, 0.8))
    if light.night or light.name == "evening":  # a lamp on the table
        lx, ly = width * 0.7, height * 0.6
        for r, a in ((150, 40), (90, 60), (46, 90)):
            rr = r * height / 720
            draw.ellipse((lx - rr, ly - rr, lx + rr, ly + rr), fill=(255, 214, 140, a))
        draw.polygon(
            [(lx - 26, ly - 10), (lx + 26, ly - 10), (lx + 16, ly - 40), (lx - 16, ly - 40)],
            fill=inside.glow((250, 226, 170)),
        )
        draw.rectangle((lx - 3, ly - 10, lx + 3, height * 0.68), fill=inside.lit((60, 50, 40)))


_BACKGROUNDS = {
    "interior": _bg_interior,
    "forest": _bg_forest,
    "water": _bg_water,
    "street": _bg_street,
    "mountain": _bg_mountain,
    "field": _bg_field,
    "sky": _bg_sky,
}


def draw_background(scene: SceneSheet, size: Size, *, seed: int | None = None) -> Image.Image:
    """The scene's background as an RGB image of `size`: setting, time of day and mood, no people, no text."""
    size = check_size(size)
    rng = random.Random(scene_seed(scene) if seed is None else seed)
    pal = _Palette(scene_light(scene), _mood(scene))
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image, "RGBA")
    _BACKGROUNDS[scene_setting(scene)](image, draw, pal, rng)
    if pal.vignette > 0:
        image.paste((0, 0, 0), mask=_vignette_mask(size, pal.vignette))
    return image


# --- figures -------------------------------------------------------------------------------------------------


def character_colours(name: str, description: str = "") -> tuple[Color, Color]:
    """Clothes and accent colours of a figure: the colour words of its looks, else colours from its name."""
    found = [_COLOUR_WORDS[w] for w in _WORD.findall(description.lower()) if w in _COLOUR_WORDS]
    seed = stable_seed(name)
    body = found[0] if found else _hue_color(seed)
    accent = found[1] if len(found) > 1 else _hue_color(seed // 360 + 137, 0.45, 0.5)
    return body, accent


def _draw_figure(
    draw: ImageDraw.ImageDraw,
    x: float,
    ground: float,
    h: float,
    body: Color,
    accent: Color,
    view: str = "front",
    shade: float = 1.0,
) -> None:
    """A mannequin `h` tall standing on `ground` at `x`: front, three_quarter, side or back."""
    skin = _scale((232, 196, 164), shade)
    body, accent = _scale(body, shade), _scale(accent, shade)
    outline = _scale(body, 0.45)
    line = max(1, round(h / 160))
    r = h * 0.085
    head_y = ground - h + r
    shoulder_y, hip_y = ground - h + 2.3 * r, ground - h * 0.47
    draw.ellipse((x - h * 0.17, ground - h * 0.025, x + h * 0.17, ground + h * 0.025), fill=(0, 0, 0, 60))
    narrow = {"front": 1.0, "three_quarter": 0.8, "side": 0.45, "back": 1.0}[view]
    sw, hw = h * 0.17 * narrow, h * 0.13 * narrow
    leg_w = h * 0.055 * max(narrow, 0.7)
    # legs, then arms behind or beside the torso, then the torso and the head
    for dx in (-hw * 0.5, hw * 0.5) if view != "side" else (-leg_w * 0.3, leg_w * 0.5):
        draw.rectangle((x + dx - leg_w / 2, hip_y, x + dx + leg_w / 2, ground - h * 0.02), fill=accent, outline=outline)
        draw.rectangle((x + dx - leg_w / 2, ground - h * 0.035, x + dx + leg_w * 0.8, ground), fill=_scale(accent, 0.5))
    arm_w = max(2, round(h * 0.045))
    arms = (-1, 1) if view != "side" else (1,)
    for side in arms:
        ax = x + side * (sw + arm_w * 0.2)
        draw.line([(ax, shoulder_y + arm_w * 0.5), (ax + side * h * 0.03, hip_y + h * 0.04)], fill=body, width=arm_w)
        hr = arm_w * 0.7
        hx, hy = ax + side * h * 0.03, hip_y + h * 0.05
        draw.ellipse((hx - hr, hy - hr, hx + hr, hy + hr), fill=skin)
    draw.polygon(
        [
            (x - sw, shoulder_y),
            (x + sw, shoulder_y),
            (x + hw * 1.1, hip_y + h * 0.03),
            (x - hw * 1.1, hip_y + h * 0.03),
        ],
        fill=body,
        outline=outline,
        width=line,
    )
    draw.rectangle((x - hw * 1.05, hip_y - h * 0.02, x + hw * 1.05, hip_y + h * 0.015), fill=_scale(accent, 0.7))
    neck = r * 0.35
    draw.rectangle((x - neck, head_y + r * 0.8, x + neck, shoulder_y + 1), fill=skin)
    draw.ellipse((x - r, head_y - r, x + r, head_y + r), fill=skin, outline=_scale(skin, 0.6), width=line)
    hair = _scale(accent, 0.6)
    if view == "back":
        draw.ellipse((x - r, head_y - r, x + r, head_y + r * 0.6), fill=hair)
        return
    draw.chord((x - r, head_y - r, x + r, head_y + r * 0.3), 180, 360, fill=hair)
    eye = max(1.0, r * 0.12)
    eyes: tuple[float, ...]
    if view == "front":
        eyes = (x - r * 0.38, x + r * 0.38)
    elif view == "three_quarter":
        eyes = (x - r * 0.05, x + r * 0.55)
    else:
        eyes = (x + r * 0.55,)
        draw.polygon(
            [(x + r * 0.95, head_y), (x + r * 1.2, head_y + r * 0.25), (x + r * 0.95, head_y + r * 0.3)], fill=skin
        )
    for ex in eyes:
        draw.ellipse((ex - eye, head_y - eye, ex + eye, head_y + eye), fill=(40, 30, 30))


def _label(draw: ImageDraw.ImageDraw, x: float, y: float, text: str, face: AnyFont, max_width: float) -> None:
    """A name plate centred on (x, y): dark rounded box, white text."""
    text = _fit(text, face, max_width)
    width = _text_width(text, face)
    ascent, descent = face.getmetrics()
    pad = (ascent + descent) * 0.3
    box = (x - width / 2 - pad * 1.5, y - pad, x + width / 2 + pad * 1.5, y + ascent + descent + pad)
    draw.rounded_rectangle(box, radius=pad * 1.5, fill=(20, 20, 28, 200))
    draw.text((x - width / 2, y), text, font=face, fill=(255, 255, 255))


def figure_positions(count: int, width: int, span: tuple[float, float] = (0.0, 1.0)) -> list[float]:
    """Where `count` figures stand across a picture `width` wide: spread evenly over the `span`
    (fractions of the width; the part a camera move keeps in view), kept off its edges."""
    if count <= 0:
        return []
    left, right = span[0] * width, span[1] * width
    if count == 1:
        return [(left + right) / 2]
    margin = (right - left) * 0.16
    return [left + margin + (right - left - 2 * margin) * i / (count - 1) for i in range(count)]


def draw_picture(
    scene: SceneSheet,
    size: Size,
    *,
    characters: Sequence[CharacterSheet] = (),
    background: Image.Image | None = None,
    seed: int | None = None,
    max_figures: int = 6,
    figure_span: tuple[float, float] = (0.0, 1.0),
) -> Image.Image:
    """Background plus the characters present as labelled figures: the panel without any overlay.

    `background` (any size, scaled to cover) replaces the drawn one, as does the scene's own
    `background` file. Looks come from `characters` matched by name. The video moves its
    camera over this picture, and passes as `figure_span` the part of the width that stays
    in view all through the move, so that nobody stands where the camera will not look.
    """
    size = check_size(size)
    if background is not None:
        image = ImageOps.fit(background.convert("RGB"), size, Image.Resampling.BILINEAR)
    elif scene.background is not None:
        image = load_image(scene.background, size)
    else:
        image = draw_background(scene, size, seed=seed)
    width, height = size
    looks = {c.name: c.description for c in characters}
    portraits = {c.name: c.portrait for c in characters if c.portrait is not None}
    names = list(dict.fromkeys(scene.characters))[:max_figures]
    draw = ImageDraw.Draw(image, "RGBA")
    light = scene_light(scene)
    shade = 0.55 + 0.45 * max(light.ambient, 0.45 if scene_setting(scene) == "interior" else 0.0)
    face = font(max(10, round(height * 0.026)), bold=True)
    ground = height * 0.8
    positions = figure_positions(len(names), width, figure_span)
    slot = width * (figure_span[1] - figure_span[0]) / max(len(names), 1)
    for i, (name, x) in enumerate(zip(names, positions, strict=True)):
        fh = height * (0.5 if len(names) <= 2 else 0.44) * (1.0 if i % 2 == 0 else 0.94)
        body, accent = character_colours(name, looks.get(name, ""))
        view = "front" if len(names) == 1 else ("three_quarter" if x < width / 2 else "front")
        feet = ground - (0 if i % 2 == 0 else height * 0.015)
        _draw_figure(draw, x, feet, fh, body, accent, view, shade)
        if name in portraits:
            _draw_portrait_head(image, portraits[name], x, feet - fh * 0.915, fh * 0.26, accent)
        _label(draw, x, ground - fh - height * 0.06, name, face, max(slot - 8, 40))
    return image


PORTRAIT_FACE_SIDE = 256


def portrait_face(picture: Image.Image) -> Image.Image:
    """The square of a character's reference picture that holds the face, at most PORTRAIT_FACE_SIDE px:
    centred across, from near the top down (a full-figure design has its head there, a head shot fills
    most of the square). What CharacterSheet.portrait holds."""
    width, height = picture.size
    side = max(1, round(min(width, height) * 0.6))
    left = (width - side) // 2
    top = min(round(height * 0.05), height - side)
    face = picture.convert("RGB").crop((left, top, left + side, top + side))
    face.thumbnail((PORTRAIT_FACE_SIDE, PORTRAIT_FACE_SIDE), Image.Resampling.BOX)
    return face


def _draw_portrait_head(
    image: Image.Image, portrait: Image.Image, x: float, y: float, diameter: float, ring: Color
) -> None:
    """A character's face (portrait_face), in a disc `diameter` wide centred on (x, y), over the head."""
    size = max(4, round(diameter))
    face = ImageOps.fit(portrait.convert("RGB"), (size, size), Image.Resampling.BILINEAR)
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size - 1, size - 1), fill=255)
    left, top = round(x - size / 2), round(y - size / 2)
    image.paste(face, (left, top), mask)
    width = max(2, round(size / 24))
    ImageDraw.Draw(image).ellipse((left, top, left + size - 1, top + size - 1), outline=ring, width=width)


# --- the composed storyboard frame ---------------------------------------------------------------------------


def scene_caption(scene: SceneSheet) -> str:
    """The shot's caption line: its first dialogue line, else the key line of the description."""
    if scene.dialogue:
        line = scene.dialogue[0]
        return f"{line.character.upper()}: “{line.text.strip()}”"
    text = (scene.description or scene.text or "").strip()
    sentence = re.split(r"(?<=[.!?…])\s+", text, maxsplit=1)[0] if text else ""
    return sentence


Box = tuple[float, float, float, float]
# The whole-picture framing is drawn this far (a fraction of the picture) inside its edge, so that the
# picture's own border does not hide it.
WHOLE_PICTURE_INSET = 0.02


def camera_framings(camera: str) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The first and last framing of a camera move as (centre x, centre y, size), fractions of the picture.

    Size 1 is the whole picture; the video crops the framing from a picture drawn larger than
    its output and eases between the two. "static" (and any unknown move) stays on the whole.
    The one geometry of the moves: the video, the drawn frames and the PDF sheets all read it here.
    """
    z = 0.8
    return {
        "push_in": ((0.5, 0.5, 1.0), (0.5, 0.5, z)),
        "pull_out": ((0.5, 0.5, z), (0.5, 0.5, 1.0)),
        "pan_left": ((1 - z / 2, 0.5, z), (z / 2, 0.5, z)),
        "pan_right": ((z / 2, 0.5, z), (1 - z / 2, 0.5, z)),
        "tilt_up": ((0.5, 1 - z / 2, z), (0.5, z / 2, z)),
        "tilt_down": ((0.5, z / 2, z), (0.5, 1 - z / 2, z)),
    }.get(camera, ((0.5, 0.5, 1.0), (0.5, 0.5, 1.0)))


def camera_boxes(camera: str) -> tuple[Box, Box] | None:
    """How a move is marked on a picture: its first and last framing as boxes (left, top, right, bottom),
    fractions of the picture with y downwards, the whole-picture framing inset by WHOLE_PICTURE_INSET.
    None for "static" and unknown moves, which have nothing to mark."""
    if camera not in CAMERA_LABELS or camera == "static":
        return None

    def box(framing: tuple[float, float, float]) -> Box:
        cx, cy, z = framing
        inset = WHOLE_PICTURE_INSET if z == 1.0 else 0.0
        return (cx - z / 2 + inset, cy - z / 2 + inset, cx + z / 2 - inset, cy + z / 2 - inset)

    first, last = camera_framings(camera)
    return box(first), box(last)


def _arrow(
    draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float], colour: tuple[int, ...], width: int
) -> None:
    draw.line([start, end], fill=colour, width=width)
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    head = width * 5
    left = (end[0] - head * math.cos(angle - 0.45), end[1] - head * math.sin(angle - 0.45))
    right = (end[0] - head * math.cos(angle + 0.45), end[1] - head * math.sin(angle + 0.45))
    draw.polygon([end, left, right], fill=colour)


def _draw_camera_marks(draw: ImageDraw.ImageDraw, size: Size, camera: str, face: AnyFont) -> None:
    width, height = size
    colour = (255, 214, 0, 235)
    line = max(2, round(height / 240))
    label = CAMERA_LABELS.get(camera, camera.upper())
    lw = _text_width(label, face)
    draw.rounded_rectangle(
        (width * 0.97 - lw - 16, height * 0.035, width * 0.97, height * 0.035 + face.size * 1.5),
        radius=6,
        fill=(20, 20, 28, 190),
    )
    draw.text((width * 0.97 - lw - 8, height * 0.035 + face.size * 0.22), label, font=face, fill=colour)
    boxes = camera_boxes(camera)
    if boxes is None:
        return
    a, b = ((box[0] * width, box[1] * height, box[2] * width, box[3] * height) for box in boxes)
    draw.rectangle(a, outline=(255, 255, 255, 200), width=line)
    draw.rectangle(b, outline=colour, width=line + 1)
    small = font(max(10, round(height * 0.024)), bold=True)
    draw.text((a[0] + 8, a[1] + 6), "A", font=small, fill=(255, 255, 255))
    draw.text((b[0] + 8, b[3] - small.size - 10), "B", font=small, fill=colour[:3])
    if camera in ("push_in", "pull_out"):
        for corner in ((0, 1), (2, 1), (0, 3), (2, 3)):
            _arrow(draw, (a[corner[0]], a[corner[1]]), (b[corner[0]], b[corner[1]]), colour, line)
    else:
        ca = ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2)
        cb = ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
        _arrow(draw, ca, cb, colour, line * 2)


def draw_frame(
    scene: SceneSheet,
    size: Size,
    *,
    characters: Sequence[CharacterSheet] = (),
    background: Image.Image | None = None,
    fps: int = 24,
    scene_count: int | None = None,
    seed: int | None = None,
) -> Image.Image:
    """The composed storyboard panel: the picture, the slate (scene number, timecode, duration),
    the caption (title and a dialogue or key line), the safe areas and the camera move marked."""
    image = draw_picture(scene, size, characters=characters, background=background, seed=seed)
    width, height = image.size
    draw = ImageDraw.Draw(image, "RGBA")
    # safe areas: action safe (90%) and title safe (80%)
    for fraction, alpha in ((0.9, 110), (0.8, 70)):
        mx, my = width * (1 - fraction) / 2, height * (1 - fraction) / 2
        draw.rectangle((mx, my, width - mx, height - my), outline=(255, 255, 255, alpha), width=1)
    slate_face = font(max(10, round(height * 0.03)), bold=True)
    number = f"SC {scene.index + 1}" + (f"/{scene_count}" if scene_count else "")
    slate = f"{number}   {timecode(scene.start_ms, fps)}   {scene.duration_ms / 1000:.1f}s"
    sw = _text_width(slate, slate_face)
    draw.rounded_rectangle(
        (width * 0.03, height * 0.035, width * 0.03 + sw + 20, height * 0.035 + slate_face.size * 1.5),
        radius=6,
        fill=(20, 20, 28, 190),
    )
    draw.text(
        (width * 0.03 + 10, height * 0.035 + slate_face.size * 0.22), slate, font=slate_face, fill=(255, 255, 255)
    )
    _draw_camera_marks(draw, (width, height), scene.camera, slate_face)
    # the caption band
    title_face = font(max(10, round(height * 0.034)), bold=True)
    line_face = font(max(9, round(height * 0.028)))
    band_top = height * 0.83
    draw.rectangle((0, band_top, width, height), fill=(12, 12, 18, 190))
    text_x, text_w = width * 0.05, width * 0.9
    draw.text(
        (text_x, band_top + height * 0.018),
        _fit(scene.title or f"Scene {scene.index + 1}", title_face, text_w),
        font=title_face,
        fill=(255, 255, 255),
    )
    caption = scene_caption(scene)
    for k, text in enumerate(wrap(caption, line_face, text_w, 2)):
        y = band_top + height * 0.018 + title_face.size * 1.3 + k * line_face.size * 1.25
        draw.text((text_x, y), text, font=line_face, fill=(226, 226, 232))
    return image


# --- character reference card --------------------------------------------------------------------------------


def draw_character(character: CharacterSheet, size: Size = (1280, 720), *, seed: int | None = None) -> Image.Image:
    """A turnaround card: the character from the front, three-quarter, side and back, with name and looks."""
    size = check_size(size)
    width, height = size
    rng = random.Random(stable_seed(character.name) if seed is None else seed)
    paper = (244, 242, 236)
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image, "RGBA")
    unit = min(width / 1280, height / 720)
    title_face = font(max(12, round(44 * unit)), bold=True)
    small = font(max(9, round(20 * unit)))
    body_face = font(max(9, round(24 * unit)))
    draw.rectangle((0, 0, width, height * 0.13), fill=(34, 36, 48))
    draw.text(
        (width * 0.03, height * 0.025),
        _fit(character.name, title_face, width * 0.7),
        font=title_face,
        fill=(255, 255, 255),
    )
    tag = "CHARACTER TURNAROUND"
    draw.text((width * 0.97 - _text_width(tag, small), height * 0.05), tag, font=small, fill=(200, 204, 220))
    # guide lines in head heights, as on a model sheet
    area_top, area_bottom = height * 0.19, height * 0.74
    fig_h = area_bottom - area_top
    for k in range(9):
        y = area_bottom - fig_h * k / 8
        draw.line([(width * 0.02, y), (width * 0.98, y)], fill=(200, 198, 190), width=1)
    body, accent = character_colours(character.name, character.description)
    jitter = rng.uniform(-0.01, 0.01)
    views = ("front", "three_quarter", "side", "back")
    names = ("FRONT", "3/4", "SIDE", "BACK")
    for i, (view, label) in enumerate(zip(views, names, strict=True)):
        x = width * (0.14 + 0.24 * i + jitter)
        _draw_figure(draw, x, area_bottom, fig_h * 0.96, body, accent, view)
        draw.text(
            (x - _text_width(label, small) / 2, area_bottom + height * 0.015), label, font=small, fill=(90, 90, 100)
        )
    # looks: the description (or the prompt), and the colours used
    looks = character.description or character.prompt or "No description in the story yet."
    text_top = height * 0.82
    draw.line(
        [(width * 0.03, text_top - height * 0.015), (width * 0.97, text_top - height * 0.015)],
        fill=(180, 176, 168),
        width=1,
    )
    lines = wrap(looks, body_face, width * 0.78, max(1, int((height - text_top) // (body_face.size * 1.3)) - 0))
    for k, line in enumerate(lines):
        draw.text((width * 0.03, text_top + k * body_face.size * 1.3), line, font=body_face, fill=(40, 40, 48))
    sw = 44 * unit
    for k, colour in enumerate((body, accent, (232, 196, 164))):
        x0 = width * 0.97 - (3 - k) * (sw + 8 * unit)
        draw.rectangle((x0, text_top, x0 + sw, text_top + sw), fill=colour, outline=(60, 60, 60))
    return image


# --- PNG entry points for the Django side ----------------------------------------------------------------------


def background_png(scene: SceneSheet, size: Size, *, seed: int | None = None) -> bytes:
    """draw_background as PNG bytes."""
    return png_bytes(draw_background(scene, size, seed=seed))


def frame_png(
    scene: SceneSheet,
    size: Size,
    *,
    characters: Sequence[CharacterSheet] = (),
    background: Image.Image | None = None,
    fps: int = 24,
    scene_count: int | None = None,
    seed: int | None = None,
) -> bytes:
    """draw_frame as PNG bytes."""
    image = draw_frame(
        scene, size, characters=characters, background=background, fps=fps, scene_count=scene_count, seed=seed
    )
    return png_bytes(image)


def character_png(character: CharacterSheet, size: Size = (1280, 720), *, seed: int | None = None) -> bytes:
    """draw_character as PNG bytes."""
    return png_bytes(draw_character(character, size, seed=seed))
