"""The last active admin stays an active admin, in the Django admin's form path too, under a row lock."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts import services
from accounts.admin import UserChangeAdminForm
from accounts.models import Role, User
from animatic_vision.errors import Conflict


@pytest.fixture
def django_admin(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def change(client: Client, user: User, **fields: str) -> Any:
    form = {"email": user.email, "full_name": user.full_name, "role": user.role, "is_active": "on", **fields}
    return client.post(f"/django-admin/accounts/user/{user.pk}/change/", form, follow=True)


@pytest.mark.django_db
def test_the_save_refuses_the_last_admins_demotion_even_when_the_form_let_it_through(
    django_admin, admin_user, monkeypatch
):
    # The other admin was demoted after this form was checked: the save checks again under the lock.
    monkeypatch.setattr(UserChangeAdminForm, "clean_role", lambda form: form.cleaned_data["role"])

    response = change(django_admin, admin_user, role="user")

    assert services.LAST_ADMIN_DEMOTE in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


@pytest.mark.django_db
def test_the_save_refuses_the_last_admins_deactivation_even_when_the_form_let_it_through(
    django_admin, admin_user, monkeypatch
):
    monkeypatch.setattr(UserChangeAdminForm, "clean_is_active", lambda form: form.cleaned_data["is_active"])
    form = {"email": admin_user.email, "full_name": admin_user.full_name, "role": "admin"}  # is_active unticked

    response = django_admin.post(f"/django-admin/accounts/user/{admin_user.pk}/change/", form, follow=True)

    assert services.LAST_ADMIN_DEACTIVATE in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.django_db
def test_one_of_two_admins_can_be_demoted_in_the_admin(django_admin, admin_user, make_user):
    other = make_user(email="second.admin@example.com", role="admin")

    response = change(django_admin, other, role="user")

    assert response.status_code == 200
    other.refresh_from_db()
    assert other.role == Role.USER


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_demotions_of_the_last_two_admins_leave_one(make_user):
    first = make_user(email="first.admin@example.com", role="admin")
    second = make_user(email="second.admin@example.com", role="admin")
    start = threading.Barrier(2)
    refused: list[str] = []

    def demote(user_id: int) -> None:
        try:
            user = User.objects.get(pk=user_id)
            user.role = Role.USER
            start.wait()
            try:
                services.user_staff_save(user=user)
            except Conflict as exc:
                refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(user.pk,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert refused == [services.LAST_ADMIN_DEMOTE]
    assert User.objects.filter(role=Role.ADMIN, is_active=True).count() == 1
