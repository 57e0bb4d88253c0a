"""The reads every answer about a case makes, compiled once per process and database
(``core.compiled``, ADR 0062): its parties, its active mediators, its agreement in force, the
records of its history that its page lists (ADR 0074); and the dispute type a registration
through the API names by its code.
Building each through the ORM cost about what running it does, on every API answer and every
move's guard."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, router
from django.db.models import QuerySet, prefetch_related_objects

from tiaojie.cases.models import (
    Agreement,
    Attachment,
    Case,
    CaseMediator,
    CaseTransition,
    DisputeType,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    MediationSession,
    Party,
    PerformanceRecord,
)
from tiaojie.core.bulk import set_prefetched
from tiaojie.core.compiled import compiled_query

R = TypeVar("R", Party, CaseMediator, Agreement)

# A value no case id has: where it lands among a compiled query's parameters is where the
# case's id goes.
CASE = {"case": -731_003}
# A code no dispute type has, for the same purpose.
CODE = {"code": "-dispute-type-sentinel-731003-"}


@compiled_query(CASE)
def _parties(alias: str) -> QuerySet[Party]:
    return Party.objects.using(alias).filter(case_id=CASE["case"])


@compiled_query(CASE)
def _mediators(alias: str) -> QuerySet[CaseMediator]:
    return (
        CaseMediator.objects.using(alias)
        .filter(case_id=CASE["case"], withdrawn_at__isnull=True)
        .select_related("mediator")
    )


@compiled_query(CASE)
def _agreement(alias: str) -> QuerySet[Agreement]:
    # The model's ordering, as ``first()`` read it.
    return Agreement.objects.using(alias).filter(case_id=CASE["case"], superseded_at__isnull=True)[
        :1
    ]


def _alias(case: Case) -> str:
    return case._state.db or router.db_for_read(Case)


def _of(case: Case, rows: list[R]) -> list[R]:
    """Each row knows its case, as rows read through ``case.<relation>`` do: reading
    ``row.case`` then asks nothing more."""
    for row in rows:
        row.case = case
    return rows


def load_parties(case: Case) -> None:
    """Hold the case's parties as ``case.parties.all()`` (as ``prefetch_related`` would),
    unless they are held already."""
    if "parties" in getattr(case, "_prefetched_objects_cache", {}):
        return
    set_prefetched(case, "parties", _of(case, _parties(_alias(case)).all({"case": case.pk})))


def active_mediators(case: Case) -> list[CaseMediator]:
    """The mediators working on the case (not withdrawn), each with its user."""
    return _of(case, _mediators(_alias(case)).all({"case": case.pk}))


def current_agreement(case: Case) -> Agreement | None:
    """The agreement in force: the first not superseded (there is at most one). Taken from
    the case's agreements when its page holds them (``load_history``), in the same order."""
    held = getattr(case, "_prefetched_objects_cache", {}).get("agreements")
    if held is not None:
        return next((a for a in held if a.superseded_at is None), None)
    found = _of(case, _agreement(_alias(case)).all({"case": case.pk}))
    return found[0] if found else None


@compiled_query(CODE)
def _dispute_type(alias: str) -> QuerySet[DisputeType]:
    return DisputeType.objects.using(alias).filter(code=CODE["code"]).order_by()


def dispute_type(code: str) -> DisputeType | None:
    """The dispute type of ``code`` (codes are unique), or None. Whether it may be used on the
    day is the registration's to check."""
    found = _dispute_type(router.db_for_read(DisputeType)).all({"code": code})
    return found[0] if found else None


# What a case's page lists of its history: the relation, its model and who wrote each row.
HISTORY: dict[str, tuple[type[models.Model], str | None]] = {
    "transitions": (CaseTransition, None),
    "investigations": (InvestigationRecord, "created_by"),
    "sessions": (MediationSession, "created_by"),
    "agreements": (Agreement, "created_by"),
    "performance_records": (PerformanceRecord, None),
    "confirmations": (JudicialConfirmation, None),
    "follow_ups": (FollowUp, "visitor"),
    "attachments": (Attachment, "uploaded_by"),
}


@compiled_query(CASE)
def _history(alias: str, relation: str) -> QuerySet[Any]:
    model, writer = HISTORY[relation]
    queryset = model._default_manager.using(alias).filter(case_id=CASE["case"])
    return queryset.select_related(writer) if writer else queryset


def load_history(case: Case) -> None:
    """Hold each relation of ``HISTORY`` on ``case`` as ``case.<relation>.all()`` (in the
    model's order, the writer joined), its parties (``load_parties``), and each agreement's
    signatures, each with its party from those: nine compiled reads and one more where there
    are agreements, where building them through the ORM cost a case page about as much as
    running them. The page's agreement in force, parties and missing signatures then read
    what is held (ADR 0074)."""
    alias = _alias(case)
    for relation in HISTORY:
        if relation not in getattr(case, "_prefetched_objects_cache", {}):
            rows = _history(alias, relation).all({"case": case.pk})
            set_prefetched(case, relation, _of(case, rows))
    load_parties(case)
    agreements = list(case.agreements.all())
    if agreements:
        prefetch_related_objects(agreements, "signatures")
        parties = {party.pk: party for party in case.parties.all()}
        for agreement in agreements:
            for signature in agreement.signatures.all():
                if signature.party_id in parties:  # a party of this case, as it must be
                    signature.party = parties[signature.party_id]
