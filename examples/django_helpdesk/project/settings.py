"""Settings of the django-helpdesk example: SQLite by default, PostgreSQL from DATABASE_URL."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "example-only-not-secret"  # a local example only
DEBUG = False
ALLOWED_HOSTS = ["localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
    "ticketflow.django",
    "flow",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "project.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
SITE_ID = 1
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Time: aware datetimes in UTC in the database, Madrid on the desk.
USE_TZ = True
TIME_ZONE = "Europe/Madrid"

# django-helpdesk: no teams app (pinax) in this example.
HELPDESK_TEAMS_MODE_ENABLED = False


def database(url: str) -> dict[str, object]:
    """A DATABASES entry for ``url``: ``postgresql://user:pass@host:port/name`` or ``sqlite:///path``."""
    if not url:
        url = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = unquote(parts.path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # writers wait for each other (BEGIN IMMEDIATE) instead of failing
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30},
            # a file, so that the concurrent-sweeper test's threads share it
            "TEST": {"NAME": str(Path(name).with_name("test-" + Path(name).name))},
        }
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            # a Unix socket's folder may come as ?host=/path (libpq's own URLs)
            "HOST": parts.hostname or parse_qs(parts.query).get("host", [""])[0],
            "PORT": str(parts.port or ""),
        }
    raise ValueError(f"DATABASE_URL {url!r}: expected sqlite:///path or postgresql://...")


DATABASES = {"default": database(os.environ.get("DATABASE_URL", ""))}
# a request that the workflow refuses (an event it does not allow) rolls back helpdesk's change too
DATABASES["default"]["ATOMIC_REQUESTS"] = True

TICKETFLOW = {
    "WORKFLOWS": ["flow.workflow.WORKFLOW"],
    "HANDLER": "flow.glue.on_change",
    "ADOPT": "flow.glue.adoptable",
}
