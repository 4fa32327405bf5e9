"""The file readers: each format to story text, and hostile files refused with a reason."""

from __future__ import annotations

import codecs
import functools
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from story import SegmentOptions, segment
from story.importers import MAX_FILE_BYTES, StoryFileError, read_story_file
from story.importers.word import MAX_UNCOMPRESSED_BYTES

DATA = Path(__file__).parent / "data" / "imports"


def read(name: str):
    return read_story_file((DATA / name).read_bytes(), name)


def heading_titles(text: str) -> list[str]:
    return [scene.title for scene in segment(text, 60, SegmentOptions(format="auto")).scenes]


def test_fdx_becomes_fountain_with_its_elements():
    imported = read("night_ferry.fdx")
    assert imported.title == "NIGHT FERRY"
    assert imported.source_format == "fdx"
    text = imported.text
    assert "EXT. HARBOUR PIER - NIGHT\n\nRain hammers the planks." in text
    assert "MARA\n(shouting over the wind)\nHold the gangway! I have a ticket!" in text
    # Dual dialogue: the second cue carries Fountain's caret.
    assert "OSKAR\nLast crossing. No refunds.\n\nMARA ^\nI never asked for one." in text
    # Style runs of one paragraph are joined; a shot in capitals is forced to action, not read as a cue.
    assert "hurries toward a rusting ferry whose" in text
    assert "!CLOSE ON THE LANTERN" in text
    assert "CUT TO:" in text
    assert "FADE OUT." in text


@pytest.mark.parametrize(
    ("name", "headings", "cast"),
    [
        (
            "night_ferry.fdx",
            [
                "EXT. HARBOUR PIER - NIGHT",
                "INT. FERRY CABIN - CONTINUOUS",
                "EXT. FERRY DECK - LATER",
                "EXT. ISLAND JETTY - DAWN",
            ],
            {"Mara", "Oskar"},
        ),
        (
            "paper_kites.fdx",
            ["INT. SCHOOL CLASSROOM - DAY", "EXT. HILLTOP - AFTERNOON", "INT. KITCHEN - NIGHT"],
            {"Lena", "Tomas", "Mother", "Teacher"},
        ),
        (
            "last_tram.docx",
            [
                "INT. TRAM DEPOT - NIGHT",
                "EXT. CITY STREET - CONTINUOUS",
                "INT. TRAM - MOMENTS LATER",
                "EXT. RIVER EMBANKMENT - DAWN",
            ],
            {"Jonas", "Elsa"},
        ),
    ],
)
def test_imported_scripts_segment_one_scene_per_heading(name, headings, cast):
    imported = read(name)
    result = segment(imported.text, 60, SegmentOptions(format="auto"))
    assert result.format == "screenplay"
    titles = [scene.title for scene in result.scenes]
    assert [title for title in titles if title in headings] == headings
    assert {character.name for character in result.characters} >= cast


def test_word_screenplay_keeps_cues_parentheticals_and_indented_speech():
    imported = read("last_tram.docx")
    assert imported.title == "The Last Tram"
    assert "JONAS\n(to himself)\nForty years. Not one late departure." in imported.text
    # Two speech paragraphs at the dialogue indent stay one speech; the unindented one after it is action.
    assert "JONAS\nNext stop, the river.\nHold on tight.\n\nElsa laughs for the first time." in imported.text


def test_word_story_headings_become_chapter_breaks_and_the_title_is_not_one():
    imported = read("clockmakers_apprentice.docx")
    assert imported.title == "The Clockmaker's Apprentice"
    assert imported.source_format == "docx"
    assert imported.text.startswith("# Chapter One\n\nAda swept the workshop")
    assert imported.text.count("\n# Chapter") == 2
    titles = heading_titles(imported.text)
    assert titles[0] == "Chapter One"
    assert "Chapter Two" in titles
    assert "Chapter Three" in titles


def test_fountain_is_kept_as_it_is_and_titled_from_its_title_page():
    script = "Title:\n    _**Harbour Lights**_\nAuthor: Someone\n\nINT. ROOM - DAY\n\nA room.\n"
    imported = read_story_file(script.encode(), "harbour.fountain")
    assert imported.text == script
    assert imported.title == "Harbour Lights"
    assert read_story_file(b"INT. ROOM - DAY\n\nA room.\n", "x.fountain").title is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "Caf\u00e9 au lait.\r\nNext line.".encode(), "Caf\u00e9 au lait.\nNext line."),
        (codecs.BOM_UTF16_LE + "Na\u00efve\r\nfa\u00e7ade".encode("utf-16-le"), "Na\u00efve\nfa\u00e7ade"),
        (codecs.BOM_UTF16_BE + "\u00dcber\rall".encode("utf-16-be"), "\u00dcber\nall"),
        ("R\u00e9sum\u00e9 \u2014 fine.".encode(), "R\u00e9sum\u00e9 \u2014 fine."),
        (b"Caf\xe9 \x93quoted\x94", "Caf\u00e9 \u201cquoted\u201d"),  # Windows-1252
    ],
)
def test_text_encodings_are_detected_and_line_endings_normalised(data, expected):
    assert read_story_file(data, "story.txt").text == expected


