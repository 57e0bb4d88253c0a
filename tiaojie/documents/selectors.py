"""Which documents a case has, in the order of its file (卷内目录), and the record behind a
one-per-record document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from tiaojie.cases import casefile
from tiaojie.cases.choices import AgreementKind, CaseSource, CaseStatus
from tiaojie.documents.formatting import cn_date
from tiaojie.documents.kinds import OFFICIAL_TITLES, PER_RECORD, RECORD_REQUIRED, Kind

if TYPE_CHECKING:
    from django.db import models

    from tiaojie.cases.models import Agreement, Case

PRINTED_AHEAD = frozenset({CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION})
APPLIED = frozenset({CaseSource.APPLICATION, CaseSource.ONLINE})
# Contents items kept on paper (identity papers, evidence): listed in the contents list,
# not generated.
ON_PAPER = {"identity": "当事人身份证明", "evidence": "证据材料"}
PAPER_NOTE = "纸质另附"
# An online applicant gave their name and ID number on the phone (the real-name step, its check
# digit and region code checked, audited): that record is their proof, not a paper copy
# (docs/decisions/0037). The other parties' proofs are papers the committee keeps.
ONLINE_IDENTITY_NOTE = "申请人：网上实名认证记录；其他当事人：纸质另附"


@dataclass(frozen=True)
class DocRef:
    """One generated document of a case: its kind and, for one-per-record kinds, the record."""

    kind: Kind
    record_id: int | None = None
    when: str = ""  # the record's date, to tell records of one kind apart

    @property
    def title(self) -> str:
        base = OFFICIAL_TITLES[self.kind]
        return f"{base}（{self.when}）" if self.when else base


@dataclass(frozen=True)
class Entry:
    """One line of the contents list: a generated document, or papers kept in the file."""

    title: str
    doc: DocRef | None = None
    note: str = ""


def _agreement_ref(agreement: Agreement) -> DocRef:
    kind = Kind.ORAL_AGREEMENT if agreement.kind == AgreementKind.ORAL else Kind.AGREEMENT
    return DocRef(kind, agreement.pk, cn_date(agreement.formed_on))


def _refs_for(case: Case, key: str) -> list[DocRef]:
    if key == "application":
        applied = [DocRef(Kind.APPLICATION)] if case.source in APPLIED else []
        if case.status == CaseStatus.DECLINED and applied:
            return applied  # a declined dispute was never registered as accepted
        return [*applied, DocRef(Kind.REGISTRATION)]
    if key == "investigation":
        return [
            DocRef(Kind.INVESTIGATION, r.pk, cn_date(r.held_at)) for r in case.investigations.all()
        ]
    if key == "mediation_record":
        return [
            DocRef(Kind.MEDIATION_RECORD, s.pk, cn_date(s.held_at)) for s in case.sessions.all()
        ]
    if key == "agreement":
        return [_agreement_ref(a) for a in case.agreements.all()]
    if key == "follow_up":
        return [DocRef(Kind.FOLLOW_UP, f.pk, cn_date(f.visited_on)) for f in case.follow_ups.all()]
    if key == "confirmation":
        return [
            DocRef(Kind.CONFIRMATION_APPLICATION, c.pk, cn_date(c.applied_on))
            for c in case.confirmations.all()
        ]
    return [DocRef(Kind(key))]


def file_entries(case: Case) -> list[Entry]:
    """The contents list of the case file between the contents page and the back cover, in the
    official order (``casefile.contents``)."""
    entries: list[Entry] = []
    for item in casefile.contents(case):
        if item.key == "back_cover":
            continue
        if item.key in ON_PAPER:
            online = item.key == "identity" and case.source == CaseSource.ONLINE
            note = ONLINE_IDENTITY_NOTE if online else PAPER_NOTE
            entries.append(Entry(ON_PAPER[item.key], note=note))
            continue
        entries += [Entry(ref.title, ref) for ref in _refs_for(case, item.key)]
    return entries


def available(case: Case) -> list[DocRef]:
    """Every document that can be generated now, in file order: cover, contents list, the
    file's documents, a draft agreement awaiting signatures, and the back cover."""
    refs = [DocRef(Kind.COVER), DocRef(Kind.CONTENTS)]
    refs += [entry.doc for entry in file_entries(case) if entry.doc is not None]
    if case.status in PRINTED_AHEAD and DocRef(Kind.RIGHTS_NOTICE) not in refs:
        # Told before the first session, and signed by the parties on paper.
        leading = {Kind.COVER, Kind.CONTENTS, Kind.APPLICATION, Kind.REGISTRATION}
        after = max(i for i, ref in enumerate(refs) if ref.kind in leading)
        refs.insert(after + 1, DocRef(Kind.RIGHTS_NOTICE))
    draft = case.agreements.filter(superseded_at__isnull=True, effective_on__isnull=True).first()
    if draft is not None:
        # Printed before it takes effect: the parties sign and fingerprint the paper.
        refs.append(_agreement_ref(draft))
    return [*refs, DocRef(Kind.BACK_COVER)]


def record_for(case: Case, kind: Kind, record_id: int | None) -> models.Model | None:
    """The record a one-per-record document is about, within this case; 404 otherwise."""
    if kind not in PER_RECORD:
        if record_id is not None:
            raise Http404
        return None
    if record_id is None and kind in RECORD_REQUIRED:
        raise Http404
    related = {
        Kind.INVESTIGATION: case.investigations.all(),
        Kind.MEDIATION_RECORD: case.sessions.all(),
        Kind.FOLLOW_UP: case.follow_ups.all(),
        Kind.CONFIRMATION_APPLICATION: case.confirmations.all(),
        Kind.AGREEMENT: case.agreements.filter(kind=AgreementKind.WRITTEN),
        Kind.ORAL_AGREEMENT: case.agreements.filter(kind=AgreementKind.ORAL),
    }[kind]
    if record_id is None:  # an agreement: the current one
        record = related.filter(superseded_at__isnull=True).first()
    else:
        record = related.filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record
