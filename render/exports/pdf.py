"""Storyboard sheets as a PDF: a grid of panels per page, for print and for review.

Each page's header names the project and says "Page n/N"; there is no cover page, so the page
count is the number of scenes divided by the panels a page holds, rounded up. Each panel shows
the frame (letterboxed in 16:9) with the camera move marked once: a frame composed by
render.panels.draw_frame (`SceneSheet.frame_shows_camera`) carries its own marks, as the client
shows it; over any other picture, and over the empty box of a scene without one, the sheet draws
the move's first framing (dashed), its last framing (solid) and arrows between them, with the
same geometry (render.panels.camera_boxes). Then a line with the shot number, the
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
from render.exports.pdfimages import PrintImages, draw_embeddable, image_key, print_side
from render.panels import camera_boxes
from render.types import PDF_LAYOUTS

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
MARGIN = 28.0  # points: about 10 mm
PRINT_DPI = 200  # pixels per inch the frames keep in the sheet; a large frame is scaled down to it
GUTTER = 12.0
HEADER = 22.0
PICTURE_ASPECT = 16 / 9
TITLE_MAX_LINES = 2
DESCRIPTION_MIN_LINES = 2
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
    """The move's first framing (dashed), last framing (solid) and arrows, over the picture at (x, y, w, h),
    with the geometry the drawn frames use (render.panels.camera_boxes)."""
    boxes = camera_boxes(camera)
    if boxes is None:
        return

    def box(fractions: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        left, top, right, bottom = fractions  # y downwards on the picture, upwards on the page
        return x + left * w, y + (1 - bottom) * h, (right - left) * w, (bottom - top) * h

    line = max(0.6, w / 250)
    first, last = box(boxes[0]), box(boxes[1])
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


def _draw_panel(
    canvas: Canvas,
    shot: Shot,
    fps: int,
    x: float,
    top: float,
    cell_w: float,
    cell_h: float,
    images: PrintImages,
) -> None:
    regular, bold, italic = fonts()
    scene = shot.scene
    pic_w, pic_h = _picture_size(cell_w, cell_h)
    pic_x, pic_y = x + (cell_w - pic_w) / 2, top - pic_h  # centred when the cell is wider than the picture
    canvas.setFillColorRGB(0.93, 0.93, 0.94)
    canvas.rect(pic_x, pic_y, pic_w, pic_h, stroke=0, fill=1)
    frame = Path(scene.frame) if scene.frame is not None else None
    image = images.get(frame) if frame is not None else None
    if frame is not None and image is not None:
        scale = min(pic_w / image.width, pic_h / image.height)
        w, h = image.width * scale, image.height * scale
        draw_embeddable(canvas, image, image_key(frame), pic_x + (pic_w - w) / 2, pic_y + (pic_h - h) / 2, w, h)
    else:
        canvas.setFillColorRGB(*MUTED)
        canvas.setFont(regular, max(6.0, pic_h / 14))
        canvas.drawCentredString(pic_x + pic_w / 2, pic_y + pic_h / 2, "no frame")
    if image is None or not scene.frame_shows_camera:  # a composed frame has the move drawn already
        _draw_move(canvas, scene.camera, pic_x, pic_y, pic_w, pic_h)
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.6)
    canvas.rect(pic_x, pic_y, pic_w, pic_h, stroke=1, fill=0)

    size = max(6.0, min(10.0, cell_w / 34))
    leading = size * 1.22
    text_w = pic_w  # the text lines up under the picture
    room_h = pic_y - (top - cell_h)
    y = pic_y - leading
    move = scene.camera.replace("_", " ")
    info = f"SHOT {shot.number}   {timecode(shot.start_frame, fps)}   {seconds_label(scene.duration_ms)}   {move}"
    heading = [
        (bold, INK, simpleSplit(info, bold, size, text_w)),
        (bold, INK, simpleSplit(one_line(scene.title), bold, size, text_w)[:TITLE_MAX_LINES]),
    ]
    description = simpleSplit(one_line(scene.description), regular, size, text_w)
    dialogue: list[tuple[str, tuple[float, float, float], list[str]]] = []
    for line in scene.dialogue:
        spoken = one_line(line.text)
        if spoken:
            who = one_line(line.character).upper()
            dialogue.append((italic, MUTED, simpleSplit(f"{who}: {spoken}" if who else spoken, italic, size, text_w)))
    room = int((room_h - leading * 0.2) // leading)
    # The dialogue matters more than the end of a long description: the description keeps at least
    # its first DESCRIPTION_MIN_LINES and gives up the rest of its lines to the dialogue.
    after_heading = room - sum(len(lines) for _f, _c, lines in heading)
    spoken_lines = sum(len(lines) for _f, _c, lines in dialogue)
    description_room = min(
        len(description), max(min(DESCRIPTION_MIN_LINES, len(description)), after_heading - spoken_lines)
    )
    blocks = [*heading, (regular, INK, description), *dialogue]
    budgets = [None, None, description_room] + [None] * len(dialogue)
    plan: list[tuple[str, tuple[float, float, float], str]] = []
    left_out = False
    for (font, colour, lines), budget in zip(blocks, budgets, strict=True):
        limit = max(0, room if budget is None else min(room, budget))
        if len(lines) > limit:
            left_out = left_out or budget is None  # a description cut to its budget ends with its own ellipsis
            if budget is not None and limit:
                lines = _fit_lines(lines, font, size, text_w, limit)[0]
            else:
                lines = lines[:limit]
        plan.extend((font, colour, text) for text in lines)
        room -= len(lines)
    if left_out and plan:
        font, colour, text = plan[-1]
        if not text.endswith("…"):
            plan[-1] = (font, colour, _fit_lines([text, ""], font, size, text_w, 1)[0][0])
    for font, colour, text in plan:
        canvas.setFont(font, size)
        canvas.setFillColorRGB(*colour)
        canvas.drawString(pic_x, y, text)
        y -= leading


def write_pdf(
    project_title: str,
    all_shots: list[Shot],
    fps: int,
    layout: str,
    paper: str,
    out: IO[bytes],
    cache_dir: Path | None = None,
) -> None:
    """The sheets as a PDF written to `out`; `cache_dir` keeps the frames scaled for print between exports."""
    regular, bold, _italic = fonts()
    columns, rows = PDF_LAYOUTS[layout]
    size = page_size(paper, layout)
    width, height = size
    cell_w, cell_h = _cells(size, columns, rows)
    per_page = columns * rows
    pic_w, _pic_h = _picture_size(cell_w, cell_h)
    frames = [Path(shot.scene.frame) for shot in all_shots if shot.scene.frame is not None]
    # The frames load on a few threads while the panels are drawn, in the order the panels need them.
    with PrintImages(frames, print_side(pic_w / 72 * PRINT_DPI), cache_dir) as images:
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
                _draw_panel(canvas, shot, fps, x, top, cell_w, cell_h, images)
            canvas.showPage()
    canvas.save()
