"""Writes of the deadlines app: the calendar (``calendar``) and the deadline rules (``rules``)."""
