"""Writes to cases. Pages, API, demo data and tests all come through here; status changes
only through ``cases.workflow.transition``."""
