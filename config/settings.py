"""Django settings for Waspada, driven by environment variables (see `.env.example`).

Two modes:
- embedded (default): one machine, SQLite file and a file-system Celery broker under `var/`,
  a secret generated once under `var/`. `make run` uses it.
- production (`WASPADA_ENV=production`): SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS are required;
  PostgreSQL and Redis are expected.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WASPADA_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

# ---------------------------------------------------------------- mode and secrets
WASPADA_ENV = env_str("WASPADA_ENV", "embedded")
PRODUCTION = WASPADA_ENV == "production"

SECRET_KEY = env_secret(
    "SECRET_KEY", required=PRODUCTION, generated_file=None if PRODUCTION else VAR_DIR / "secret_key"
)
DEBUG = env_bool("DEBUG", default=False)

if PRODUCTION:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        from config.env import ImproperlyConfiguredError

        raise ImproperlyConfiguredError("ALLOWED_HOSTS is required in production mode.")
    if not env_str("DATABASE_URL"):
        from config.env import ImproperlyConfiguredError

        raise ImproperlyConfiguredError("DATABASE_URL is required in production mode.")
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# ---------------------------------------------------------------- applications
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "waspada.core",
    "waspada.geo",
    "waspada.accounts",
    "waspada.dashboards",
    "waspada.events",
    "waspada.reports",
    "waspada.notifications",
    "waspada.warnings",
    "waspada.response",
    "waspada.briefs",
    "waspada.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waspada.core.middleware.RequestIdMiddleware",
    "waspada.core.middleware.MaxBodySizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "waspada.accounts.middleware.AreaTimezoneMiddleware",
    # Axes must come last: it turns repeated login failures into a lock-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waspada.core.context_processors.waspada",
                "waspada.accounts.context_processors.nav",
            ],
        },
    },
]

# ---------------------------------------------------------------- database
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'waspada.sqlite3'}") or "",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; busy timeout instead of "locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- cache
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# ---------------------------------------------------------------- accounts and security
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("WASPADA_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "waspada.accounts.passwords.LettersAndDigitsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failures (django-axes), per username and per address.
AXES_FAILURE_LIMIT = env_int("WASPADA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("WASPADA_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions expire after a period of inactivity and always when the browser closes.
SESSION_COOKIE_AGE = env_int("WASPADA_SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("WASPADA_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("WASPADA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("WASPADA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("WASPADA_HSTS_PRELOAD", False)
    # Preloading is a promise to browsers that cannot be taken back quickly: the operator's choice,
    # so `check --deploy` (run with --fail-level WARNING in CI) does not count it as a failure.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Oversized requests are refused before any view runs (see core.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("WASPADA_MAX_BODY_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Largest attachment (photo, PDF, office document); the body cap leaves room for one such file.
WASPADA_ATTACHMENT_MAX_BYTES = env_int("WASPADA_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
WASPADA_MAX_BODY_BYTES = max(DATA_UPLOAD_MAX_MEMORY_SIZE, WASPADA_ATTACHMENT_MAX_BYTES + 1048576)

# ---------------------------------------------------------------- locale and time
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"  # only a fallback; times are stored in UTC and shown in the area's zone
USE_TZ = True

# ---------------------------------------------------------------- static files
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages fetched from the npm registry by `manage.py fetch_assets` (pinned, hashed).
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", VAR_DIR / "vendor")]
(VAR_DIR / "vendor").mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Uploads (attachments) are read only through scoped views, never from MEDIA_URL. With
# WASPADA_S3_BUCKET they go to S3-compatible storage instead (needs django-storages[s3]).
if env_str("WASPADA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {  # type: ignore[dict-item]  # STORAGES was inferred as str -> str
            "bucket_name": env_str("WASPADA_S3_BUCKET"),
            "endpoint_url": env_str("WASPADA_S3_ENDPOINT_URL"),
            "region_name": env_str("WASPADA_S3_REGION"),
            "access_key": env_str("WASPADA_S3_ACCESS_KEY_ID"),
            "secret_key": env_secret("WASPADA_S3_SECRET_ACCESS_KEY", required=True)
            if env_str("WASPADA_S3_ACCESS_KEY_ID")
            else None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }

# ---------------------------------------------------------------- e-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "waspada@localhost")

# ---------------------------------------------------------------- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that anonymous API calls get 401 with a WWW-Authenticate header.
        "waspada.accounts.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "waspada.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "waspada.core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Waspada API",
    "DESCRIPTION": (
        "Sistem peringatan dini konflik sosial. All reads are limited to the caller's area scope."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its browsable docs are for signed-in users and machine clients only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: no CDN on a closed intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One named enum per choice set, instead of drf-spectacular's hashed names on collisions.
    "ENUM_NAME_OVERRIDES": {
        "ClassificationEnum": "waspada.core.classification.Classification",
        "EventStatusEnum": "waspada.events.choices.EventStatus",
        "ItemStatusEnum": "waspada.events.choices.ItemStatus",
        "ReportStatusEnum": "waspada.reports.models.ReportStatus",
        "ItemKindEnum": "waspada.events.choices.ItemKind",
        "AgencyKindEnum": "waspada.response.choices.AgencyKind",
        "RecoveryKindEnum": "waspada.response.choices.RecoveryKind",
        "DirectiveStatusEnum": "waspada.response.choices.DirectiveStatus",
        "FollowUpStatusEnum": "waspada.response.choices.FollowUpStatus",
        "ActivityStatusEnum": "waspada.response.choices.ActivityStatus",
    },
}

# ---------------------------------------------------------------- background jobs (Celery)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # The exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True  # a crashed worker leaves the message for the next one
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"
# Periodic jobs (one beat process per installation). Times are UTC: 18:00 UTC is 01:00 WIB.
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chain": {
        "task": "core.verify_audit_chain",
        "schedule": crontab(hour=18, minute=0),
    },
    "clear-expired-sessions": {
        "task": "core.clear_expired_sessions",
        "schedule": crontab(hour=19, minute=0),
    },
    # Reminds operators past WASPADA_DAILY_REMINDER_HOUR in their own zone, once a day each.
    "daily-report-reminders": {
        "task": "reports.send_daily_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Early warning: every area scored nightly (01:30 WIB), due alert deliveries retried every
    # minute, daily digests sent once each subscriber's local hour has come.
    # The coalesced refresh of the risk aggregates also runs every 5 minutes as a safety net
    # (a run that finds nothing pending does nothing).
    "risk-process-pending": {
        "task": "warnings.process_pending",
        "schedule": crontab(minute="*/5"),
    },
    "risk-recompute-all": {
        "task": "warnings.recompute_all",
        "schedule": crontab(hour=18, minute=30),
    },
    "alert-deliveries-retry": {
        "task": "warnings.retry_due_deliveries",
        "schedule": crontab(minute="*"),
    },
    "alert-digests": {
        "task": "warnings.send_digests",
        "schedule": crontab(minute="*/15"),
    },
    # Response: directive reminders and overdue escalation; status keadaan konflik reminders and
    # ends (by each area's local date); missing RAD period reports flagged.
    "response-directive-reminders": {
        "task": "response.send_directive_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "response-conflict-statuses": {
        "task": "response.check_conflict_statuses",
        "schedule": crontab(minute=5),
    },
    "response-webhooks-retry": {
        "task": "response.retry_webhooks",
        "schedule": crontab(minute="*"),
    },
    "response-missing-plan-reports": {
        "task": "response.flag_missing_plan_reports",
        "schedule": crontab(hour=1, minute=10),
    },
    # Briefs: scheduled briefs built and delivered after each subscriber's local hour; expired
    # export files removed.
    "briefs-scheduled": {
        "task": "briefs.send_scheduled_briefs",
        "schedule": crontab(minute="*/15"),
    },
    "briefs-expired-exports": {
        "task": "briefs.remove_expired_exports",
        "schedule": crontab(hour=19, minute=30),
    },
}

# ---------------------------------------------------------------- Waspada
WASPADA_DEMO = env_bool("WASPADA_DEMO", False)
WASPADA_AREA_CACHE_DIR = VAR_DIR / "cache"
WASPADA_BOUNDARIES = env_str("WASPADA_BOUNDARIES")
WASPADA_SITE_URL = env_str("WASPADA_SITE_URL", "http://127.0.0.1:8000")
# A daily report for date D is due at this hour (local WIB/WITA/WIT time of its area) on D+1.
WASPADA_DAILY_REPORT_DUE_HOUR = env_int("WASPADA_DAILY_REPORT_DUE_HOUR", 10)
# Operators who have not filed today's daily report are reminded once after this local hour.
WASPADA_DAILY_REMINDER_HOUR = env_int("WASPADA_DAILY_REMINDER_HOUR", 16)
# Early warning: seconds a burst of changes is coalesced before rescoring; alert digests go out
# after this local hour; at most this many immediate alert messages per subscription per hour
# (the rest wait for the digest, never dropped); webhook attempts before a delivery is failed.
WASPADA_RISK_COALESCE_SECONDS = env_int("WASPADA_RISK_COALESCE_SECONDS", 30)
WASPADA_ALERT_DIGEST_HOUR = env_int("WASPADA_ALERT_DIGEST_HOUR", 7)
WASPADA_ALERT_RATE_PER_HOUR = env_int("WASPADA_ALERT_RATE_PER_HOUR", 10)
WASPADA_WEBHOOK_MAX_ATTEMPTS = env_int("WASPADA_WEBHOOK_MAX_ATTEMPTS", 8)
WASPADA_WEBHOOK_TIMEOUT = env_int("WASPADA_WEBHOOK_TIMEOUT", 10)
# Area levels whose level rises raise alerts: 1 province, 2 kab/kota, 3 kecamatan.
WASPADA_ALERT_AREA_LEVELS = [int(v) for v in env_list("WASPADA_ALERT_AREA_LEVELS", ["2"])]
# Response: agencies are reminded this many days before a directive is due (overdue directives
# escalate to their issuer at once); a status keadaan konflik lasts at most MAX_DAYS, an extension
# at most EXTENSION_MAX_DAYS, with reminders the given numbers of days before it ends; a RAD
# period report (B.04, B.08, B.12) is missing when not submitted by this day of the next month.
WASPADA_DIRECTIVE_REMINDER_DAYS = env_int("WASPADA_DIRECTIVE_REMINDER_DAYS", 1)
WASPADA_CONFLICT_STATUS_MAX_DAYS = env_int("WASPADA_CONFLICT_STATUS_MAX_DAYS", 90)
WASPADA_CONFLICT_STATUS_EXTENSION_MAX_DAYS = env_int(
    "WASPADA_CONFLICT_STATUS_EXTENSION_MAX_DAYS", 30
)
WASPADA_CONFLICT_STATUS_REMINDER_DAYS = [
    int(v) for v in env_list("WASPADA_CONFLICT_STATUS_REMINDER_DAYS", ["14", "7", "1"])
]
WASPADA_RAD_REPORT_DUE_DAY = env_int("WASPADA_RAD_REPORT_DUE_DAY", 10)
# Briefs: scheduled daily briefs are built after this local hour (weekly ones on Mondays, monthly
# ones on the 1st); item exports up to STREAM_MAX_ROWS rows are streamed at once, larger ones are
# built in the background and kept for KEEP_DAYS days.
WASPADA_BRIEF_HOUR = env_int("WASPADA_BRIEF_HOUR", 7)
WASPADA_EXPORT_STREAM_MAX_ROWS = env_int("WASPADA_EXPORT_STREAM_MAX_ROWS", 10000)
WASPADA_EXPORT_KEEP_DAYS = env_int("WASPADA_EXPORT_KEEP_DAYS", 7)

# ---------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "waspada.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
