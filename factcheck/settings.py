"""Settings for the fact-checking workbench, read from the environment.

With nothing set, the app runs on a SQLite file and runs jobs in-process, so a newcomer
gets a working app with one command. Production sets DATABASE_URL (PostgreSQL), REDIS_URL
(Celery broker and cache), SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The organisation that publishes the fact-checks (ClaimReview `author`).
PUBLISHER_NAME = env_str("PUBLISHER_NAME", "Example Fact Check")
PUBLISHER_URL = env_str("PUBLISHER_URL", "https://factcheck.example.org/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "claims.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

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
                "claims.context_processors.workbench_nav",
            ],
        },
    },
]

# Database: PostgreSQL through psycopg 3 when DATABASE_URL is set, else a SQLite file.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # The app runs short queries only; matching's plan is costed high enough to be
        # JIT-compiled, which took 10 ms to save none.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
else:
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery broker and cache. Without it, jobs run in-process (eagerly).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering costs a request a second at most (the API then
            # goes on without the cache; claims.api.cachesafe).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
# A job is acknowledged only when it finishes, and handed back to the queue when its worker
# dies, so a killed worker's job runs again on another one. Jobs are written to be redone.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("JOB_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("JOB_TIME_LIMIT", 150)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Jobs keep their database connection from one job to the next, as requests do, for
# DB_CONN_MAX_AGE seconds and while its health check passes (factcheck/celery.py): without
# this Celery closes it around every job, a new PostgreSQL session for each. Celery still
# closes it after this many jobs.
CELERY_DB_REUSE_MAX = 1000
# With the broker down, a request that queues a job gives up within about two seconds; the
# job is sent again by the periodic re-queue (see claims.tasks.enqueue).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A job whose worker died unacknowledged is handed out again this long after delivery
# (longer than any job's time limit); live workers sweep for such jobs every interval.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("JOB_VISIBILITY_TIMEOUT", 600),
    "unacked_restore_interval": env_int("JOB_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
}
CELERY_TASK_DEFAULT_QUEUE = "factcheck"
# Matching claims against the archive has a queue of its own, so it can be given its own
# workers (`celery worker -Q matching`) and never holds up ingestion. A worker started
# without -Q consumes both queues.
# Webhook deliveries have theirs too (`-Q webhooks`), so a slow receiver never delays
# ingestion (docker-compose.yml runs them on a worker of their own).
CELERY_TASK_QUEUES: dict[str, dict[str, str]] = {"factcheck": {}, "matching": {}, "webhooks": {}}
CELERY_TASK_ROUTES = {
    "claims.tasks.match_claims": {"queue": "matching"},
    "claims.webhooks.deliver_webhook": {"queue": "webhooks"},
    "claims.webhooks.requeue_webhooks": {"queue": "webhooks"},
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-articles": {
        "task": "claims.tasks.requeue_stuck_articles",
        "schedule": timedelta(minutes=5),
    },
    "requeue-webhooks": {"task": "claims.webhooks.requeue_webhooks", "schedule": timedelta(minutes=5)},
    "remind-overdue": {"task": "claims.tasks.remind_overdue", "schedule": timedelta(days=1)},
    # Each source's own interval is a field (Source.next_poll_at); this tick only looks.
    "poll-due-sources": {"task": "claims.tasks.poll_due_sources", "schedule": timedelta(minutes=1)},
}

# Article ingestion.
ARTICLE_MAX_BYTES = env_int("ARTICLE_MAX_BYTES", 10 * 1024 * 1024)
FETCH_TIMEOUT_SECONDS = env_int("FETCH_TIMEOUT_SECONDS", 15)  # each connect or read
# The whole fetch (connecting, the answer, the body, redirects) ends by then, however the
# site trickles its bytes; well inside the job's time limit.
FETCH_DEADLINE_SECONDS = env_int("FETCH_DEADLINE_SECONDS", 30)
FETCH_MAX_REDIRECTS = env_int("FETCH_MAX_REDIRECTS", 5)
FETCH_MAX_RETRIES = env_int("FETCH_MAX_RETRIES", 3)
# Networks the fetcher may reach although they are private or loopback (e.g. an intranet
# CMS). Empty by default: only public addresses are fetched.
FETCH_ALLOWED_NETWORKS = env_list("FETCH_ALLOWED_NETWORKS")
FETCH_USER_AGENT = env_str("FETCH_USER_AGENT", "factcheck-workbench/1.0 (+article fetcher)")
# An article whose job has not moved for this long is queued again by the periodic job.
ARTICLE_STUCK_AFTER = timedelta(minutes=env_int("ARTICLE_STUCK_AFTER_MINUTES", 15))
ARTICLE_MAX_ATTEMPTS = env_int("ARTICLE_MAX_ATTEMPTS", 3)
# "Already checked?" for an article's claims: this many, the most check-worthy first, are
# matched by the job after extraction; the others when someone first opens or triages them
# (each lookup costs the database about 10 ms, and an article can hold 50 claims or more).
MATCH_AT_INGEST = env_int("MATCH_AT_INGEST", 10)
# Big enough that an oversized article reaches the form and gets a message in words.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * ARTICLE_MAX_BYTES

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where the workbench is reached, for the links in notification e-mails.
WORKBENCH_URL = env_str("WORKBENCH_URL", "http://localhost:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "workbench@factcheck.example.org")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one account, or
# from one address, on /accounts/login/ or /admin/login/, further tries are refused with a
# message for AXES_COOLOFF_TIME, even with the right password. Lockouts and their release
# are logged (claims.lockout). Behind a proxy, set PROXY_COUNT so the client's address is read
# from X-Forwarded-For rather than the proxy's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "claims.lockout.client_ip"
AXES_VERBOSE = False  # claims.lockout logs lockouts and releases in words
PROXY_COUNT = env_int("PROXY_COUNT", 0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default, today

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    # Partners send "Authorization: Api-Key <key>"; staff use their session or a token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.auth.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.LimitedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttles.PartnerKeyThrottle", "claims.api.throttles.StaffThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "partner": env_str("API_PARTNER_RATE", "3600/hour"),
        "user": env_str("API_STAFF_RATE", "3600/hour"),
    },
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check workbench API",
    "DESCRIPTION": (
        "Published fact-checks in schema.org ClaimReview form, and staff endpoints.\n\n"
        "**Partners** send `Authorization: Api-Key <key>`; each key is throttled (429 with Retry-After).\n\n"
        "**Sync**: keep one copy per fact-check `id` (it survives corrections). Poll "
        "`/api/v1/fact-checks/?updated_since=<time>` and follow `next` to the end: you get new fact-checks, "
        'corrections (a higher `version`) and retractions (`status` "retracted": delete your copy). Start '
        "the next poll from the newest `date_modified` you saw, minus a minute; repeats are harmless. "
        "Send the ETag back as If-None-Match to get 304 when nothing changed.\n\n"
        "**Webhooks**: register a URL at `/api/v1/webhooks/`; publications, corrections and retractions are "
        "POSTed as JSON with `X-Factcheck-Event` and `X-Factcheck-Signature: sha256=<hex>`, the HMAC-SHA256 "
        "of the raw body keyed with the secret shown when you registered. Answer 2xx; other answers are "
        "retried with backoff (a 4xx other than 408, 409, 425 and 429 is taken as a refusal)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the app's own static files (drf-spectacular-sidecar): no CDN,
    # nothing to trust on our origin that we did not pin, and the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "claims.models.Article.Status",
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "ClaimKindEnum": "claims.models.Claim.Kind",
        "SpeakerKindEnum": "claims.models.Speaker.Kind",
        "FactCheckStatusEnum": "claims.models.FactCheck.Status",
    },
}
INSTALLED_APPS += ["rest_framework.authtoken"]  # staff API tokens
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 20)
API_MAX_PAGE_SIZE = 100
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 2 * 1024 * 1024)
# Where the public fact-check pages live (ClaimReview `url`), for the API and webhooks.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", PUBLISHER_URL)
PUBLIC_PAGE_SIZE = 20
# Approval before publication (an admin-saved ApprovalPolicy overrides these): how many
# editors other than the author approve, whether they vote on the rating as a panel and
# whether the public page says so, and the evidence a verdict needs before it goes out.
APPROVALS_REQUIRED = env_int("APPROVALS_REQUIRED", 1)
APPROVAL_VOTE_ON_RATING = env_bool("APPROVAL_VOTE_ON_RATING", default=False)
APPROVAL_PANEL_PUBLIC = env_bool("APPROVAL_PANEL_PUBLIC", default=False)
PUBLICATION_MIN_EVIDENCE = env_int("PUBLICATION_MIN_EVIDENCE", 1)
# ClaimReview claimReviewed longer than this is cut in search snippets (a warning).
CLAIM_REVIEWED_MAX_CHARS = 75
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)  # each connect or read
# One delivery (connect, headers and body) ends by then, whatever the receiver does.
WEBHOOK_DEADLINE_SECONDS = env_int("WEBHOOK_DEADLINE_SECONDS", 20)
# How many webhook URLs one partner may register.
WEBHOOK_MAX_ENDPOINTS = env_int("WEBHOOK_MAX_ENDPOINTS", 5)
# A delivery pending or retrying this long past its due time is queued again.
WEBHOOK_REQUEUE_AFTER = timedelta(minutes=env_int("WEBHOOK_REQUEUE_AFTER_MINUTES", 10))
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
# Like FETCH_ALLOWED_NETWORKS: private networks webhooks may reach (none by default).
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS")
WEBHOOK_USER_AGENT = env_str("WEBHOOK_USER_AGENT", "factcheck-workbench/1.0 (+webhooks)")

# Content-Security-Policy (django-csp): scripts only from our own origin (htmx and the app's
# scripts are static files; JSON-LD blocks are data, which CSP does not run). Inline style
# attributes stay allowed: ratings' colours come from the database as style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Security: secure by default once DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Served over HTTPS (behind a TLS-terminating proxy) unless said otherwise; HTTPS=0 only
# for a trial on plain http.
HTTPS = env_bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain http
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes notes every sign-in at INFO; claims.lockout logs lockouts and releases.
    "loggers": {"axes": {"level": "WARNING"}},
}
