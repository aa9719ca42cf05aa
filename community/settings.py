"""One settings module, driven by environment variables (see README: Configuration)."""

import os
import secrets
import sys
import warnings
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from community import proxies as _proxies
from community.observability import logging_config, sentry_init
from community.ratelimit_config import parse_rate_limits
from community.task_options import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


# --- Secrets from files (operations) ---------------------------------------------
# Each of these may be given as NAME or as NAME_FILE, the path of a file holding it
# (Docker secrets, systemd credentials). Setting both is refused: one must win.
SECRET_FILE_NAMES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SENTRY_DSN",
)
for _name in SECRET_FILE_NAMES:
    _path = os.environ.get(f"{_name}_FILE", "").strip()
    if not _path:
        continue
    if os.environ.get(_name):
        raise ImproperlyConfigured(
            f"Both {_name} and {_name}_FILE are set: set only one of them."
        )
    try:
        os.environ[_name] = Path(_path).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{_name}_FILE names {_path}, which cannot be read ({error.strerror})."
        ) from None
# --- end of secrets from files -----------------------------------------------------

DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("TESTING", False)

# --- Local mode (`make run`): one machine, plain HTTP on 127.0.0.1 -----------------
# DEBUG stays off unless asked for (DEBUG=1), so a newcomer sees the product's own
# pages. A secret key is made once and kept under var/, and the production-only HTTPS
# settings (SSL redirect, Secure-only cookies, HSTS) default to off: they read the
# environment below, so an explicit value still wins.
LOCAL_MODE = env_bool("LOCAL_MODE", False)
if LOCAL_MODE:
    _key_file = VAR_DIR / "secret_key"
    if not os.environ.get("SECRET_KEY"):
        if not _key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            _key_file.touch(mode=0o600)
            _key_file.write_text(secrets.token_urlsafe(50))
        os.environ["SECRET_KEY"] = _key_file.read_text().strip()
    for _name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES"):
        os.environ.setdefault(_name, "0")
    os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# --- end of local mode ---------------------------------------------------------

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "guardian",
    "csp",
    "community",
    "community.accounts",
    "community.notifications",
    "community.resources",
    "community.outbox",
    "community.jobs",
    "django_celery_results",
    "community.conversations",
    "circles",
    "moderation",
    "circles.reactions",
    "circles.saved",
    "circles.search",
    "circles.mentions",
    "circles.health",
]

MIDDLEWARE = [
    # First: probes call /healthz by address, a Host that ALLOWED_HOSTS refuses.
    "community.healthcheck.HealthzFirstMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed by the app itself (static files come precompressed from
    # WhiteNoise, above). BREACH: the gzip header carries 0-99 random bytes
    # (Django's "Heal the Breach" mitigation) and CSRF tokens are masked anew
    # in every response; see docs/operating.md "Compression".
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Text the database cannot store (NUL, lone surrogates): 400 with a sentence.
    "community.input_guard.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "community.urls"
ASGI_APPLICATION = "community.asgi.application"
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
                "community.context_processors.site",
                "moderation.safety.context.crisis_card",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'community.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# A pool of PostgreSQL connections per process (psycopg_pool, through Django's own
# support): under ASGI every request runs on a thread of its own, so without a pool
# each request opens a connection (PostgreSQL forks a backend for it) and persistent
# connections pile up one per thread. 0 turns the pool off.
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "0"))
if DB_POOL_SIZE and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": DB_POOL_SIZE,
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing at once with "database is locked";
    # IMMEDIATE takes the write lock when a transaction begins, so two transactions
    # that read and then write never deadlock on upgrading their lock (SQLite answers
    # that at once, without waiting out the timeout).
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # The test database is a file, so that a daphne started by the browser tests
    # can share it with the test process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer --------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                # socket_timeout=None: redis-py 8 defaults to 5 s, which drops every
                # idle socket's blocking read (channels_redis issue #422).
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                # Pub/sub channels are shared by every database number of a Redis
                # server: two sites (or test runs) on one Redis need their own prefix.
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "circles"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    if not TESTING:
        warnings.warn(
            "REDIS_URL is not set: using the in-memory channel layer, which serves "
            "one process only. Set REDIS_URL to run several processes.",
            RuntimeWarning,
            stacklevel=1,
        )

