"""Settings shared by every environment.

Everything that differs between a laptop demo and production comes from the
environment. With nothing set the portal runs on SQLite and an embedded
filesystem broker under ``var/``; ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cppcc_portal.admin_site.PortalAdminConfig",  # django.contrib.admin, its site PortalAdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cppcc_portal",
    "members",
    "proposals",
    "consultations",
    "liaison_stations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cppcc_portal.middleware.SessionTimeoutMiddleware",
    "cppcc_portal.twofactor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cppcc_portal.middleware.ApplicationErrorMiddleware",
    "cppcc_portal.middleware.PdfThrottleMiddleware",
    # AxesMiddleware must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cppcc_portal.urls"
WSGI_APPLICATION = "cppcc_portal.wsgi.application"

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
                "cppcc_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    # SQLite tuned for a handful of simultaneous users: WAL lets readers go on
    # while one writer writes, IMMEDIATE transactions take the write lock up
    # front (no "database is locked" on lock upgrade), and the busy timeout
    # makes a second writer wait instead of failing.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "portal.sqlite3")),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
    # Sessions are written to the database (they survive a Redis restart) and read from Redis,
    # which every worker shares: a page no longer asks the database for its session. Without
    # Redis they stay database-only (a per-process cache could keep a signed-out session alive).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
    for _folder in ("broker", "broker-control", "cache"):
        (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)

CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must never hang on a broker that is down: fail fast, log, and
# let the database-driven sweeps catch up later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Default schedules; ``sync_periodic_tasks`` copies them into django-celery-beat
# once, after which admins edit them in the admin.
PORTAL_PERIODIC_TASKS = {
    "deliver pending notifications": {
        "task": "cppcc_portal.tasks.deliver_pending_notifications",
        "schedule": {"every_minutes": 5},
    },
    "deadline sweep": {
        "task": "cppcc_portal.deadlines.sweep",
        "schedule": {"every_minutes": int(os.environ.get("DEADLINE_SWEEP_MINUTES", "15"))},
    },
    "kept documents past keeping": {
        "task": "cppcc_portal.tasks.drop_old_generated_documents",
        "schedule": {"crontab": {"minute": "20"}},
    },
    "daily notification digest": {
        "task": "cppcc_portal.tasks.send_daily_digests",
        "schedule": {"crontab": {"minute": "0", "hour": "8"}},
    },
    "inspections held: credit participants": {
        "task": "consultations.tasks.credit_held_inspections",
        "schedule": {"crontab": {"minute": "10", "hour": "1"}},
    },
    "五个一 quarterly reminders": {
        "task": "members.tasks.send_five_ones_reminders",
        "schedule": {"crontab": {"minute": "30", "hour": "8"}},
    },
}

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend with each user's permissions and groups kept in the cache (auth_cache).
    "cppcc_portal.auth_backend.CachedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout (see cppcc_portal.security): failures per hour, counted by address, by
# username + address, and by username alone with a much higher limit.
AXES_HANDLER = "cppcc_portal.security.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "cppcc_portal.security.client_ip"
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"], "username"]
PORTAL_LOCKOUT_LIMITS = {"ip_address": 30, "username+ip_address": 5, "username": 50}
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Reverse proxies in front of the portal that append to X-Forwarded-For (nginx: 1).
PORTAL_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

# Two-factor sign-in (cppcc_portal.twofactor): required for superusers and staff. Only the
# laptop demo (settings.local) turns the requirement off.
PORTAL_TWO_FACTOR_ENFORCED = True
OTP_TOTP_ISSUER = "区政协履职服务平台"

# Sessions end after a quiet spell (shorter for staff, units and admins, who can change the
# most) and in any case after PORTAL_SESSION_MAX_AGE (see cppcc_portal.middleware).
PORTAL_IDLE_TIMEOUT = 2 * 60 * 60
PORTAL_IDLE_TIMEOUT_PRIVILEGED = 30 * 60
PORTAL_SESSION_MAX_AGE = 12 * 60 * 60
SESSION_COOKIE_AGE = PORTAL_SESSION_MAX_AGE
# Each person may have this many PDFs drawn per minute (weasyprint is heavy).
PORTAL_PDF_PER_MINUTE = 10
# 网络议政: the public may leave this many comments per address per PORTAL_PUBLIC_COMMENT_WINDOW
# minutes (counted from the stored comments, so it holds across workers and restarts).
PORTAL_PUBLIC_COMMENTS_PER_WINDOW = int(os.environ.get("PORTAL_PUBLIC_COMMENTS_PER_WINDOW", "3"))
PORTAL_PUBLIC_COMMENT_WINDOW = int(os.environ.get("PORTAL_PUBLIC_COMMENT_WINDOW", "60"))

# Content-Security-Policy (django-csp): everything from the portal itself, no inline scripts
# (page behaviour lives in static/js/portal.js). Inline styles stay allowed: pygal's SVG charts
# carry their own <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- I18N -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
# Uploaded files never sit under the web root: views stream them after an
# access check (each app's download view; uploads are vetted by cppcc_portal.uploads).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Reverting to an old version in the admin would skip the services (and their history).
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Mail and SMS ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "区政协履职服务平台 <noreply@localhost>")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "cppcc_portal.sms.LogSmsBackend")
# Outside these hours (Asia/Shanghai) e-mail and SMS wait for the morning.
NOTIFY_QUIET_START = os.environ.get("NOTIFY_QUIET_START", "21:00")
NOTIFY_QUIET_END = os.environ.get("NOTIFY_QUIET_END", "08:00")

PORTAL_NAME = "区政协履职服务平台"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
