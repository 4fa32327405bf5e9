"""Storyboard sheets as a PDF: a grid of panels per page, for print and for review.

Each page's header names the project and says "Page n/N"; there is no cover page, so the page
count is the number of scenes divided by the panels a page holds, rounded up. Each panel shows
the frame (letterboxed in 16:9), the camera move drawn over it as its first framing (dashed),
its last framing (solid) and an arrow between them, then a line with the shot number, the
start timecode, the duration and the move, the title, the description and the dialogue. Text
that does not fit its panel ends with an ellipsis. The page turns landscape or portrait,
whichever gives the panels' pictures more room. Fonts: DejaVu Sans when the system has it
(fonts-dejavu-core: every Latin, Greek and Cyrillic letter), else the PDF's built-in Helvetica.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import IO

from reportlab.lib.pagesizes import A4, LETTER, landscape, portrait
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from render.exports.common import Shot, one_line, seconds_label, timecode
from render.exports.pdfimages import draw_embeddable, image_key, load_embeddable
from render.types import PDF_LAYOUTS

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
MARGIN = 28.0  # points: about 10 mm
GUTTER = 12.0
HEADER = 22.0
PICTURE_ASPECT = 16 / 9
CAMERA_LABELS = {
    "static": "static",
    "push_in": "push in",
    "pull_out": "pull out",
    "pan_left": "pan left",
    "pan_right": "pan right",
    "tilt_up": "tilt up",
    "tilt_down": "tilt down",
}
# The first and last framing of each move as (centre x, centre y, size), fractions of the picture
# with y downwards; the same geometry the video's camera and the drawn panels use.
_ZOOM = 0.8
CAMERA_FRAMINGS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "push_in": ((0.5, 0.5, 1.0), (0.5, 0.5, _ZOOM)),
    "pull_out": ((0.5, 0.5, _ZOOM), (0.5, 0.5, 1.0)),
    "pan_left": ((1 - _ZOOM / 2, 0.5, _ZOOM), (_ZOOM / 2, 0.5, _ZOOM)),
    "pan_right": ((_ZOOM / 2, 0.5, _ZOOM), (1 - _ZOOM / 2, 0.5, _ZOOM)),
    "tilt_up": ((0.5, 1 - _ZOOM / 2, _ZOOM), (0.5, _ZOOM / 2, _ZOOM)),
    "tilt_down": ((0.5, _ZOOM / 2, _ZOOM), (0.5, 1 - _ZOOM / 2, _ZOOM)),
}
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/local/share/fonts")
INK = (0.1, 0.1, 0.12)
MUTED = (0.38, 0.38, 0.42)
MOVE_COLOUR = (1.0, 0.78, 0.0)


@cache
def fonts() -> tuple[str, str, str]:
    """The regular, bold and italic font names to draw with, registering DejaVu Sans once if present."""
    files = {
        "AV-Sans": "DejaVuSans.ttf",
        "AV-Sans-Bold": "DejaVuSans-Bold.ttf",
        "AV-Sans-Oblique": "DejaVuSans-Oblique.ttf",
    }
    for folder in FONT_DIRS:
        paths = {name: Path(folder) / file for name, file in files.items()}
        if all(p.is_file() for p in paths.values()):
            for name, path in paths.items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            return ("AV-Sans", "AV-Sans-Bold", "AV-Sans-Oblique")
    return ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")


def page_count(scenes: int, layout: str) -> int:
    """Pages needed for `scenes` panels in `layout`: scenes / panels per page, rounded up (no cover page)."""
    columns, rows = PDF_LAYOUTS[layout]
    return -(-scenes // (columns * rows))


def _cells(page: tuple[float, float], columns: int, rows: int) -> tuple[float, float]:
    width, height = page
    cell_w = (width - 2 * MARGIN - (columns - 1) * GUTTER) / columns
    cell_h = (height - 2 * MARGIN - HEADER - (rows - 1) * GUTTER) / rows
    return cell_w, cell_h


def _picture_size(cell_w: float, cell_h: float) -> tuple[float, float]:
    """The picture's box in a cell: full width at 16:9, unless that leaves under 38 % of the cell for text."""
    height = min(cell_w / PICTURE_ASPECT, cell_h * 0.62)
    return height * PICTURE_ASPECT, height


