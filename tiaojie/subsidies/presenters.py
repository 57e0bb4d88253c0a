"""How a line reads: the criterion that decided its tier, or why it was excluded, in words."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tiaojie.core.formatting import money_text
from tiaojie.subsidies.choices import Dimension, Exclusion, Tier
from tiaojie.subsidies.models import SubsidyLine
from tiaojie.subsidies.services.judge import COMPLEX, GROUP


def basis_text(line: SubsidyLine) -> str:
    """e.g. “争议金额 20,000.00 元” → 疑难; nothing raised it → “无升档情形”."""
    tier = Tier(line.tier).label
    if line.basis == GROUP:
        return _("Group dispute → %(tier)s") % {"tier": tier}
    if line.basis == COMPLEX:
        return _("Complex dispute → %(tier)s") % {"tier": tier}
    if line.basis == Dimension.AMOUNT:
        value = money_text(Decimal(line.basis_value))
    elif line.basis in (Dimension.PEOPLE, Dimension.PARTIES):
        value = str(int(Decimal(line.basis_value)))
    else:
        return _("Nothing raises the tier → %(tier)s") % {"tier": tier}
    return _("%(criterion)s %(value)s → %(tier)s") % {
        "criterion": Dimension(line.basis).label,
        "value": value,
        "tier": tier,
    }


def exclusion_text(line: SubsidyLine) -> str:
    if not line.exclusion:
        return ""
    text = str(Exclusion(line.exclusion).label)
    if line.exclusion_note:
        text = _("%(reason)s (%(note)s)") % {"reason": text, "note": line.exclusion_note}
    return text