def test_markdown_keeps_headings_as_chapter_breaks_and_takes_the_first_as_title():
    text = "The Long Road\n=============\n\nIt began.\n\nPart Two\n--------\n\nIt went on.\n"
    imported = read_story_file(text.encode(), "road.md")
    assert imported.title == "The Long Road"
    assert imported.source_format == "md"
    assert imported.text == "# The Long Road\n\nIt began.\n\n## Part Two\n\nIt went on.\n"


def billion_laughs() -> bytes:
    lines = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE FinalDraft [\n' + "\n".join(lines) + "\n]>\n"
        '<FinalDraft><Content><Paragraph Type="Action"><Text>&lol9;</Text></Paragraph></Content></FinalDraft>'
    ).encode()


def xxe(target: Path) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE FinalDraft [<!ENTITY secret SYSTEM "file://{target}">]>\n'
        '<FinalDraft><Content><Paragraph Type="Action"><Text>&secret;</Text></Paragraph></Content></FinalDraft>'
    ).encode()


@functools.cache
def docx_bomb() -> bytes:
    """A valid-looking .docx whose one extra member declares 1 GB uncompressed (zeros deflate ~1000:1)."""
    buffer = io.BytesIO((DATA / "clockmakers_apprentice.docx").read_bytes())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        chunk = b"\0" * (1024 * 1024)
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(chunk)
    return buffer.getvalue()


def macro_docx() -> bytes:
    buffer = io.BytesIO((DATA / "clockmakers_apprentice.docx").read_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"macro")
    return buffer.getvalue()


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("laughs.fdx", lambda tmp: billion_laughs(), "declares a DTD or entities"),
        ("xxe.fdx", lambda tmp: xxe(tmp / "secret.txt"), "declares a DTD or entities"),
        ("picture.fdx", lambda tmp: PNG_HEADER, "not a Final Draft (XML) file"),
        ("broken.fdx", lambda tmp: b"<FinalDraft><Content>", "not well-formed XML"),
        ("other.fdx", lambda tmp: b"<html><body/></html>", "root is <html>"),
        ("bomb.docx", lambda tmp: docx_bomb(), "unpacks to"),
        ("macro.docx", lambda tmp: macro_docx(), "Macro-enabled"),
        ("locked.docx", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
        ("notzip.docx", lambda tmp: b"Just some text, named .docx", "not a zip archive"),
        ("broken.docx", lambda tmp: b"PK\x03\x04garbage", "not a readable Word document"),
        ("mixed.txt", lambda tmp: "Caf\u00e9 ".encode() + b"\xc0\xaf broken", "not valid UTF-8"),
        ("binary.txt", lambda tmp: b"text\x00\x01\x02 with nulls", "binary data"),
        ("undefined.txt", lambda tmp: b"bad \x81 byte", "not text in UTF-8"),
        ("huge.txt", lambda tmp: b"a" * (MAX_FILE_BYTES + 1), "limit is"),
        ("story.pdf", lambda tmp: b"%PDF-1.7", "not a file we can import"),
        ("empty.txt", lambda tmp: b"  \n\n ", "empty"),
    ],
)
def test_hostile_and_unreadable_files_are_refused_with_a_reason(tmp_path, name, make, message):
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    with pytest.raises(StoryFileError, match=re.escape(message)) as refused:
        read_story_file(make(tmp_path), name)
    assert "TOP SECRET" not in str(refused.value)
    assert refused.value.too_large == (name in ("bomb.docx", "huge.txt"))


def test_docx_size_check_reads_declared_sizes_before_decompressing():
    # The bomb is small on disk: the refusal comes from the central directory, not from inflating it.
    bomb = docx_bomb()
    assert len(bomb) < 5 * 1024 * 1024
    assert sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > MAX_UNCOMPRESSED_BYTES


def test_a_word_table_is_read_where_it_stands():
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Left cell."
    table.cell(0, 1).text = "Right cell."
    document.add_paragraph("After the table.")
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_story_file(buffer.getvalue(), "table.docx").text
    assert text == "Before the table.\n\nLeft cell.\n\nRight cell.\n\nAfter the table.\n"


@pytest.mark.parametrize(
    ("sample", "expected_format"),
    [("night_ferry.fdx", "fdx"), ("clockmakers_apprentice.docx", "docx"), ("lighthouse.fountain", "txt")],
)
def test_a_name_that_says_no_type_leaves_the_content_to_decide(sample, expected_format):
    path = DATA / sample if (DATA / sample).exists() else DATA.parent / sample

    imported = read_story_file(path.read_bytes(), "blob")

    assert imported.source_format == expected_format
    assert imported.text.strip()


@pytest.mark.parametrize(
    ("sample", "name", "message"),
    [
        ("night_ferry.fdx", "script.fountain", "named .fountain but holds a Final Draft script: name it .fdx"),
        ("night_ferry.fdx", "script.txt", "named .txt but holds a Final Draft script"),
        ("clockmakers_apprentice.docx", "story.md", "named .md but holds a zip archive"),
        ("clockmakers_apprentice.docx", "story.fdx", "named .fdx but holds a zip archive"),
    ],
)
def test_a_name_that_says_another_format_than_the_content_is_refused(sample, name, message):
    with pytest.raises(StoryFileError, match=re.escape(message)):
        read_story_file((DATA / sample).read_bytes(), name)
