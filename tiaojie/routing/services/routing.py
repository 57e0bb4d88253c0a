"""Routing a queued dispute to a committee, and the governance centres' settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaojie.accounts import selectors as accounts
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability, Role
from tiaojie.accounts.selectors import MEDIATING_ROLES, staff_of
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseSource, CaseStatus
from tiaojie.cases.models import Case, CaseTransition
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import Conflict, NotPermitted, field_error
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.routing.error_codes import RoutingErrorCode as E
from tiaojie.routing.triage import triage

if TYPE_CHECKING:
    from tiaojie.routing.triage import Triage

CENTRE_KINDS = (
    OrganisationKind.JUSTICE_OFFICE,
    OrganisationKind.DISTRICT_BUREAU,
    OrganisationKind.CITY_BUREAU,
)


def committee_staff(committee: Organisation) -> QuerySet[User]:
    """A committee's active director and mediators: who hears of a case arriving there, and
    whose expertise its director sets."""
    return staff_of(committee.pk, MEDIATING_ROLES)


def directors_of(committee: Organisation) -> Iterable[User]:
    return accounts.directors_of(committee.pk)


def directs(user: User, committee_id: int | None) -> bool:
    """``user`` is the director of that committee: who transfers its cases, decides on the
    transfers sent to it, invites joint committees and sets its mediators' expertise."""
    return (
        user.role == Role.COMMITTEE_DIRECTOR
        and user.can(Capability.CASE_ASSIGN)
        and user.organisation_id == committee_id
    )


@transaction.atomic
def case_route(
    *,
    actor: User,
    case: Case,
    committee: Organisation | None = None,
    reason: str = "",
    version: int | None = None,
    suggestion: Triage | None = None,
) -> Case:
    """Route a queued case: to the triage's suggestion (``committee`` None or the same), or
    elsewhere with a reason (an override, recorded as such with the rule that was overridden).

    The workflow's ``route`` move checks the capability, the centre's scope and the reach.
    """
    suggested = suggestion or triage(case)
    target = committee or suggested.target
    if target is None:
        message = _("No committee was suggested: choose one.")
        raise field_error("committee_id", message, E.COMMITTEE_REQUIRED)
    overridden = suggested.target is None or target.pk != suggested.target.pk
    if overridden and not reason.strip():
        message = _("Say why the dispute goes elsewhere than suggested.")
        raise field_error("reason", message, E.REASON_REQUIRED)
    routed = transition(
        actor=actor,
        case=case,
        action="route",
        reason=reason.strip(),
        version=version,
        data={
            "committee_id": target.pk,
            "rule_id": suggested.rule.pk if suggested.rule else None,
            "overridden": overridden,
        },
    )
    if suggested.wish is not None:
        _audit_wish(actor, routed, suggested.wish, suggested.wish_note, target, reason.strip())
    n = CaseTransition.objects.filter(case=routed, action="route").count()
    notify(
        committee_staff(target),
        kind=NotificationKind.ROUTED,
        title=_("A dispute was routed to your committee: %(number)s") % {"number": routed.number},
        body=routed.dispute_type.name,
        url=reverse("cases:case_detail", args=[routed.pk]),
        case=routed,
        key=f"routed:{routed.pk}:{n}",
    )
    return routed


def _audit_wish(
    actor: User, case: Case, wished: Organisation, note: str, target: Organisation, reason: str
) -> None:
    """Whether the committee the applicant asked for got the dispute, and why not (ADR 0041)."""
    followed = target.pk == wished.pk
    audit.record(
        EventType.ROUTING_WISH_FOLLOWED if followed else EventType.ROUTING_WISH_SET_ASIDE,
        actor=actor,
        organisation=target,
        obj=case,
        after={
            "wished_committee": wished.pk,
            "committee": target.pk,
            # Routing's own reason when it set the wish aside; the officer's when they did.
            "why": "" if followed else (reason or note),
        },
    )


@transaction.atomic
def centre_settings_save(
    *,
    actor: User,
    organisation: Organisation,
    is_centre: bool,
    channels: list[str],
    version: int,
) -> Organisation:
    """Mark a justice office or bureau in the actor's subtree as a governance centre (or not),
    and choose which channels land in its queue."""
    if not actor.can(Capability.RULES_CONFIGURE) or not organisation.is_within(actor.organisation):
        raise NotPermitted(E.NOT_PERMITTED, _("This organisation is outside your scope."))
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.kind not in CENTRE_KINDS:
        message = _("Only a justice office or a bureau can be a governance centre.")
        raise field_error("is_centre", message, E.NOT_A_CENTRE)
    if locked.version != version:
        raise Conflict(E.STALE_VERSION, _("Someone else changed this organisation meanwhile."))
    unknown = [c for c in channels if c not in CaseSource.values]
    if unknown:
        message = _("Unknown channels: %(channels)s") % {"channels": ", ".join(unknown)}
        raise field_error("channels", message, E.INVALID)
    chosen = [c for c in CaseSource.values if c in channels] if is_centre else []
    if locked.is_governance_centre and not is_centre:
        waiting = Case.objects.filter(committee=locked, status=CaseStatus.QUEUED).count()
        if waiting:
            raise Conflict(
                E.QUEUE_NOT_EMPTY,
                _("%(n)d disputes still wait in this centre's queue: route them first.")
                % {"n": waiting},
            )
    before = {
        "is_governance_centre": locked.is_governance_centre,
        "channels": locked.centre_channels,
    }
    locked.is_governance_centre = is_centre
    locked.centre_channels = chosen
    locked.version += 1
    locked.save(update_fields=["is_governance_centre", "centre_channels", "version", "updated_at"])
    audit.record(
        EventType.CENTRE_SETTINGS_CHANGED,
        actor=actor,
        organisation=locked,
        obj=locked,
        before=before,
        after={"is_governance_centre": is_centre, "channels": chosen},
    )
    return locked
