"""Revans settings: every value comes from the environment, and a bad value stops start-up.

REVANS_MODE chooses the defaults: ``production`` (the default: secrets required, HTTPS on),
``debug`` (local development), ``demo`` (``revans demo``: demo data, insecure key allowed) and
``test`` (the test suite).
"""

import os
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
MODES = ("production", "debug", "demo", "test")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def envbool(name: str, default: bool) -> bool:
    value = env(name).lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int, minimum: int = 0) -> int:
    value = env(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


MODE = env("REVANS_MODE", "production").lower()
if MODE not in MODES:
    raise ImproperlyConfigured(f"REVANS_MODE must be one of {', '.join(MODES)}, not {MODE!r}")
TESTING = MODE == "test"
INSECURE_ALLOWED = MODE in ("debug", "demo", "test")

DEBUG = envbool("REVANS_DEBUG", MODE == "debug")
if DEBUG and not INSECURE_ALLOWED:
    raise ImproperlyConfigured("REVANS_DEBUG is only allowed with REVANS_MODE=debug")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not INSECURE_ALLOWED:
        raise ImproperlyConfigured("SECRET_KEY must be set (50 or more random characters)")
    SECRET_KEY = f"revans-{MODE}-only-key-never-use-this-one-in-production-0123456789"
elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters of varied randomness")

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if INSECURE_ALLOWED else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) Revans is served on")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# The public address, for links in e-mails sent outside a request (reminders from the worker).
SITE_URL = env("REVANS_SITE_URL").rstrip("/")
if not SITE_URL:
    if not INSECURE_ALLOWED:
        raise ImproperlyConfigured(
            "REVANS_SITE_URL must be Revans's public address, e.g. https://revans.example.org"
        )
    SITE_URL = f"http://127.0.0.1:{env('PORT', '8000')}"
elif not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"REVANS_SITE_URL must start with https://, not {SITE_URL!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "revans.core",
    "revans.audit",  # the append-only audit log: written by every app, read by the operator
    "revans.accounts",
    "revans.guide",
    "revans.programmes",
    "revans.sets",
    "revans.formation",
    "revans.meetings",
    "revans.actions",
    "revans.journal",
    "revans.training",
    "revans.development",
    "revans.evaluation",
    "revans.polls",
    "revans.privacy",  # the top layer too: a person's own data, downloaded or deleted
    "revans.site",  # the top layer: dashboard, demo data, serve/demo/worker commands
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "revans.core.middleware.PrivateResponseMiddleware",  # no-store; sessions last while used
    "revans.accounts.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "revans.site.twofactor.TwoFactorMiddleware",  # two-factor first, when REVANS_REQUIRE_2FA
]

ROOT_URLCONF = "revans.urls"
ASGI_APPLICATION = "revans.asgi.application"
WSGI_APPLICATION = None

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
            ],
        },
    },
]

# Data: SQLite in a local folder unless DATABASE_URL says otherwise.
DATA_DIR = Path(env("REVANS_DATA_DIR") or Path.cwd() / "var")
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "revans.sqlite3"),
            # Keep connections: Channels closes idle ones around every database call, and
            # opening an SQLite file (with its pragmas) cost more than the live room's queries.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
# Connections per worker process on PostgreSQL (0: no pool, a connection per request).
DB_POOL_SIZE = envint("REVANS_DB_POOL_SIZE", 10)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI every request runs in a thread of its own, and a connection kept per thread
    # (conn_max_age > 0) was never reused: the server ran out ("too many clients") and every
    # request then failed. A pool per worker bounds them; a request waits for a free one.
    # Tests open and drop their databases, so they hold none open (bench/pg_connections.py
    # measures both ways).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DB_POOL_SIZE and not TESTING:
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # the pool checks its own
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_SIZE,
            "timeout": 20,  # seconds a request waits for a connection before it fails
        }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE takes the write lock at the
    # start of a transaction so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if TESTING:
        # A file, not memory: the live-room tests serve WebSockets from another thread. One
        # file per test run, so that two runs in one checkout never share (or delete) it.
        DATABASES["default"]["TEST"] = {
            "NAME": str(DATA_DIR / f"test-revans-{os.getpid()}.sqlite3")
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "revans.core.redis_layer.RedisChannelLayer",  # a pool that waits
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # Longer than channels-redis' 5-second blocking read (BZPOPMIN), which
                        # redis-py's own default of 5 s cut off: every idle room socket then
                        # dropped. Keepalive and health checks find a dead server instead.
                        "socket_timeout": 30,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        "health_check_interval": 30,
                    }
                ],
                "prefix": env("REVANS_REDIS_PREFIX", "revans"),
            },
        }
    }
    # Shared by every worker, so sign-in rate limits hold across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("REVANS_REDIS_PREFIX", "revans"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "revans.core.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Following the link signs in the person who just signed up, in the browser they signed up in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "revans.accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "revans.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Revans] "
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = False if TESTING else {}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Revans"
# On: whoever manages a programme, facilitates a set, trains facilitators or is staff must set up
# an authenticator app before anything else (revans.site.twofactor). Off by default.
REQUIRE_TWO_FACTOR = envbool("REVANS_REQUIRE_2FA", False)

