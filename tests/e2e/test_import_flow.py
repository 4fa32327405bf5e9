"""Importing scripts through the real server: a Final Draft and a Word file become projects that segment by heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.processes import Stack
from projects.models import Project
from tests.e2e.flows import import_file, sign_up_and_log_in, wait_for_status

pytestmark = [pytest.mark.mysql, pytest.mark.redis]

IMPORTS = Path(__file__).resolve().parents[2] / "story" / "tests" / "data" / "imports"


@pytest.mark.parametrize(
    ("name", "headings", "cast"),
    [
        (
            "paper_kites.fdx",
            ["INT. SCHOOL CLASSROOM - DAY", "EXT. HILLTOP - AFTERNOON", "INT. KITCHEN - NIGHT"],
            {"Lena", "Tomas", "Mother"},
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
def test_writer_imports_a_script_and_segments_it(stack: Stack, name, headings, cast):
    browser = stack.browser()
    sign_up_and_log_in(browser)

    imported = import_file(browser, IMPORTS / name, duration_sec="40")
    assert imported.status == 201, imported.body
    project_id = imported.data["id"]
    assert imported.data["source_format"] == Path(name).suffix[1:]
    assert Project.objects.get(pk=project_id).source_format == Path(name).suffix[1:]

    started = browser.post(f"/projects/{project_id}/segment", {})
    assert started.status == 202, started.body
    detail = wait_for_status(browser, project_id, {"segmented", "failed"}, timeout=60)
    assert detail["status"] == "segmented", detail["segmentation"]
    assert detail["segmentation"]["format"] == "screenplay"
    assert [scene["title"] for scene in detail["scenes"]] == headings
    assert {character["name"] for character in detail["characters"]} >= cast
    assert sum(float(scene["duration_sec"]) for scene in detail["scenes"]) == pytest.approx(40)


def test_a_hostile_file_through_the_server_stores_nothing(stack: Stack, tmp_path: Path):
    browser = stack.browser()
    sign_up_and_log_in(browser)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = tmp_path / "xxe.fdx"
    xxe.write_text(
        f'<?xml version="1.0"?><!DOCTYPE FinalDraft [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<FinalDraft><Content><Paragraph Type="Action"><Text>&s;</Text></Paragraph></Content></FinalDraft>'
    )
    refused = import_file(browser, xxe)
    assert refused.status == 400, refused.body
    assert "TOP SECRET" not in str(refused.body)
    assert refused.body["status_code"] == 400
    assert browser.get("/projects").body == []
