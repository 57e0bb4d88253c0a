"""Mediators' associations (人民调解协会) and their members: who sees an association (anyone
with the roster capability at or above it), who keeps its members (the officers of the bureau
it sits under, and of the bureaus above), and who may join (a committee of the association's
area, a mediator serving in one, each once at a time).

An association's area is the subtree of the bureau it sits under: the city association takes
the city's committees, a district association its district's. Every write checks first, then
writes and records its audit event in one transaction; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators.choices import AssociationRole, MediatorStatus
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Mediator, Membership
from tiaojie.mediators.models_associations import AssociationMember
from tiaojie.mediators.rules import BUREAU_KINDS
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation

# --- who sees and who may ------------------------------------------------------------------


def associations_visible(user: User) -> QuerySet[Organisation]:
    """The associations in the viewer's subtree; any other answers 404."""
    if not user.is_authenticated or not user.can(Capability.MEDIATOR_VIEW):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.ASSOCIATION, path__startswith=user.organisation.path
    ).select_related("parent")


def may_manage(user: User, association: Organisation) -> bool:
    """The officers of the bureau the association sits under, and of the bureaus above."""
    return (
        user.is_authenticated
        and user.can(Capability.MEDIATOR_MANAGE)
        and user.organisation.kind in BUREAU_KINDS
        and association.path.startswith(user.organisation.path)
    )


def area_path(association: Organisation) -> str:
    """The path of the bureau the association sits under: its members come from that subtree."""
    parent = association.parent
    return parent.path if parent is not None else association.path


def members_of(association: Organisation, *, current_only: bool = False) -> list[AssociationMember]:
    """The members, current first (committees, then mediators by office), then those who left."""
    rows = AssociationMember.objects.filter(association=association).select_related(
        "committee", "mediator"
    )
    if current_only:
        rows = rows.filter(left__isnull=True)
    order = {r.value: i for i, r in enumerate(AssociationRole)}
    return sorted(
        rows,
        key=lambda m: (
            m.left is not None,
            m.mediator_id is not None,
            order.get(m.role, 99),
            -(m.left or dt.date.min).toordinal(),
            m.committee.name if m.committee else m.mediator.name if m.mediator else "",
            m.pk,
        ),
    )


def places_of(mediator: Mediator) -> list[AssociationMember]:
    """The associations a mediator belongs or belonged to (所属协会), current first."""
    return sorted(
        AssociationMember.objects.filter(mediator=mediator).select_related("association"),
        key=lambda m: (m.left is not None, m.association.name, m.pk),
    )


def committees_for(association: Organisation) -> QuerySet[Organisation]:
    """The working committees of the association's area that are not members now."""
    current = AssociationMember.objects.filter(
        association=association, left__isnull=True, committee__isnull=False
    ).values("committee_id")
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.COMMITTEE,
            status=OrganisationStatus.ACTIVE,
            path__startswith=area_path(association),
        )
        .exclude(pk__in=current)
        .order_by("path")
    )


def mediators_for(association: Organisation) -> QuerySet[Mediator]:
    """The mediators serving now in a committee of the area, who have not left, and are not
    members now."""
    serving = Membership.objects.filter(
        committee__path__startswith=area_path(association), until__isnull=True
    ).values("mediator_id")
    current = AssociationMember.objects.filter(
        association=association, left__isnull=True, mediator__isnull=False
    ).values("mediator_id")
    return (
        Mediator.objects.filter(pk__in=serving)
        .exclude(status=MediatorStatus.LEFT)
        .exclude(pk__in=current)
        .order_by("name", "id")
    )


# --- writes ---------------------------------------------------------------------------------


def _refused_field(field: str, message: str, code: E = E.INVALID) -> ValidationFailed:
    return ValidationFailed(code, message, fields={field: [message]})


def _check_manager(actor: User, association: Organisation) -> None:
    if association.kind != OrganisationKind.ASSOCIATION:
        raise _refused_field("association", _("This organisation is not a mediators' association."))
    if not may_manage(actor, association):
        raise NotPermitted(
            E.NOT_PERMITTED,
            _("Only the officers of the bureau above an association keep its members."),
        )


