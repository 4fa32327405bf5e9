"""Media links: signed, expiring links served by the app on local storage, presigned URLs on S3."""

from __future__ import annotations

import io
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from rest_framework.test import APIClient

from animatic_vision import media_links
from projects.models import ProjectStatus
from scenes.models import Asset, AssetKind, Scene
from scenes.tests.factories import project_make, scenes_make

pytestmark = pytest.mark.django_db

NOT_FOUND = {
    "detail": "This link is not valid: it was altered, has expired, or its file no longer exists.",
    "message": "This link is not valid: it was altered, has expired, or its file no longer exists.",
    "status_code": 404,
    "code": "media_link_not_found",
}


def png(colour: tuple[int, int, int] = (200, 40, 40), size: tuple[int, int] = (32, 18)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def stored(media_root) -> str:
    return default_storage.save("projects/1/frames/abc/scene-1.png", ContentFile(png()))


def link_to(name: str, **options: Any) -> str:
    """media_links.media_url for a name that has a file: a link, never None."""
    url = media_links.media_url(name, **options)
    assert url is not None
    return url


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_link_loads_the_file_without_cookies_with_its_type_and_caching(stored, settings):
    settings.MEDIA_URL_TTL_SECONDS = 86_400
    settings.MEDIA_URL_RENEW_SECONDS = 3600

    url = link_to(stored)
    response = APIClient().get(path_of(url), HTTP_ACCEPT="image/png")

    assert url.startswith("http://localhost:8000/files/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(png()))
    assert response.getvalue() == png()
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert response["Cache-Control"].startswith("private, ")
    assert 86_400 - 5 <= max_age <= 86_400 + 3600
    assert Image.open(io.BytesIO(png())).size == (32, 18)


def test_every_link_made_in_one_window_is_the_same_and_lives_at_least_the_ttl(stored, settings):
    settings.MEDIA_URL_TTL_SECONDS = 1000
    settings.MEDIA_URL_RENEW_SECONDS = 100
    start = 10_000 * 100

    first = link_to(stored, now=start + 1)
    same = link_to(stored, now=start + 99)
    later = link_to(stored, now=start + 100)

    assert first == same != later
    token = urlsplit(first).path.rsplit("/", 1)[1]
    assert media_links.media_link_resolve(token, now=start + 99 + 1000) == (stored, start + 100 + 1000)
    assert media_links.media_link_resolve(token, now=start + 100 + 1000) is None  # expired


@pytest.mark.parametrize(
    "alter",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: token.split(":")[0],  # no signature at all
    ],
)
def test_an_altered_link_is_404(stored, alter):
    token = urlsplit(link_to(stored)).path.rsplit("/", 1)[1]

    response = APIClient().get(f"/files/{alter(token)}")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_an_expired_link_is_404(stored, settings):
    settings.MEDIA_URL_TTL_SECONDS = 60
    settings.MEDIA_URL_RENEW_SECONDS = 60

    url = link_to(stored, now=time.time() - 500)
    response = APIClient().get(path_of(url))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_deleted_files_link_is_404(stored):
    url = link_to(stored)
    default_storage.delete(stored)

    response = APIClient().get(path_of(url))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_byte_range_is_answered_206_with_those_bytes(stored):
    url = link_to(stored)
    size = len(png())

    head = APIClient().get(path_of(url), HTTP_RANGE="bytes=0-9")
    tail = APIClient().get(path_of(url), HTTP_RANGE="bytes=-4")
    beyond = APIClient().get(path_of(url), HTTP_RANGE=f"bytes={size}-")

    assert head.status_code == 206
    assert head["Content-Range"] == f"bytes 0-9/{size}"
    assert head.getvalue() == png()[:10]
    assert tail.status_code == 206
    assert tail.getvalue() == png()[-4:]
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"


def test_links_name_the_host_the_request_came_to_or_the_configured_base(user_client, user, stored, settings):
    project = project_make(owner=user, status=ProjectStatus.SEGMENTED)
    (scene,) = scenes_make(project=project, durations=["20"])
    asset = Asset.objects.create(project=project, scene=scene, kind=AssetKind.BACKGROUND, file=stored)
    Scene.objects.filter(pk=scene.pk).update(background=asset)

    settings.ALLOWED_HOSTS = ["api.example.test", "testserver"]
    served = user_client.get(f"/projects/{project.pk}", HTTP_HOST="api.example.test")
    settings.MEDIA_LINK_BASE_URL = "https://cdn.example.test"
    configured = user_client.get(f"/projects/{project.pk}/scenes")

    assert served.json()["scenes"][0]["background_path"].startswith("http://api.example.test/files/")
    assert configured.json()["data"][0]["background_path"].startswith("https://cdn.example.test/files/")


def test_a_cached_project_answer_is_not_served_past_its_links_window(user_client, user, stored, settings, monkeypatch):
    settings.MEDIA_URL_TTL_SECONDS = 1000
    settings.MEDIA_URL_RENEW_SECONDS = 100
    project = project_make(owner=user, status=ProjectStatus.SEGMENTED)
    (scene,) = scenes_make(project=project, durations=["20"])
    asset = Asset.objects.create(project=project, scene=scene, kind=AssetKind.FRAME, file=stored)
    Scene.objects.filter(pk=scene.pk).update(frame=asset)
    clock = [5_000_000.0]
    monkeypatch.setattr(media_links.time, "time", lambda: clock[0])

    first = user_client.get(f"/projects/{project.pk}").json()["scenes"][0]["frame_path"]
    again = user_client.get(f"/projects/{project.pk}").json()["scenes"][0]["frame_path"]
    clock[0] += 100
    renewed = user_client.get(f"/projects/{project.pk}").json()["scenes"][0]["frame_path"]

    assert first == again
    assert renewed != first
    token = urlsplit(renewed).path.rsplit("/", 1)[1]
    assert media_links.media_link_resolve(token, now=clock[0] + 1000) == (stored, 5_000_100 + 100 + 1000)


# --- S3-compatible object storage, against moto's standalone server on 127.0.0.1 ------------------


@pytest.fixture
def s3_storage(settings):
    from moto.server import ThreadedMotoServer
    from storages.backends.s3 import S3Storage

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    options = {
        "bucket_name": "animatic-test",
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": "testing",
        "secret_key": "testing",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "querystring_auth": True,
        "default_acl": None,
        "file_overwrite": False,
    }
    storage = S3Storage(**options)
    storage.connection.meta.client.create_bucket(Bucket="animatic-test")
    try:
        yield storage, endpoint
    finally:
        server.stop()


def test_on_s3_a_link_is_a_presigned_url_for_the_ttl_that_loads_the_object(s3_storage, settings):
    storage, endpoint = s3_storage
    settings.MEDIA_URL_TTL_SECONDS = 3600
    settings.MEDIA_URL_RENEW_SECONDS = 60
    name = storage.save("projects/7/frames/t1/scene-1.png", ContentFile(png((10, 120, 200))))

    url = link_to(name, storage=storage)
    query = parse_qs(urlsplit(url).query)
    loaded = httpx.get(url)
    tampered = httpx.get(url.replace("scene-1.png", "scene-2.png"))

    assert url.startswith(f"{endpoint}/animatic-test/projects/7/frames/t1/scene-1")
    assert 3600 <= int(query["X-Amz-Expires"][0]) <= 3600 + 60
    assert "X-Amz-Signature" in query
    assert loaded.status_code == 200
    assert Image.open(io.BytesIO(loaded.content)).getpixel((0, 0)) == (10, 120, 200)
    assert tampered.status_code in {403, 404}
    assert not media_links.serves_files_itself(storage)


# --- The embedded default (`make run`): only signed links serve files -----------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/media/projects/1/frames/abc/scene-1.png",  # the file's storage name under MEDIA_URL
        "/media/projects/1/frames/abc/scene-1.png/",
        "/files/projects/1/frames/abc/scene-1.png",  # the name in place of a token
    ],
)
def test_on_the_default_set_up_a_file_is_never_served_by_its_path(stored, settings, path):
    assert settings.IS_DEVELOPMENT  # what `make run` runs...
    assert media_links.serves_files_itself()  # ...on local storage
    assert (settings.MEDIA_ROOT / stored).is_file()

    response = APIClient().get(path)

    assert response.status_code == 404
    assert png() not in response.content
    assert response.json()["status_code"] == 404


