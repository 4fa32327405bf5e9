"""Which database, cache and broker the settings pick, read in a fresh interpreter per environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONFIG_VARS = (
    "ENVIRONMENT",
    "ENVIROMENT",
    "SECRET_KEY",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_USER",
    "DB_PASSWORD",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_USERNAME",
    "REDIS_PASSWORD",
    "SMTP_HOST",
    "SMTP_EMAIL",
    "AUTH_COOKIE_SECURE",
    "AUTH_COOKIE_SAMESITE",
    "ALLOWED_HOSTS",
    "DB_TEST_NAME",
    "REDIS_CACHE_DB",
    "REDIS_BROKER_DB",
    "DEBUG",
)
PRODUCTION_KEY = "p" * 20 + "-production-secret-key-for-tests-0123456789"

READ_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "database": settings.DATABASES["default"]["ENGINE"],
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
    "health_checks": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"]["LOCATION"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "email": settings.EMAIL_BACKEND,
    "cookie_secure": settings.AUTH_COOKIE_SECURE,
    "cookie_samesite": settings.AUTH_COOKIE_SAMESITE,
    "debug": settings.DEBUG,
}))
"""


def run_with_env(code: str, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    # An empty .env-free working copy of the variables: the repo's own .env must not leak in.
    env.update({"DJANGO_SETTINGS_MODULE": "animatic_vision.settings", "VAR_DIR": str(tmp_path), **variables})
    for name in CONFIG_VARS:
        env.setdefault(name, "")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(tmp_path: Path, **variables: str) -> dict:
    result = run_with_env(READ_SETTINGS, tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_shared_file_cache_inline_tasks_console_email(tmp_path):
    chosen = read_settings(tmp_path)

    assert chosen["database"] == "django.db.backends.sqlite3"
    assert chosen["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert chosen["cache_location"] == str(tmp_path / "cache")
    assert chosen["broker"] == "memory://"
    assert chosen["eager"] is True
    assert chosen["email"] == "django.core.mail.backends.console.EmailBackend"
    assert chosen["cookie_secure"] is False
    assert chosen["cookie_samesite"] == "Lax"
    assert chosen["debug"] is False


def test_development_secret_key_is_generated_once_and_kept(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_with_env(code, tmp_path).stdout.strip()
    second = run_with_env(code, tmp_path).stdout.strip()

    assert len(first) >= 50
    assert first == second == (tmp_path / "secret_key").read_text().strip()


def test_db_host_selects_mysql_with_utf8mb4_strict_mode_and_persistent_connections(tmp_path):
    chosen = read_settings(tmp_path, DB_HOST="db.internal", DB_NAME="animatic", DB_USER="app")

    assert chosen["database"] == "django.db.backends.mysql"
    assert chosen["db_options"]["charset"] == "utf8mb4"
    assert "STRICT_TRANS_TABLES" in chosen["db_options"]["init_command"]
    assert chosen["conn_max_age"] == 60
    assert chosen["health_checks"] is True
    assert chosen["cache"].endswith("FileBasedCache")


def test_redis_host_selects_redis_cache_and_broker(tmp_path):
    chosen = read_settings(
        tmp_path, REDIS_HOST="cache.internal", REDIS_PORT="6380", REDIS_USERNAME="app", REDIS_PASSWORD="p@ss/word"
    )

    assert chosen["cache"] == "django_redis.cache.RedisCache"
    assert chosen["cache_location"] == "redis://app:p%40ss%2Fword@cache.internal:6380/1"
    assert chosen["broker"] == "redis://app:p%40ss%2Fword@cache.internal:6380/0"
    assert chosen["eager"] is False
    assert chosen["database"].endswith("sqlite3")


@pytest.mark.parametrize("variable", ["ENVIRONMENT", "ENVIROMENT"])
def test_production_cookies_are_cross_site_and_secure(tmp_path, variable):
    chosen = read_settings(tmp_path, **{variable: "production", "SECRET_KEY": PRODUCTION_KEY, "SMTP_EMAIL": "a@b.c"})

    assert chosen["cookie_secure"] is True
    assert chosen["cookie_samesite"] == "None"
    assert chosen["email"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize("key", ["", "change-me", "django-insecure-abc", "short"])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    result = run_with_env(READ_SETTINGS, tmp_path, ENVIRONMENT="production", SECRET_KEY=key)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(
        ENVIRONMENT="production",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="api.example.com",
        VAR_DIR=str(tmp_path),
        SMTP_HOST="smtp.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "limits",
    [
        {"SEGMENTATION_SOFT_TIME_LIMIT": "300", "SEGMENTATION_TIME_LIMIT": "270"},
        {"SEGMENTATION_SOFT_TIME_LIMIT": "0", "SEGMENTATION_TIME_LIMIT": "100"},  # the global soft limit, 240
        {"SEGMENTATION_TIME_LIMIT": "0"},
    ],
    ids=["soft-above-hard", "global-soft-above-hard", "no-hard-limit"],
)
def test_segmentation_time_limits_celery_would_refuse_stop_start_up(tmp_path, limits):
    result = run_with_env(READ_SETTINGS, tmp_path, **limits)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SEGMENTATION_TIME_LIMIT" in result.stderr


def test_segmentation_time_limits_are_read_as_seconds(tmp_path):
    code = (
        "from django.conf import settings\n"
        "print(settings.SEGMENTATION_SOFT_TIME_LIMIT, settings.SEGMENTATION_TIME_LIMIT)"
    )
    result = run_with_env(
        code, tmp_path, SEGMENTATION_SOFT_TIME_LIMIT="0", CELERY_TASK_SOFT_TIME_LIMIT="0", SEGMENTATION_TIME_LIMIT="0.5"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "0.5"]


def test_check_deploy_fails_in_production_without_an_email_server(tmp_path):
    result = run_with_env(
        "from django.core.management import call_command\ncall_command('check', '--deploy')",
        tmp_path,
        ENVIRONMENT="production",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="api.example.com",
    )

    assert result.returncode != 0
    assert "accounts.E001" in result.stderr
    assert "SMTP_HOST" in result.stderr


def test_production_without_an_email_server_sends_and_prints_no_reset_link(tmp_path):
    result = run_with_env(
        "from django.core.mail import send_mail\n"
        "link = 'https://app.example.com/reset-password?token=SECRET-TOKEN'\n"
        "print('sent', send_mail('Reset', link, None, ['a@b.c']))",
        tmp_path,
        ENVIRONMENT="production",
        SECRET_KEY=PRODUCTION_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "sent 0"
    assert "SECRET-TOKEN" not in result.stdout + result.stderr
    assert "not sent: no SMTP server is configured" in result.stderr


PROVIDER_SETTINGS = (
    "from django.conf import settings\n"
    "print(settings.TEXT_PROVIDER, settings.TEXT_API_TIMEOUT_SECONDS, settings.IMAGE_PROVIDER,"
    " settings.IMAGE_API_TIMEOUT_SECONDS, settings.COMFYUI_WORKFLOW)"
)


def test_provider_settings_default_to_none_and_builtin_even_when_left_empty(tmp_path):
    result = run_with_env(
        PROVIDER_SETTINGS,
        tmp_path,
        TEXT_PROVIDER="",
        TEXT_API_TIMEOUT_SECONDS="",
        IMAGE_PROVIDER="",
        IMAGE_API_TIMEOUT_SECONDS="",
        COMFYUI_WORKFLOW="",
    )
    assert result.returncode == 0, result.stderr
    workflow = REPO / "providers" / "comfyui" / "txt2img_api.json"
    assert result.stdout.split() == ["none", "60.0", "builtin", "180.0", str(workflow)]
    assert workflow.is_file()


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"TEXT_PROVIDER": "anthropic"}, "TEXT_PROVIDER must be none or openai, not 'anthropic'."),
        (
            {"TEXT_PROVIDER": "openai", "TEXT_MODEL": "m"},
            "TEXT_PROVIDER=openai needs TEXT_API_BASE_URL and TEXT_MODEL.",
        ),
        (
            {
                "TEXT_PROVIDER": "openai",
                "TEXT_API_BASE_URL": "http://127.0.0.1:9",
                "TEXT_MODEL": "m",
                "TEXT_API_TIMEOUT_SECONDS": "300",
            },
            "TEXT_API_TIMEOUT_SECONDS (300) must be positive and less than the segmentation's time limit (240).",
        ),
        ({"IMAGE_PROVIDER": "dalle"}, "IMAGE_PROVIDER must be builtin, openai or comfyui, not 'dalle'."),
    ],
)
def test_unusable_provider_settings_stop_the_start(tmp_path, variables, message):
    result = run_with_env(PROVIDER_SETTINGS, tmp_path, **variables)
    assert result.returncode != 0
    assert message in result.stderr
