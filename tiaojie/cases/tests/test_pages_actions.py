"""Working a case through its page: each action's small form, the services' refusals kept on the
form with what was typed, a stale version refused, and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.cases import casefile
from tiaojie.cases.choices import CaseStatus, PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import agreements, intake
from tiaojie.cases.tests import factories as f


def url(case: Case, name: str = "") -> str:
    return reverse("cases:case_action", args=[case.pk]) + (f"?do={name}" if name else "")


def act(client: Client, case: Case, action: str, /, **data: Any) -> Any:
    """Post the action's form with the version the page showed, as the browser does."""
    version = Case.objects.get(pk=case.pk).version
    return client.post(url(case, action), {"version": version, **data})


def status(case: Case) -> str:
    return Case.objects.get(pk=case.pk).status


def test_a_case_goes_from_intake_to_archive_through_its_page(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    client = client_as("demo_mediator")
    today = timezone.localdate().isoformat()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    response = act(client, case, "accept")
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:case_detail", args=[case.pk]
    )
    assert status(case) == CaseStatus.ACCEPTED

    form = client.get(url(case, "start_mediation")).content.decode()
    assert "李建国" in form and "王秀兰" in form  # the committee's mediators and director
    act(client, case, "start_mediation", mediator_ids=[mediator.pk], presiding_id=mediator.pk)
    assert status(case) == CaseStatus.IN_MEDIATION

    assert "王建华、李秀英" in client.get(url(case, "session_add")).content.decode()
    session = {"held_at": now, "place": "调解室", "parties_present": "王建华、李秀英"}
    act(
        client,
        case,
        "session_add",
        **session,
        recorder="李建国",
        content="双方陈述。",
        rights_told="on",
    )
    assert case.sessions.count() == 1

    agreement = {"kind": "written", "facts": "漏水。", "content": "赔偿2000元。"}
    act(client, case, "agreement_draw_up", **agreement, performance_manner="现金", formed_on=today)
    signed = client.get(url(case, "agreement_sign")).content.decode()
    assert "王建华" in signed and "李秀英" in signed
    # One form: every party, the mediator and the seal at one sitting; in effect, the case is
    # agreed with no further step to confirm.
    everyone = {f"party_{p.pk}": "on" for p in case.parties.all()}
    response = act(
        client, case, "agreement_sign", **everyone, mediator="on", seal="on", signed_on=today
    )
    assert response.status_code == 302
    assert status(case) == CaseStatus.AGREED
    specs = client.get(reverse("cases:case_detail", args=[case.pk])).context["specs"]
    assert "reach_agreement" not in [s.name for s in specs]

    visit = {"visited_on": today, "method": "phone", "party_visited": "王建华"}
    act(client, case, "follow_up_add", **visit, performance="performed", satisfaction="satisfied")
    assert Case.objects.get(pk=case.pk).performance == "performed"

    assert client.get(url(case, "archive")).status_code == 403  # the director's work
    director = client_as("demo_director")
    assert director.get(url(case, "archive")).context["missing_documents"] == []
    act(director, case, "archive")
    assert status(case) == CaseStatus.ARCHIVED


