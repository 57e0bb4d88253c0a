"""WSGI entry point for production servers (gunicorn, uWSGI)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# What the import made lives as long as the process. Frozen, the collector's full passes no
# longer walk it: they took about 260 ms of the request they fell on, every few hundred
# requests, and take tens of milliseconds after (ADR 0078). The URLconf, and with it every
# view module, is imported first: Django would import it at the first request, after the
# freeze. With gunicorn's --preload this runs in the master just before it forks, so the
# workers also share those pages of memory.
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.collect()
gc.freeze()
