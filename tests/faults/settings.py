"""Settings of the fault tests' own server process: production settings (DEBUG off), except
static files are not collected (plain storage), so the server starts without collectstatic,
and cookies travel over plain HTTP on loopback."""

from config.settings.base import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Plain HTTP on loopback: cookies must travel without TLS.
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_SECURE = False