def page_size(paper: str, layout: str) -> tuple[float, float]:
    """The paper in the orientation that gives this layout's pictures the larger area."""
    columns, rows = PDF_LAYOUTS[layout]
    best: tuple[float, tuple[float, float]] | None = None
    for orient in (landscape, portrait):
        size = orient(PAPERS[paper])
        w, h = _picture_size(*_cells(size, columns, rows))
        if best is None or w * h > best[0] + 1e-6:
            best = (w * h, size)
    assert best is not None
    return best[1]


def _fit_lines(lines: list[str], font: str, size: float, width: float, room: int) -> tuple[list[str], bool]:
    if len(lines) <= room:
        return lines, False
    kept = lines[:room]
    if room:
        last = kept[-1].rstrip()
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1].rstrip()
        kept[-1] = last + "…"
    return kept, True


def _draw_move(canvas: Canvas, camera: str, x: float, y: float, w: float, h: float) -> None:
    framings = CAMERA_FRAMINGS.get(camera)
    if framings is None:
        return

    def box(framing: tuple[float, float, float]) -> tuple[float, float, float, float]:
        cx, cy, size = framing
        inset = 0.03 if size == 1.0 else 0.0  # keep the whole-picture framing visible inside the border
        bw, bh = (size - 2 * inset) * w, (size - 2 * inset) * h
        return x + cx * w - bw / 2, y + (1 - cy) * h - bh / 2, bw, bh

    line = max(0.6, w / 250)
    first, last = box(framings[0]), box(framings[1])
    canvas.saveState()
    canvas.setLineWidth(line)
    canvas.setStrokeColorRGB(1, 1, 1)
    canvas.setDash(3 * line, 2 * line)
    canvas.rect(*first, stroke=1, fill=0)
    canvas.setDash()
    canvas.setStrokeColorRGB(*MOVE_COLOUR)
    canvas.setFillColorRGB(*MOVE_COLOUR)
    canvas.setLineWidth(line * 1.4)
    canvas.rect(*last, stroke=1, fill=0)
    if camera in ("push_in", "pull_out"):
        pairs = [
            ((first[0], first[1]), (last[0], last[1])),
            ((first[0] + first[2], first[1] + first[3]), (last[0] + last[2], last[1] + last[3])),
        ]
    else:
        pairs = [((first[0] + first[2] / 2, first[1] + first[3] / 2), (last[0] + last[2] / 2, last[1] + last[3] / 2))]
    for (x0, y0), (x1, y1) in pairs:
        _arrow(canvas, x0, y0, x1, y1, line * 1.4)
    canvas.restoreState()


