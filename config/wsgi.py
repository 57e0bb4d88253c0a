"""WSGI entry point for production servers (gunicorn, uWSGI)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# What the import made lives as long as the process. Frozen, the collector's full passes no
# longer walk it: they took about 250 ms of the request they fell on, every few hundred
# requests, and under 50 ms after (ADR 0078). With gunicorn's --preload this runs in the
# master just before it forks, so the workers also keep sharing those pages of memory.
gc.collect()
gc.freeze()
