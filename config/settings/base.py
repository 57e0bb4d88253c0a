"""Tiaojie settings, read from the environment.

The defaults run the demo: SQLite in ``var/``, a development secret generated once and kept in
``var/``; DEBUG is off unless ``DJANGO_DEBUG=1`` (scripts/dev sets it). Production differs only by
environment variables (see docs/deploy.md).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url

from config.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("TIAOJIE_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Off unless asked for: a 500 must never show a traceback. scripts/dev turns it on for the demo.
DEBUG = env_bool("DJANGO_DEBUG", default=False)


def _dev_secret(name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(50)) -> str:
    """A random secret generated on first run and kept in var/, so the demo needs no set-up."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("DJANGO_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required")
    SECRET_KEY = _dev_secret("dev-secret-key")

# Key for personal data encrypted at rest (ID numbers, phones, addresses). Base64 of 32 bytes.
TIAOJIE_DATA_KEY = env_str("TIAOJIE_DATA_KEY") or ""
if not TIAOJIE_DATA_KEY:
    if not DEBUG:
        raise ConfigurationError("TIAOJIE_DATA_KEY (or TIAOJIE_DATA_KEY_FILE) is required")
    TIAOJIE_DATA_KEY = _dev_secret(
        "dev-data-key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
    )
# Previous data keys, still accepted for decryption while `manage.py rotate_data_key` runs
# (docs/decisions/0006). Comma- or whitespace-separated, so a *_FILE may hold one per line.
TIAOJIE_DATA_KEYS_OLD = (env_str("TIAOJIE_DATA_KEYS_OLD") or "").replace(",", " ").split()
# The cipher new personal data is written in: aes-gcm (AES-256-GCM) or sm4-gcm (national
# cryptography, GB/T 32907). Both always decrypt; rotate_data_key rewrites old values.
TIAOJIE_DATA_CIPHER = env_str("TIAOJIE_DATA_CIPHER") or "aes-gcm"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "tiaojie.core",
    "tiaojie.organisations",
    "tiaojie.accounts",
    "tiaojie.audit",
    "tiaojie.cases",
    "tiaojie.documents",
    "tiaojie.deadlines",
    "tiaojie.notifications",
    "tiaojie.routing",
    "tiaojie.supervision",
    "tiaojie.reviews",
    "tiaojie.statistics",
    "tiaojie.subsidies",
    "tiaojie.mediators",
    "tiaojie.screening",
    "tiaojie.triage",
    "tiaojie.public",
    "tiaojie.video",
    "tiaojie.workbench",
]

