"""What a reviewer sees of a sampled case file.

A reviewer from another committee has no right to the case's contents (``case_policy``), so the
review shows what the review itself needs and no more: the case's number, type, dates and how it
ended; which documents the file holds and lacks (``cases.casefile``); whether there is an
agreement, records, follow-up; the parties by surname only (张某), never their ID numbers, phones
or addresses; no narrative."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from tiaojie.accounts.roles import Capability
from tiaojie.cases import casefile
from tiaojie.cases.choices import CaseStatus, PartyRole
from tiaojie.cases.rules import case_policy
from tiaojie.cases.workflow import current_agreement
from tiaojie.reviews.selectors import presiding_mediators

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.cases.models import Case


def surname_only(name: str) -> str:
    """``王建华`` → ``王某``: enough to tell the parties apart, not to identify them."""
    name = name.strip()
    return f"{name[0]}某" if name else ""


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str


@dataclass(frozen=True)
class FileView:
    case: Case
    ended_as: str
    documents: list[Promise]
    missing: list[Promise]
    agreement_kind: str
    agreement_formed_on: dt.date | None
    agreement_effective_on: dt.date | None
    investigations: int
    sessions: int
    follow_ups: int
    last_follow_up: dt.date | None
    parties: list[PartyLine]
    presiding: str
    may_open_case: bool


def ended_as(case: Case) -> str:
    """How the case ended; for an archived file, the move before archiving."""
    return case.ended_as or case.status


def file_view(case: Case, viewer: User) -> FileView:
    ended = ended_as(case)
    agreement = current_agreement(case)
    follow_ups = list(case.follow_ups.order_by("visited_on").values_list("visited_on", flat=True))
    presiding = presiding_mediators([case.pk]).get(case.pk)
    return FileView(
        case=case,
        ended_as=str(CaseStatus(ended).label),
        documents=[item.title for item in casefile.contents(case)],
        missing=casefile.missing_documents(case),
        agreement_kind=agreement.get_kind_display() if agreement else "",
        agreement_formed_on=agreement.formed_on if agreement else None,
        agreement_effective_on=agreement.effective_on if agreement else None,
        investigations=case.investigations.count(),
        sessions=case.sessions.count(),
        follow_ups=len(follow_ups),
        last_follow_up=follow_ups[-1] if follow_ups else None,
        parties=[
            PartyLine(str(PartyRole(p.role).label), surname_only(p.name))
            for p in case.parties.order_by("role", "id")
        ],
        presiding=presiding.full_name if presiding else "",
        may_open_case=case_policy.allows(viewer, Capability.CASE_CONTENT, case),
    )
