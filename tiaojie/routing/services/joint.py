"""Joint mediation (联合调解): the lead committee's director invites other committees of the
district to mediate a case with it, and lets them go. A joint committee's staff see and work
on the case while it takes part (``cases.rules``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, JointCommittee
from tiaojie.cases.services import joint as cases_joint
from tiaojie.core.errors import Conflict, NotPermitted, field_error
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.selectors import district_of
from tiaojie.routing.error_codes import RoutingErrorCode as E
from tiaojie.routing.services.routing import committee_staff, directs

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

OPEN_FOR_JOINT = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION)


def _lock_as_lead(actor: User, case: Case) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    )
    if not directs(actor, locked.committee_id):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the director of the lead committee invites joint committees.")
        )
    if locked.status not in OPEN_FOR_JOINT:
        raise Conflict(
            E.CASE_CLOSED,
            _("Not possible while the case is “%(status)s”.")
            % {"status": CaseStatus(locked.status).label},
        )
    return locked


@transaction.atomic
def joint_committee_add(
    *, actor: User, case: Case, committee: Organisation, reason: str = ""
) -> JointCommittee:
    locked = _lock_as_lead(actor, case)
    if committee.pk == locked.committee_id:
        raise field_error(
            "committee",
            code=E.SAME_COMMITTEE,
            message=_("The lead committee already mediates this case."),
        )
    if (
        committee.kind != OrganisationKind.COMMITTEE
        or committee.status != OrganisationStatus.ACTIVE
    ):
        raise field_error(
            "committee",
            code=E.COMMITTEE_INACTIVE,
            message=_("Choose an active mediation committee."),
        )
    if not committee.is_within(district_of(locked.committee)):
        raise field_error(
            "committee", code=E.OUTSIDE_REACH, message=_("This committee is outside your district.")
        )
    if cases_joint.joins(locked, committee) is not None:
        raise field_error(
            "committee", code=E.ALREADY_JOINED, message=_("This committee already takes part.")
        )
    joint = cases_joint.joint_committee_join(
        case=locked, committee=committee, invited_by=actor, reason=reason.strip()[:200]
    )
    audit.record(
        EventType.JOINT_COMMITTEE_ADDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        reason=joint.reason,
        after={"committee": committee.pk},
    )
    notify(
        committee_staff(committee),
        kind=NotificationKind.OTHER,
        title=_("Your committee joins the mediation of %(number)s") % {"number": locked.number},
        url=reverse("cases:case_detail", args=[locked.pk]),
        case=locked,
        key=f"joint:{joint.pk}",
    )
    return joint


@transaction.atomic
def joint_committee_remove(
    *, actor: User, case: Case, committee: Organisation, reason: str = ""
) -> JointCommittee:
    """The committee leaves the joint mediation; its mediators on the case are withdrawn."""
    locked = _lock_as_lead(actor, case)
    joint = cases_joint.joins(locked, committee)
    if joint is None:
        raise field_error(
            "committee", code=E.NOT_JOINED, message=_("This committee does not take part.")
        )
    cases_joint.joint_committee_leave(case=locked, joint=joint)
    audit.record(
        EventType.JOINT_COMMITTEE_REMOVED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        reason=reason.strip(),
        after={"committee": committee.pk},
    )
    return joint
