"""An id in a path is ASCII digits: the same number in another script's digits names nothing (404)."""

from __future__ import annotations

import pytest

from scenes.tests.factories import characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db

# The digits 0-9 of two other scripts, written by code point: they are the point of the test.
ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + n) for n in range(10)))
FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + n) for n in range(10)))


@pytest.fixture
def paths(user) -> dict[str, tuple[str, str, str]]:
    """Each route with an id: (method, path template where `{}` is the id, the id in ASCII digits)."""
    project = project_make(owner=user)
    (scene,) = scenes_make(project=project, durations=["20"])
    (anna,) = characters_make(project=project, names=["Anna"])
    return {
        "project": ("get", "/projects/{}", str(project.pk)),
        "segment": ("post", "/projects/{}/segment", str(project.pk)),
        "scenes": ("get", "/projects/{}/scenes", str(project.pk)),
        "scene": ("patch", f"/projects/{project.pk}/scenes/{{}}", str(scene.pk)),
        "character": ("patch", f"/projects/{project.pk}/characters/{{}}", str(anna.pk)),
    }


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULLWIDTH])
@pytest.mark.parametrize("route", ["project", "segment", "scenes", "scene", "character"])
def test_an_id_in_other_digits_is_404(user_client, paths, route, digits):
    method, template, ascii_id = paths[route]

    response = getattr(user_client, method)(template.format(ascii_id.translate(digits)), {}, format="json")

    assert response.status_code == 404
    assert response.json()["status_code"] == 404


@pytest.mark.parametrize("route", ["project", "scenes", "scene", "character"])
def test_the_same_id_in_ascii_digits_reaches_its_object(user_client, paths, route):
    method, template, ascii_id = paths[route]

    response = getattr(user_client, method)(template.format(ascii_id), {"description": "D"}, format="json")

    assert response.status_code == 200


def test_the_admin_users_route_takes_ascii_ids_only(admin_client, admin_user):
    assert admin_client.get(f"/admin/users/{admin_user.pk}").status_code == 200
    assert admin_client.get(f"/admin/users/{str(admin_user.pk).translate(ARABIC_INDIC)}").status_code == 404
