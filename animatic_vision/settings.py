"""Settings for Animatic Vision, read from the environment (and an optional `.env`).

One module for every environment: behaviour switches on variables, never on
diverging copies. With no DB_HOST and no REDIS_HOST the server runs on its
embedded default (SQLite, a file cache shared by all processes, inline Celery
tasks, console email). Every variable is documented in `.env.example`.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# A variable already set in the process wins over the `.env` file.
load_dotenv(BASE_DIR / ".env", override=False)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Environment -------------------------------------------------------------
# The replaced server spelled it ENVIROMENT; both spellings are honoured.
ENVIRONMENT = (env("ENVIRONMENT") or env("ENVIROMENT") or "development").lower()
IS_DEVELOPMENT = ENVIRONMENT in {"development", "dev", "local", "test"}
DEBUG = env_bool("DEBUG", False)

PLACEHOLDER_SECRET_KEYS = {"", "change-me", "changeme", "secret", "your-secret-key", "replace-me"}


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key.lower() not in PLACEHOLDER_SECRET_KEYS and not key.startswith("django-insecure"):
        if not IS_DEVELOPMENT and len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters outside development.")
        return key
    if not IS_DEVELOPMENT:
        raise ImproperlyConfigured(
            f"SECRET_KEY is missing or a placeholder and ENVIRONMENT is '{ENVIRONMENT}'. "
            "Set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Development only: a random key kept outside git, stable across restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if IS_DEVELOPMENT else "")

# --- Applications --------------------------------------------------------------
INSTALLED_APPS = [
    # django.contrib.admin, with its login form throttled like POST /auth/login.
    "accounts.apps.ThrottledAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "animatic_vision.apps.AnimaticVisionConfig",
    "accounts",
    "projects",
    "scenes",
    "animatic",
]

MIDDLEWARE = [
    "animatic_vision.middleware.RequestLogMiddleware",
    "animatic_vision.media_links.MediaLinkBaseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "animatic_vision.middleware.RequestSizeLimitMiddleware",
    "animatic_vision.middleware.TrustedOriginMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Overridable so the benchmark server can add its bare floor view (bench/urls.py).
ROOT_URLCONF = env("ROOT_URLCONF", "animatic_vision.urls")
WSGI_APPLICATION = "animatic_vision.wsgi.application"
ASGI_APPLICATION = "animatic_vision.asgi.application"
# Every API route matches with and without its slash itself; a redirect would drop a POST body.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------
DB_HOST = env("DB_HOST")
if DB_HOST:
    DATABASES: dict[str, dict[str, Any]] = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "HOST": DB_HOST,
            "PORT": env("DB_PORT", "3306"),
            "NAME": env("DB_NAME", "animatic_vision"),
            "USER": env("DB_USER", "root"),
            "PASSWORD": env("DB_PASSWORD"),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "charset": "utf8mb4",
                "init_command": "SET sql_mode='STRICT_TRANS_TABLES', innodb_strict_mode=1",
                "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
            },
            "TEST": {
                "NAME": env("DB_TEST_NAME") or None,
                "CHARSET": "utf8mb4",
                "COLLATION": "utf8mb4_unicode_ci",
            },
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH") or str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery --------------------------------------------------------------
REDIS_HOST = env("REDIS_HOST")


def redis_url(db: int) -> str:
    username = quote(env("REDIS_USERNAME"), safe="")
    password = quote(env("REDIS_PASSWORD"), safe="")
    credentials = f"{username}:{password}@" if (username or password) else ""
    scheme = "rediss" if env_bool("REDIS_TLS", False) else "redis"
    return f"{scheme}://{credentials}{REDIS_HOST}:{env('REDIS_PORT', '6379')}/{db}"


REDIS_TIMEOUT_SECONDS = float(env("REDIS_TIMEOUT_SECONDS", "1.0"))
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", "av")
# Each server process also keeps the answers it read most recently (project lists and details) in
# memory, up to this many MiB, so that a repeated read skips the cache round-trip. 0 turns it off.
ANSWER_CACHE_LOCAL_MB = env_int("ANSWER_CACHE_LOCAL_MB", 32)

if REDIS_HOST:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url(env_int("REDIS_CACHE_DB", 1)),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "CONNECTION_POOL_KWARGS": {"health_check_interval": 30},
            },
        }
    }
    CELERY_BROKER_URL = redis_url(env_int("REDIS_BROKER_DB", 0))
    CELERY_RESULT_BACKEND: str | None = CELERY_BROKER_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # A file cache, because token revocation and throttles must hold across every
    # worker process of the server; a per-process memory cache would not.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR") or str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True

CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": env_int("REDIS_BROKER_SOCKET_TIMEOUT", 5),
    # Longer than the longest task, so an unacknowledged job is not redelivered while it still runs.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    # How often a worker looks for jobs of a dead worker whose visibility timeout has passed
    # (kombu's default sweep is every 10 x 10 s).
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_DEFAULT_QUEUE = "default"

# --- Email -------------------------------------------------------------------------
SMTP_HOST = env("SMTP_HOST")
SMTP_EMAIL = env("SMTP_EMAIL")
if SMTP_HOST or (SMTP_EMAIL and not IS_DEVELOPMENT):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif IS_DEVELOPMENT:
    # `make run`: the reset email, link included, is printed where the developer reads it.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # Never print reset links to a production log; `check --deploy` fails until SMTP is set (accounts/checks.py).
    EMAIL_BACKEND = "accounts.email.UnconfiguredEmailBackend"
EMAIL_HOST = SMTP_HOST or "smtp.gmail.com"
EMAIL_PORT = env_int("SMTP_PORT", 587)
EMAIL_HOST_USER = SMTP_EMAIL
EMAIL_HOST_PASSWORD = env("SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("SMTP_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("SMTP_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("SMTP_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or SMTP_EMAIL or "Animatic Vision <no-reply@localhost>"

FRONTEND_URL = env("FRONTEND_URL", "http://localhost:3000").rstrip("/")

# --- Auth --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Argon2id parameters (RFC 9106's second recommended option, scaled to a 2-core server).
ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 2)
ARGON2_MEMORY_COST_KIB = env_int("ARGON2_MEMORY_COST_KIB", 19456)
ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCESS_TOKEN_LIFETIME = timedelta(minutes=env_int("ACCESS_TOKEN_MINUTES", 60))
REFRESH_TOKEN_LIFETIME = timedelta(days=env_int("REFRESH_TOKEN_DAYS", 7))
# A refresh token presented again this many seconds after its first use gets a pair of the same login
# (the client refreshes once per failed request, several at once); later, it is taken for theft.
REFRESH_REUSE_GRACE_SECONDS = env_int("REFRESH_REUSE_GRACE_SECONDS", 30)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": ACCESS_TOKEN_LIFETIME,
    "REFRESH_TOKEN_LIFETIME": REFRESH_TOKEN_LIFETIME,
    # Rotation and revocation are ours: one database row per login (accounts.models.LoginSession),
    # cached in the shared cache (accounts/sessions.py); a periodic task deletes expired rows.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": False,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env("JWT_SIGNING_KEY") or SECRET_KEY,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "id",
    "AUTH_HEADER_TYPES": ("Bearer",),
}

AUTH_COOKIE_SECURE = env_bool("AUTH_COOKIE_SECURE", not IS_DEVELOPMENT)
AUTH_COOKIE_SAMESITE = env("AUTH_COOKIE_SAMESITE") or ("Lax" if IS_DEVELOPMENT else "None")
AUTH_COOKIE_DOMAIN = env("AUTH_COOKIE_DOMAIN") or None
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 15 * 60)

# --- HTTP, CORS and cross-site checks --------------------------------------------------
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000")
CORS_ALLOW_CREDENTIALS = True
CORS_EXPOSE_HEADERS = ["X-Total-Count", "Retry-After"]
# Origins whose unsafe requests are accepted: the client's, plus any extra ones.
CSRF_TRUSTED_ORIGINS = sorted(set(CORS_ALLOWED_ORIGINS + env_list("CSRF_TRUSTED_ORIGINS", "")))

MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 8 * 1024 * 1024)
# An uploaded image (PNG, JPEG or WebP) is at most this large; its request may carry a little more (the
# multipart framing), so the image routes accept bodies up to the limit plus MAX_REQUEST_BYTES' margin.
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_UPLOAD_MAX_SIDE = env_int("IMAGE_UPLOAD_MAX_SIDE", 8192)
UPLOAD_REQUEST_MAX_BYTES = IMAGE_UPLOAD_MAX_BYTES + 256 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not IS_DEVELOPMENT)
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^test/?$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if IS_DEVELOPMENT else 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not IS_DEVELOPMENT
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list is a deliberate, hard-to-undo choice for the whole domain:
# an opt-in (SECURE_HSTS_PRELOAD=1), so its reminder is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not IS_DEVELOPMENT
CSRF_COOKIE_SECURE = not IS_DEVELOPMENT
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

DJANGO_ADMIN_URL = env("DJANGO_ADMIN_URL", "django-admin/").strip("/") + "/"

# --- Internationalisation, static and media files ----------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or VAR_DIR / "media")
# Files under MEDIA_ROOT are private: the app serves each one only through its signed, expiring link
# (`/files/<token>`, animatic_vision/media_links.py), in development as in production. Nothing serves
# MEDIA_URL itself; a web server must not publish MEDIA_ROOT either.
# Object storage (any S3-compatible service) for project files when S3_BUCKET is set; else the local
# MEDIA_ROOT. Links to files are presigned by the storage (S3) or signed and served by the app (local).
S3_BUCKET = env("S3_BUCKET")
S3_STORAGE_OPTIONS = {
    "bucket_name": S3_BUCKET,
    "endpoint_url": env("S3_ENDPOINT_URL") or None,
    "region_name": env("S3_REGION") or None,
    "access_key": env("S3_ACCESS_KEY_ID") or None,
    "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
    # "path" for MinIO and most self-hosted servers; "virtual" for AWS's bucket-named hosts.
    "addressing_style": env("S3_ADDRESSING_STYLE") or None,
    "signature_version": "s3v4",
    "querystring_auth": True,  # private objects: every link is presigned
    "default_acl": None,
    "file_overwrite": False,
}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_STORAGE_OPTIONS}
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not IS_DEVELOPMENT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = IS_DEVELOPMENT

# Media links (animatic_vision/media_links.py): each link handed out is valid at least this long...
MEDIA_URL_TTL_SECONDS = env_int("MEDIA_URL_TTL_SECONDS", 24 * 60 * 60)
# ...and links made within one window of this many seconds are the same string (so answers can be cached).
MEDIA_URL_RENEW_SECONDS = max(1, env_int("MEDIA_URL_RENEW_SECONDS", min(3600, max(60, MEDIA_URL_TTL_SECONDS // 24))))
# The scheme and host of links, e.g. https://api.example.com; empty: the host of the request answered.
MEDIA_LINK_BASE_URL = env("MEDIA_LINK_BASE_URL").rstrip("/")

# PDF exports keep the frames they scaled for print here (animatic/print_cache.py), at most this many MB.
PRINT_CACHE_DIR = Path(env("PRINT_CACHE_DIR") or VAR_DIR / "print-cache")
PRINT_CACHE_MAX_MB = env_int("PRINT_CACHE_MAX_MB", 1024)

# --- Django REST framework and OpenAPI ---------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.CookieJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["animatic_vision.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "animatic_vision.api.negotiation.UsualAcceptNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "animatic_vision.api.exceptions.exception_handler",
    # No OPTIONS metadata: DRF's introspects serializers a view may not declare (a 500); CORS preflights
    # are answered by corsheaders before any view, and every other OPTIONS is a 405.
    "DEFAULT_METADATA_CLASS": None,
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_RATES": {
        "login_ip": env("THROTTLE_LOGIN_IP", "20/min"),
        "login_email": env("THROTTLE_LOGIN_EMAIL", "5/min"),
        "register": env("THROTTLE_REGISTER", "10/hour"),
        "password_reset": env("THROTTLE_PASSWORD_RESET", "5/hour"),
        # Per user: each PUT /auth/change-password checks an old password.
        "password_change": env("THROTTLE_PASSWORD_CHANGE", "5/min"),
        "segment": env("THROTTLE_SEGMENT", "30/min"),
        "project_create": env("THROTTLE_PROJECT_CREATE", "60/hour"),
    },
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Animatic Vision API",
    "DESCRIPTION": "Turns a story or a screenplay into the scenes of a timed animatic.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX_TRIM": False,
    # The cookie authentication's security scheme comes from accounts/schema.py, per operation.
    # Several serializers have a `status` choice field; give the project's its own component name.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.ProjectStatus.choices",
        "JobStatusEnum": "projects.models.JobStatus.choices",
        "CameraMoveEnum": "scenes.models.CAMERA_MOVES",
        "RenderCameraEnum": ["auto", "static"],
    },
    # Contract paths (no trailing slash) and the error answers every route can give.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "animatic_vision.api.schema.contract_postprocessing_hook",
    ],
}

# --- Projects: what one user may keep ---------------------------------------------
# At most this many projects per user, holding at most this many characters of story in all
# (a story is at most 500,000). GET /projects without `limit` answers this many, newest first, so
# the client's unpaged call always gets every project of its user.
PROJECTS_PER_USER_MAX = env_int("PROJECTS_PER_USER_MAX", 200)
STORY_CHARS_PER_USER_MAX = env_int("STORY_CHARS_PER_USER_MAX", 5_000_000)
PROJECTS_LIST_DEFAULT_LIMIT = PROJECTS_PER_USER_MAX

# --- Segmentation ----------------------------------------------------------------
# Longer than a lost job takes to come back (visibility timeout + restore sweep + one run), so the
# reaper fails only jobs that nothing will finish.
SEGMENTATION_STUCK_AFTER_SECONDS = env_int("SEGMENTATION_STUCK_AFTER_SECONDS", 30 * 60)
# A segmentation job's time limits (seconds): at the soft one the job fails itself with a readable
# error; at the hard one the worker kills it and fails the job in its main process. A soft limit
# of 0 falls back to CELERY_TASK_SOFT_TIME_LIMIT (0 there too: no soft limit). Celery refuses to
# queue a task whose soft limit exceeds its hard one, so that is refused here, at start-up.
SEGMENTATION_SOFT_TIME_LIMIT = float(env("SEGMENTATION_SOFT_TIME_LIMIT", "240")) or None
SEGMENTATION_TIME_LIMIT = float(env("SEGMENTATION_TIME_LIMIT", "270"))
_segmentation_soft_limit = SEGMENTATION_SOFT_TIME_LIMIT or CELERY_TASK_SOFT_TIME_LIMIT
if SEGMENTATION_TIME_LIMIT <= 0 or _segmentation_soft_limit > SEGMENTATION_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"SEGMENTATION_TIME_LIMIT ({SEGMENTATION_TIME_LIMIT:g}) must be positive and at least the "
        f"segmentation soft limit ({_segmentation_soft_limit:g}: SEGMENTATION_SOFT_TIME_LIMIT, or "
        "CELERY_TASK_SOFT_TIME_LIMIT when that is 0)."
    )

# --- Remote providers: a language model for the scenes' words, an image generator for frames ----
# The language-model pass (providers/enrichment.py): `none`, or `openai` for any OpenAI-compatible
# chat-completions API (OpenAI, vLLM, llama.cpp's server, Ollama's /v1). The engine keeps the scenes'
# spans and timing; the model may only rewrite their words. On by default when a provider is set;
# each segmentation request may say `enrich: false` (or `true`).
TEXT_PROVIDER = (env("TEXT_PROVIDER") or "none").lower()
TEXT_API_BASE_URL = env("TEXT_API_BASE_URL")
TEXT_API_KEY = env("TEXT_API_KEY")
TEXT_MODEL = env("TEXT_MODEL")
# The whole pass (every call, retries and waits included) ends within this many seconds.
TEXT_API_TIMEOUT_SECONDS = float(env("TEXT_API_TIMEOUT_SECONDS") or "60")
# Tokens (prompt and answer) one segmentation may spend; scenes past the budget keep the engine's words.
TEXT_MAX_TOKENS_PER_PROJECT = env_int("TEXT_MAX_TOKENS_PER_PROJECT", 100_000)
if TEXT_PROVIDER not in {"none", "openai"}:
    raise ImproperlyConfigured(f"TEXT_PROVIDER must be none or openai, not {TEXT_PROVIDER!r}.")
if TEXT_PROVIDER != "none" and not (TEXT_API_BASE_URL and TEXT_MODEL):
    raise ImproperlyConfigured("TEXT_PROVIDER=openai needs TEXT_API_BASE_URL and TEXT_MODEL.")
# The pass runs inside the segmentation job, after the engine: it must end before the job's limit.
_segmentation_limit = _segmentation_soft_limit or SEGMENTATION_TIME_LIMIT
if TEXT_PROVIDER != "none" and not 0 < TEXT_API_TIMEOUT_SECONDS < _segmentation_limit:
    raise ImproperlyConfigured(
        f"TEXT_API_TIMEOUT_SECONDS ({TEXT_API_TIMEOUT_SECONDS:g}) must be positive and less than the "
        f"segmentation's time limit ({_segmentation_limit:g})."
    )

# Which image generator draws backgrounds and character images: builtin (offline), openai or comfyui.
IMAGE_PROVIDER = (env("IMAGE_PROVIDER") or "builtin").lower()
# `openai`: any OpenAI-compatible /v1/images/generations answering b64_json.
IMAGE_API_BASE_URL = env("IMAGE_API_BASE_URL")
IMAGE_API_KEY = env("IMAGE_API_KEY")
IMAGE_MODEL = env("IMAGE_MODEL")
# Sizes the service accepts (e.g. 1024x1024,1536x1024,1024x1536 for OpenAI's models); empty: any size.
IMAGE_API_SIZES = tuple(env_list("IMAGE_API_SIZES", ""))
# `comfyui`: the server's URL and an API-format workflow file ({{prompt}}, {{seed}}, {{width}}, {{height}}).
COMFYUI_URL = env("COMFYUI_URL")
COMFYUI_WORKFLOW = env("COMFYUI_WORKFLOW") or str(BASE_DIR / "providers" / "comfyui" / "txt2img_api.json")
# One image, every retry and (ComfyUI) the wait for the queue included, ends within this many seconds.
IMAGE_API_TIMEOUT_SECONDS = float(env("IMAGE_API_TIMEOUT_SECONDS") or "180")
if IMAGE_PROVIDER not in {"builtin", "openai", "comfyui"}:
    raise ImproperlyConfigured(f"IMAGE_PROVIDER must be builtin, openai or comfyui, not {IMAGE_PROVIDER!r}.")

# --- The animatic: frames (images) and render (MP4) jobs, on the `render` queue ------------------
# Time limits of one job (seconds): at the soft one the job fails itself with a readable error. Keep the
# hard one below CELERY_VISIBILITY_TIMEOUT: Redis hands a job still unacknowledged after that long to
# another worker; that delivery finds the running one's lease and stops (animatic.jobs.job_lease), and
# the job would then not come back should its worker die afterwards.
ANIMATIC_JOB_SOFT_TIME_LIMIT = float(env("ANIMATIC_JOB_SOFT_TIME_LIMIT", "780"))
ANIMATIC_JOB_TIME_LIMIT = float(env("ANIMATIC_JOB_TIME_LIMIT", "840"))
if ANIMATIC_JOB_TIME_LIMIT <= 0 or ANIMATIC_JOB_SOFT_TIME_LIMIT > ANIMATIC_JOB_TIME_LIMIT:
    raise ImproperlyConfigured("ANIMATIC_JOB_TIME_LIMIT must be positive and at least ANIMATIC_JOB_SOFT_TIME_LIMIT.")
# A job queued or running longer than this is taken as lost: a new request starts a fresh one.
ANIMATIC_JOB_STUCK_AFTER_SECONDS = env_int("ANIMATIC_JOB_STUCK_AFTER_SECONDS", 30 * 60)
# Without a broker (the embedded default) a job runs in a process of its own; on, it runs in the caller's (tests).
ANIMATIC_INLINE_JOBS = env_bool("ANIMATIC_INLINE_JOBS", False)

# --- Logging -----------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Our request log already has a line for every 4xx; keep Django's for errors with their traces.
        "django.request": {"level": "ERROR", "propagate": True},
        "django.server": {"level": "WARNING", "propagate": True},
    },
}

CSRF_FAILURE_VIEW = "animatic_vision.error_views.csrf_failure"

# --- Celery queues -----------------------------------------------------------
# Separate queues, so a password-reset email never waits behind a novel being segmented.
CELERY_TASK_ROUTES = {
    "accounts.tasks.*": {"queue": "emails"},
    "scenes.tasks.*": {"queue": "segmentation"},
    "animatic.tasks.*": {"queue": "render"},
}
CELERY_WORKER_QUEUES = env("CELERY_WORKER_QUEUES", "default,emails,segmentation,render")

# --- Celery beat schedule (run `make beat`: exactly one beat process per deployment) ----------

CELERY_BEAT_SCHEDULE = {
    # Logins whose refresh token has expired: their rows are deleted (a missing row is an ended login).
    "delete-expired-logins": {
        "task": "accounts.tasks.login_sessions_expired_delete_task",
        "schedule": float(env_int("LOGIN_SESSIONS_CLEANUP_EVERY_SECONDS", 3600)),
    },
    # No project stays `segmenting` forever: a job past SEGMENTATION_STUCK_AFTER_SECONDS is failed.
    "reap-stuck-segmentations": {
        "task": "scenes.tasks.reap_stuck_segmentations",
        "schedule": float(env_int("SEGMENTATION_REAP_EVERY_SECONDS", 60)),
    },
}
