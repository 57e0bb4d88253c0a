"""The case file (卷宗): which documents it needs given how the case ended, which are missing,
and which signatures an agreement still lacks. Completeness gates archiving."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.db.models import Exists, OuterRef
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.cases.choices import AgreementKind, CaseStatus, PartyKind
from tiaojie.cases.models import (
    Agreement,
    Attachment,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    MediationSession,
    Party,
)

if TYPE_CHECKING:
    from tiaojie.cases.models import Case


@dataclass(frozen=True)
class Item:
    """One line of the contents list (卷内目录), in its official order."""

    key: str
    title: Promise


CONTENTS: tuple[Item, ...] = (
    Item("application", gettext_lazy("Application / registration form")),
    Item("rights_notice", gettext_lazy("Notice of parties' rights and duties")),
    Item("identity", gettext_lazy("Proof of the parties' identity")),
    Item("decline_notice", gettext_lazy("Notice of declining")),
    Item("investigation", gettext_lazy("Investigation records")),
    Item("evidence", gettext_lazy("Evidence")),
    Item("mediation_record", gettext_lazy("Mediation records")),
    Item("agreement", gettext_lazy("Mediation agreement / oral agreement register")),
    Item("termination_notice", gettext_lazy("Notice of termination")),
    Item("follow_up", gettext_lazy("Follow-up records")),
    Item("confirmation", gettext_lazy("Judicial confirmation papers")),
    Item("back_cover", gettext_lazy("Back cover")),
)
TITLES = {item.key: item.title for item in CONTENTS}


def _final_status(case: Case) -> str:
    """How the case ended (an archived case ended as its last move before archiving)."""
    return case.ended_as or case.status


def required_documents(case: Case, facts: dict[str, bool] | None = None) -> list[str]:
    """The documents a complete file of this case must hold, by the path the case took.

    - declined: the application, the notice of declining;
    - every accepted case: the application and the parties' identity;
    - mediation held (at least one session, whatever the end): the rights-and-duties notice
      (told before the first session) and the mediation records; a case terminated before any
      session was held was never mediated, so it has neither and needs neither;
    - agreed (written or oral): the agreement or the oral agreement's register;
    - terminated: the notice of termination.
    """
    ended = _final_status(case)
    if ended == CaseStatus.DECLINED:
        required = {"application", "decline_notice"}
    else:
        required = {"application", "identity"}
        if (facts or _facts(case))["sessions"]:
            required |= {"rights_notice", "mediation_record"}
        if ended == CaseStatus.AGREED:
            required.add("agreement")
        if ended == CaseStatus.TERMINATED:
            required.add("termination_notice")
    required.add("back_cover")
    return [item.key for item in CONTENTS if item.key in required]


# The names of the facts and the rows each one asks for: every one an EXISTS on the case.
def _conditions() -> dict[str, Exists]:
    def of(model: Any, **where: Any) -> Exists:
        return Exists(model.objects.filter(case=OuterRef("pk"), **where))

    return {
        "sessions": of(MediationSession),
        "rights_told": of(MediationSession, rights_told=True),
        "people": of(Party, kind=PartyKind.PERSON),
        "identity_attached": of(Attachment, kind="identity"),
        "investigations": of(InvestigationRecord),
        "evidence": of(Attachment, kind="evidence"),
        "agreement": of(Agreement, superseded_at__isnull=True, effective_on__isnull=False),
        "follow_ups": of(FollowUp),
        "confirmations": of(JudicialConfirmation),
    }


FACTS = (
    "sessions",
    "rights_told",
    "people",
    "identity_attached",
    "investigations",
    "evidence",
    "agreement",
    "follow_ups",
    "confirmations",
)
# A case id no row has: it marks where the case's id goes among the compiled query's
# parameters.
_ANY_CASE = -7_301_033


@functools.cache
def _facts_sql(model: type[Case], alias: str) -> tuple[str, tuple[Any, ...], int] | None:
    """The facts query compiled once per process and database: building nine EXISTS
    subqueries through the ORM cost more than running them (ADR 0047). None if the case's id
    is not found exactly once among the parameters (then the ORM builds it every time)."""
    query = (
        model.objects.using(alias)
        .filter(pk=_ANY_CASE)
        .annotate(**{f"f_{name}": condition for name, condition in _conditions().items()})
        .values(*(f"f_{name}" for name in FACTS))
        .query
    )
    sql, params = query.get_compiler(alias).as_sql()
    if list(params).count(_ANY_CASE) != 1:
        return None
    return sql, tuple(params), list(params).index(_ANY_CASE)


def _facts(case: Case) -> dict[str, bool]:
    """What the file's completeness depends on beyond the case row, in one query (each an
    EXISTS), rather than one query per document."""
    alias = case._state.db or router.db_for_read(type(case))
    compiled = _facts_sql(type(case), alias)
    if compiled is None:
        row = (
            type(case)
            .objects.using(alias)
            .filter(pk=case.pk)
            .annotate(**{f"f_{name}": condition for name, condition in _conditions().items()})
            .values_list(*(f"f_{name}" for name in FACTS))
            .first()
        )
    else:
        sql, params, at = compiled
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, (*params[:at], case.pk, *params[at + 1 :]))
            row = cursor.fetchone()
    return dict(zip(FACTS, (bool(v) for v in row or ()), strict=False))


def registered_facts(case: Case) -> dict[str, bool]:
    """The facts of a case registered by this very request, from what it holds: registration
    (``intake.case_register``) writes the case and its parties (kept prefetched) and nothing
    else the file counts, so there is nothing to ask the database."""
    people = any(p.kind == PartyKind.PERSON for p in case.parties.all())
    return {name: name == "people" and people for name in FACTS}


def present_documents(case: Case, facts: dict[str, bool] | None = None) -> set[str]:
    """The documents the case data can produce or the attachments hold now."""
    facts = facts or _facts(case)
    present = {"application", "back_cover"}
    if case.status in {CaseStatus.DECLINED} or case.decline_reason:
        present.add("decline_notice")
    if facts["rights_told"]:
        present.add("rights_notice")
    identified = True
    if facts["people"]:
        # ID numbers are encrypted: only the rows can tell whether each person has one.
        identified = all(p.id_number for p in case.parties.all() if p.kind == PartyKind.PERSON)
    if identified or facts["identity_attached"]:
        present.add("identity")
    for key, fact in (
        ("investigation", "investigations"),
        ("evidence", "evidence"),
        ("mediation_record", "sessions"),
        ("agreement", "agreement"),
        ("follow_up", "follow_ups"),
        ("confirmation", "confirmations"),
    ):
        if facts[fact]:
            present.add(key)
    if case.end_reason:
        present.add("termination_notice")
    return present


def missing_documents(case: Case, facts: dict[str, bool] | None = None) -> list[Promise]:
    """The documents the file still lacks; ``facts``: from ``registered_facts`` when the
    caller holds them."""
    facts = facts or _facts(case)
    present = present_documents(case, facts)
    return [TITLES[key] for key in required_documents(case, facts) if key not in present]


def contents(case: Case) -> list[Item]:
    """The contents list of this case's file, in the official order."""
    present = present_documents(case)
    return [item for item in CONTENTS if item.key in present]


def missing_signatures(agreement: Agreement) -> list[str]:
    """What a written agreement still needs before it takes effect (art. 29)."""
    if agreement.kind == AgreementKind.ORAL:
        return []
    signed = set(agreement.signatures.values_list("party_id", flat=True))
    missing = [
        _("the signature of %(name)s") % {"name": party.name}
        for party in agreement.case.parties.all()
        if party.pk not in signed
    ]
    if agreement.mediator_signed_on is None:
        missing.append(_("the mediator's signature"))
    if agreement.sealed_on is None:
        missing.append(_("the committee's seal"))
    return missing
