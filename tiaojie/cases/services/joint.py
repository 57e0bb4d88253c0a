"""Joint mediation (联合调解) on the case's own tables: a committee joins the lead committee in
mediating a case, or leaves it. Routing decides who may invite whom (the lead committee's
director, within its district) and records the audit event; the case's rows change here only.
The caller holds the case locked (``select_for_update``) in its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.cases.models import Case, CaseMediator, JointCommittee

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation


def joins(case: Case, committee: Organisation) -> JointCommittee | None:
    """The committee's current part in the case's joint mediation, if it takes part."""
    return JointCommittee.objects.filter(case=case, committee=committee, left_at=None).first()


@transaction.atomic
def joint_committee_join(
    *, case: Case, committee: Organisation, invited_by: User, reason: str
) -> JointCommittee:
    """``committee`` takes part in mediating ``case`` from now; the case's version moves on
    (what its staff see of it changed)."""
    joint = JointCommittee.objects.create(
        case=case,
        committee=committee,
        committee_path=committee.path,
        invited_by=invited_by,
        joined_at=timezone.now(),
        reason=reason,
    )
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    return joint


@transaction.atomic
def joint_committee_leave(*, case: Case, joint: JointCommittee) -> JointCommittee:
    """The committee leaves the joint mediation; its mediators on the case are withdrawn."""
    now = timezone.now()
    joint.left_at = now
    joint.save(update_fields=["left_at"])
    CaseMediator.objects.filter(
        case=case, withdrawn_at__isnull=True, mediator__organisation=joint.committee
    ).update(withdrawn_at=now, withdrawal_reason=_("The committee left the joint mediation"))
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    return joint
