"""Register, login and me: the routes every other app's tests stand on."""

from __future__ import annotations

import pytest

from accounts.models import User
from accounts.tests.expected import user_json
from conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ISO_Z = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"


@pytest.mark.parametrize("path", ["/auth/register", "/auth/register/"])
def test_register_creates_a_user_with_the_user_role(api_client, path):
    response = api_client.post(
        path,
        {"fullName": "  Ada Lovelace ", "email": "Ada@Example.COM", "password": DEFAULT_PASSWORD, "role": "admin"},
        format="json",
    )

    assert response.status_code == 201, response.content
    user = User.objects.get()
    assert response.json() == {"message": "User registered successfully", "status_code": 201, "data": user_json(user)}
    assert user.email == "ada@example.com"
    assert user.full_name == "Ada Lovelace"
    assert user.role == "user"
    assert not user.is_staff
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(DEFAULT_PASSWORD)


def test_register_refuses_an_email_taken_in_another_case(api_client, make_user):
    make_user(email="taken@example.com")

    response = api_client.post(
        "/auth/register",
        {"fullName": "Someone", "email": "TAKEN@example.com", "password": DEFAULT_PASSWORD},
        format="json",
    )

    message = "User with email 'taken@example.com' already exists."
    assert response.status_code == 400
    assert response.json() == {
        "detail": message,
        "message": message,
        "status_code": 400,
        "code": "validation_error",
        "errors": {"email": [message]},
    }
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fullName": "Al", "email": "a@example.com", "password": DEFAULT_PASSWORD}, "fullName"),
        ({"fullName": "   Al   ", "email": "a@example.com", "password": DEFAULT_PASSWORD}, "fullName"),
        ({"fullName": "x" * 101, "email": "a@example.com", "password": DEFAULT_PASSWORD}, "fullName"),
        ({"fullName": "Alice", "email": "not-an-email", "password": DEFAULT_PASSWORD}, "email"),
        ({"fullName": "Alice", "email": "a@example.com", "password": "short"}, "password"),
        ({"fullName": "Alice", "email": "a@example.com", "password": "password123"}, "password"),
        ({"fullName": "Alice", "email": "a@example.com", "password": "83920183746"}, "password"),
        ({"fullName": "Alice", "email": "a@example.com"}, "password"),
    ],
)
def test_register_validates_its_input(api_client, body, field):
    response = api_client.post("/auth/register", body, format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "message", "status_code", "code", "errors"}
    assert body["code"] == "validation_error"
    assert field in body["errors"]
    assert User.objects.count() == 0


@pytest.mark.parametrize("path", ["/auth/login", "/auth/login/"])
def test_login_sets_both_cookies_and_returns_the_user(api_client, user, path):
    response = api_client.post(path, {"email": "WRITER@example.com", "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"message": "User login successfully", "status_code": 200, "data": user_json(user)}
    access, refresh = response.cookies["access_token"], response.cookies["refresh_token"]
    assert access.value
    assert refresh.value
    assert access["max-age"] == 3600
    assert refresh["max-age"] == 7 * 24 * 3600
    for cookie in (access, refresh):
        assert cookie["httponly"] is True
        assert cookie["path"] == "/"


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "writer@example.com", "password": "Wrong-Password-1"},
        {"email": "nobody@example.com", "password": DEFAULT_PASSWORD},
        {"email": "not an email", "password": DEFAULT_PASSWORD},
    ],
)
def test_login_refuses_wrong_credentials_with_one_message(api_client, user, credentials):
    response = api_client.post("/auth/login", credentials, format="json")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Invalid email or password.",
        "message": "Invalid email or password.",
        "status_code": 401,
        "code": "invalid_credentials",
    }
    assert "access_token" not in response.cookies


def test_login_refuses_a_deactivated_user(api_client, user):
    user.is_active = False
    user.save()

    response = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid email or password."


@pytest.mark.parametrize("path", ["/auth/me", "/auth/me/"])
def test_me_returns_the_logged_in_user(user_client, user, path):
    response = user_client.get(path)

    assert response.status_code == 200
    assert response.json() == {"message": "User data", "status_code": 200, "data": user_json(user)}
    assert response.json()["data"]["created_at"].endswith("Z")


def test_me_without_a_session_is_401(api_client):
    response = api_client.get("/auth/me")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "message", "status_code", "code"}


def test_me_accepts_a_bearer_header(api_client, user):
    login = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")
    token = login.cookies["access_token"].value
    api_client.cookies.clear()

    response = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == user.pk


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_me_refuses_a_forged_token(api_client, token):
    api_client.cookies["access_token"] = token

    response = api_client.get("/auth/me")

    assert response.status_code == 401


def test_me_refuses_a_refresh_token_in_the_access_cookie(api_client, user):
    login = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")
    api_client.cookies["access_token"] = login.cookies["refresh_token"].value

    assert api_client.get("/auth/me").status_code == 401


def test_me_sees_a_change_made_after_login(user_client, user):
    user.full_name = "Renamed Writer"
    user.save()

    response = user_client.get("/auth/me")

    assert response.json()["data"]["fullName"] == "Renamed Writer"


def test_me_after_the_user_is_deleted_is_401(user_client, user):
    user.delete()

    assert user_client.get("/auth/me").status_code == 401


def test_the_access_token_carries_the_contract_claims(api_client, user):
    from rest_framework_simplejwt.tokens import UntypedToken

    login = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")
    claims = UntypedToken(login.cookies["access_token"].value).payload

    assert {"id", "fullName", "email", "role", "exp", "iat", "jti", "token_type"} <= set(claims)
    assert (claims["id"], claims["fullName"], claims["email"], claims["role"], claims["token_type"]) == (
        user.pk,
        "Wendy Writer",
        "writer@example.com",
        "user",
        "access",
    )
    assert claims["exp"] - claims["iat"] == 3600
