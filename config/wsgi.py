"""WSGI entry point for production servers (gunicorn, uWSGI)."""

import os

from django.core.wsgi import get_wsgi_application

from tiaojie.core.preload import freeze_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()
# With gunicorn's --preload this runs in the master just before it forks the workers.
freeze_application()