def test_on_the_default_set_up_a_frame_loads_without_cookies_only_through_its_signed_link(
    user_client, user, stored, settings
):
    settings.MEDIA_URL_TTL_SECONDS = 60
    settings.MEDIA_URL_RENEW_SECONDS = 60
    project = project_make(owner=user, status=ProjectStatus.SEGMENTED)
    (scene,) = scenes_make(project=project, durations=["20"])
    asset = Asset.objects.create(project=project, scene=scene, kind=AssetKind.FRAME, file=stored)
    Scene.objects.filter(pk=scene.pk).update(frame=asset)
    link = user_client.get(f"/projects/{project.pk}").json()["scenes"][0]["frame_path"]
    token = urlsplit(link).path.rsplit("/", 1)[1]
    stranger = APIClient()  # anyone: no cookies

    signed = stranger.get(path_of(link))
    by_path = stranger.get(f"/media/{stored}")
    altered = stranger.get(f"/files/{token[:-2]}{'AA' if token[-2:] != 'AA' else 'BB'}")
    expired = stranger.get(path_of(link_to(stored, now=time.time() - 500)))

    assert signed.status_code == 200
    assert signed.getvalue() == png()
    assert [by_path.status_code, altered.status_code, expired.status_code] == [404, 404, 404]
    assert altered.json() == expired.json() == NOT_FOUND
    assert png() not in by_path.content + altered.content + expired.content


def test_a_remembered_link_still_follows_the_secret_key_and_the_script_prefix(settings, media_root):
    from django.urls import set_script_prefix

    first = media_links.media_url("projects/1/a.png")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    second = media_links.media_url("projects/1/a.png")
    set_script_prefix("/api/")
    try:
        prefixed = media_links.media_url("projects/1/a.png")
    finally:
        set_script_prefix("/")

    assert first is not None
    assert second is not None
    assert prefixed is not None
    assert first != second  # signed with the key in force, not a remembered one
    token = urlsplit(second).path.removeprefix("/files/")
    assert media_links.media_link_resolve(token) is not None
    assert urlsplit(prefixed).path == "/api" + urlsplit(second).path
