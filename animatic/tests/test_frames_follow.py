"""Composed frames follow their scenes: an edit recomposes them over the background they have, and a frame
left stale is composed again by the next frames job, render or export. Nothing is generated again."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from animatic import frames, sheets
from projects.models import Project
from render import panels
from scenes.models import Asset, AssetKind, Character, Scene
from scenes.tests.factories import characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(user) -> Project:
    project = project_make(owner=user, title="The Harbour", duration_sec=20)
    scenes_make(project=project, durations=["5", "5", "10"], characters=[["Anna", "Ben"], ["Ben"], []])
    characters_make(project=project, names=["Anna", "Ben"])
    return project


@pytest.fixture
def drawn(user_client, project, django_capture_on_commit_callbacks) -> Project:
    """The project with every background, character image and frame drawn by a frames job."""
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/projects/{project.pk}/frames", {}, format="json")
    assert response.status_code == 202
    assert all(scene.frame_id and scene.background_id for scene in scenes_of(project))
    return project


@pytest.fixture
def no_generation(monkeypatch):
    """Fails the test if anything asks an image generator for a picture (a recomposition must not)."""

    def refuse(*args, **kwargs):
        raise AssertionError("an image generator was asked for a picture")

    monkeypatch.setattr(frames, "image_generator", refuse)


def scenes_of(project: Project) -> list[Scene]:
    return list(Scene.objects.filter(project=project).select_related("frame", "background").order_by("scene_index"))


def frame_pixels(scene: Scene) -> bytes:
    assert scene.frame is not None
    return Path(scene.frame.file.path).read_bytes()


def is_stale(project: Project) -> list[bool]:
    scenes = scenes_of(project)
    looks = frames.character_looks(Character.objects.filter(project=project))
    return [frames.frame_is_stale(scene, looks=looks, scene_count=len(scenes)) for scene in scenes]


def fetch(client, url: str) -> bytes:
    """A media link's file, loaded without cookies as a browser would."""
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def patch(client, scene: Scene, body: dict):
    response = client.patch(f"/projects/{scene.project_id}/scenes/{scene.pk}", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_a_frames_job_records_what_each_frame_shows(drawn):
    assert is_stale(drawn) == [False, False, False]
    assert all(len(scene.frame.meta[frames.FRAME_SHOWS]) == 32 for scene in scenes_of(drawn) if scene.frame)


def test_patching_the_camera_recomposes_that_frame_over_the_same_background(
    user_client, api_client, drawn, media_root, no_generation, django_capture_on_commit_callbacks
):
    before = scenes_of(drawn)
    old_frame_file = before[0].frame.file.name if before[0].frame else ""

    with django_capture_on_commit_callbacks(execute=True):
        data = patch(user_client, before[0], {"camera": "push_in"})

    after = scenes_of(drawn)
    assert after[0].frame_id != before[0].frame_id
    assert fetch(api_client, data["frame_path"]) == frame_pixels(after[0])  # the answer links the new frame
    assert not (media_root / old_frame_file).exists()  # the replaced frame's file went after the commit
    assert [s.background_id for s in after] == [s.background_id for s in before]  # backgrounds kept
    assert [s.frame_id for s in after[1:]] == [s.frame_id for s in before[1:]]  # the others still show theirs
    assert is_stale(drawn) == [False, False, False]
    assert Asset.objects.filter(project=drawn, kind=AssetKind.FRAME).count() == 3


def test_the_recomposed_frame_shows_the_new_camera_marks(user_client, drawn, no_generation):
    before = scenes_of(drawn)[2]  # no characters: only the overlays can differ
    old = frame_pixels(before)

    patch(user_client, before, {"camera": "pan_left"})
    moved = frame_pixels(scenes_of(drawn)[2])
    patch(user_client, before, {"camera": "static"})
    back = frame_pixels(scenes_of(drawn)[2])

    assert moved != old
    assert back == old  # the same scene composed over the same background: the same pixels


def test_a_new_duration_recomposes_every_slate_it_moves(user_client, drawn, no_generation):
    before = scenes_of(drawn)

    patch(user_client, before[1], {"duration_sec": "8"})

    after = scenes_of(drawn)
    assert all(a.frame_id != b.frame_id for a, b in zip(after, before, strict=True))  # every start or length moved
    assert [s.background_id for s in after] == [s.background_id for s in before]
    assert is_stale(drawn) == [False, False, False]


def test_an_edit_that_the_frame_does_not_show_keeps_the_frame(user_client, drawn):
    before = scenes_of(drawn)

    patch(user_client, before[0], {"character_prompts": ["Anna, in oils", "Ben, in oils"]})

    assert [s.frame_id for s in scenes_of(drawn)] == [s.frame_id for s in before]


def test_new_looks_recompose_the_frames_of_the_scenes_showing_the_character(user_client, drawn, no_generation):
    before = scenes_of(drawn)
    anna = Character.objects.get(project=drawn, name="Anna")

    response = user_client.patch(
        f"/projects/{drawn.pk}/characters/{anna.pk}", {"description": "a red coat and green boots"}, format="json"
    )

    assert response.status_code == 200
    after = scenes_of(drawn)
    assert [a.frame_id != b.frame_id for a, b in zip(after, before, strict=True)] == [True, False, False]
    assert Character.objects.get(pk=anna.pk).image_id == anna.image_id  # her reference image is not redrawn


def test_deleting_and_reordering_renumber_the_slates(user_client, drawn, no_generation):
    first, second, third = scenes_of(drawn)

    response = user_client.post(
        f"/projects/{drawn.pk}/scenes/reorder", {"order": [third.pk, first.pk, second.pk]}, format="json"
    )
    assert response.status_code == 200
    reordered = {s.pk: s.frame_id for s in scenes_of(drawn)}
    assert all(reordered[s.pk] != s.frame_id for s in (first, second, third))

    assert user_client.delete(f"/projects/{drawn.pk}/scenes/{third.pk}").status_code == 204
    assert all(reordered[s.pk] != s.frame_id for s in scenes_of(drawn))  # "SC 1/2", "SC 2/2"
    assert is_stale(drawn) == [False, False]


def test_beyond_the_limit_a_frames_job_composes_the_rest_in_the_background(
    user_client, drawn, monkeypatch, django_capture_on_commit_callbacks, no_generation
):
    monkeypatch.setattr(frames, "FOLLOW_LIMIT", 1)
    before = scenes_of(drawn)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        patch(user_client, before[2], {"duration_sec": "4"})

    assert is_stale(drawn) == [True, True, False]  # the edited scene at once, the others queued
    drawn.refresh_from_db()
    assert drawn.frames_status == "queued"
    for run in queued:  # the worker runs the job
        run()
    drawn.refresh_from_db()
    assert drawn.frames_status == "done"
    assert is_stale(drawn) == [False, False, False]
    assert [s.background_id for s in scenes_of(drawn)] == [s.background_id for s in before]


def test_a_frames_job_keeping_images_composes_stale_frames_again(
    user_client, drawn, django_capture_on_commit_callbacks
):
    before = scenes_of(drawn)
    Scene.objects.filter(project=drawn).update(mood="serene")  # not through the API: nothing recomposes

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(f"/projects/{drawn.pk}/frames", {}, format="json")  # keeps the images already there...

    after = scenes_of(drawn)
    assert is_stale(drawn) == [False, False, False]  # ...but composes the stale frames again
    assert [s.background_id for s in after] == [s.background_id for s in before]
    assert Character.objects.filter(project=drawn, image__isnull=True).count() == 0


def test_a_frame_composed_while_its_scene_changes_again_is_not_used(user_client, drawn, monkeypatch, media_root):
    first = scenes_of(drawn)[0]
    Scene.objects.filter(pk=first.pk).update(camera="tilt_up")  # a writer that does not recompose (the admin)
    real_compose = frames._compose

    def compose_then_edit(scene, **kwargs):
        picture = real_compose(scene, **kwargs)
        Scene.objects.filter(pk=scene.pk).update(title="Renamed meanwhile")
        return picture

    monkeypatch.setattr(frames, "_compose", compose_then_edit)

    assert frames.frames_follow(project_id=drawn.pk) == 0

    assert scenes_of(drawn)[0].frame_id == first.frame_id
    assert is_stale(drawn) == [True, False, False]
    assert sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()) == sorted(
        Asset.objects.filter(project=drawn).values_list("file", flat=True)
    )  # the unused file is gone