# Background tasks (reminders): queued in the database and run by `revans worker`; run at once,
# in the request, for the test suite and the demo, which have no worker.
TASKS_BACKEND = env("REVANS_TASKS", "immediate" if MODE in ("test", "demo") else "database")
if TASKS_BACKEND not in ("immediate", "database"):
    raise ImproperlyConfigured(f"REVANS_TASKS must be immediate or database, not {TASKS_BACKEND!r}")
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TASKS_BACKEND == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}
# A meeting left open closes itself this long after its planned end (and still makes its summary).
ROOM_GRACE_MINUTES = envint("REVANS_ROOM_GRACE_MINUTES", 120, minimum=0)
REMINDER_MORNING_HOUR = envint("REVANS_REMINDER_MORNING_HOUR", 7)

INVITATION_DAYS = envint("REVANS_INVITATION_DAYS", 14, minimum=1)

# A programme's dashboard and reports show figures computed at most this long ago (a manager can
# refresh them at once); 0 computes them for every request, as the tests do.
EVIDENCE_SECONDS = envint("REVANS_EVIDENCE_SECONDS", 0 if TESTING else 600)

# E-mail: printed to the console unless an SMTP host is given.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Revans <revans@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "Europe/London")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
if MODE == "production":
    STATIC_ROOT = Path(env("STATIC_ROOT") or DATA_DIR / "static")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    # Outside production the files are served straight from the apps, no collectstatic.
    WHITENOISE_USE_FINDERS = True
    # Looking files up as they are asked for rather than listing them all at start-up: in
    # tests every test client starts the middleware afresh, and the listing cost 33 ms each.
    WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Uploaded files (learning log images, sketches, audio, video) are private: nothing serves
# MEDIA_URL, and only access-checked views (revans.journal) ever send them.
MEDIA_ROOT = Path(env("REVANS_MEDIA_DIR") or DATA_DIR / "media")
MEDIA_URL = "/media/"
# Largest learning log uploads, in megabytes: images and sketches, audio diaries, video diaries.
# A file over its limit is refused while it is being received, and nothing of it is kept.
JOURNAL_IMAGE_MAX_BYTES = envint("REVANS_UPLOAD_IMAGE_MB", 10, minimum=1) * 1024 * 1024
JOURNAL_AUDIO_MAX_BYTES = envint("REVANS_UPLOAD_AUDIO_MB", 50, minimum=1) * 1024 * 1024
JOURNAL_VIDEO_MAX_BYTES = envint("REVANS_UPLOAD_VIDEO_MB", 200, minimum=1) * 1024 * 1024
# The largest request body of any other view, sign-in included, in kilobytes: a larger one is
# refused (413) before Django reads it. Upload views allow their largest file (revans.core.limits).
MAX_REQUEST_BYTES = envint("REVANS_MAX_REQUEST_KB", 1024, minimum=64) * 1024
FILE_UPLOAD_HANDLERS = [
    "revans.core.limits.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SESSION_COOKIE_HTTPONLY = True
# A session ends after this many hours without a request (the middleware above saves an active
# one again every 24th of it): a working day of meetings and writing without signing in again,
# and a computer left signed in overnight is signed out by morning. The browser's cookie lasts
# as long, unless the person left "Remember me" unticked, when it ends with the browser.
SESSION_COOKIE_AGE = envint("REVANS_SESSION_HOURS", 12, minimum=1) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = envbool("REVANS_HTTPS", MODE == "production")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("REVANS_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts and forms only
# from Revans itself, never inline or eval'd (templates carry no script, style attribute or
# on… handler; htmx's meta htmx-config in base.html turns its eval and injected styles off).
# Images may be data: and blob: URLs (a sketch being drawn, the TOTP QR code), media blob:
# (a recording's length is read before upload); the room's WebSocket is the site's own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "ws" + SITE_URL.removeprefix("http")],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR" if TESTING else "WARNING"}},
}
