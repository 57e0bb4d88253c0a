"""The production entry point (config.wsgi) as gunicorn loads it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc
import sys
import config.wsgi
print(gc.get_freeze_count(), callable(config.wsgi.application), "tiaojie.cases.views" in sys.modules)
"""


def test_the_imported_application_is_frozen_out_of_the_collectors_full_passes() -> None:
    # A fresh interpreter, as a gunicorn master is: what importing the application made, the
    # URLconf and its views included, is moved to the permanent generation, so that full
    # collections in the workers do not walk it (ADR 0078). Without the freeze the count is 0.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(  # noqa: S603 - our own interpreter on a fixed script
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    frozen, application, views = result.stdout.split()
    assert application == "True"
    assert views == "True"  # imported before the freeze, not at the first request
    assert int(frozen) > 50_000  # Django, the project and their imports
