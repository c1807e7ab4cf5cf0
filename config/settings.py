"""Settings for the Ofsted inspection tracker, driven by environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def dev_secret_key() -> str:
    """Return a per-checkout key for local runs, kept in var/ so sessions survive restarts."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = dev_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "councils",
    "inspections",
    "outcomes",
    "actions",
    "reports",
    "readiness",
    "governance",
    "measures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.private_pages",
    "config.middleware.friendly_method_not_allowed",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# A change's reason in the history (a withdrawal's, a carry-over's) is as long as the officer
# wrote it, not cut at simple_history's default of 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.htmx.fragment",
                "config.nonce.csp_nonce",
            ],
            "builtins": ["django.templatetags.static"],
        },
    }
]
# Our templates override Django's widget templates to produce GOV.UK markup.
FORM_RENDERER = "config.forms.GovukFormRenderer"
FORMS_URLFIELD_ASSUME_HTTPS = True

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends hundreds of milliseconds on the overview's query, whose
    # many subqueries make it look expensive, to save a few: no page's query repays it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """A CACHES entry from a URL: locmem:// (one process), redis://host:port/db, dummy://."""
    scheme = url.split("://", 1)[0]
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be locmem://, redis://... or dummy://, not {url!r}")


# Dashboard figures are cached under the councils' data versions (reports/dashboard.py), so a
# per-process cache is never stale, only less often warm; Redis shares it between processes.
# "local" keeps each process's most recent rendered dashboards in front of it: an entry never
# changes under its versioned key, so a copy in memory is as good as the shared one.
CACHES = {
    "default": cache_from_url(os.environ.get("CACHE_URL") or "locmem://"),
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rendered-dashboards",
        "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_CACHE_ENTRIES", 200)},
    },
}
# Sessions are read from the cache and written through to the database, so that they survive a
# cache restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "councils.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Days an invitation's link to join a council works (councils/people.py).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Seconds a password reset link works: one day.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Proxies of ours in front of the application (a TLS-terminating load balancer, say) that add
# the address they saw to X-Forwarded-For and set X-Forwarded-Proto. With none, both headers are
# ignored: a client can write anything in them.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sign-in throttling (django-axes, config/throttle.py): lock a username from one address after
# repeated failures, and an address after more failures across any usernames (one password
# tried against many accounts).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "config.throttle.SignInThrottle"
AXES_CLIENT_IP_CALLABLE = "config.throttle.client_ip"
AXES_USERNAME_CALLABLE = "config.throttle.client_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence, copies of notices) are private: served only through views that
# check the person's council, never from a public URL. Local disk by default; S3-compatible
# object storage (django-storages) with STORAGE_BACKEND=s3 and the AWS_* variables it reads
# (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID, ...).
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"default_acl": "private", "querystring_auth": True, "file_overwrite": False},
    }
    if os.environ.get("STORAGE_BACKEND") == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The largest evidence file kept, in MB.
EVIDENCE_MAX_MB = env_int("EVIDENCE_MAX_MB", 20)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# Seconds the SMTP connection waits for the mail server at each step. Emails are sent from the
# outbox after the change that wrote them has committed (councils/outbox.py), so a slow or
# silent server delays an email, never a page, and the email is tried again later.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ofsted-tracker@localhost")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# Where links in emails point: the address people use to reach the service.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from this site, and inline scripts only with
# the page's nonce (templates/base.html has two). No inline styles: htmx's indicator styles are
# in our stylesheet (includeIndicatorStyles is off in base.html's htmx-config).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page uses any of these browser features.
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    ],
    [],
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Health checks come from inside the cluster over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    if TRUSTED_PROXY_COUNT:
        # The proxy terminates TLS and says so; without one, the header is the client's word.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Off only for `make run`, the demo on this machine over plain HTTP.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Celery: a real broker when CELERY_BROKER_URL is set; otherwise tasks run in-process.