MIDDLEWARE = [
    "tiaojie.core.middleware.RequestIdMiddleware",
    "tiaojie.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tiaojie.accounts.middleware.IdleTimeoutMiddleware",
    "tiaojie.accounts.middleware.PasswordChangeRequiredMiddleware",
    "tiaojie.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tiaojie.audit.middleware.LimitExceededMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tiaojie.core.context_processors.navigation",
                "tiaojie.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tiaojie.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and background worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "tiaojie.accounts.passwords.MinimumLengthInWordsValidator",
        "OPTIONS": {"min_length": env_int("TIAOJIE_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tiaojie.accounts.passwords.CharacterClassValidator"},
    {"NAME": "tiaojie.accounts.passwords.NotUsernameValidator"},
]

# Idle timeout: a session unused for this many minutes is logged out (default 30).
TIAOJIE_IDLE_TIMEOUT_MINUTES = env_int("TIAOJIE_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
# A password older than this many days must be changed at the next login (0: never expires).
TIAOJIE_PASSWORD_MAX_AGE_DAYS = env_int("TIAOJIE_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
# A new password may not be one of the last this many (the current one included).
TIAOJIE_PASSWORD_HISTORY = env_int("TIAOJIE_PASSWORD_HISTORY", 5, minimum=1)
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Mediation is normally closed within this many months of acceptance [local rule].
TIAOJIE_MEDIATION_MONTHS = env_int("TIAOJIE_MEDIATION_MONTHS", 1, minimum=1)
# How many times that period may be extended, with both parties' consent [local rule].
TIAOJIE_MEDIATION_EXTENSIONS = env_int("TIAOJIE_MEDIATION_EXTENSIONS", 1, minimum=0)
# Deadline defaults where no bureau set its own rule [local rules; docs/deadlines.md].
TIAOJIE_ACCEPT_WORKING_DAYS = env_int("TIAOJIE_ACCEPT_WORKING_DAYS", 3, minimum=0)
TIAOJIE_ACCEPT_NEAR_DUE = env_int("TIAOJIE_ACCEPT_NEAR_DUE", 1, minimum=0)
TIAOJIE_MEDIATION_NEAR_DUE = env_int("TIAOJIE_MEDIATION_NEAR_DUE", 5, minimum=0)
TIAOJIE_CONFIRMATION_NEAR_DUE = env_int("TIAOJIE_CONFIRMATION_NEAR_DUE", 5, minimum=0)
TIAOJIE_FOLLOW_UP_DAYS = env_int("TIAOJIE_FOLLOW_UP_DAYS", 15, minimum=0)
TIAOJIE_FOLLOW_UP_NEAR_DUE = env_int("TIAOJIE_FOLLOW_UP_NEAR_DUE", 3, minimum=0)
TIAOJIE_SUPERVISION_WORKING_DAYS = env_int("TIAOJIE_SUPERVISION_WORKING_DAYS", 10, minimum=0)
TIAOJIE_SUPERVISION_NEAR_DUE = env_int("TIAOJIE_SUPERVISION_NEAR_DUE", 3, minimum=0)
# Mail for the daily digest: the console in development, SMTP (EMAIL_HOST …) when configured.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL") or "tiaojie@localhost"
# Largest file a user may attach to a case, in megabytes.
TIAOJIE_ATTACHMENT_MAX_MB = env_int("TIAOJIE_ATTACHMENT_MAX_MB", 20, minimum=1)
# Documents (and report PDFs) are laid out in a child process stopped after this many seconds
# or when it needs this many MB more than the process it came from (core/isolation.py, decision
# 21). Keep the seconds below gunicorn's --timeout; the whole case file, in the worker, may take
# TIAOJIE_CASE_FILE_TIMEOUT_SECONDS.
TIAOJIE_RENDER_TIMEOUT_SECONDS = env_int("TIAOJIE_RENDER_TIMEOUT_SECONDS", 30, minimum=1)
# Not below 256: with less, fontconfig fails to load the fonts and WeasyPrint prints empty boxes
# rather than failing (found by bench/documents.py).
TIAOJIE_RENDER_MEMORY_MB = env_int("TIAOJIE_RENDER_MEMORY_MB", 1024, minimum=256)
TIAOJIE_CASE_FILE_TIMEOUT_SECONDS = env_int("TIAOJIE_CASE_FILE_TIMEOUT_SECONDS", 300, minimum=1)
# The command-centre screen reads its figures again every this many seconds, in place (a
# screen's URL may ask for another interval with ?refresh=N, within 5 s to an hour).
TIAOJIE_SCREEN_REFRESH_SECONDS = env_int("TIAOJIE_SCREEN_REFRESH_SECONDS", 30, minimum=5)
# The case list counts matches up to this many and then says "10,000+": counting half a million
# matches of a frequent character (费) costs as much as scanning the table (ADR 0007).
TIAOJIE_CASE_COUNT_CAP = env_int("TIAOJIE_CASE_COUNT_CAP", 10_000, minimum=1)
# A search on PostgreSQL first counts this many matches in id order; past it the count is
# estimated from how far through the cases they reached, and an estimate of the cap or more is
# shown as "about N" without counting further (ADR 0059). 0: never estimate.
TIAOJIE_SEARCH_COUNT_SAMPLE = env_int("TIAOJIE_SEARCH_COUNT_SAMPLE", 1_000, minimum=0)
# The retention period printed on the case file's cover (保管期限) [local rule].
TIAOJIE_FILE_RETENTION = env_str("TIAOJIE_FILE_RETENTION") or "长期"
# Years after archiving before the parties of a case are anonymised (PIPL; manage.py
# anonymise_expired). domain.md sets no figure; ten years is the usual span for case files.
TIAOJIE_RETENTION_YEARS = env_int("TIAOJIE_RETENTION_YEARS", 10, minimum=1)
# API bearer tokens live this many hours.
TIAOJIE_API_TOKEN_HOURS = env_int("TIAOJIE_API_TOKEN_HOURS", 12, minimum=1)
# At most this many usable API tokens per account (a new one revokes the oldest) and this many
# signed-in browser sessions (a new login ends the oldest).
TIAOJIE_MAX_API_TOKENS = env_int("TIAOJIE_MAX_API_TOKENS", 5, minimum=1)
TIAOJIE_MAX_SESSIONS = env_int("TIAOJIE_MAX_SESSIONS", 3, minimum=1)
# Login throttling (accounts/throttle.py): by source and by username from a source.
# Citizens (tiaojie.public, docs/public.md): where one-time codes go, and their limits.
TIAOJIE_SMS_BACKEND = env_str("TIAOJIE_SMS_BACKEND", "tiaojie.public.sms.OutboxBackend") or ""
TIAOJIE_CITIZEN_SESSION_HOURS = env_int("TIAOJIE_CITIZEN_SESSION_HOURS", 12, minimum=1)


# Video mediation (tiaojie.video, docs/video.md): STUN/TURN servers for browsers behind NAT, as
# the JSON list RTCPeerConnection takes, e.g. [{"urls": "turn:turn.example.cn:3478",
# "username": "u", "credential": "p"}]. Empty: browsers on one network reach each other.
# TURN credentials may come from a file (TIAOJIE_VIDEO_ICE_SERVERS_FILE).
def _ice_servers() -> list[dict[str, object]]:
    raw = env_str("TIAOJIE_VIDEO_ICE_SERVERS", "[]") or "[]"
    try:
        servers = json.loads(raw)
    except ValueError as exc:
        raise ConfigurationError(f"TIAOJIE_VIDEO_ICE_SERVERS is not JSON: {exc}") from exc
    if not isinstance(servers, list) or not all(isinstance(s, dict) for s in servers):
        raise ConfigurationError("TIAOJIE_VIDEO_ICE_SERVERS must be a JSON list of objects")
    return servers


TIAOJIE_VIDEO_ICE_SERVERS = _ice_servers()
TIAOJIE_CODE_SENDS_PER_PHONE_HOUR = env_int("TIAOJIE_CODE_SENDS_PER_PHONE_HOUR", 5, minimum=1)
TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR = env_int("TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR", 20, minimum=1)
TIAOJIE_LOGIN_DELAY_AFTER = env_int("TIAOJIE_LOGIN_DELAY_AFTER", 3, minimum=1)
TIAOJIE_LOGIN_USERNAME_FAILURES = env_int("TIAOJIE_LOGIN_USERNAME_FAILURES", 5, minimum=1)
TIAOJIE_LOGIN_BLOCK_MINUTES = env_int("TIAOJIE_LOGIN_BLOCK_MINUTES", 15, minimum=1)
TIAOJIE_LOGIN_SOURCE_FAILURES = env_int("TIAOJIE_LOGIN_SOURCE_FAILURES", 20, minimum=1)
TIAOJIE_LOGIN_SOURCE_BLOCK_MINUTES = env_int("TIAOJIE_LOGIN_SOURCE_BLOCK_MINUTES", 60, minimum=1)
TIAOJIE_LOGIN_WINDOW_MINUTES = env_int("TIAOJIE_LOGIN_WINDOW_MINUTES", 15, minimum=1)
# Roles that must sign in with a second factor (TOTP, docs/decisions/0012); others may.
TIAOJIE_2FA_REQUIRED_ROLES = env_list(
    "TIAOJIE_2FA_REQUIRED_ROLES",
    ["system_admin", "security_admin", "audit_admin", "bureau_officer"],
)
# "none" requires it of no role: ``scripts/dev`` sets it so the demo accounts can look around
# without an authenticator app. Never in production.
if TIAOJIE_2FA_REQUIRED_ROLES == ["none"]:
    TIAOJIE_2FA_REQUIRED_ROLES = []
# The name an authenticator app shows beside the account.
TIAOJIE_2FA_ISSUER = env_str("TIAOJIE_2FA_ISSUER") or "人民调解"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIAOJIE_TIME_ZONE") or "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or VAR_DIR / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files live outside the web root and are served only through permission checks.
MEDIA_ROOT = Path(env_str("TIAOJIE_MEDIA_ROOT") or VAR_DIR / "media")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SECURE_CONTENT_TYPE_NOSNIFF = True
# The API's interactive docs and OpenAPI schema: public only when asked for (or with DEBUG).
TIAOJIE_API_DOCS_PUBLIC = env_bool("TIAOJIE_API_DOCS_PUBLIC", default=DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole registrable domain to HTTPS in browsers, and anyone may
        # submit a domain whose apex sends "preload": a choice for the domain's owner, not a
        # default. Opting out is deliberate, so check --deploy need not warn about it.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Addresses that X-Forwarded-For is trusted from, so the audit trail records the client's IP.
TIAOJIE_TRUSTED_PROXIES = env_list("TIAOJIE_TRUSTED_PROXIES", [])
# The audit chain's hash (audit/chain.py): sm3 (national standard) where OpenSSL offers it,
# else sha256. Fixed when the chain starts; changing it later does not re-hash the past.
TIAOJIE_AUDIT_HASH = env_str("TIAOJIE_AUDIT_HASH") or "sm3"
# Forward every audit event to syslog (RFC 5424): udp://host:514 or tcp://host:601; empty: off.
TIAOJIE_SYSLOG = env_str("TIAOJIE_SYSLOG") or ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL") or "INFO"},
    # WeasyPrint reports every step of every PDF at INFO: keep only its warnings.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
