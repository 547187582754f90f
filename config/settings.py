"""One settings file, driven by environment variables (see docs/operations.md)."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LEADHUB_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("LEADHUB_DEBUG", False)
# The demo key is only for the embedded default; production sets LEADHUB_SECRET_KEY.
SECRET_KEY = os.environ.get("LEADHUB_SECRET_KEY", "leadhub-demo-only-not-secret")
ALLOWED_HOSTS = os.environ.get("LEADHUB_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
BASE_URL = os.environ.get("LEADHUB_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "leadhub.orgs",
    "leadhub.contacts",
    "leadhub.enquiries",
    "leadhub.intake",
    "leadhub.routing",
    "leadhub.network",
    "leadhub.web",
    "leadhub.ops",
    "leadhub.sla",
    "leadhub.notifications",
    "leadhub.assignment",
    "leadhub.feedback",
    "leadhub.documents",
    "leadhub.quotes",
    "leadhub.catalogue",
    "leadhub.events",
    "leadhub.referrals",
    "leadhub.search",
    "leadhub.exports",
    "leadhub.duplicates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leadhub.orgs.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leadhub.web.context.notices",
                "leadhub.referrals.context.referrals_tab",
            ],
        },
    }
]


def database_config() -> dict[str, object]:
    url = os.environ.get("LEADHUB_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        max_age = int(os.environ.get("LEADHUB_DB_CONN_MAX_AGE", "60"))
        # No health check: a SELECT 1 per request costs more than a rare reconnect on a LAN.
        config = dict(dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=False))
        if "postgresql" in str(config["ENGINE"]):
            options: dict[str, object] = {**(config.get("OPTIONS") or {})}  # type: ignore[dict-item]
            # No JIT: list queries over a million enquiries are estimated costly enough to
            # trigger it, and compiling took 1.5 s of a 3.4 s list query (docs/benchmarks.md).
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
            if env_bool("LEADHUB_DB_PREPARED_STATEMENTS", True):
                # Parameters bound by the server, and statements run 5 times prepared per
                # connection: PostgreSQL no longer parses and plans each one again (intake:
                # ~40 % less database CPU). Off for poolers that cannot keep prepared statements.
                options |= {"server_side_binding": True, "prepare_threshold": 5}
            config["OPTIONS"] = options
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "leadhub.sqlite3",
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the
        # busy timeout instead of failing with "database is locked" on lock upgrade.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "enquiry-list"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("pl", "Polski"),
]
FORMAT_MODULE_PATH = ["leadhub.formats"]
LOCALE_PATHS = [BASE_DIR / "leadhub" / "locale"]
TIME_ZONE = os.environ.get("LEADHUB_TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the apps by WhiteNoise; set LEADHUB_STATIC_ROOT to collect them.
STATIC_ROOT = os.environ.get("LEADHUB_STATIC_ROOT") or None
# Uploaded documents (C4). Never served as static media: views check access first.
MEDIA_ROOT = Path(os.environ.get("LEADHUB_MEDIA_ROOT", VAR_DIR / "media")).resolve()
DOCUMENT_MAX_BYTES = int(os.environ.get("LEADHUB_DOCUMENT_MAX_MB", "20")) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from app folders: no collectstatic step

# Exports of the enquiry list (F4, docs/exports.md): up to EXPORT_SYNC_MAX_ROWS rows are
# downloaded at once; larger ones run as a task writing under EXPORT_ROOT, kept this long.
EXPORT_ROOT = Path(os.environ.get("LEADHUB_EXPORT_ROOT", VAR_DIR / "exports")).resolve()
EXPORT_SYNC_MAX_ROWS = int(os.environ.get("LEADHUB_EXPORT_SYNC_MAX_ROWS", "2000"))
EXPORT_RETENTION_HOURS = int(os.environ.get("LEADHUB_EXPORT_RETENTION_HOURS", "24"))
EXPORT_BATCH_ROWS = 1000  # read per batch; progress is written after each
# A running export whose worker wrote no progress for this long is marked failed by the
# sweeper (decision 0053): a batch takes well under a second, the slowest step minutes.
EXPORT_STALE_MINUTES = int(os.environ.get("LEADHUB_EXPORT_STALE_MINUTES", "10"))

EMAIL_BACKEND = os.environ.get(
    "LEADHUB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("LEADHUB_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LEADHUB_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("LEADHUB_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LEADHUB_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LEADHUB_SMTP_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("LEADHUB_FROM_EMAIL", "leadhub@localhost")

TASKS = {"default": {"BACKEND": "leadhub.notifications.backend.DatabaseBackend"}}

# D1: intake queues a duplicate check that `leadhub check_duplicates` runs; off skips both.
DUPLICATE_CHECK = os.environ.get("LEADHUB_DUPLICATE_CHECK", "on").strip().lower() != "off"
# Intake refuses bodies above this size before parsing them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LEADHUB_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