# Without a broker, tasks run in-process as they are queued; the in-memory transport stands in
# for the broker so that nothing tries to reach a server that is not there.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Scrutiny packs built by the worker (reports/services.py), and how long Redis waits before it
# hands out again a task whose worker died, are sized together:
# - bench/pdf_pack.py builds a pack at about 25 ms an action, so a large council's pack (a few
#   thousand actions) takes about a minute. A build is stopped after PACK_JOB_TIME_LIMIT
#   seconds (the job fails with a message; the pool process is ended 30 s later if need be).
# - A job still "running" PACK_JOB_STALE_SECONDS after it started has lost its worker, as no
#   build lasts that long: the sweep (every two minutes, and as the job's page polls) queues it
#   again, and a delivery of its task again takes it over; after PACK_JOB_MAX_ATTEMPTS runs, it
#   fails and its page says to try again.
# - CELERY_VISIBILITY_TIMEOUT is longer still, so that Redis never hands out a task that is
#   still running (none runs that long: recomputing the milestones of 1,500 inspections takes
#   about a minute), and a pack's task handed out again finds its job stale and takes it over.
#   Tasks are idempotent, so a task handed out twice does no harm. It was an hour: the wait
#   after a whole worker was killed; the sweep does not wait for it.
PACK_JOB_TIME_LIMIT = env_int("PACK_JOB_TIME_LIMIT", 240)
PACK_JOB_STALE_SECONDS = PACK_JOB_TIME_LIMIT + 60
PACK_JOB_MAX_ATTEMPTS = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", PACK_JOB_STALE_SECONDS + 60)
}
CELERY_BEAT_SCHEDULE = {
    # Recompute every milestone (a holiday may have been added), then send the reminders.
    "daily-deadlines": {
        "task": "inspections.daily_deadlines",
        "schedule": crontab(hour=env_int("DEADLINES_HOUR", 6), minute=30),
    },
    # A year of each current intervention's reports ahead, before the reminders run.
    "daily-intervention-duties": {
        "task": "governance.plan_intervention_duties",
        "schedule": crontab(hour=env_int("DEADLINES_HOUR", 6), minute=15),
    },
    # Owners' weekly emails of their actions, and notes of actions newly overdue.
    "daily-action-reminders": {
        "task": "actions.send_reminders",
        "schedule": crontab(hour=env_int("DEADLINES_HOUR", 6), minute=40),
    },
    # Reminders as each council's next inspection window approaches (readiness/reminders.py).
    "daily-readiness-reminders": {
        "task": "readiness.send_reminders",
        "schedule": crontab(hour=env_int("DEADLINES_HOUR", 6), minute=45),
    },
    "daily-pack-expiry": {
        "task": "reports.expire_pack_jobs",
        "schedule": crontab(hour=3, minute=15),
    },
    # Emails in the outbox that could not be sent or queued when they were written.
    "send-emails": {
        "task": "councils.send_emails",
        "schedule": timedelta(minutes=5),
    },
    # Pack jobs whose queueing failed or whose worker was lost (reports/services.py).
    "pack-job-sweep": {
        "task": "reports.sweep_pack_jobs",
        "schedule": timedelta(minutes=2),
    },
}

# Scrutiny packs with more actions than this are built by a Celery task while the page polls;
# smaller ones render during the request (bench/pdf_pack.py: about 25 ms per action, so 100
# actions keep a request under about 3 s on a busy two-core machine).
PACK_DIRECT_MAX_ACTIONS = env_int("PACK_DIRECT_MAX_ACTIONS", 100)
# Finished packs are kept this many days for downloading again, then deleted by the daily job.
PACK_JOB_KEEP_DAYS = env_int("PACK_JOB_KEEP_DAYS", 7)
# Every role of a council may ask for a pack, and each build holds a worker for up to
# PACK_JOB_TIME_LIMIT seconds: one person may have this many waiting or being built at once, and
# ask for this many in an hour; beyond either, the request is refused (429) with a message.
PACK_JOBS_IN_FLIGHT_PER_PERSON = env_int("PACK_JOBS_IN_FLIGHT_PER_PERSON", 2)
PACK_JOBS_PER_HOUR_PER_PERSON = env_int("PACK_JOBS_PER_HOUR_PER_PERSON", 10)

# Uploaded Ofsted reports are parsed in memory; refuse anything larger before reading it.
REPORT_UPLOAD_MAX_BYTES = env_int("REPORT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# They are read in a child process stopped after this many seconds (wall-clock and CPU time) or
# when it needs more than this many megabytes of address space: each of the 29 real reports in
# tests/fixtures reads in about 1 s or less, within 50 MB (bench/crafted_pdf.py).
REPORT_PARSE_SECONDS = env_int("REPORT_PARSE_SECONDS", 10)
REPORT_PARSE_MEMORY_MB = env_int("REPORT_PARSE_MEMORY_MB", 512)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_without_traceback": {"()": "config.logs.RefusalWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusal_without_traceback"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print each request's line a second time, beside
        # the root's: its records go to the root handler only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per task run drowns the console in eager mode; failures still show.
        "celery.app.trace": {"level": "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks never connect to a broker; kombu would still note its default host name.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
