"""The staff admin pages for projects and assets."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from projects.models import Project
from scenes.models import Asset
from scenes.tests.factories import asset_make, characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(make_user) -> Client:
    client = Client()
    client.force_login(make_user(email="staff@example.com", role="admin"))
    return client


def test_project_list_shows_owner_status_scene_count_and_searches_title_and_owner_email(admin_client_, user, settings):
    project = project_make(owner=user, title="Harbour tale")
    scenes_make(project=project, durations=["10", "10"])
    project_make(owner=user, title="Other tale", status="draft")
    base = f"/{settings.DJANGO_ADMIN_URL}projects/project/"

    listing = admin_client_.get(base)
    by_title = admin_client_.get(base, {"q": "harbour"})
    by_email = admin_client_.get(base, {"q": "writer@example.com"})
    by_status = admin_client_.get(base, {"status__exact": "draft"})

    assert listing.status_code == 200
    assert "Harbour tale" in listing.content.decode()
    assert by_title.context["cl"].result_count == 1
    assert by_email.context["cl"].result_count == 2
    assert [p.title for p in by_status.context["cl"].result_list] == ["Other tale"]
    assert {p.title: p.scene_count for p in listing.context["cl"].result_list} == {"Harbour tale": 2, "Other tale": 0}


def test_project_page_shows_scenes_in_order_and_characters(admin_client_, user, settings):
    project = project_make(owner=user)
    scenes_make(project=project, durations=["10", "10"])
    characters_make(project=project, names=["Anna"])

    response = admin_client_.get(f"/{settings.DJANGO_ADMIN_URL}projects/project/{project.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Scene 0") < page.index("Scene 1")
    assert "Anna, tall" in page


def test_deleting_in_the_admin_removes_the_files(
    admin_client_, user, settings, media_root, django_capture_on_commit_callbacks
):
    project = project_make(owner=user)
    asset = asset_make(project=project)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            f"/{settings.DJANGO_ADMIN_URL}projects/project/{project.pk}/delete/", {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Project.objects.exists()
    assert not (media_root / asset.file.name).exists()


def test_asset_list_links_to_the_file(admin_client_, user, settings, media_root):
    asset_make(project=project_make(owner=user))

    response = admin_client_.get(f"/{settings.DJANGO_ADMIN_URL}scenes/asset/")

    assert response.status_code == 200
    found = re.search(r'href="(http://testserver/files/[^"]+)"', response.content.decode())
    assert found is not None
    link = found.group(1)
    opened = Client().get(urlsplit(link).path)  # the signed media link, no login needed
    assert opened.getvalue() == b"png bytes"
    assert Asset.objects.count() == 1
