"""Settings, all from the environment, with safe defaults for a laptop.

With nothing set the app runs on SQLite under var/ and an embedded Celery broker
(kombu's filesystem transport) that needs no server. DATABASE_URL and REDIS_URL
switch to PostgreSQL and Redis. With DEBUG off the app refuses a default secret.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEFAULT_SECRET = "dev-only-secret-do-not-use-in-production"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Sessions, password-reset links and CSRF tokens are signed with it: a short key can be guessed.
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "csp",
    "axes",
    "accounts",
    "directives",
    "tracking",
    "targets",
    "reminders",
    "summaries",
    "intake",
    "backups",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL in the path, query string or form: 400 before any view (PostgreSQL refuses NUL in text).
    "core.inputs.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "camau_tasks.headers.SecurityHeadersMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The dashboard's and the exports' reads on the replica when DATABASE_REPLICA_URL is set.
    "camau_tasks.replicas.ReplicaReadsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "camau_tasks.urls"
WSGI_APPLICATION = "camau_tasks.wsgi.application"

_TEMPLATE_LOADERS: list = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
if not DEBUG:
    _TEMPLATE_LOADERS = [("django.template.loaders.cached.Loader", _TEMPLATE_LOADERS)]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracking.context_processors.site",
            ],
            "loaders": [
                # The partials loader must stay outermost: it resolves "page.html#partial" by asking the
                # loaders inside it. With DEBUG off the templates are cached inside it.
                ("template_partials.loader.Loader", _TEMPLATE_LOADERS)
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'camau.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A persistent connection is checked before each request reuses it, so a PostgreSQL restart
        # costs no request a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Per connection, so the app is fast whatever the server's defaults: JIT compiling the dashboard's
    # one-off aggregate costs more than it saves (measured ~0.9 s of JIT on a 0.6 s query at 100k
    # assignments), and its GROUP BY sorts fit in 32 MB instead of spilling to disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "DB_OPTIONS", "-c jit=off -c work_mem=32MB"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so the Celery worker and beat that integration tests start can see it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# A read replica (PostgreSQL streaming replication) for the dashboard's and the exports' reads:
# camau_tasks/replicas.py, docs/scaling.md. The test suite mirrors it onto the default database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if "OPTIONS" in DATABASES["default"]:
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"]["OPTIONS"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["camau_tasks.replicas.ReplicaRouter"]
REPLICA_READ_VIEWS = {
    "dashboard",
    "dashboard-json",
    "dashboard-csv",
    "dashboard-xlsx",
    "summary-xlsx",
    "summary-pdf",
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Django's four validators, with the office's Vietnamese messages (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username + address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserWithAgencyBackend",
]

# Sign-in protection (django-axes). Locked by username and address together, so that one person's
# mistakes do not lock out a whole office behind one NAT address, and a password guesser cannot
# lock out a colleague from elsewhere. The office's administrator unlocks in the admin
# ("Đăng nhập sai, tạm khóa": delete the row or use the unlock action) or with `manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock lasts the cool-off from the moment it started, as the lockout page says; retrying while
# locked does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_VERBOSE = False  # our own sign-in log (accounts/security.py) says it in one line per event
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # accounts/admin.py shows the failed sign-ins in Vietnamese

# A session ends after this long without a request (refreshed at most once a minute:
# accounts.middleware.IdleSessionMiddleware).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Everything a user reads is Vietnamese; times are judged in Cà Mau's time zone.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
USE_I18N = True
# No LOCALE_PATHS: Vietnamese-only, the message ids are the Vietnamese text, so there is no catalogue.
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["camau_tasks.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Never served as such: uploaded files go out only through the checked view of core/files.py.
MEDIA_URL = "/media/"
# Where `manage.py backup` writes its dated folders (database dump, uploaded files, manifest).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
# A URL prefix (e.g. /protected-files/) of a proxy location marked `internal` whose root is MEDIA_ROOT:
# when set, the download view answers with X-Accel-Redirect and the proxy sends the bytes.
FILES_X_ACCEL_REDIRECT = os.environ.get("FILES_X_ACCEL_REDIRECT", "").strip().strip("/")
FILES_X_ACCEL_REDIRECT = f"/{FILES_X_ACCEL_REDIRECT}/" if FILES_X_ACCEL_REDIRECT else ""

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Where the worker's control exchange lives; the default is ./control in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "tracking.tasks.heartbeat",
        "schedule": float(os.environ.get("HEARTBEAT_SECONDS", "60")),
    },
    # Reminders: the scan is idempotent (decided from the database state), so running it often is safe.
    "reminders-scan": {
        "task": "reminders.tasks.scan_reminders",
        "schedule": float(os.environ.get("REMINDER_SCAN_SECONDS", "900")),
    },
    "reminders-send": {
        "task": "reminders.tasks.send_digests",
        "schedule": float(os.environ.get("REMINDER_SEND_SECONDS", "60")),
    },
    # Intake: scans waiting for OCR are claimed one at a time; a queue left empty costs one query.
    "intake-ocr": {
        "task": "intake.tasks.read_queued_scans",
        "schedule": float(os.environ.get("INTAKE_OCR_SECONDS", "10")),
    },
    # Summaries: produces only what is missing for the last data cut-off, so hourly is safe.
    "summaries-produce": {"task": "summaries.tasks.produce_due_summaries", "schedule": 3600.0},
}

# Mail goes to files under var/mail on a laptop (one file per message batch, easy to read back);
# set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and Django's EMAIL_HOST… for SMTP.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# A digest claimed longer ago than this is taken over (its sender died); keep it above EMAIL_TIMEOUT.
REMINDER_CLAIM_TIMEOUT = int(os.environ.get("REMINDER_CLAIM_TIMEOUT", "300"))
# The address the reminder e-mails link to.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "vpubnd@camau.gov.vn")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"timed": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes logs every sign-in at INFO; the app's own one-line log is camau.auth.
        "axes": {"level": "WARNING"},
    },
}

# Behind a reverse proxy that terminates TLS: only when TRUSTED_PROXY says so are its
# X-Forwarded-Proto (is the request HTTPS?) and X-Forwarded-For (who is asking: sign-in lockout and
# log) believed; otherwise any client could claim them.
TRUSTED_PROXY = env_bool("TRUSTED_PROXY", False)
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    # Covers the subdomains of the app's own host (e.g. *.theodoi.camau.gov.vn), not the province's domain.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 (HSTS preload): submitting the office's domain to browsers' preload lists is a
    # decision for the province's IT department (it cannot be undone quickly), so it is left to the
    # SECURE_HSTS_PRELOAD setting and not demanded by `check --deploy`.
    "security.W021",
]

# Content-Security-Policy (django-csp): every script, style, font and image comes from the app
# itself; no inline script or handler anywhere (static/js/app.js wires the pages' behaviour).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the app never uses, refused for its pages (camau_tasks.headers).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

# The product's own knobs.
SIMULATION_SEED = int(os.environ.get("SIMULATION_SEED", "2023"))
# The data cut-off day of the monthly summaries (Nghị định 09/2019/NĐ-CP: the 14th); 1..28.
SUMMARY_CUTOFF_DAY = int(os.environ.get("SUMMARY_CUTOFF_DAY", "14"))
if not 1 <= SUMMARY_CUTOFF_DAY <= 28:
    raise ImproperlyConfigured("SUMMARY_CUTOFF_DAY must be a day from 1 to 28.")
PAGE_SIZE = 50
