"""The whole lifecycle through the services, and the law's rules along the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases import casefile
from tiaojie.cases.choices import CaseStatus, PartyRole
from tiaojie.cases.models import Case, Party
from tiaojie.cases.services import aftercare, agreements, intake, records
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed


def test_a_case_goes_from_intake_to_archive(world: World) -> None:
    mediator = world.user("demo_mediator")
    director = world.user("demo_director")
    case = f.register(mediator)
    assert case.number == f"（{timezone.localdate().year}）东湖社区人调字第1号"
    assert case.status == CaseStatus.REGISTERED
    case = f.to_agreement(mediator, case)
    assert case.status == CaseStatus.AGREED and case.closed_on == timezone.localdate()
    aftercare.follow_up_add(
        actor=mediator,
        case=case,
        visited_on=timezone.localdate(),
        method="phone",
        party_visited="王建华",
        performance="performed",
        satisfaction="satisfied",
    )
    with pytest.raises(NotPermitted):  # archiving is the director's
        transition(actor=mediator, case=case, action="archive")
    case = transition(actor=director, case=Case.objects.get(pk=case.pk), action="archive")
    assert case.status == CaseStatus.ARCHIVED and case.performance == "performed"
    actions = list(case.transitions.values_list("action", flat=True))
    assert actions == ["accept", "start_mediation", "reach_agreement", "archive"]
    assert (
        AuditEvent.objects.filter(event_type=EventType.CASE_MOVED, object_id=str(case.pk)).count()
        == 4
    )


def test_numbers_run_per_committee_per_year(world: World) -> None:
    a1 = f.register(world.user("demo_mediator"))
    a2 = f.register(world.user("demo_director"))
    b1 = f.register(world.user("demo_mediator_b"))
    assert (a1.sequence, a2.sequence, b1.sequence) == (1, 2, 1)
    assert "梨园社区人调字第1号" in b1.number


def test_personal_data_is_encrypted_at_rest_and_findable(world: World) -> None:
    from django.db import connection

    case = f.register(world.user("demo_mediator"))
    party = case.parties.get(name="王建华")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, address FROM cases_party WHERE id = %s", [party.pk]
        )
        raw = cursor.fetchone()
    assert f.WANG_ID not in raw[0] and "13812345678" not in raw[1] and "东湖" not in raw[2]
    assert Party.objects.get(pk=party.pk).id_number == f.WANG_ID
    assert party.birth_date == dt.date(1980, 3, 15) and party.gender == "1"


def test_bad_parties_are_refused_field_by_field(world: World) -> None:
    bad = f.case_data(
        parties=[
            intake.PartyData(
                role=PartyRole.APPLICANT,
                name="王建华",
                id_number="110105194912310021",
                phone="12345",
            ),
            intake.PartyData(role=PartyRole.APPLICANT, name=""),
        ]
    )
    with pytest.raises(ValidationFailed) as refused:
        intake.case_register(actor=world.user("demo_mediator"), data=bad)
    fields = refused.value.fields
    assert {"parties.0.id_number", "parties.0.phone", "parties.1.name", "parties"} <= set(fields)
    assert not Case.objects.exists()


def test_a_declined_case_needs_a_lawful_reason(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    with pytest.raises(ValidationFailed):
        transition(actor=mediator, case=case, action="decline", reason="已起诉")
    case = transition(
        actor=mediator,
        case=case,
        action="decline",
        reason="已向法院起诉",
        data={"decline_reason": "before_other_body"},
    )
    assert case.status == CaseStatus.DECLINED
    assert casefile.missing_documents(case) == []


def test_illegal_moves_are_refused_with_a_code(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    with pytest.raises(Conflict) as refused:
        transition(actor=mediator, case=case, action="reach_agreement")
    assert refused.value.code == "illegal_move"
    case = f.to_mediation(mediator, case)
    with pytest.raises(Conflict) as no_session:
        transition(actor=mediator, case=case, action="reach_agreement")
    assert no_session.value.code == "session_required"


def test_an_agreement_takes_effect_only_when_everyone_signed_and_sealed(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    today = timezone.localdate()
    agreement = agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="written",
        facts="事实",
        content="内容",
        performance_manner="转账",
        formed_on=today,
    )
    agreements.agreement_sign(
        actor=mediator, case=case, party=case.parties.first(), signed_on=today
    )
    agreements.agreement_sign(actor=mediator, case=case, mediator=True, signed_on=today)
    with pytest.raises(Conflict) as refused:
        transition(actor=mediator, case=Case.objects.get(pk=case.pk), action="reach_agreement")
    assert refused.value.code == "agreement_not_effective"
    assert (
        "李秀英" in refused.value.message and "印章" in refused.value.message
    ) or "seal" in refused.value.message
    agreement.refresh_from_db()
    assert agreement.effective_on is None


def test_an_oral_agreement_takes_effect_the_day_it_is_reached(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    agreement = agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="oral",
        facts="事实",
        content="口头约定当日道歉",
        performance_manner="当面道歉",
        formed_on=timezone.localdate(),
    )
    assert agreement.effective_on == timezone.localdate()
    case = transition(actor=mediator, case=Case.objects.get(pk=case.pk), action="reach_agreement")
    assert case.status == CaseStatus.AGREED


def test_a_party_refusing_ends_mediation_at_once(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = transition(actor=mediator, case=f.register(mediator), action="accept")
    case = transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="被申请人明确拒绝调解",
        data={"end_reason": "party_refuses"},
    )
    assert case.status == CaseStatus.TERMINATED and case.routes_told


def test_failure_needs_the_routes_told(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    with pytest.raises(ValidationFailed):
        transition(actor=mediator, case=case, action="fail", reason="分歧过大")
    case = transition(
        actor=mediator, case=case, action="fail", reason="分歧过大", data={"routes_told": True}
    )
    assert case.status == CaseStatus.FAILED


def test_judicial_confirmation_within_30_days_and_mediating_again_after_rejection(
    world: World,
) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_agreement(mediator, f.register(mediator))
    today = timezone.localdate()
    with pytest.raises(ValidationFailed):
        aftercare.confirmation_apply(
            actor=mediator, case=case, applied_on=today, court="东湖区人民法院", joint=False
        )
    aftercare.confirmation_apply(
        actor=mediator, case=case, applied_on=today, court="东湖区人民法院", joint=True
    )
    with pytest.raises(Conflict):
        transition(
            actor=mediator, case=Case.objects.get(pk=case.pk), action="resume", reason="法院驳回"
        )
    aftercare.confirmation_decide(
        actor=mediator,
        case=case,
        outcome="rejected",
        decided_on=today,
        ruling_number="（2026）鄂0102民特12号",
    )
    case = transition(
        actor=mediator,
        case=Case.objects.get(pk=case.pk),
        action="resume",
        reason="法院驳回，重新调解",
    )
    assert case.status == CaseStatus.IN_MEDIATION
    assert case.agreements.filter(superseded_at__isnull=True).count() == 0
    assert case.agreements.count() == 1


def test_confirmation_after_30_days_is_refused(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_agreement(mediator, f.register(mediator))
    case.agreements.update(effective_on=timezone.localdate() - dt.timedelta(days=31))
    with pytest.raises(Conflict) as refused:
        aftercare.confirmation_apply(
            actor=mediator,
            case=case,
            applied_on=timezone.localdate(),
            court="东湖区人民法院",
            joint=True,
        )
    assert refused.value.code == "confirmation_too_late"


def test_archiving_lists_what_the_file_lacks(world: World) -> None:
    mediator = world.user("demo_mediator")
    director = world.user("demo_director")
    case = f.register(
        mediator,
        parties=[
            intake.PartyData(role=PartyRole.APPLICANT, name="王建华"),
            intake.PartyData(role=PartyRole.RESPONDENT, name="李秀英"),
        ],
    )
    case = transition(actor=mediator, case=case, action="accept")
    case = transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="申请人撤回",
        data={"end_reason": "party_withdraws"},
    )
    with pytest.raises(Conflict) as refused:
        transition(actor=director, case=case, action="archive")
    assert refused.value.code == "file_incomplete"
    # Identity proof only: terminated before any session, no rights notice is owed.
    assert refused.value.params["missing"] == ["当事人身份证明"]


def test_another_committees_mediator_cannot_touch_the_case(world: World) -> None:
    case = f.register(world.user("demo_mediator"))
    with pytest.raises(NotPermitted) as refused:
        transition(actor=world.user("demo_mediator_b"), case=case, action="accept")
    # Refused on the locked row's scope (read with the lock, ADR 0047), before anything moved.
    assert refused.value.message == "该案件不在您的管辖范围内。"
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and not case.transitions.exists()


def test_a_stale_version_is_refused(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    transition(actor=mediator, case=case, action="accept", version=case.version)
    with pytest.raises(Conflict) as refused:
        transition(
            actor=mediator,
            case=case,
            action="decline",
            version=case.version,
            reason="x",
            data={"decline_reason": "other"},
        )
    assert refused.value.code == "stale_version"


def test_the_audit_trail_holds_no_case_contents(world: World) -> None:
    """The audit administrator reads the trail but may not read cases: no names, no facts."""
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    party = case.parties.get(name="王建华")
    intake.party_update(
        actor=mediator,
        party=party,
        data=intake.PartyData(role="applicant", name="王建华", phone="13800000000"),
    )
    f.to_agreement(mediator, Case.objects.get(pk=case.pk))
    trail = " ".join(
        f"{e.object_repr} {e.before} {e.after}"
        for e in AuditEvent.objects.filter(object_type__startswith="cases.")
    )
    for secret in ("王建华", "李秀英", "漏水", "13800000000", f.WANG_ID):
        assert secret not in trail, secret


def test_only_the_director_approves_an_extension(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    assert case.due_on is not None
    later = case.due_on + dt.timedelta(days=20)
    with pytest.raises(NotPermitted):
        records.case_extend(
            actor=mediator, case=case, until=later, reason="双方同意延长", parties_consent=True
        )
    extended = records.case_extend(
        actor=world.user("demo_director"),
        case=case,
        until=later,
        reason="双方同意延长",
        parties_consent=True,
    )
    assert extended.extended_to == later
    assert extended.transitions.get(action="extend").actor.username == "demo_director"


def test_a_mediator_not_among_those_assigned_cannot_move_the_case(world: World) -> None:
    """Who works on the case is read with its lock (ADR 0047): once only the director is
    assigned, the committee's other mediator may no longer move it."""
    mediator = world.user("demo_mediator")
    director = world.user("demo_director")
    case = transition(actor=mediator, case=f.register(mediator), action="accept")
    case = transition(
        actor=director, case=case, action="start_mediation", data={"mediator_ids": [director.pk]}
    )
    with pytest.raises(NotPermitted):
        transition(actor=mediator, case=case, action="fail", reason="双方分歧太大")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_MEDIATION
