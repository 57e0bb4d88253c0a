"""The deadlines that apply where no bureau set its own (``DeadlineRule``).

Each length can be changed for a whole installation in the settings (names below); a bureau
changes it for its own cases on the rules page. The judicial-confirmation window is the law's
(People's Mediation Law art. 33; ``cases.services.aftercare.CONFIRMATION_WINDOW_DAYS``) and is
shown, not configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from tiaojie.cases.services.aftercare import CONFIRMATION_WINDOW_DAYS
from tiaojie.deadlines.models import DeadlineKind, RuleUnit


@dataclass(frozen=True)
class RuleValue:
    """One deadline's length and its near-due warning, wherever it comes from."""

    value: int
    unit: str
    near_due_days: int


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def default_rule(kind: str) -> RuleValue:
    """The default for ``kind``, read from the settings each time (tests may override them)."""

    defaults = {
        # Accept or decline a registered dispute within 3 working days.
        DeadlineKind.ACCEPT: RuleValue(
            _setting("TIAOJIE_ACCEPT_WORKING_DAYS", 3),
            RuleUnit.WORKING_DAYS,
            _setting("TIAOJIE_ACCEPT_NEAR_DUE", 1),
        ),
        # Mediate within one month of accepting (the case stores its due date at accept).
        DeadlineKind.MEDIATION: RuleValue(
            settings.TIAOJIE_MEDIATION_MONTHS,
            RuleUnit.MONTHS,
            _setting("TIAOJIE_MEDIATION_NEAR_DUE", 5),
        ),
        DeadlineKind.CONFIRMATION: RuleValue(
            CONFIRMATION_WINDOW_DAYS, RuleUnit.DAYS, _setting("TIAOJIE_CONFIRMATION_NEAR_DUE", 5)
        ),
        # Visit the parties within 15 days after the agreement's performance deadline.
        DeadlineKind.FOLLOW_UP: RuleValue(
            _setting("TIAOJIE_FOLLOW_UP_DAYS", 15),
            RuleUnit.DAYS,
            _setting("TIAOJIE_FOLLOW_UP_NEAR_DUE", 3),
        ),
        # A supervised case reports back within 10 working days (the supervision app's default).
        DeadlineKind.SUPERVISION: RuleValue(
            _setting("TIAOJIE_SUPERVISION_WORKING_DAYS", 10),
            RuleUnit.WORKING_DAYS,
            _setting("TIAOJIE_SUPERVISION_NEAR_DUE", 3),
        ),
    }
    return defaults[DeadlineKind(kind)]


# Kinds a bureau may configure; the confirmation window is fixed by law.
CONFIGURABLE_KINDS = (
    DeadlineKind.ACCEPT,
    DeadlineKind.MEDIATION,
    DeadlineKind.FOLLOW_UP,
    DeadlineKind.SUPERVISION,
)
# Kinds the scan watches on cases; supervision deadlines live in the supervision app.
CASE_KINDS = (
    DeadlineKind.ACCEPT,
    DeadlineKind.MEDIATION,
    DeadlineKind.CONFIRMATION,
    DeadlineKind.FOLLOW_UP,
)