def _add(
    actor: User, association: Organisation, row: AssociationMember, name: str
) -> AssociationMember:
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            # Two officers adding the same member at once: the constraint decides.
            raise _refused_field(
                "member",
                _("%(name)s is already a member of this association.") % {"name": name},
                E.ASSOCIATION_MEMBER_EXISTS,
            ) from exc
        audit.record(
            EventType.ASSOCIATION_MEMBER_ADDED,
            actor=actor,
            obj=row,
            organisation=association,
            after={
                "committee_id": row.committee_id,
                "mediator_id": row.mediator_id,
                "role": row.role,
                "joined": row.joined.isoformat(),
            },
        )
    return row


def committee_join(
    *,
    actor: User,
    association: Organisation,
    committee: Organisation,
    joined: dt.date | None = None,
) -> AssociationMember:
    """A committee of the association's area joins it (团体会员)."""
    _check_manager(actor, association)
    if committee.kind != OrganisationKind.COMMITTEE:
        raise _refused_field(
            "committee", _("Only a people's mediation committee joins as a committee.")
        )
    if not committee.path.startswith(area_path(association)):
        raise _refused_field(
            "committee",
            _("%(committee)s is outside the area of %(association)s.")
            % {"committee": committee.name, "association": association.name},
            E.ASSOCIATION_OUT_OF_SCOPE,
        )
    if committee.status != OrganisationStatus.ACTIVE:
        raise _refused_field("committee", _("%(name)s no longer works.") % {"name": committee.name})
    if AssociationMember.objects.filter(
        association=association, committee=committee, left__isnull=True
    ).exists():
        raise _refused_field(
            "committee",
            _("%(name)s is already a member of this association.") % {"name": committee.name},
            E.ASSOCIATION_MEMBER_EXISTS,
        )
    row = AssociationMember(
        association=association,
        association_path=association.path,
        committee=committee,
        joined=joined or timezone.localdate(),
    )
    return _add(actor, association, row, committee.name)


def mediator_join(
    *,
    actor: User,
    association: Organisation,
    mediator: Mediator,
    role: str = AssociationRole.MEMBER,
    joined: dt.date | None = None,
) -> AssociationMember:
    """A mediator serving in a committee of the area joins (个人会员) with an office."""
    _check_manager(actor, association)
    if role not in AssociationRole.values:
        raise _refused_field("role", _("Choose the member's office in the association."))
    if mediator.status == MediatorStatus.LEFT:
        raise _refused_field(
            "mediator",
            _("%(name)s has left mediation and cannot join an association.")
            % {"name": mediator.name},
        )
    serving = Membership.objects.filter(
        mediator=mediator, committee__path__startswith=area_path(association), until__isnull=True
    ).exists()
    if not serving:
        raise _refused_field(
            "mediator",
            _("%(name)s serves in no committee in the area of %(association)s.")
            % {"name": mediator.name, "association": association.name},
            E.ASSOCIATION_OUT_OF_SCOPE,
        )
    if AssociationMember.objects.filter(
        association=association, mediator=mediator, left__isnull=True
    ).exists():
        raise _refused_field(
            "mediator",
            _("%(name)s is already a member of this association.") % {"name": mediator.name},
            E.ASSOCIATION_MEMBER_EXISTS,
        )
    row = AssociationMember(
        association=association,
        association_path=association.path,
        mediator=mediator,
        role=role,
        joined=joined or timezone.localdate(),
    )
    return _add(actor, association, row, mediator.name)


def membership_end(
    *,
    actor: User,
    member: AssociationMember,
    left: dt.date | None = None,
    version: int | None = None,
) -> AssociationMember:
    """The member leaves on ``left`` (today if not given); the row stays as history."""
    association = member.association
    _check_manager(actor, association)
    left = left or timezone.localdate()
    with transaction.atomic():
        row = AssociationMember.objects.select_for_update().get(pk=member.pk)
        if version is not None and row.version != version:
            raise Conflict(
                E.STALE_VERSION,
                _("Someone changed this membership meanwhile: reload the page and try again."),
            )
        if row.left is not None:
            raise _refused_field(
                "left", _("This membership already ended on %(day)s.") % {"day": row.left}
            )
        if left < row.joined:
            raise _refused_field(
                "left",
                _("The day of leaving cannot be before the day of joining (%(day)s).")
                % {"day": row.joined},
            )
        row.left = left
        row.version += 1
        row.save(update_fields=["left", "version"])
        audit.record(
            EventType.ASSOCIATION_MEMBER_ENDED,
            actor=actor,
            obj=row,
            organisation=association,
            before={"left": None},
            after={"left": left.isoformat()},
        )
    return row
