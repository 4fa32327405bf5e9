"""The Django admin's user pages and `manage.py createsuperuser`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def django_admin(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_createsuperuser_makes_an_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", DEFAULT_PASSWORD)

    call_command("createsuperuser", interactive=False, email="Boss@Example.com", full_name="The Boss", verbosity=0)

    boss = User.objects.get()
    assert (boss.email, boss.full_name, boss.role) == ("boss@example.com", "The Boss", "admin")
    assert boss.is_staff
    assert boss.is_superuser
    assert boss.check_password(DEFAULT_PASSWORD)
    login = APIClient().post(
        "/admin/auth/login", {"email": "boss@example.com", "password": DEFAULT_PASSWORD}, format="json"
    )
    assert login.status_code == 200


def test_role_and_staff_stay_consistent_both_ways(make_user):
    user = make_user()
    assert not user.is_staff

    user.is_staff = True
    assert user.role == "admin"
    assert user.is_superuser

    user.role = "user"
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.has_perm("accounts.change_user")


def test_user_list_searches_name_and_email_and_filters_role(django_admin, make_user):
    make_user(email="zed@example.com", full_name="Zed Zebra")
    make_user(email="other@example.com", full_name="Other Person")

    by_name = django_admin.get("/django-admin/accounts/user/", {"q": "zebra"})
    by_role = django_admin.get("/django-admin/accounts/user/", {"role__exact": "admin"})

    assert by_name.status_code == 200
    assert b"zed@example.com" in by_name.content
    assert b"other@example.com" not in by_name.content
    assert b"admin@example.com" in by_role.content
    assert b"zed@example.com" not in by_role.content


def test_change_form_never_shows_an_editable_hash(django_admin, user):
    response = django_admin.get(f"/django-admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    assert b'name="password"' not in response.content
    assert b'href="../password/"' in response.content

    # A posted hash is ignored.
    django_admin.post(
        f"/django-admin/accounts/user/{user.pk}/change/",
        {"email": user.email, "full_name": user.full_name, "role": "user", "is_active": "on", "password": "plain$hash"},
    )
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_set_password_form_sets_it_and_ends_sessions(django_admin, user):
    session = APIClient()
    session.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    response = django_admin.post(
        f"/django-admin/accounts/user/{user.pk}/password/",
        {"password1": "Admin-Chosen-Secret-5", "password2": "Admin-Chosen-Secret-5", "usable_password": "true"},
    )

    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert user.check_password("Admin-Chosen-Secret-5")
    assert session.get("/auth/me").status_code == 401


def test_add_user_in_the_admin_normalises_the_email(django_admin):
    response = django_admin.post(
        "/django-admin/accounts/user/add/",
        {
            "email": "Mixed@Example.COM",
            "full_name": "Mixed Case",
            "role": "user",
            "password1": "Admin-Chosen-Secret-5",
            "password2": "Admin-Chosen-Secret-5",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content
    assert User.objects.get(email="mixed@example.com").check_password("Admin-Chosen-Secret-5")


def test_the_last_admin_cannot_be_demoted_or_deleted_in_the_admin(django_admin, admin_user):
    demote = django_admin.post(
        f"/django-admin/accounts/user/{admin_user.pk}/change/",
        {"email": admin_user.email, "full_name": admin_user.full_name, "role": "user", "is_active": "on"},
    )
    delete = django_admin.post(f"/django-admin/accounts/user/{admin_user.pk}/delete/", {"post": "yes"})

    assert demote.status_code == 200
    assert b"The last remaining admin cannot be demoted." in demote.content
    assert delete.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"


def test_a_plain_user_cannot_enter_the_django_admin(user):
    client = Client()
    client.force_login(user)

    response = client.get("/django-admin/accounts/user/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]
