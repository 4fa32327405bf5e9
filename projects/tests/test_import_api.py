"""POST /projects/import: a script or manuscript file becomes a draft project; a refused file stores nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT, encode_multipart

from projects.models import Project, ProjectStatus, SourceFormat
from story.importers import MAX_FILE_BYTES

pytestmark = pytest.mark.django_db

IMPORTS = Path(__file__).resolve().parents[2] / "story" / "tests" / "data" / "imports"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (IMPORTS / name).read_bytes() if content is None else content)


@pytest.mark.parametrize("path", ["/projects/import", "/projects/import/"])
def test_import_of_a_final_draft_script_creates_a_fountain_draft(user_client, user, path):
    response = user_client.post(path, {"file": upload("night_ferry.fdx"), "duration_sec": "45"}, format="multipart")

    assert response.status_code == 201, response.content
    project = Project.objects.get()
    body = response.json()
    assert body["message"] == "Project created successfully"
    assert body["status_code"] == 201
    assert body["data"]["id"] == project.pk
    assert body["data"]["title"] == "NIGHT FERRY"  # from the title page
    assert body["data"]["source_format"] == "fdx"
    assert body["data"]["status"] == "draft"
    assert body["data"]["duration_sec"] == 45
    assert body["data"]["story_text"] == project.story_text
    assert project.owner == user
    assert project.source_format == SourceFormat.FDX
    assert project.status == ProjectStatus.DRAFT
    assert "EXT. HARBOUR PIER - NIGHT\n\nRain hammers the planks." in project.story_text


def test_given_title_wins_and_a_word_story_keeps_its_chapters(user_client):
    response = user_client.post(
        "/projects/import",
        {"file": upload("clockmakers_apprentice.docx"), "title": "  My Clockmaker  "},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    project = Project.objects.get()
    assert project.title == "My Clockmaker"
    assert project.source_format == "docx"
    assert project.duration_sec == 20
    assert project.story_text.startswith("# Chapter One\n\n")


def test_a_text_file_without_a_title_is_named_after_the_file(user_client):
    response = user_client.post(
        "/projects/import", {"file": upload("the_long_walk.txt", b"They walked all night.\n")}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert Project.objects.get().title == "the_long_walk"


def test_a_browser_blob_without_a_type_in_its_name_is_read_by_its_content(user_client):
    blob = SimpleUploadedFile("blob", (IMPORTS / "paper_kites.fdx").read_bytes())

    response = user_client.post("/projects/import", {"file": blob}, format="multipart")

    assert response.status_code == 201, response.content
    project = Project.objects.get()
    assert project.source_format == "fdx"
    assert "INT." in project.story_text or "EXT." in project.story_text


def test_a_file_name_not_in_utf8_is_named_as_the_cause_of_the_missing_file(user_client):
    """Django's parser drops a part whose headers are not UTF-8; the answer says why no file came."""
    body = (
        b'--xx\r\nContent-Disposition: form-data; name="file"; filename="caf\xe9.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nThey walked all night.\n\r\n--xx--\r\n"
    )
    response = user_client.generic("POST", "/projects/import", body, content_type="multipart/form-data; boundary=xx")

    assert response.status_code == 400
    assert "file name in UTF-8" in response.json()["detail"]
    assert not Project.objects.exists()


def test_the_detail_shows_the_source_format(user_client):
    user_client.post("/projects/import", {"file": upload("paper_kites.fdx")}, format="multipart")
    project = Project.objects.get()
    detail = user_client.get(f"/projects/{project.pk}").json()
    assert detail["source_format"] == "fdx"
    assert user_client.get("/projects").json()[0]["source_format"] == "fdx"


@pytest.mark.django_db(transaction=True)
def test_imported_script_segments_one_scene_per_heading(user_client, inline_tasks):
    user_client.post("/projects/import", {"file": upload("paper_kites.fdx")}, format="multipart")
    project = Project.objects.get()
    response = user_client.post(f"/projects/{project.pk}/segment", {}, format="json")
    assert response.status_code == 202, response.content
    detail = user_client.get(f"/projects/{project.pk}").json()
    assert [scene["title"] for scene in detail["scenes"]] == [
        "INT. SCHOOL CLASSROOM - DAY",
        "EXT. HILLTOP - AFTERNOON",
        "INT. KITCHEN - NIGHT",
    ]
    assert set(detail["scenes"][1]["characters"]) >= {"Lena", "Tomas"}


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE FinalDraft [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    b'<FinalDraft><Content><Paragraph Type="Action"><Text>&b;</Text></Paragraph></Content></FinalDraft>'
)


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("laughs.fdx", BILLION_LAUGHS, 400, "DTD or entities"),
        ("image.fdx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, 400, "not a Final Draft"),
        ("text.docx", b"Plain words, not a zip.", 400, "not a zip archive"),
        ("broken.txt", b"caf\xc3\xa9 then \xc0\xaf", 400, "not valid UTF-8"),
        ("slides.pptx", b"PK\x03\x04", 400, "not a file we can import"),
        ("script.fountain", BILLION_LAUGHS, 400, "holds a Final Draft script: name it .fdx"),
    ],
)
def test_refused_files_answer_a_contract_error_and_store_nothing(user_client, name, content, status, words):
    response = user_client.post("/projects/import", {"file": upload(name, content)}, format="multipart")

    assert response.status_code == status, response.content
    body = response.json()
    assert body["status_code"] == status
    assert words in body["detail"]
    assert body["errors"]["file"] == [body["detail"]]
    assert not Project.objects.exists()


def test_a_story_over_the_length_limit_says_how_long_it_is(user_client):
    text = ("word " * 110_000).encode()  # 550,000 characters, under 5 MB
    response = user_client.post("/projects/import", {"file": upload("long.txt", text)}, format="multipart")
    assert response.status_code == 400
    assert "550,000 characters" in response.json()["detail"]
    assert not Project.objects.exists()


def test_a_declared_body_over_5_mb_is_refused_before_it_is_read(user_client):
    response = user_client.post(
        "/projects/import", data=b"", content_type=MULTIPART_CONTENT, CONTENT_LENGTH=str(6 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "5 MB" in response.json()["detail"]
    assert not Project.objects.exists()


def test_a_file_over_5_mb_is_stopped_while_it_streams(user_client):
    body = encode_multipart("BoUnDaRy", {"file": SimpleUploadedFile("big.txt", b"a" * (MAX_FILE_BYTES + 10))})
    # A body whose Content-Length hides its size (as a chunked request would): the upload handler counts.
    response = user_client.generic(
        "POST",
        "/projects/import",
        data=body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(len(body)),
    )
    assert response.status_code == 413
    assert response.json()["errors"]["file"][0].startswith("The file is larger than")
    assert not Project.objects.exists()


def test_missing_file_and_json_bodies_are_400(user_client):
    missing = user_client.post("/projects/import", {"title": "No file"}, format="multipart")
    assert missing.status_code == 400
    assert "field `file`" in missing.json()["errors"]["file"][0]
    as_json = user_client.post("/projects/import", {"file": "text"}, format="json")
    assert as_json.status_code == 415
    assert not Project.objects.exists()


def test_import_needs_a_login(api_client):
    response = api_client.post("/projects/import", {"file": io.BytesIO(b"x")}, format="multipart")
    assert response.status_code == 401
    assert not Project.objects.exists()
