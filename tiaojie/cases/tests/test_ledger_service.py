"""The ledger import service: a valid ledger becomes cases with the ledger's dates and numbers,
written through the services as a clerk's clicks would write them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.audit import chain
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases import ledger_write
from tiaojie.cases.choices import AgreementKind, CaseStatus, PartyKind, Performance
from tiaojie.cases.ledger_import import IMPORT_NOTE, ledger_import
from tiaojie.cases.models import Case, CaseNumberCounter
from tiaojie.cases.services import aftercare, agreements, records
from tiaojie.cases.services.intake import case_register
from tiaojie.cases.tests.factories import case_data, register
from tiaojie.cases.tests.ledger_files import (
    DIRECTOR,
    MEDIATOR,
    csv_bytes,
    many_rows,
    mixed_rows,
    table,
    xlsx,
    years_ago,
)
from tiaojie.cases.workflow import mediation_due_on, transition
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.core.imports import ImportInvalid
from tiaojie.core.models import OutboxEvent


@pytest.fixture
def director(db: None) -> User:
    return User.objects.get(username=p.DIRECTOR_A)


@pytest.fixture
def mediator(db: None) -> User:
    return User.objects.get(username=p.MEDIATOR_A)


def run(actor: User, rows: list[dict[str, object]], name: str = "台账.xlsx") -> list[Case]:
    return ledger_import(actor=actor, file=io.BytesIO(xlsx(table(rows))), file_name=name)


def by_summary(created: list[Case]) -> dict[str, Case]:
    return {case.summary: Case.objects.get(pk=case.pk) for case in created}


def test_a_ledger_of_mixed_outcomes_becomes_cases_in_their_final_states(director: User) -> None:
    cases = by_summary(run(director, mixed_rows()))

    statuses = {summary: case.status for summary, case in cases.items()}
    assert statuses == {
        "楼上漏水殃及楼下，双方就维修费用发生争执": CaseStatus.AGREED,
        "业主以电梯故障为由拒交物业费": CaseStatus.AGREED,
        "装修工程款结算争议": CaseStatus.FAILED,
        "夫妻因赡养老人问题争吵": CaseStatus.TERMINATED,
        "车辆剐蹭赔偿争议": CaseStatus.DECLINED,
        "工资结算争议": CaseStatus.IN_MEDIATION,
        "邻居间噪音纠纷": CaseStatus.AGREED,
    }
    leak = cases["楼上漏水殃及楼下，双方就维修费用发生争执"]
    assert (leak.dispute_type.code, leak.source, leak.amount) == (
        "neighbours",
        "application",
        Decimal("3000.00"),
    )
    assert leak.performance == Performance.PERFORMED
    assert sorted(m.mediator.full_name for m in leak.mediators.all()) == sorted(
        [MEDIATOR, DIRECTOR]
    )
    assert leak.mediators.get(is_presiding=True).mediator.full_name == MEDIATOR
    fee = cases["业主以电梯故障为由拒交物业费"]
    assert fee.parties.get(role="respondent").kind == PartyKind.ORGANISATION
    assert fee.amount == Decimal("1860.50")
    family = cases["夫妻因赡养老人问题争吵"]
    assert sorted(family.parties.values_list("name", flat=True)) == ["刘大山", "刘强", "刘芳"]
    assert family.people_involved == 3
    assert cases["邻居间噪音纠纷"].performance == Performance.PARTLY


def test_the_cases_keep_the_ledgers_dates(director: User) -> None:
    cases = by_summary(run(director, mixed_rows()))

    leak = cases["楼上漏水殃及楼下，双方就维修费用发生争执"]
    registered, agreed = years_ago(2, 3, 5), years_ago(2, 3, 12)
    assert timezone.localdate(leak.registered_at) == registered
    # The deadline the workflow gives a case accepted that day (a month later, moved past a
    # rest day by the bureau's rule), not one counted from the day of the import.
    assert (leak.accepted_on, leak.due_on, leak.closed_on) == (
        registered,
        mediation_due_on(leak.committee, registered),
        agreed,
    )
    assert leak.due_on is not None
    assert years_ago(2, 4, 5) <= leak.due_on <= years_ago(2, 4, 5) + dt.timedelta(days=9)
    agreement = leak.agreements.get()
    assert agreement.kind == AgreementKind.WRITTEN
    assert (agreement.formed_on, agreement.effective_on, agreement.sealed_on) == (agreed,) * 3
    assert set(agreement.signatures.values_list("signed_on", flat=True)) == {agreed}
    assert agreement.signatures.count() == 2
    session = leak.sessions.get()
    assert timezone.localdate(session.held_at) == agreed
    assert session.content.startswith(IMPORT_NOTE) and "当场履行" in session.content
    assert leak.performance_records.get().recorded_on == agreed
    moves = [(t.action, timezone.localdate(t.at)) for t in leak.transitions.all()]
    assert moves == [
        ("accept", registered),
        ("start_mediation", registered),
        ("reach_agreement", agreed),
    ]
    assert {timezone.localdate(m.assigned_at) for m in leak.mediators.all()} == {registered}

    oral = cases["业主以电梯故障为由拒交物业费"].agreements.get()
    assert (oral.kind, oral.effective_on) == (AgreementKind.ORAL, years_ago(2, 5, 20))
    failed = cases["装修工程款结算争议"]
    assert failed.closed_on == years_ago(2, 9, 20) and failed.routes_told
    assert failed.transitions.get(action="fail").reason == f"{IMPORT_NOTE}：已告知可向人民法院起诉"
    declined = cases["车辆剐蹭赔偿争议"]
    assert (declined.accepted_on, declined.closed_on) == (None, years_ago(1, 2, 14))
    assert declined.transitions.get().reason == f"{IMPORT_NOTE}：已由人民法院受理"
    assert cases["夫妻因赡养老人问题争吵"].closed_on == years_ago(1, 1, 25)
    open_case = cases["工资结算争议"]
    assert (open_case.closed_on, open_case.accepted_on) == (None, years_ago(1, 3, 1))


def test_numbers_follow_the_ledgers_years_and_dates_without_gaps(director: User) -> None:
    committee = p.org(p.COMMITTEE_A)
    two_years_ago, last_year = timezone.localdate().year - 2, timezone.localdate().year - 1
    created = run(director, mixed_rows())

    numbered = sorted(
        (timezone.localdate(c.registered_at), c.year, c.sequence, c.number) for c in created
    )
    assert [(year, sequence) for _day, year, sequence, _n in numbered] == [
        (two_years_ago, 1),
        (two_years_ago, 2),
        (two_years_ago, 3),
        (two_years_ago, 4),
        (last_year, 1),
        (last_year, 2),
        (last_year, 3),
    ]
    assert numbered[0][3] == f"（{two_years_ago}）{committee.short_name}人调字第1号"
    counter = CaseNumberCounter.objects.get(committee=committee, year=two_years_ago)
    assert counter.last == 4
    # A case registered in the app today continues this year's own sequence.
    today = register(director)
    assert today.year == timezone.localdate().year
    assert today.sequence == (Case.objects.filter(committee=committee, year=today.year).count())


def test_one_event_records_the_import_beside_the_services_own(director: User) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    created = run(director, mixed_rows(), name="东湖社区2024台账.xlsx")

    event = AuditEvent.objects.get(event_type=EventType.CASES_IMPORTED)
    assert event.actor == director
    assert event.organisation == p.org(p.COMMITTEE_A)
    after = event.after or {}
    assert after["file_name"] == "东湖社区2024台账.xlsx"
    assert (after["rows"], after["created"]) == (7, 7)
    registered = AuditEvent.objects.filter(event_type=EventType.CASE_REGISTERED, id__gt=before)
    assert registered.count() == len(created)
    assert (
        AuditEvent.objects.filter(event_type=EventType.AGREEMENT_SIGNED, id__gt=before).count() == 4
    )


def test_a_csv_ledger_imports_too(director: User) -> None:
    created = ledger_import(
        actor=director, file=io.BytesIO(csv_bytes(table(mixed_rows()))), file_name="台账.csv"
    )
    assert len(created) == 7


def test_progress_is_reported_before_writing_and_after_each_batch(
    mediator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_write, "BATCH_SIZE", 50)
    calls: list[tuple[int, int]] = []
    ledger_import(
        actor=mediator,
        rows=table(many_rows(120)),
        file_name="t.xlsx",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(0, 120), (50, 120), (100, 120), (120, 120)]


def test_a_mediator_imports_only_the_cases_they_mediated(mediator: User) -> None:
    rows = mixed_rows()
    with pytest.raises(ImportInvalid) as caught:
        run(mediator, rows)
    # Rows 2 (both mediators, the importer among them) and 6 (declined) pass; row 7 names only
    # the director.
    assert [(e.row, e.column) for e in caught.value.errors] == [(7, "调解员")]
    assert not Case.objects.filter(summary="工资结算争议").exists()


def test_a_role_that_does_not_handle_cases_may_not_import(db: None) -> None:
    grid = User.objects.get(username=p.GRID_A)
    with pytest.raises(NotPermitted):
        run(grid, mixed_rows())
    with pytest.raises(NotPermitted):
        run(User.objects.get(username=p.STREET), mixed_rows())


def test_the_same_ledger_twice_is_refused(director: User) -> None:
    run(director, mixed_rows())
    count = Case.objects.count()
    with pytest.raises(ImportInvalid) as caught:
        run(director, mixed_rows())
    assert len(caught.value.errors) == 7
    assert {e.column for e in caught.value.errors} == {"纠纷简要情况"}
    assert Case.objects.count() == count


def test_case_register_takes_a_past_registration_date_but_not_a_future_one(
    director: User,
) -> None:
    past = timezone.now() - dt.timedelta(days=800)
    case = case_register(actor=director, data=case_data(), registered_at=past)
    assert case.registered_at == past
    assert case.year == timezone.localdate(past).year
    with pytest.raises(ValidationFailed) as caught:
        case_register(
            actor=director, data=case_data(), registered_at=timezone.now() + dt.timedelta(hours=2)
        )
    assert "registered_at" in caught.value.fields


def _trail(case: Case) -> list[tuple[int, str, list[str], object, object]]:
    """A case's audit events as comparable across days: type, reason, the keys recorded and
    the status/action/signer values (ids and dates differ between two cases)."""
    events = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    out: list[tuple[int, str, list[str], object, object]] = []
    for event in events.order_by("seq"):
        after = event.after or {}
        out.append(
            (
                event.event_type,
                event.reason,
                sorted(after),
                (event.before or {}).get("status") or (event.before or {}).get("performance"),
                after.get("action") or after.get("status") or str(after.get("signed", ""))[:5],
            )
        )
    return out


def test_the_bulk_import_writes_what_the_services_write_case_by_case(director: User) -> None:
    """The same written agreement with its performance, once imported and once handled
    through the services: the same moves, audit events and domain events, in the same order."""
    first = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    imported = run(director, mixed_rows()[:1])[0]
    mediators = list(User.objects.filter(full_name__in=["李建国", "王秀兰"]).order_by("full_name"))
    middle = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    mediators = [m for name in ("李建国", "王秀兰") for m in mediators if m.full_name == name]
    case = register(director, narrative="", requests="", amount=Decimal("3000.00"))
    ids = [m.pk for m in mediators]
    case = transition(actor=director, case=case, action="accept", reason=IMPORT_NOTE)
    case = transition(
        actor=director,
        case=case,
        action="start_mediation",
        reason=IMPORT_NOTE,
        data={"mediator_ids": ids, "presiding_id": ids[0]},
    )
    today = timezone.localdate()
    records.session_add(
        actor=director,
        case=case,
        held_at=timezone.now(),
        place="台账未载明",
        parties_present="王建华、李秀英",
        recorder="李建国",
        content=IMPORT_NOTE,
    )
    agreements.agreement_draw_up(
        actor=director,
        case=case,
        kind=AgreementKind.WRITTEN,
        facts="事实",
        content="内容",
        performance_manner="台账未载明",
        formed_on=today,
    )
    for party in case.parties.all():
        agreements.agreement_sign(actor=director, case=case, party=party, signed_on=today)
    agreements.agreement_sign(actor=director, case=case, mediator=True, signed_on=today)
    agreements.agreement_sign(actor=director, case=case, seal=True, signed_on=today)
    closing = f"{IMPORT_NOTE}：当场履行"
    case = transition(actor=director, case=case, action="reach_agreement", reason=closing)
    aftercare.performance_record(
        actor=director, case=case, status=Performance.PERFORMED, recorded_on=today, note=IMPORT_NOTE
    )
    handled = Case.objects.get(pk=case.pk)
    imported = Case.objects.get(pk=imported.pk)

    assert _trail(imported) == _trail(handled)
    moves = [(t.action, t.from_status, t.to_status, t.reason) for t in imported.transitions.all()]
    assert moves == [
        (t.action, t.from_status, t.to_status, t.reason) for t in handled.transitions.all()
    ]
    assert [t.data for t in imported.transitions.all()][1] == {
        "mediator_ids": ids,
        "presiding_id": ids[0],
        "mediator_names": ["李建国", "王秀兰"],
    }
    names = list(OutboxEvent.objects.order_by("id").values_list("name", flat=True))
    ids_all = list(OutboxEvent.objects.order_by("id").values_list("id", flat=True))
    split = ids_all.index(next(i for i in ids_all if i > middle))
    start = ids_all.index(next(i for i in ids_all if i > first))
    assert names[start:split] == names[split:]
    assert (imported.status, imported.version, imported.performance) == (
        handled.status,
        handled.version,
        handled.performance,
    )


def test_the_import_keeps_the_audit_chain_whole_and_its_statements_few(director: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        created = ledger_import(actor=director, rows=table(many_rows(120)), file_name="t.xlsx")
    assert len(created) == 120
    assert list(chain.verify()) == []
    # Checking reads the types, the staff and the cases already registered, and the deadline
    # rule reads the calendar once per registration day (120 days here, a few hundred a year
    # in a real ledger); writing inserts each kind of row in one statement per batch of up to
    # 1,000 cases: far fewer statements than rows.
    sql = [q["sql"] for q in queries.captured_queries]
    calendar = [q for q in sql if "deadlines_" in q]
    assert len(calendar) <= 2 * 120
    assert len(sql) - len(calendar) < 60  # SQLite splits inserts at 999 parameters
