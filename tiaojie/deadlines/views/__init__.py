"""Pages of the deadlines app: the lists (``lists``), the calendar (``calendar``), the rules."""