def test_a_render_composes_a_stale_frame_again(user_client, drawn, django_capture_on_commit_callbacks):
    before = scenes_of(drawn)
    Scene.objects.filter(pk=before[1].pk).update(mood="tense")  # not through the API: nothing recomposes

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/projects/{drawn.pk}/render", {"resolution": "480p"}, format="json")

    assert response.status_code == 202
    after = scenes_of(drawn)
    assert [a.frame_id != b.frame_id for a, b in zip(after, before, strict=True)] == [False, True, False]
    assert [s.background_id for s in after] == [s.background_id for s in before]
    assert is_stale(drawn) == [False, False, False]


def test_an_export_composes_missing_and_stale_frames_without_storing_them(user_client, project, drawn, media_root):
    stored_before = sorted(p for p in media_root.rglob("*") if p.is_file())
    Scene.objects.filter(project=drawn, scene_index=0).update(frame=None)  # missing
    Scene.objects.filter(project=drawn, scene_index=1).update(camera="pull_out")  # stale

    response = user_client.get(f"/projects/{drawn.pk}/export/pdf?layout=3x1")

    assert response.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "no frame" not in text
    assert is_stale(drawn) == [False, True, False]  # a GET stores nothing
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == stored_before


@pytest.mark.parametrize("fmt", ["srt", "vtt", "edl", "otio", "storyboarder", "fcp7xml", "fcpxml"])
def test_an_export_that_shows_no_pictures_composes_no_frame(user_client, drawn, monkeypatch, fmt):
    Scene.objects.filter(project=drawn).update(frame=None)  # every frame missing: a PDF would draw three

    def refuse(**kwargs):
        raise AssertionError(f"{fmt} does not show the frames' pictures")

    monkeypatch.setattr("animatic.render.frames_compose_missing", refuse)

    response = user_client.get(f"/projects/{drawn.pk}/export/{fmt}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_frames_compose_missing_draws_the_scene_as_it_is_now(project, drawn, tmp_path):
    Scene.objects.filter(project=drawn, scene_index=1).update(camera="pull_out")
    scenes = scenes_of(drawn)
    characters = list(Character.objects.filter(project=drawn).order_by("id"))

    made = frames.frames_compose_missing(scenes=scenes, characters=characters, folder=tmp_path)

    assert list(made) == [scenes[1].pk]
    assert made[scenes[1].pk].read_bytes() != frame_pixels(scenes[1])


def test_a_job_does_not_put_back_a_frame_older_than_the_one_an_edit_composed(
    user_client, drawn, monkeypatch, django_capture_on_commit_callbacks, media_root
):
    first, second, _ = scenes_of(drawn)
    ben = Character.objects.get(project=drawn, name="Ben")
    real_draw = frames.images_draw

    def draw_then_edit(**kwargs):  # the user moves the camera while the job draws Ben's scenes
        real_draw(**kwargs)
        patch(user_client, first, {"camera": "tilt_down"})

    monkeypatch.setattr(frames, "images_draw", draw_then_edit)
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/projects/{drawn.pk}/characters/{ben.pk}/image", {}, format="json")
    assert response.status_code == 202

    after = scenes_of(drawn)
    assert after[0].camera == "tilt_down"
    assert is_stale(drawn) == [False, False, False]  # the edit's frame kept, the job's older one not used
    assert after[1].frame_id != second.frame_id  # the job's frame of the other scene is used
    assert sorted(Asset.objects.filter(project=drawn).values_list("file", flat=True)) == sorted(
        str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()
    )  # the unused frame's file is gone


def solid_png(colour: tuple[int, int, int], size: tuple[int, int] = (400, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def head_colour(scene: Scene, name_index: int, names: int) -> tuple[int, int, int]:
    """The colour at the head of the scene's `name_index`-th figure (of `names`), in its stored frame."""
    assert scene.frame is not None
    with Image.open(scene.frame.file.path) as frame:
        width, height = frame.size
        x = panels.figure_positions(names, width)[name_index]
        figure = height * (0.5 if names <= 2 else 0.44) * (1.0 if name_index % 2 == 0 else 0.94)
        feet = height * 0.8 - (0 if name_index % 2 == 0 else height * 0.015)
        pixel = frame.convert("RGB").getpixel((round(x), round(feet - figure * 0.915)))
        assert isinstance(pixel, tuple)
        assert len(pixel) == 3
        return (pixel[0], pixel[1], pixel[2])


def test_a_characters_own_picture_becomes_its_face_in_the_frames_it_is_in(user_client, drawn, no_generation):
    anna_and_ben, ben_alone, nobody = scenes_of(drawn)
    ben = Character.objects.get(project=drawn, name="Ben")

    response = user_client.put(
        f"/projects/{drawn.pk}/characters/{ben.pk}/image",
        {"file": SimpleUploadedFile("ben.png", solid_png((0, 200, 0)), content_type="image/png")},
        format="multipart",
    )

    assert response.status_code == 200
    after = scenes_of(drawn)
    assert [a.frame_id != b.frame_id for a, b in zip(after, [anna_and_ben, ben_alone, nobody], strict=True)] == [
        True,
        True,
        False,
    ]
    assert head_colour(after[1], 0, 1) == (0, 200, 0)  # Ben's face is his picture
    assert head_colour(after[0], 1, 2) == (0, 200, 0)
    assert head_colour(after[0], 0, 2) != (0, 200, 0)  # Anna keeps her drawn head
    assert is_stale(drawn) == [False, False, False]

    response = user_client.delete(f"/projects/{drawn.pk}/characters/{ben.pk}/image")

    assert response.status_code == 204
    cleared = scenes_of(drawn)
    assert head_colour(cleared[1], 0, 1) != (0, 200, 0)  # the drawn head again
    assert is_stale(drawn) == [False, False, False]


def test_a_built_in_reference_card_is_no_face(drawn):
    ben = Character.objects.select_related("image").get(project=drawn, name="Ben")

    assert ben.image is not None
    assert ben.image.provider == "builtin"
    assert sheets.portrait_name(ben) is None
    assert sheets.character_sheet(ben, portrait=True).portrait is None