# --- Cache (rate limits) ----------------------------------------------------------
CACHES = {
    "default": (
        {
            "BACKEND": "community.cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user holding object permissions
GUARDIAN_MONKEY_PATCH_USER = False
LOGIN_URL = "login"  # URL names: Django resolves them
LOGIN_REDIRECT_URL = "circles:list"
LOGOUT_REDIRECT_URL = "circles:list"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- I18N, static ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
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

# --- Security -------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # no form here needs more than this
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# X-Forwarded-For is believed only from these peers (README: Trusted proxies).
TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", _proxies.DEFAULT)
_proxies.parse(TRUSTED_PROXIES)  # a bad entry fails here, at start-up
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Background work (Celery) and email (README: Background work, Email) ---------
# Production: Redis is the broker; a task is acknowledged only after it finished, so
# the task of a worker that died is delivered again once the visibility timeout has
# passed. A laptop without Redis: a queue of files under var/ (one machine only).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # A task unacknowledged this long (its worker died) is delivered again; the
    # sweep that finds it runs every `unacked_restore_interval` seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("TASK_VISIBILITY_TIMEOUT", "300")),
        "unacked_restore_interval": int(os.environ.get("TASK_RESTORE_INTERVAL", "10")),
        "unacked_restore_throttle": 1,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How many tasks a worker runs at once (operations: compose and Procfile pass it on).
CELERY_WORKER_CONCURRENCY = int(os.environ.get("WORKER_CONCURRENCY", "2"))
# Results are not kept, failures are: staff see them under Admin > Task results.
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_STORE_ERRORS_EVEN_IF_IGNORED = True
CELERY_RESULT_EXPIRES = 30 * 24 * 3600
# Tests (and the browser tests' daphne) run tasks in-process; TASKS_EAGER=0 to not.
CELERY_TASK_ALWAYS_EAGER = env_bool("TASKS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The periodic tasks and how often each runs (README: Background work).
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# --- Health of background work (operations; docs/operating.md: Health) -----------
# The worker and the scheduler write a heartbeat this often. /healthz says the worker
# is `down` after HEALTH_WORKER_DOWN_SECONDS without one, `late` when the oldest
# waiting task waited over HEALTH_QUEUE_LATE_SECONDS; the scheduler `late` and `down`
# after its two limits. The contract's values are the defaults; tests shorten them.
HEALTH_HEARTBEAT_SECONDS = float(os.environ.get("HEALTH_HEARTBEAT_SECONDS", "15"))
HEALTH_WORKER_DOWN_SECONDS = float(os.environ.get("HEALTH_WORKER_DOWN_SECONDS", "120"))
HEALTH_QUEUE_LATE_SECONDS = float(os.environ.get("HEALTH_QUEUE_LATE_SECONDS", "60"))
HEALTH_SCHEDULER_LATE_SECONDS = float(
    os.environ.get("HEALTH_SCHEDULER_LATE_SECONDS", "180")
)
HEALTH_SCHEDULER_DOWN_SECONDS = float(
    os.environ.get("HEALTH_SCHEDULER_DOWN_SECONDS", "600")
)
CELERY_BEAT_SCHEDULER = "community.celery:HeartbeatScheduler"
# The queue tasks go to and the worker takes them from (one queue per site).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TASK_QUEUE", "celery")
SAFETY_ESCALATE_MINUTES = float(os.environ.get("SAFETY_ESCALATE_MINUTES", "15"))
# A case tells its keepers when it opens or its level rises, otherwise at most once
# in this many minutes; a pick-up lapses after this many minutes with nothing done.
SAFETY_ALERT_EVERY_MINUTES = float(os.environ.get("SAFETY_ALERT_EVERY_MINUTES", "10"))
SAFETY_PICKUP_MINUTES = float(os.environ.get("SAFETY_PICKUP_MINUTES", "60"))
PRESENCE_STALE_MINUTES = float(os.environ.get("PRESENCE_STALE_MINUTES", "5"))
NOTIFY_DIGEST_HOUR = int(os.environ.get("NOTIFY_DIGEST_HOUR", "18"))

EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    globals().update(
        {k: v for k, v in dj_email_url.parse(EMAIL_URL).items() if v is not None}
    )
    if EMAIL_URL.startswith("file:"):
        # dj-email-url drops the leading "/" of file:///var/mail; keep it absolute.
        EMAIL_FILE_PATH = "/" + EMAIL_URL.split(":", 1)[1].lstrip("/")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
# --- Email must be configured in production (operations) -------------------------
# Without EMAIL_URL mail is written to files under var/, fine on a laptop, but in
# production reset and verification links would never reach anyone.
if not EMAIL_URL and not LOCAL_MODE and not DEBUG and not TESTING:
    raise ImproperlyConfigured(
        "EMAIL_URL (or EMAIL_URL_FILE) must be set outside local mode, for example "
        "smtp://user:password@mail.example.org:587/?tls=True; without it no reset "
        "or verification email would reach anyone."
    )
# EMAIL_BACKEND names any other backend class (it wins over EMAIL_URL's).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or EMAIL_BACKEND
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Circles <circles@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in email are absolute: the worker has no request to take the host from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = 3 * 3600

# --- Product settings -----------------------------------------------------------
CIRCLE_DEFAULT_CAPACITY = 12
CHAT_BODY_MAX_LENGTH = 4000
CHAT_HISTORY_PAGE = 50
# Every rate limit, from RATE_LIMIT_<ACTION>=<count>/<seconds> (README: Rate limits).
RATE_LIMITS = parse_rate_limits(os.environ)
TYPING_THROTTLE_SECONDS = 3.0
ASK_NUDGE_AFTER_HOURS = float(os.environ.get("ASK_NUDGE_AFTER_HOURS", "12"))
FLAG_AUTO_HIDE_DEFAULT = 3
CRISIS_RESOURCES = os.environ.get("CRISIS_RESOURCES", "")
CRISIS_COUNTRY = os.environ.get("CRISIS_COUNTRY", "")
# "Leave quickly" (first on every page, and Shift three times) goes here.
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# --- Logs, errors and metrics (operations; docs/operating.md: Logs) -------------
# One line format for web, worker and scheduler: time, level, logger, request id,
# message; LOG_FORMAT=json for JSON lines. Repeated warnings are written once a
# minute with a count (community/observability.py).
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO").upper(),
    fmt=os.environ.get("LOG_FORMAT", "text").strip().lower(),
)
# Celery writes through the same handler instead of its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
MIDDLEWARE.insert(1, "community.observability.RequestIdMiddleware")
MIDDLEWARE.append("community.metrics.RequestCountMiddleware")
# /metrics answers staff and these addresses or networks (after TRUSTED_PROXIES).
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_init(
        SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production")
    )
