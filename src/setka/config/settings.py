"""Setka's one settings module, driven by environment variables (see docs/deployment.md).

Safe defaults make a fresh clone work: SQLite under ``var/``, local-memory cache, e-mail to
the console, Celery tasks run in-process. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL and HTTPS=1.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/setka
PROJECT_DIR = PACKAGE_DIR.parent.parent  # the checkout

env = environ.Env()
VAR_DIR = Path(env.str("SETKA_VAR_DIR", default=str(PROJECT_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("SETKA_TESTING", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    secret_file = VAR_DIR / "secret_key"
    if secret_file.exists():
        SECRET_KEY = secret_file.read_text().strip()
    elif DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set the SECRET_KEY environment "
            "variable, or run `make demo`, which writes var/secret_key."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_htmx",
    "csp",
    "ninja",
    "setka.core",
    "setka.accounts",
    "setka.network",
    "setka.journal",
    "setka.notifications",
    "setka.programs",
    "setka.events",
    "setka.resources",
    "setka.readiness",
    "setka.schedule",  # after the events: its demo step publishes into their calendar
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, precompressed (gzip, brotli)
    # Pages, fragments and API answers gzipped when the client asks (rural links of a few
    # Mbit/s: the journal's grid goes from 186 KB to 13 KB). Above every middleware that reads
    # or writes the body; below whitenoise, which answers static files itself. BREACH: see
    # docs/deployment.md, "Compression".
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers to signed-in users (and API calls with a token): Cache-Control: private, no-store
    "setka.core.middleware.private_no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "setka.config.urls"
WSGI_APPLICATION = "setka.config.wsgi.application"

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
                "setka.core.context_processors.setka",
                "setka.notifications.context_processors.bell",
            ],
        },
    },
    {
        # Large grids (the journal) render with Jinja2: ~5x faster than Django templates on a
        # 30x50 grid. Templates live in <app>/jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "setka.journal.jinja2env.environment"},
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'setka.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory test databases
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # The hand-written SQL of the hottest reads (setka.core.sqlrows) is prepared on the server
    # after 5 runs on a connection, so PostgreSQL plans it once. The ORM's queries are never
    # prepared (client-side binding). Behind a transaction-mode pooler, set it to 0 (off).
    _prepare = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", _prepare or None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "setka.accounts.backends.UsernameOrEmailBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # invitations use the same tokens: three days
# Password-reset requests per e-mail address and per client address in an hour (the cache).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=20)
PASSWORD_RESET_LIMIT_WINDOW = 60 * 60

# Login throttling (django-axes): five failures for an account from one address lock it for
# fifteen minutes; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures count per account: every spelling of its login and its e-mail address are one.
AXES_USERNAME_CALLABLE = "setka.accounts.lockout.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Sessions and cookies. HTTPS=1 in production turns on secure cookies, HSTS and redirects.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not from the cookie
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline scripts or styles anywhere, everything from ourselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="ru")
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Irkutsk")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Cache and background work: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "setka",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The busiest read pages are served again from the cache while nothing they show has changed
# (core.pagecache: keyed by the stamps of their data, kept by database triggers, and by who
# asks); entries expire after PAGE_CACHE_SECONDS in any case.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Sessions live in the database; with Redis they are read through the cache, so a page reads
# its session without a query (every change still goes to the database first: a restarted
# Redis signs nobody out).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# With a worker running beat (`celery -A setka.config worker --beat`); without one, cron runs
# `python -m setka send_notifications` (docs/deployment.md).
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "notifications.send_pending", "schedule": 300.0},
    "notifications-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=19, minute=0),
    },
    "notifications-purge": {"task": "notifications.purge", "schedule": crontab(hour=3, minute=30)},
    # Event reminders (the day before, and shortly before the start); each is sent once.
    "events-reminders": {"task": "events.send_reminders", "schedule": 300.0},
    # The readiness survey: openings, reminders before deadlines, the index of open campaigns.
    "readiness-daily": {"task": "readiness.daily", "schedule": crontab(hour=7, minute=15)},
    # The change log behind the cached pages: each domain's rows folded into one (core.changes).
    "core-prune-changes": {"task": "core.prune_changes", "schedule": 300.0},
}
# Notifications are kept for a school year.
NOTIFICATIONS_KEEP_DAYS = env.int("NOTIFICATIONS_KEEP_DAYS", default=365)

# Remote participation in events (docs/deployment.md). Jitsi Meet: the server, and for a
# server with token authentication the app id and secret (participants get a JWT signed with
# it); without a secret, a public room link (meet.jit.si-style). BigBlueButton: the API's URL
# (ending in /bigbluebutton/) and its shared secret. The secrets never reach the browser.
JITSI_URL = env.str("JITSI_URL", default="https://meet.jit.si")
JITSI_APP_ID = env.str("JITSI_APP_ID", default="")
JITSI_APP_SECRET = env.str("JITSI_APP_SECRET", default="")
BBB_URL = env.str("BBB_URL", default="")
BBB_SECRET = env.str("BBB_SECRET", default="")

# E-mail: to the console unless EMAIL_URL (smtp://user:password@host:587/?tls=True) is set.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Setka <setka@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# The journal: a mark entered by the same person less than this many minutes ago (the current
# editing session) is deleted without a reason, with an undo for a few seconds; an older one,
# or another person's, only with a reason (journal/services/deletion.py).
MARK_FREE_DELETE_MINUTES = env.int("SETKA_MARK_FREE_DELETE_MINUTES", default=30)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
