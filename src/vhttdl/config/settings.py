"""Settings, read from the environment.

Nothing configured means the embedded default: SQLite under ./var/, tasks inline, files on disk.
Production sets VHTTDL_ENV=production (or DEBUG=false) and the URLs of real services.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VHTTDL_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("VHTTDL_ENV", "").lower() == "production"
DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    """SECRET_KEY is required in production; the demo generates one once and keeps it in var/."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when VHTTDL_ENV=production")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its static Swagger UI for /api/v1/docs (no CDN)
    "axes",
    "vhttdl.core.units",
    "vhttdl.core.accounts",
    "vhttdl.core.audit",
    "vhttdl.core.ui",
    "vhttdl.core.notifications",
    "vhttdl.core.search",
    "vhttdl.core.outbox",
    "vhttdl.core.calendar",
    "vhttdl.core.revisions",
    "vhttdl.core.imports",
    "vhttdl.reporting",
    "vhttdl.reporting.analytics",
    "vhttdl.reporting.forwarding",
    "vhttdl.heritage",
    "vhttdl.portal",  # top floor: the public landing page
    "vhttdl.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vhttdl.core.httpcache.middleware.PublicPageCacheMiddleware",  # public pages, before everything else
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vhttdl.core.ui.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vhttdl.core.ui.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "vhttdl.core.text.middleware.ControlCharacterMiddleware",
    "vhttdl.core.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vhttdl.config.urls"
WSGI_APPLICATION = "vhttdl.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vhttdl.core.ui.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'vhttdl.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Search takes a broad query's first matches in table order (no ORDER BY, so the scan stops at its
    # limit). With synchronized scans (PostgreSQL's default) a sequential scan starts where another one
    # of the same table is, and the same query could rank other candidates from one run to the next.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c synchronize_seqscans=off".strip()
ATOMIC_REQUESTS = False  # transactions belong to services
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Grouping is asked for where numbers are shown (intcomma, floatformat:"g"), never applied to every
# integer: ids and versions in forms and data attributes must stay plain digits.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["vhttdl.config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
def _package_static(package: str) -> Path:
    """A package's static folder, found without importing it (django-leaflet's admin needs GDAL)."""
    spec = importlib.util.find_spec(package)
    return Path(next(iter(spec.submodule_search_locations))) / "static" / package


# Leaflet ships in django-leaflet; we serve its files without installing the app (no GDAL needed).
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("leaflet", _package_static("leaflet"))]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders; it still expects the folder
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = not PRODUCTION
# Files (core.files): on disk by default; S3-compatible object storage when STORAGE_URL is set,
# e.g. s3://KEY:SECRET@minio.internal:9000/vhttdl?region=us-east-1&secure=0 (docs/deployment.md).
# `private` holds uploaded import files, which are never served.
STORAGE_URL = os.environ.get("STORAGE_URL", "")
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": "/private-files-are-not-served/"}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STORAGE_URL:
    from vhttdl.core.files.storage import storages_from_url

    STORAGES.update(storages_from_url(STORAGE_URL))
# Public media served by the app itself (the demo, a single machine); production lets nginx or the
# object storage serve it (docs/deployment.md).
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=not PRODUCTION and not STORAGE_URL)
FILES_MAX_IMAGE_PIXELS = int(os.environ.get("FILES_MAX_IMAGE_PIXELS", "60000000"))
FILES_MAX_UNPACKED_BYTES = int(os.environ.get("FILES_MAX_UNPACKED_MB", "200")) * 1024 * 1024
FILES_MAX_SHARED_STRINGS_BYTES = int(os.environ.get("FILES_MAX_SHARED_STRINGS_MB", "50")) * 1024 * 1024
FILES_MAX_ARCHIVE_ENTRIES = int(os.environ.get("FILES_MAX_ARCHIVE_ENTRIES", "1000"))
# Import batches (core.imports): a checked file waits this long for its confirmation; a rejected
# file is kept this long for the person to look at; then the files are removed (hourly task).
IMPORT_CHECKED_KEEP_HOURS = float(os.environ.get("IMPORT_CHECKED_KEEP_HOURS", "48"))
IMPORT_REJECTED_KEEP_HOURS = float(os.environ.get("IMPORT_REJECTED_KEEP_HOURS", "72"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Cache: Redis when configured, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "vhttdl.core.cache.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Public pages for anonymous visitors (core.httpcache): shared by every web process, so Redis when
# configured, files under var/ otherwise (the local-memory cache would be one per process).
CACHES["pages"] = (
    {"BACKEND": "vhttdl.core.cache.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "pages"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
          "LOCATION": str(VAR_DIR / "cache" / "pages"), "OPTIONS": {"MAX_ENTRIES": 20_000}}
)
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "3600"))
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work: Celery with a broker when configured, inline otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# The outbox (core.outbox): send every message that is due to another system, retries included.
CELERY_BEAT_SCHEDULE["outbox-drain-due"] = {"task": "outbox.drain_due", "schedule": 60.0}
# Reports due within three days and not yet submitted: remind the units, once a day.
CELERY_BEAT_SCHEDULE["reporting-reminders"] = {"task": "reporting.send_reminders", "schedule": 24 * 60 * 60.0}
# Unconfirmed and rejected import batches: expire them and remove their files, hourly.
CELERY_BEAT_SCHEDULE["core-imports-purge"] = {"task": "core.imports_purge", "schedule": 60 * 60.0}

# E-mail
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "vhttdl@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict in production; the checks of `check --deploy` pass with these.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Strict Content-Security-Policy on every response (core.ui.middleware): scripts, styles, fonts and
# requests from our own origin only, no inline script or style (not even in SVG), no plugins, no
# framing, forms posted only here. The map's tile server (MAP_TILE_URL) is added to img-src.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SILENCED_SYSTEM_CHECKS: list[str] = []

# The map tile server; empty means no base map (points still show on a plain background).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
# The address visitors reach the portal at, for QR codes printed on site boards (else the request host).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "vhttdl.core.api.pagination.LimitOffsetPagination"  # limit ≤ 500, bounded offset

API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
# Issuing an API token needs the password entered (at login or again) within this many minutes.
API_TOKEN_REAUTH_MINUTES = int(os.environ.get("API_TOKEN_REAUTH_MINUTES", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "celery": {"level": "WARNING"}},
}