def _arrow(canvas: Canvas, x0: float, y0: float, x1: float, y1: float, width: float) -> None:
    dx, dy = x1 - x0, y1 - y0
    length = (dx * dx + dy * dy) ** 0.5
    if length < 1e-6:
        return
    ux, uy = dx / length, dy / length
    head = min(width * 5, length * 0.5)
    canvas.setLineWidth(width)
    canvas.line(x0, y0, x1 - ux * head * 0.6, y1 - uy * head * 0.6)
    path = canvas.beginPath()
    path.moveTo(x1, y1)
    path.lineTo(x1 - ux * head - uy * head * 0.5, y1 - uy * head + ux * head * 0.5)
    path.lineTo(x1 - ux * head + uy * head * 0.5, y1 - uy * head - ux * head * 0.5)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_panel(canvas: Canvas, shot: Shot, fps: int, x: float, top: float, cell_w: float, cell_h: float) -> None:
    regular, bold, italic = fonts()
    scene = shot.scene
    pic_w, pic_h = _picture_size(cell_w, cell_h)
    pic_x, pic_y = x, top - pic_h
    canvas.setFillColorRGB(0.93, 0.93, 0.94)
    canvas.rect(pic_x, pic_y, pic_w, pic_h, stroke=0, fill=1)
    frame = Path(scene.frame) if scene.frame is not None else None
    image = load_embeddable(frame) if frame is not None else None
    if frame is not None and image is not None:
        scale = min(pic_w / image.width, pic_h / image.height)
        w, h = image.width * scale, image.height * scale
        draw_embeddable(canvas, image, image_key(frame), pic_x + (pic_w - w) / 2, pic_y + (pic_h - h) / 2, w, h)
    else:
        canvas.setFillColorRGB(*MUTED)
        canvas.setFont(regular, max(6.0, pic_h / 14))
        canvas.drawCentredString(pic_x + pic_w / 2, pic_y + pic_h / 2, "no frame")
    _draw_move(canvas, scene.camera, pic_x, pic_y, pic_w, pic_h)
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.6)
    canvas.rect(pic_x, pic_y, pic_w, pic_h, stroke=1, fill=0)

    size = max(6.0, min(10.0, cell_w / 34))
    leading = size * 1.22
    text_w = cell_w
    room_h = pic_y - (top - cell_h)
    y = pic_y - leading
    move = CAMERA_LABELS.get(scene.camera, scene.camera.replace("_", " "))
    info = f"SHOT {shot.number}   {timecode(shot.start_frame, fps)}   {seconds_label(scene.duration_ms)}   {move}"
    blocks: list[tuple[str, tuple[float, float, float], list[str]]] = [
        (bold, INK, simpleSplit(info, bold, size, text_w)),
        (bold, INK, simpleSplit(one_line(scene.title), bold, size, text_w)),
        (regular, INK, simpleSplit(one_line(scene.description), regular, size, text_w)),
    ]
    for line in scene.dialogue:
        spoken = one_line(line.text)
        if spoken:
            who = one_line(line.character).upper()
            blocks.append((italic, MUTED, simpleSplit(f"{who}: {spoken}" if who else spoken, italic, size, text_w)))
    room = int((room_h - leading * 0.2) // leading)
    for font, colour, lines in blocks:
        if room <= 0:
            break
        kept, cut = _fit_lines(lines, font, size, text_w, room)
        canvas.setFont(font, size)
        canvas.setFillColorRGB(*colour)
        for text in kept:
            canvas.drawString(x, y, text)
            y -= leading
        room -= len(kept)
        if cut:
            break


def write_pdf(project_title: str, all_shots: list[Shot], fps: int, layout: str, paper: str, out: IO[bytes]) -> None:
    """The sheets as a PDF written to `out`."""
    regular, bold, _italic = fonts()
    columns, rows = PDF_LAYOUTS[layout]
    size = page_size(paper, layout)
    width, height = size
    cell_w, cell_h = _cells(size, columns, rows)
    per_page = columns * rows
    pages = max(1, page_count(len(all_shots), layout))
    title = one_line(project_title) or "Animatic"
    canvas = Canvas(out, pagesize=size, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setSubject("Storyboard")
    canvas.setCreator("Animatic Vision")
    for page in range(pages):
        canvas.setFont(bold, 11)
        canvas.setFillColorRGB(*INK)
        header_y = height - MARGIN - 12
        page_label = f"Page {page + 1}/{pages}"
        label_w = pdfmetrics.stringWidth(page_label, regular, 10)
        shown = simpleSplit(title, bold, 11, width - 2 * MARGIN - label_w - 20)[:1] or [""]
        canvas.drawString(MARGIN, header_y, shown[0])
        canvas.setFont(regular, 10)
        canvas.drawRightString(width - MARGIN, header_y, page_label)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, header_y - 6, width - MARGIN, header_y - 6)
        grid_top = height - MARGIN - HEADER
        for slot, shot in enumerate(all_shots[page * per_page : (page + 1) * per_page]):
            row, column = divmod(slot, columns)
            x = MARGIN + column * (cell_w + GUTTER)
            top = grid_top - row * (cell_h + GUTTER)
            _draw_panel(canvas, shot, fps, x, top, cell_w, cell_h)
        canvas.showPage()
    canvas.save()
