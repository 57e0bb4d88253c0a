"""Writes of case-file review. Pages, API, demo data and tests all come through here; a round's
status moves only through ``rounds.round_transition``, a rectification's only through
``rectification.rectification_transition``."""
