"""The Admin API: admin-only routes, user management and the last-admin rule."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.expected import user_json
from conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


# --- /admin/auth ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/auth/login", "/admin/auth/login/"])
def test_admin_login_sets_the_cookies(api_client, admin_user, path):
    response = api_client.post(path, {"email": admin_user.email, "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"message": "User login successfully", "status_code": 200, "data": user_json(admin_user)}
    assert response.cookies["access_token"].value
    assert response.cookies["refresh_token"].value


def test_admin_login_gives_a_non_admin_the_wrong_password_answer(api_client, user):
    response = api_client.post("/admin/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid email or password."
    assert "access_token" not in response.cookies


def test_admin_me_refresh_and_logout(admin_client, admin_user):
    me = admin_client.get("/admin/auth/me/")
    assert me.status_code == 200
    assert me.json() == {"message": "User data", "status_code": 200, "data": user_json(admin_user)}

    refreshed = admin_client.get("/admin/auth/refresh-token")
    assert refreshed.status_code == 200
    assert refreshed.json()["message"] == "token generated successfully"

    logout = admin_client.post("/admin/auth/logout")
    assert logout.status_code == 200
    assert admin_client.get("/admin/auth/me").status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/admin/auth/me"),
        ("post", "/admin/auth/logout"),
        ("get", "/admin/auth/refresh-token"),
        ("post", "/admin/auth/register"),
        ("get", "/admin/users"),
        ("post", "/admin/users"),
        ("get", "/admin/users/1"),
        ("put", "/admin/users/1"),
        ("patch", "/admin/users/1/role"),
        ("patch", "/admin/users/1/password"),
        ("delete", "/admin/users/1"),
    ],
)
def test_admin_routes_are_403_for_a_plain_user_and_401_anonymously(user, user_client, method, path):
    anonymous = getattr(APIClient(), method)(path, {}, format="json")
    plain = getattr(user_client, method)(path, {}, format="json")

    assert anonymous.status_code == 401, anonymous.content
    assert plain.status_code == 403, plain.content
    assert set(plain.json()) == {"detail", "message", "status_code", "code"}


def test_admin_register_creates_an_admin(admin_client):
    response = admin_client.post(
        "/admin/auth/register",
        {"fullName": "Second Admin", "email": "Second@Example.com", "password": DEFAULT_PASSWORD},
        format="json",
    )

    assert response.status_code == 201
    created = User.objects.get(email="second@example.com")
    assert response.json() == {
        "message": "Admin registered successfully",
        "status_code": 201,
        "data": user_json(created),
    }
    assert created.role == "admin"
    assert created.is_staff
    assert created.is_superuser


def test_admin_register_anonymous_is_401_and_creates_nobody(api_client):
    response = api_client.post(
        "/admin/auth/register",
        {"fullName": "Intruder", "email": "x@example.com", "password": DEFAULT_PASSWORD},
        format="json",
    )

    assert response.status_code == 401
    assert not User.objects.exists()


def test_admin_register_by_a_plain_user_is_403(user_client):
    response = user_client.post(
        "/admin/auth/register",
        {"fullName": "Intruder", "email": "x@example.com", "password": DEFAULT_PASSWORD},
        format="json",
    )

    assert response.status_code == 403
    assert not User.objects.filter(role="admin").exists()


def test_a_demoted_admin_loses_admin_access_at_once(admin_client, admin_user, make_user):
    make_user(email="other-admin@example.com", role="admin")
    other = APIClient()
    other.post("/auth/login", {"email": "other-admin@example.com", "password": DEFAULT_PASSWORD}, format="json")

    assert other.patch(f"/admin/users/{admin_user.pk}/role", {"role": "user"}, format="json").status_code == 200

    assert admin_client.get("/admin/users").status_code == 403
    assert admin_client.get("/auth/me").status_code == 200


# --- /admin/users ---------------------------------------------------------------------------------


def test_list_users_newest_first_with_paging(admin_client, admin_user, make_user, django_assert_num_queries):
    users = [make_user(full_name=f"Person {n}") for n in range(3)]
    admin_client.get("/admin/auth/me")  # the session's user row is cached from here on

    # The total and the page.
    with django_assert_num_queries(2):
        response = admin_client.get("/admin/users", {"page": 1, "limit": 2})

    assert response.status_code == 200
    assert response.json() == {
        "message": "Users fetched successfully",
        "status_code": 200,
        "data": {"items": [user_json(users[2]), user_json(users[1])], "total": 4, "page": 1, "limit": 2},
    }
    second = admin_client.get("/admin/users/", {"page": 2, "limit": 2}).json()["data"]
    assert [item["id"] for item in second["items"]] == [users[0].pk, admin_user.pk]


def test_list_users_filters_by_text_and_role(admin_client, admin_user, make_user):
    make_user(email="carol@example.com", full_name="Carol Writer")
    dave = make_user(email="dave@studio.test", full_name="Dave")

    by_email = admin_client.get("/admin/users", {"q": "STUDIO"}).json()["data"]
    by_name = admin_client.get("/admin/users", {"q": "carol"}).json()["data"]
    admins = admin_client.get("/admin/users", {"role": "admin"}).json()["data"]

    assert [u["id"] for u in by_email["items"]] == [dave.pk]
    assert [u["email"] for u in by_name["items"]] == ["carol@example.com"]
    assert [u["id"] for u in admins["items"]] == [admin_user.pk]
    assert admins["total"] == 1


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "x"}, {"limit": 0}, {"limit": 101}, {"role": "owner"}])
def test_list_users_validates_its_query(admin_client, params):
    assert admin_client.get("/admin/users", params).status_code == 400


def test_list_users_default_limit_is_10(admin_client, make_user):
    for _ in range(11):
        make_user()

    data = admin_client.get("/admin/users").json()["data"]

    assert (len(data["items"]), data["total"], data["page"], data["limit"]) == (10, 12, 1, 10)


def test_create_user(admin_client):
    response = admin_client.post(
        "/admin/users",
        {"fullName": "New Person", "email": "New@Example.com", "password": DEFAULT_PASSWORD, "role": "admin"},
        format="json",
    )

    assert response.status_code == 201
    created = User.objects.get(email="new@example.com")
    assert response.json() == {"message": "User created successfully", "status_code": 201, "data": user_json(created)}
    assert created.role == "admin"


def test_create_user_with_a_taken_email_is_400(admin_client, admin_user):
    response = admin_client.post(
        "/admin/users/",
        {"fullName": "Copy", "email": "ADMIN@example.com", "password": DEFAULT_PASSWORD, "role": "user"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "User with email 'admin@example.com' already exists."


def test_get_user(admin_client, user):
    response = admin_client.get(f"/admin/users/{user.pk}")

    assert response.status_code == 200
    assert response.json() == {"message": "User fetched successfully", "status_code": 200, "data": user_json(user)}


@pytest.mark.parametrize("path", ["/admin/users/999999", "/admin/users/999999/", "/admin/users/abc"])
def test_get_missing_user_is_404(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "message", "status_code", "code"}


def test_update_user_fields(admin_client, user):
    session = APIClient()
    session.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    response = admin_client.put(
        f"/admin/users/{user.pk}", {"fullName": "Renamed", "email": "Renamed@Example.com"}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert response.json() == {"message": "User updated successfully", "status_code": 200, "data": user_json(user)}
    assert (user.full_name, user.email) == ("Renamed", "renamed@example.com")
    # No password in the body: the user's sessions go on.
    assert session.get("/auth/me").json()["data"]["email"] == "renamed@example.com"


def test_a_page_past_any_list_is_empty_and_one_past_the_bound_is_a_400_not_a_500(admin_client):
    from accounts.serializers import ADMIN_USER_PAGE_MAX

    last = admin_client.get("/admin/users", {"page": ADMIN_USER_PAGE_MAX, "limit": 100})
    huge = admin_client.get("/admin/users", {"page": "797328359443449774080", "limit": 72})

    assert last.status_code == 200
    assert last.json()["data"]["items"] == []
    assert huge.status_code == 400
    assert huge.json()["errors"]["page"] == [f"Ensure this value is less than or equal to {ADMIN_USER_PAGE_MAX}."]


def test_a_user_is_updated_with_put_only_as_the_contract_has_it(admin_client, user):
    response = admin_client.patch(f"/admin/users/{user.pk}", {"fullName": "Renamed"}, format="json")

    assert response.status_code == 405
    assert response.json()["status_code"] == 405
    user.refresh_from_db()
    assert user.full_name != "Renamed"


def test_update_user_password_ends_their_sessions(admin_client, user):
    session = APIClient()
    session.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    response = admin_client.put(f"/admin/users/{user.pk}/", {"password": "Brand-New-Secret-88"}, format="json")

    assert response.status_code == 200
    assert session.get("/auth/me").status_code == 401
    user.refresh_from_db()
    assert user.check_password("Brand-New-Secret-88")


def test_update_user_to_a_taken_email_is_400(admin_client, admin_user, user):
    response = admin_client.put(f"/admin/users/{user.pk}", {"email": "Admin@example.com"}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == "User with email 'admin@example.com' already exists."
    user.refresh_from_db()
    assert user.email == "writer@example.com"


def test_set_role(admin_client, user):
    response = admin_client.patch(f"/admin/users/{user.pk}/role", {"role": "admin"}, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "message": "User role updated successfully",
        "status_code": 200,
        "data": {"id": user.pk, "role": "admin"},
    }
    user.refresh_from_db()
    assert user.role == "admin"
    assert user.is_staff


def test_set_role_refuses_an_unknown_role(admin_client, user):
    assert admin_client.patch(f"/admin/users/{user.pk}/role/", {"role": "root"}, format="json").status_code == 400


def test_set_password_ends_that_users_sessions(admin_client, user):
    session = APIClient()
    session.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    response = admin_client.patch(
        f"/admin/users/{user.pk}/password", {"password": "Brand-New-Secret-88"}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"message": "User password updated successfully", "status_code": 200, "data": None}
    assert session.get("/auth/me").status_code == 401
    assert session.get("/auth/refresh-token").status_code == 401
    user.refresh_from_db()
    assert user.check_password("Brand-New-Secret-88")


def test_set_password_checks_the_validators(admin_client, user):
    response = admin_client.patch(f"/admin/users/{user.pk}/password", {"password": "abc"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_delete_user(admin_client, user):
    session = APIClient()
    session.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    response = admin_client.delete(f"/admin/users/{user.pk}")

    assert response.status_code == 200
    assert response.json() == {"message": "User deleted successfully", "status_code": 200, "data": None}
    assert not User.objects.filter(pk=user.pk).exists()
    assert session.get("/auth/me").status_code == 401


def test_the_last_admin_can_be_neither_demoted_nor_deleted(admin_client, admin_user):
    demote = admin_client.patch(f"/admin/users/{admin_user.pk}/role", {"role": "user"}, format="json")
    demote_by_put = admin_client.put(f"/admin/users/{admin_user.pk}", {"role": "user"}, format="json")
    delete = admin_client.delete(f"/admin/users/{admin_user.pk}")

    assert demote.status_code == 409
    assert demote.json()["detail"] == "The last remaining admin cannot be demoted."
    assert demote_by_put.status_code == 409
    assert delete.status_code == 409
    assert delete.json()["detail"] == "The last remaining admin cannot be deleted."
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"


def test_an_admin_can_be_demoted_while_another_remains(admin_client, admin_user, make_user):
    other = make_user(email="other-admin@example.com", role="admin")

    assert admin_client.patch(f"/admin/users/{other.pk}/role", {"role": "user"}, format="json").status_code == 200
    assert admin_client.patch(f"/admin/users/{admin_user.pk}/role", {"role": "user"}, format="json").status_code == 409
