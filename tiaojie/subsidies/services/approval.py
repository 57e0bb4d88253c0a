"""Approval of a sheet up the chain on the transition engine (``core.transitions``): the
committee's director submits, the justice office above approves, the bureau approves and
records the payment, which locks the sheet. An approver may return it with a comment; a sheet
whose cases moved since it was computed (``stale``) is neither submitted nor approved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.core.errors import Conflict, NotPermitted
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.subsidies.choices import SheetAction as A
from tiaojie.subsidies.choices import SheetStatus as S
from tiaojie.subsidies.error_codes import SubsidiesErrorCode as E
from tiaojie.subsidies.models import SheetTransition, SubsidySheet

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

BUREAUS = frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU})


def has_office_above(sheet: SubsidySheet) -> bool:
    return Organisation.objects.filter(
        pk__in=path_ids(sheet.committee_path), kind=OrganisationKind.JUSTICE_OFFICE
    ).exists()


def _kind(actor: User) -> str:
    return str(actor.organisation.kind)


def may(actor: User, sheet: SubsidySheet, action: str) -> bool:
    """Whether the actor's place in the chain makes this move theirs (scope and capability are
    checked by the engine)."""
    kind = _kind(actor)
    if action == A.SUBMIT:
        return actor.can("subsidy.prepare") and actor.organisation_id == sheet.committee_id
    if not actor.can("subsidy.approve"):
        return False
    if action == A.OFFICE_APPROVE:
        # A committee with no justice office above it (a sectoral one under the bureau) has
        # its first approval from the bureau.
        return kind == OrganisationKind.JUSTICE_OFFICE or (
            kind in BUREAUS and not has_office_above(sheet)
        )
    if action in (A.BUREAU_APPROVE, A.PAY):
        return kind in BUREAUS
    if action == A.RETURN:
        if kind == OrganisationKind.JUSTICE_OFFICE:
            return sheet.status == S.SUBMITTED
        return kind in BUREAUS
    return False


def _permit(actor: User, sheet: SubsidySheet, move: transitions.Move[SubsidySheet]) -> None:
    if not may(actor, sheet, str(move.action)):
        raise NotPermitted(E.NOT_PERMITTED, _("This step of the approval is not yours."))


def _fresh(sheet: SubsidySheet, actor: User, data: dict[str, Any]) -> None:
    if sheet.computed_at is None:
        raise Conflict(E.NOT_COMPUTED, _("Compute the sheet first."))
    if sheet.stale:
        raise Conflict(
            E.STALE_SHEET,
            _(
                "A case of this month changed after the sheet was computed: it must be "
                "computed again (return it to the committee) before it goes further."
            ),
        )


def _paid(sheet: SubsidySheet, actor: User, data: dict[str, Any]) -> None:
    sheet.paid_on = timezone.localdate()


MOVES: dict[str, transitions.Move[SubsidySheet]] = {
    str(move.action): move
    for move in [
        transitions.Move(A.SUBMIT, frozenset({S.DRAFT}), S.SUBMITTED, None, guard=_fresh),
        transitions.Move(
            A.OFFICE_APPROVE, frozenset({S.SUBMITTED}), S.OFFICE_APPROVED, None, guard=_fresh
        ),
        transitions.Move(
            A.BUREAU_APPROVE,
            frozenset({S.OFFICE_APPROVED}),
            S.BUREAU_APPROVED,
            None,
            guard=_fresh,
        ),
        transitions.Move(A.PAY, frozenset({S.BUREAU_APPROVED}), S.PAID, None, apply=_paid),
        transitions.Move(
            A.RETURN,
            frozenset({S.SUBMITTED, S.OFFICE_APPROVED, S.BUREAU_APPROVED}),
            S.DRAFT,
            None,
            needs_reason=True,
        ),
    ]
}


def _record(
    actor: User,
    sheet: SubsidySheet,
    move: transitions.Move[SubsidySheet],
    before: str,
    reason: str,
    recorded: dict[str, Any],
) -> None:
    audit.record(
        EventType.SUBSIDY_SHEET_MOVED,
        actor=actor,
        organisation=sheet.committee,
        obj=sheet,
        reason=reason,
        before={"status": before},
        after={"status": sheet.status, "action": str(move.action), "total": sheet.total},
    )


def _illegal(status: str, move: transitions.Move[SubsidySheet]) -> str:
    return _("Not possible while the sheet is “%(status)s”.") % {"status": S(status).label}


WORKFLOW: transitions.Workflow[SubsidySheet] = transitions.Workflow(
    name="subsidy_sheet",
    model=SubsidySheet,
    moves=MOVES,
    log=SheetTransition,
    log_field="sheet",
    scope=lambda actor, sheet: sheet.committee_path.startswith(actor.organisation.path),
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This sheet is not in your area."),
        not_allowed=gettext_lazy("This step of the approval is not yours."),
        illegal=_illegal,
    ),
    record=_record,
    subject=lambda sheet: {
        "sheet_id": sheet.pk,
        "committee_id": sheet.committee_id,
        "month": sheet.month.isoformat(),
    },
    lock=lambda pk: (
        SubsidySheet.objects.select_for_update(of=("self",)).select_related("committee").get(pk=pk)
    ),
    permit=_permit,
)


@transaction.atomic
def sheet_transition(
    *, actor: User, sheet: SubsidySheet, action: str, reason: str = "", version: int | None = None
) -> SubsidySheet:
    """Submit, approve, pay or return a sheet, or refuse and change nothing; publishes
    ``subsidy_sheet.moved``."""
    return WORKFLOW.move(
        actor=actor, obj=sheet, action=action, reason=reason.strip(), version=version
    )


def allowed_actions(sheet: SubsidySheet, user: User) -> list[str]:
    return [str(a) for a in WORKFLOW.allowed(sheet, user, lambda u, s, m: may(u, s, str(m.action)))]
