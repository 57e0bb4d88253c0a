"""What a server does once, before its workers fork and take requests (ADR 0078)."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def freeze_application() -> None:
    """Import the URLconf, and every view module with it, then move everything the process
    holds out of the garbage collector's walks.

    What the import made lives as long as the process. Frozen, the collector's full passes
    no longer walk it: they took about 300 ms of the request they fell on, every few hundred
    requests, and take tens of milliseconds after. Django would import the URLconf at the
    first request, after a fork: loaded here, it is frozen too, and with gunicorn's
    ``--preload`` the workers share its pages of memory."""
    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    gc.collect()
    gc.freeze()
