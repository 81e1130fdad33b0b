"""Liangze settings: one module, configured by LIANGZE_* environment variables.

Defaults are safe for a single machine: SQLite under var/, DEBUG off. Every
variable is listed in README.md (生产部署 / Production). Production needs a
secret key from the environment; development (LIANGZE_DEBUG=1) and the tests
make their own.
"""

import ipaddress
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Generic Django classes as base classes, e.g. ModelChoiceField[Person] (django-stubs).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIANGZE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("LIANGZE_DEBUG")
# pytest imports the settings before any conftest runs; the test run needs no
# secret, shares no cache with other processes and collects no static files.
TESTING = "pytest" in sys.modules


def _secret_key() -> str:
    if key := os.environ.get("LIANGZE_SECRET_KEY", "").strip():
        return key
    if path := os.environ.get("LIANGZE_SECRET_KEY_FILE"):
        try:
            key = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"无法读取密钥文件 LIANGZE_SECRET_KEY_FILE={path}（{error.strerror}）。 "
                f"Cannot read the secret key file {path}."
            ) from None
        if key:
            return key
        raise ImproperlyConfigured(f"密钥文件 {path} 为空。 The secret key file {path} is empty.")
    if TESTING:
        return "liangze-tests-only-" + "x" * 40
    if not DEBUG:
        # Every host of an installation must sign sessions with the same key, so production
        # never makes one up. Without it the web app refuses to start (core.startup, from
        # wsgi.py) and Django refuses any other use of the empty key, while commands that
        # sign nothing (migrate, collectstatic, makemigrations, mypy's plugin) still run.
        return ""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("LIANGZE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "huey.contrib.djhuey",
    "liangze.core",
    "liangze.accounts",
    "liangze.orgs",
    "liangze.duties",
    "liangze.ledger",
    "liangze.notices",
    "liangze.supervision",
    "liangze.dashboard",
    "liangze.documents",
    "liangze.portal",
    "liangze.demo",
]

