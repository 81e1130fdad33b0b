"""Liangze settings: one module, configured by LIANGZE_* environment variables.

Defaults are safe for a single machine: SQLite under var/, DEBUG off, a secret
key generated once into var/ and kept there.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext

# Generic Django classes as base classes, e.g. ModelChoiceField[Person] (django-stubs).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIANGZE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("LIANGZE_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("LIANGZE_DEBUG")
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
    "liangze.core.middleware.RequestContextMiddleware",
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
SESSION_COOKIE_SECURE = _env_bool("LIANGZE_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
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
MEDIA_ROOT = Path(os.environ.get("LIANGZE_MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = True

HUEY = {
    "huey_class": "huey.SqliteHuey",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": _env_bool("LIANGZE_HUEY_IMMEDIATE"),
}
if redis_url := os.environ.get("LIANGZE_REDIS_URL"):
    HUEY = {"huey_class": "huey.RedisHuey", "url": redis_url, "immediate": False}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIANGZE_LOG_LEVEL", "WARNING")},
}
