"""What supervision hooks into at start-up (imported by ``core`` with every app's
``listeners.py``): overdue supervisions rise a level every night, before the deadline scan."""

from __future__ import annotations

from tiaojie.deadlines.scan import run_before_scan
from tiaojie.supervision.services.supervision import escalate_overdue

run_before_scan("supervision.escalate_overdue", escalate_overdue)