MIDDLEWARE = [
    # First, so that every log line of a request carries its id (and its user, once known).
    "liangze.core.middleware.RequestContextMiddleware",
    # Before anything reads the body: an oversized request is refused from its Content-Length.
    "liangze.core.limits.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "liangze.core.middleware.BusyDatabaseMiddleware",
    "liangze.access.middleware.CarriedRefusalMiddleware",
    "liangze.accounts.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "liangze.urls"
WSGI_APPLICATION = "liangze.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "liangze" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liangze.portal.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("LIANGZE_DATABASE_URL", f"sqlite:///{VAR_DIR / 'liangze.sqlite3'}"),
        conn_max_age=int(os.environ.get("LIANGZE_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# A read replica answers only the reports that ask for it (core.dbrouting.reporting()),
# so every other page reads what it has just written.
if replica_url := os.environ.get("LIANGZE_DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["liangze.core.dbrouting.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "liangze.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "liangze.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# 等保: lockout after repeated failures, idle sessions end.
LIANGZE_LOCKOUT_ATTEMPTS = int(os.environ.get("LIANGZE_LOCKOUT_ATTEMPTS", "5"))
LIANGZE_LOCKOUT_MINUTES = int(os.environ.get("LIANGZE_LOCKOUT_MINUTES", "15"))
SESSION_COOKIE_AGE = 60 * int(os.environ.get("LIANGZE_SESSION_IDLE_MINUTES", "30"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Behind the HTTPS proxy of deploy/nginx: gunicorn sets the scheme from X-Forwarded-Proto
# for the addresses in forwarded_allow_ips (= LIANGZE_TRUSTED_PROXIES, deploy/gunicorn.conf.py),
# so Django's SECURE_PROXY_SSL_HEADER, which would believe any client, stays unset.
SESSION_COOKIE_SECURE = _env_bool("LIANGZE_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


def _trusted_proxies() -> tuple[str, ...]:
    entries = [e.strip() for e in os.environ.get("LIANGZE_TRUSTED_PROXIES", "").split(",")]
    for entry in filter(None, entries):
        try:
            ipaddress.ip_network(entry)
        except ValueError:
            raise ImproperlyConfigured(
                f"LIANGZE_TRUSTED_PROXIES 中的“{entry}”不是 IP 地址或网段。 "
                f"{entry!r} in LIANGZE_TRUSTED_PROXIES is not an address or a network."
            ) from None
    return tuple(filter(None, entries))


# The reverse proxies whose X-Forwarded-For and X-Request-ID are believed (core.network).
LIANGZE_TRUSTED_PROXIES = _trusted_proxies()
X_FRAME_OPTIONS = "DENY"
# The proxy redirects to HTTPS and sends HSTS (deploy/nginx-liangze.conf): `check --deploy`
# need not ask the app to do it again.
SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# 台账: a period's entries lock this many working days after it ends (LEDGER-3).
LIANGZE_LEDGER_GRACE_WORKDAYS = int(os.environ.get("LIANGZE_LEDGER_GRACE_WORKDAYS", "5"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "liangze" / "static"]
# Request and upload limits (等保: resource control). The total body of one request is
# refused above LIANGZE_MAX_REQUEST_MB before it is read; each file is checked against
# 20 MB (core/files.py); one request carries at most so many files.
LIANGZE_MAX_REQUEST_MB = int(os.environ.get("LIANGZE_MAX_REQUEST_MB", "60"))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("LIANGZE_MAX_FILES_PER_REQUEST", "10"))
# Form fields without files (Django's default, stated): files above it spool to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Spreadsheet imports: the org tree of a whole province fits; a bigger workbook is refused
# before it is parsed in full (duty items and holidays have their own, smaller bounds).
LIANGZE_ORG_IMPORT_MAX_ROWS = int(os.environ.get("LIANGZE_ORG_IMPORT_MAX_ROWS", "100000"))

MEDIA_ROOT = Path(os.environ.get("LIANGZE_MEDIA_ROOT", VAR_DIR / "media"))
# Production serves what `manage.py collectstatic` gathered, gzip-compressed, hashed names
# cached for ten years by the browsers; development and the tests serve the sources.
STATIC_COLLECTED = not (DEBUG or TESTING)
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED


def _storages() -> dict[str, dict[str, object]]:
    static = (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    kind = os.environ.get("LIANGZE_STORAGE", "filesystem")
    if kind == "filesystem":
        # No location option: it follows MEDIA_ROOT (which the tests point elsewhere).
        files: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    elif kind == "s3":
        files = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("LIANGZE_S3_BUCKET", "liangze"),
                "endpoint_url": os.environ.get("LIANGZE_S3_ENDPOINT_URL") or None,
                "access_key": os.environ.get("LIANGZE_S3_ACCESS_KEY") or None,
                "secret_key": os.environ.get("LIANGZE_S3_SECRET_KEY") or None,
                "region_name": os.environ.get("LIANGZE_S3_REGION") or None,
                # Evidence is served through the app's access check, never by a public URL.
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    else:
        raise ImproperlyConfigured(
            f"LIANGZE_STORAGE={kind} 无效，应为 filesystem 或 s3。 "
            f"LIANGZE_STORAGE must be filesystem or s3, not {kind!r}."
        )
    return {"default": files, "staticfiles": {"BACKEND": static}}


STORAGES = _storages()

REDIS_URL = os.environ.get("LIANGZE_REDIS_URL", "")
# Schedules are crontabs in Beijing time: huey reads the local clock, which Django
# sets to TIME_ZONE in every process (os.environ["TZ"]).
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "liangze", "url": REDIS_URL, "utc": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "liangze",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "utc": False,
    }
HUEY["immediate"] = _env_bool("LIANGZE_HUEY_IMMEDIATE")

# Nothing that a write on another host changes may be cached per process: the cache is
# Redis across hosts, or files that every process of this machine shares.
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "liangze",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

LOG_FORMAT = os.environ.get("LIANGZE_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(
        f"LIANGZE_LOG_FORMAT={LOG_FORMAT} 无效，应为 text 或 json。 "
        f"LIANGZE_LOG_FORMAT must be text or json."
    )
_log_handlers: dict[str, dict[str, object]] = {
    "console": {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": LOG_FORMAT,
        "filters": ["request"],
    }
}
if log_file := os.environ.get("LIANGZE_LOG_FILE"):
    # Reopened after logrotate moves it away (deploy/README: logrotate without copytruncate).
    _log_handlers["file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": log_file,
        "formatter": LOG_FORMAT,
        "filters": ["request"],
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "liangze.core.logs.RequestFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s",
            # Local (Beijing) time with its offset, so that lines from hosts and logs agree.
            "datefmt": "%Y-%m-%d %H:%M:%S%z",
        },
        "json": {"()": "liangze.core.logs.JsonFormatter"},
    },
    "handlers": _log_handlers,
    "root": {"handlers": list(_log_handlers), "level": os.environ.get("LIANGZE_LOG_LEVEL", "INFO")},
    # run_huey adds a handler of its own to a "huey" logger that has none.
    "loggers": {"huey": {"handlers": list(_log_handlers), "propagate": False}},
}
