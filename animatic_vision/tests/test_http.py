"""Trailing slashes, CORS, the Origin check, health routes and the OpenAPI schema."""

import logging

import pytest


@pytest.mark.parametrize("path", ["/test", "/test/"])
def test_server_test_route_with_and_without_slash(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 200
    assert response.json() == {"status": "Server is running"}


@pytest.mark.urls("animatic_vision.tests.urls")
@pytest.mark.parametrize("path", ["/echo", "/echo/"])
def test_post_is_served_with_and_without_slash_never_redirected(api_client, path):
    response = api_client.post(path, {"title": "hi", "count": 1}, format="json")

    assert response.status_code == 201
    assert response.json()["data"] == {"title": "hi", "count": 1}


@pytest.mark.parametrize("path", ["/health/live", "/health/live/"])
def test_liveness(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_when_everything_answers(api_client):
    response = api_client.get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


@pytest.mark.django_db
def test_readiness_names_the_cache_when_it_is_down(api_client, settings):
    # A real Redis client pointed at a port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }

    response = api_client.get("/health/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["status"] == "down"
    assert "Connection" in body["checks"]["cache"]["detail"]
    assert body["checks"]["database"]["service"] in {"sqlite", "mysql"}
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_readiness_names_the_broker_when_it_is_down(api_client):
    from animatic_vision.celery import app

    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    # A real broker connection to a port where nothing listens.
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        response = api_client.get("/health/ready")
    finally:
        app.conf.update(saved)

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "down"
    assert "127.0.0.1:1" in checks["broker"]["detail"]


def test_cors_preflight_for_the_client_origin(api_client):
    response = api_client.options(
        "/projects",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_cors_preflight_for_a_foreign_origin_grants_nothing(api_client):
    response = api_client.options(
        "/projects",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.urls("animatic_vision.tests.urls")
@pytest.mark.parametrize(
    ("headers", "expected_status"),
    [
        ({"HTTP_ORIGIN": "http://localhost:3000"}, 201),
        ({"HTTP_ORIGIN": "http://testserver"}, 201),
        ({}, 201),
        ({"HTTP_REFERER": "http://127.0.0.1:3000/projects/1"}, 201),
        ({"HTTP_ORIGIN": "https://evil.example"}, 403),
        ({"HTTP_ORIGIN": "null"}, 403),
        ({"HTTP_REFERER": "https://evil.example/page"}, 403),
        ({"HTTP_ORIGIN": "http://localhost:3000.evil.example"}, 403),
    ],
)
def test_origin_check_on_unsafe_requests(api_client, headers, expected_status):
    response = api_client.post("/echo", {"title": "hi", "count": 1}, format="json", **headers)

    assert response.status_code == expected_status
    if expected_status == 403:
        assert response.json()["detail"] == "Cross-site request refused: the request's origin is not trusted."


def test_origin_check_leaves_safe_requests_alone(api_client):
    response = api_client.get("/test", HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 200


def test_openapi_schema_and_swagger_ui(api_client):
    schema = api_client.get("/openapi.json")
    docs = api_client.get("/docs")

    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_each_request_is_logged_on_one_line(api_client, caplog):
    with caplog.at_level(logging.INFO, logger="animatic_vision.requests"):
        api_client.get("/test")

    lines = [r.getMessage() for r in caplog.records if r.name == "animatic_vision.requests"]
    assert len(lines) == 1
    assert lines[0].startswith("127.0.0.1 GET /test 200 ")
    assert lines[0].endswith("user=-")


@pytest.mark.django_db
def test_readiness_hides_addresses_from_anonymous_outside_callers(api_client, admin_client):
    from animatic_vision.celery import app

    # 81.2.69.160 stands for any public address (Python counts the documentation ranges as private).
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        outside = api_client.get("/health/ready", REMOTE_ADDR="81.2.69.160")
        inside = api_client.get("/health/ready", REMOTE_ADDR="10.1.2.3")
        staff_outside = admin_client.get("/health/ready", REMOTE_ADDR="81.2.69.160")
    finally:
        app.conf.update(saved)

    assert outside.status_code == 503
    broker = outside.json()["checks"]["broker"]
    assert broker["status"] == "down"
    assert "127.0.0.1" not in outside.content.decode()
    assert broker["detail"]  # the failure's kind is still said
    assert ":1" not in broker["detail"]
    for full in (inside, staff_outside):
        assert "127.0.0.1:1" in full.json()["checks"]["broker"]["detail"]
