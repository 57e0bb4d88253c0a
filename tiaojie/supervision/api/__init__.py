"""API of supervision: the same services and selectors as the pages. One router; each module
adds its operations to it."""

from tiaojie.supervision.api import ledger, supervision, trace
from tiaojie.supervision.api.common import router

__all__ = ["ledger", "router", "supervision", "trace"]