def test_a_refusal_stays_on_the_form_with_what_was_typed(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    response = act(client_as("demo_mediator"), case, "decline", reason="已向法院起诉")
    assert response.status_code == 200
    form = response.context["form"]
    assert "decline_reason" in form.errors
    assert "已向法院起诉" in response.content.decode()
    assert status(case) == CaseStatus.REGISTERED


def test_failing_needs_the_routes_told(world: World, client_as: Callable[[str], Client]) -> None:
    mediator = world.user("demo_mediator")
    case = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    client = client_as("demo_mediator")
    response = act(client, case, "fail", reason="双方分歧太大")
    assert "routes_told" in response.context["form"].errors
    act(client, case, "fail", reason="双方分歧太大", routes_told="on")
    assert status(case) == CaseStatus.FAILED


def test_a_stale_version_is_refused_and_the_input_kept(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    client = client_as("demo_mediator")
    version = Case.objects.get(pk=case.pk).version
    # Meanwhile a colleague adds a party.
    intake.party_add(
        actor=world.user("demo_director"),
        case=case,
        data=intake.PartyData(role=PartyRole.THIRD_PARTY, name="物业公司", kind="organisation"),
    )
    minutes = "第二次调解：被申请人同意维修。"
    data = {
        "version": version,
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "调解室",
        "parties_present": "王建华、李秀英",
        "recorder": "李建国",
        "content": minutes,
    }
    response = client.post(url(case, "session_add"), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert minutes in html and "form-errors" in html
    assert not case.sessions.exists()


def test_htmx_success_sends_the_browser_back_to_the_case(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    version = case.version
    response = client_as("demo_mediator").post(
        url(case, "accept"), {"version": version}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == reverse("cases:case_detail", args=[case.pk])


def test_archiving_shows_what_the_file_lacks_and_is_refused(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    no_ids = [
        intake.PartyData(role=PartyRole.APPLICANT, name="赵六"),
        intake.PartyData(role=PartyRole.RESPONDENT, name="钱七"),
    ]
    case = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator, parties=no_ids)))
    client = client_as("demo_mediator")
    act(client, case, "fail", reason="无法达成一致", routes_told="on")
    director = client_as("demo_director")
    lacking = director.get(url(case, "archive")).context["missing_documents"]
    assert [str(d) for d in lacking] == [str(casefile.TITLES["identity"])]
    response = act(director, case, "archive")
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert status(case) == CaseStatus.FAILED


def test_the_other_records_through_the_page(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    client = client_as("demo_mediator")
    director = client_as("demo_director")
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    later = (Case.objects.get(pk=case.pk).due_on or timezone.localdate()).replace(day=28)
    inquiry = {"held_at": now, "place": "现场", "interviewee": "楼下住户"}
    act(
        client,
        case,
        "investigation_add",
        **inquiry,
        investigators="李建国",
        recorder="李建国",
        content="问：漏水多久？答：三个月。",
    )
    assert case.investigations.count() == 1
    act(client, case, "party_add", role="third_party", kind="organisation", name="物业公司")
    assert case.parties.count() == 3
    edit = client.get(url(case, "case_edit")).context["form"].initial
    edit = {k: v for k, v in edit.items() if v is not None and k != "version"}
    edit["dispute_type"] = edit["dispute_type"].pk
    edit["summary"] = "楼上漏水，已查明原因"
    act(client, case, "case_edit", **{k: v for k, v in edit.items() if v is not False})
    assert Case.objects.get(pk=case.pk).summary == "楼上漏水，已查明原因"
    act(director, case, "mediator_add", mediator=world.user("demo_director").pk)
    assert case.mediators.filter(withdrawn_at__isnull=True).count() == 2
    act(client, case, "mediator_withdraw", mediator=mediator.pk, reason="与申请人系亲属")
    assert case.mediators.filter(withdrawn_at__isnull=True).count() == 1
    response = act(director, case, "case_extend", until=later.isoformat(), reason="双方同意延长")
    assert "parties_consent" in response.context["form"].errors


def test_what_may_not_be_done_now_or_by_this_role(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_mediator"))
    client = client_as("demo_mediator")
    assert client.get(url(case, "session_add")).status_code == 409
    assert client.get(url(case, "no_such_thing")).status_code == 404
    assert client.get(url(case)).status_code == 200  # the bar of buttons
    assert client_as("demo_street").get(url(case, "accept")).status_code == 403
    assert client_as("demo_mediator_b").get(url(case, "accept")).status_code == 404


def test_signing_in_parts_tells_what_is_missing_and_keeps_the_case_in_mediation(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    today = timezone.localdate()
    agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="written",
        facts="漏水。",
        content="赔偿2000元。",
        performance_manner="现金",
        formed_on=today,
    )
    client = client_as("demo_mediator")
    first = case.parties.order_by("pk").first()
    assert first is not None
    act(client, case, "agreement_sign", **{f"party_{first.pk}": "on"}, signed_on=today.isoformat())
    assert status(case) == CaseStatus.IN_MEDIATION
    form = client.get(url(case, "agreement_sign")).context["form"]
    assert f"party_{first.pk}" not in form.fields  # signed already: not offered again
    assert "mediator" in form.fields and "seal" in form.fields


def test_an_organisation_seals_and_is_never_asked_for_a_fingerprint(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    company = intake.party_add(
        actor=mediator,
        case=case,
        data=intake.PartyData(
            role="respondent", kind="organisation", name="临江市悦家物业服务有限公司"
        ),
    )
    case = f.with_session(mediator, f.to_mediation(mediator, case))
    agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="written",
        facts="漏水。",
        content="赔偿2000元。",
        performance_manner="转账",
        formed_on=timezone.localdate(),
    )
    form = client_as("demo_mediator").get(url(case, "agreement_sign")).context["form"]
    assert f"fingerprint_{company.pk}" not in form.fields
    person = case.parties.exclude(pk=company.pk).first()
    assert person is not None and form.fields[f"fingerprint_{person.pk}"].initial is True
    assert str(form.fields[f"party_{company.pk}"].help_text) == "签名并盖章"
