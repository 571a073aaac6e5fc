"""Settings: one file, driven by environment variables with embedded defaults.

With no environment at all this runs on a laptop: SQLite, the django-q2 ORM broker,
files and emails under ./var. `.env.example` documents every variable.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))


# --- Private files: var/ holds the database, the secret key, sent mail (with members'
# personal links) and uploads, so it and they are readable by this user only, whatever
# the umask of the shell that started the server. Existing ones are tightened too.
def _private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(path, 0o700)
    return path


def _private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 if missing (an empty file is a valid SQLite
    database, and SQLite gives its journals the database file's mode)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    _tighten(path, 0o600)
    return path


def _tighten(path: Path, mode: int) -> None:
    # Only what this user owns: a folder mounted by an administrator keeps its mode.
    status = path.stat()
    if status.st_uid == os.getuid() and status.st_mode & 0o777 != mode:
        path.chmod(mode)


_private_folder(VAR_DIR)


def _local_secret_key() -> str:
    """A random key kept in var/ so that a laptop install needs no configuration."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        # Created 0600 at once: never readable by others, not even for a moment.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    _tighten(path, 0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = env("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "django_q",
    "secretariat",
    "secretariat.council",
    "secretariat.meetings",
    "secretariat.minutes",
    "secretariat.public",
    "secretariat.publishing",
    "documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Headers for every page and file (see the blocks below and secretariat/middleware.py):
    # private pages are never cached, files are sandboxed, pages get the CSP.
    "secretariat.middleware.PrivateCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "secretariat.middleware.FileSandboxMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "secretariat.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The staff side is closed by default; public views opt out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (it leaves one); acts before LoginRequiredMiddleware's view check.
    "secretariat.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "secretariat.urls"
WSGI_APPLICATION = "secretariat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "builtins": ["secretariat.templatetags.japanese"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'secretariat.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the worker's write lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    _sqlite_file = Path(DATABASES["default"]["NAME"] or ":memory:")
    if _sqlite_file.name != ":memory:" and _sqlite_file.parent.is_dir():
        _private_file(_sqlite_file)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-q2: the ORM broker keeps receipts (at-least-once); Redis has none, so tasks
# must be idempotent either way. `retry` stays above `timeout` so a slow task is not
# handed to a second worker while the first still runs.
Q_CLUSTER = {
    "name": "secretariat",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 120,
    "retry": 300,
    "max_attempts": 3,
    "queue_limit": 20,
    "catch_up": False,
    "label": "バックグラウンド処理",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "meetings:dashboard"
LOGOUT_REDIRECT_URL = "public:index"

# --- Staff sessions (secretariat.middleware.StaffSessionMiddleware): logged out after
# this long without a request, and this long after logging in whatever the activity.
# The cookie itself lasts no longer than the absolute limit.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 120)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600

LANGUAGE_CODE = "ja"
# Each language named in itself, as language switches show them.
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are never served by URL: every download goes through a view that
# checks access, so MEDIA_URL is deliberately not routed.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if env("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640
MATERIAL_MAX_BYTES = env_int("MATERIAL_MAX_MB", 100) * 1024 * 1024

# Emails: written to a folder by default so staff can read exactly what went out.
EMAIL_FILE_PATH = VAR_DIR / "mail"
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    _private_folder(EMAIL_FILE_PATH)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "secretariat@localhost")

# Behind HTTPS (any real deployment): secure cookies, HSTS and redirects.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Brute-force protection (django-axes, and secretariat/throttle.py for personal links and
# the gallery form). A failed login counts against the account and against the client
# address, each on its own: 10 failures lock that account (from anywhere) or that address
# (for any account) for 30 minutes after the last failure. Bad personal-link tokens are
# counted apart, per address (20 in the same window answer 429 to every link). Locked
# attempts are in the admin (アクセス試行) and the log; `manage.py axes_reset_ip` or
# `axes_reset_username` lifts a lock early.
INSTALLED_APPS += ["axes"]
# Last, as axes asks: it turns the "locked" mark left on the request into the lockout page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
PERSONAL_LINK_FAILURE_LIMIT = env_int("PERSONAL_LINK_FAILURE_LIMIT", 20)
AXES_HANDLER = "secretariat.throttle.AxesHandler"
AXES_FAILURE_LIMIT = "secretariat.throttle.failure_limit"
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30))
# Failures during a lockout do not extend it, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login would also clear its address's count, letting someone with an
# account of their own reset the counter between guesses at another's.
AXES_RESET_ON_SUCCESS = False
# REMOTE_ADDR, or with BEHIND_PROXY the address the proxy appended to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "secretariat.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "secretariat.throttle.lockout_response"
# The log shows the address; the typed username (sometimes a password typed in the wrong
# field) stays out of it, and is in the admin's access attempts only.
AXES_SENSITIVE_PARAMETERS = ["username"]

# --- Content-Security-Policy (django-csp 4): the app's pages load only its own static
# files and run no inline script or style; no page may be framed, no form may post
# elsewhere. Files users uploaded get `sandbox` instead (FileSandboxMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Logging. Personal links are keys: the access log (django.server, which
# `bin/serve`'s runserver writes), request errors (django.request) and CSRF refusals
# name paths, so every record Django writes has /m/<token>/, /u/<token>/, /c/<token>/
# and /m/calendar/<token>.ics rewritten to [token] (secretariat.log).
_REDACT = ["personal_links"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_links": {"()": "secretariat.log.PersonalLinkFilter"}},
    "formatters": {
        # As Django's default for the development server's access log.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": _REDACT},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": _REDACT,
        },
    },
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": _REDACT,
        },
        "django.request": {"filters": _REDACT},
        "django.security.csrf": {"filters": _REDACT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Members' personal links (invitations, replies) expire after this many days.
PERSONAL_LINK_DAYS = env_int("PERSONAL_LINK_DAYS", 180)

# The static export of the public site (export_public_site, and the staff button): where
# it is written, and the URL it will be served at (for the links in feeds and calendars).
PUBLIC_EXPORT_DIR = Path(env("PUBLIC_EXPORT_DIR", str(VAR_DIR / "exports" / "public-site")))
PUBLIC_SITE_URL = env("PUBLIC_SITE_URL", "http://localhost:8000")
