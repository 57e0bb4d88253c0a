"""A case's history as one list in time order: moves, records, signatures, the court's
ruling, visits and files. Records that carry only a date sort after that day's timed events,
except signatures, which come right after the agreement they sign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.choices import CaseStatus, ConfirmationOutcome
from tiaojie.cases.models import Agreement, Case
from tiaojie.cases.reads import load_history
from tiaojie.cases.workflow import Action

# What happened, in the words of a record rather than of the button that did it.
DONE = {
    "accept": _("Accepted"),
    "decline": _("Declined"),
    "start_mediation": _("Mediation started"),
    "reach_agreement": _("Agreement reached"),
    "fail": _("Mediation failed"),
    "terminate": _("Mediation terminated"),
    "resume": _("Mediation resumed"),
    "archive": _("Archived"),
    "extend": _("Mediation period extended"),
    "mediator_withdraw": _("Mediator withdrew"),
    "mediator_add": _("Mediator added"),
    "route": _("Routed to a committee"),
    "return": _("Returned to the governance centre"),
    "transfer": _("Transferred to another committee"),
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline. ``at`` is a datetime when the time is known, else a date."""

    at: dt.datetime | dt.date
    sort_key: dt.datetime
    kind: str
    title: str | Promise
    detail: str | Promise = ""
    actor: str = ""
    status: str = ""  # the status a move led to

    @property
    def status_label(self) -> str:
        return str(CaseStatus(self.status).label) if self.status else ""

    @property
    def status_tag(self) -> str:
        """The status tag beside the title, unless it only repeats it (已受理 已受理)."""
        label = self.status_label
        return "" if label == str(self.title) else label

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, dt.datetime)


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _dated(
    day: dt.date, kind: str, title: str | Promise, detail: str = "", actor: str = ""
) -> Entry:
    return Entry(day, _end_of(day), kind, title, detail, actor)


def _signatures(agreement: Agreement) -> list[Entry]:
    def at(day: dt.date) -> dt.datetime:
        return max(agreement.created_at, _start_of(day))

    entries = [
        Entry(
            s.signed_on,
            at(s.signed_on),
            "signature",
            _("Signed by %(name)s") % {"name": s.party.name},
            _("fingerprinted") if s.fingerprinted else "",
        )
        for s in agreement.signatures.all()
    ]
    if agreement.mediator_signed_on:
        day = agreement.mediator_signed_on
        entries.append(Entry(day, at(day), "signature", _("Signed by the mediator")))
    if agreement.sealed_on:
        day = agreement.sealed_on
        entries.append(Entry(day, at(day), "signature", _("Committee seal applied")))
    return entries


def timeline(case: Case) -> list[Entry]:
    """Everything that happened on ``case``, oldest first. Its records stay held on ``case``
    for the rest of its page, which lists its confirmations and attachments too (ADR 0070),
    read by the compiled reads of ``cases.reads.load_history`` (ADR 0074)."""
    load_history(case)
    entries = [
        Entry(
            case.registered_at,
            case.registered_at,
            "register",
            _("Registered"),
            actor=(
                case.registered_by.full_name if case.registered_by else str(_("Online application"))
            ),
        )
    ]
    for t in case.transitions.all():
        title = DONE.get(t.action) or (
            Action(t.action).label if t.action in Action.values else None
        )
        detail = t.reason
        if t.data.get("mediator_names"):
            detail = "、".join(t.data["mediator_names"]) + (f" · {detail}" if detail else "")
        if t.action == "extend" and t.data.get("until"):
            until = formats.date_format(dt.date.fromisoformat(t.data["until"]), "DATE_FORMAT")
            detail = _("until %(day)s") % {"day": until} + f" · {t.reason}"
        if t.action in ("route", "transfer") and t.data.get("committee_name"):
            detail = t.data["committee_name"] + (f" · {detail}" if detail else "")
        status = t.to_status if t.to_status != t.from_status else ""
        entries.append(Entry(t.at, t.at, "move", title or t.action, detail, t.actor_name, status))
    for r in case.investigations.all():
        entries.append(
            Entry(
                r.held_at,
                r.held_at,
                "investigation",
                _("Investigation: %(person)s") % {"person": r.interviewee},
                r.place,
                r.created_by.full_name,
            )
        )
    for s in case.sessions.all():
        entries.append(
            Entry(
                s.held_at,
                s.held_at,
                "session",
                _("Mediation session"),
                f"{s.place} · {s.parties_present}",
                s.created_by.full_name,
            )
        )
    for a in case.agreements.all():
        entries.append(
            Entry(
                a.created_at,
                a.created_at,
                "agreement",
                _("%(kind)s %(number)s drawn up")
                % {"kind": a.get_kind_display(), "number": a.number},
                a.performance_manner,
                a.created_by.full_name,
            )
        )
        entries.extend(_signatures(a))
    for p in case.performance_records.all():
        entries.append(_dated(p.recorded_on, "performance", p.get_status_display(), p.note))
    for c in case.confirmations.all():
        entries.append(
            _dated(c.applied_on, "confirmation", _("Judicial confirmation applied for"), c.court)
        )
        if c.outcome != ConfirmationOutcome.PENDING and c.decided_on:
            entries.append(
                _dated(
                    c.decided_on,
                    "confirmation",
                    _("Court ruling: %(outcome)s") % {"outcome": c.get_outcome_display()},
                    c.ruling_number,
                )
            )
    for v in case.follow_ups.all():
        entries.append(
            _dated(
                v.visited_on,
                "follow_up",
                _("Follow-up (%(method)s): %(party)s")
                % {"method": v.get_method_display(), "party": v.party_visited},
                f"{v.get_performance_display()} · {v.get_satisfaction_display()}",
                v.visitor.full_name,
            )
        )
    for f in case.attachments.all():
        entries.append(
            Entry(
                f.uploaded_at,
                f.uploaded_at,
                "attachment",
                _("File attached: %(title)s") % {"title": f.title},
                f.get_kind_display(),
                f.uploaded_by.full_name,
            )
        )
    return sorted(entries, key=lambda e: e.sort_key)
