"""The case file (卷宗): which documents it needs given how the case ended, which are missing,
and which signatures an agreement still lacks. Completeness gates archiving."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.cases.choices import AgreementKind, CaseStatus, PartyKind

if TYPE_CHECKING:
    from tiaojie.cases.models import Agreement, Case


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


def required_documents(case: Case) -> list[str]:
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
        if case.sessions.exists():
            required |= {"rights_notice", "mediation_record"}
        if ended == CaseStatus.AGREED:
            required.add("agreement")
        if ended == CaseStatus.TERMINATED:
            required.add("termination_notice")
    required.add("back_cover")
    return [item.key for item in CONTENTS if item.key in required]


def present_documents(case: Case) -> set[str]:
    """The documents the case data can produce or the attachments hold now."""
    present = {"application", "back_cover"}
    if case.status in {CaseStatus.DECLINED} or case.decline_reason:
        present.add("decline_notice")
    if case.sessions.filter(rights_told=True).exists():
        present.add("rights_notice")
    people = case.parties.filter(kind=PartyKind.PERSON)
    identified = all(p.id_number for p in people) if people.exists() else True
    if identified or case.attachments.filter(kind="identity").exists():
        present.add("identity")
    if case.investigations.exists():
        present.add("investigation")
    if case.attachments.filter(kind="evidence").exists():
        present.add("evidence")
    if case.sessions.exists():
        present.add("mediation_record")
    if case.agreements.filter(superseded_at__isnull=True, effective_on__isnull=False).exists():
        present.add("agreement")
    if case.end_reason:
        present.add("termination_notice")
    if case.follow_ups.exists():
        present.add("follow_up")
    if case.confirmations.exists():
        present.add("confirmation")
    return present


def missing_documents(case: Case) -> list[Promise]:
    present = present_documents(case)
    return [TITLES[key] for key in required_documents(case) if key not in present]


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
