"""Settings for the test suite: fast hashing, fixed keys, tasks run at once."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# The suite imports base.py as the demo does (DEBUG on at import), then Django runs it off.
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("TIAOJIE_DATA_KEY", "dGlhb2ppZS10ZXN0LWtleS0wMTIzNDU2Nzg5YWJjZGU=")

from config.settings.base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "zh-hans"
# Uploaded files go to a directory of this run, never to var/media (removed at exit).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tiaojie-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# Tests sign in without a second factor unless they ask for one (override_settings): the
# suites log administrators in through the form and through force_login.
TIAOJIE_2FA_REQUIRED_ROLES = []
# Documents are laid out under limits (core.isolation) in the suite too, but a machine loaded
# by parallel runs must not stop a normal one: the limit tests set their own tiny limits.
TIAOJIE_RENDER_TIMEOUT_SECONDS = 600
TIAOJIE_CASE_FILE_TIMEOUT_SECONDS = 600
