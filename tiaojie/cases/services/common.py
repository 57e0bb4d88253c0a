"""Checks shared by the case services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy, may_work_on
from tiaojie.core.errors import Conflict, NotPermitted, field_error

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def lock_case(actor: User, case: Case, *, capability: Capability = Capability.CASE_HANDLE) -> Case:
    """The case row, locked for this transaction, once the actor may work on it."""
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    )
    if not case_policy.allows(actor, Capability.CASE_CONTENT, locked):
        raise NotPermitted(E.NOT_PERMITTED, _("This case is outside your scope."))
    if locked.status == CaseStatus.QUEUED:
        capability = Capability.CASE_ROUTE  # a governance centre corrects what it received
    if not actor.can(capability) or not may_work_on(actor, locked):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this to this case."))
    return locked


def not_future(day: dt.date, field_name: str) -> None:
    """A date the user gives for something that has happened cannot lie ahead."""
    if day > timezone.localdate():
        raise field_error(field_name, _("The date cannot be in the future."))


def require_status(case: Case, *statuses: CaseStatus) -> None:
    if case.status not in statuses:
        raise Conflict(
            E.ILLEGAL_STATE,
            _("Not possible while the case is “%(status)s”.")
            % {"status": CaseStatus(case.status).label},
        )


def check_version(case: Case, version: int | None) -> None:
    if version is not None and case.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed this case while you were working on it. Reload to see it."),
        )


def bump(case: Case) -> None:
    """Every change to a case or its records moves its version on, so stale forms are caught."""
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
