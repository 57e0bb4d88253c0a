"""The intake page: registering a dispute with its parties, errors kept on the right row, the
party rows added and removed, and the hints about earlier cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.tests import factories as f

REGISTER = reverse("cases:case_register")


def party(index: int, **values: str) -> dict[str, str]:
    row = {"role": "applicant", "kind": "person", "name": "", "gender": "", "ethnicity": ""}
    row |= {"id_number": "", "phone": "", "address": "", "occupation": "", "credit_code": ""}
    row |= {"legal_representative": "", "agent_name": "", "agent_phone": ""}
    row |= {"agent_authority": ""} | values
    return {f"parties-{index}-{name}": value for name, value in row.items()}


def intake(*parties: dict[str, str], total: int | None = None, **case: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "dispute_type": DisputeType.objects.get(code="neighbours").pk,
        "source": "application",
        "summary": "楼上漏水殃及楼下",
        "narrative": "申请人称楼上卫生间漏水三个月。",
        "requests": "修复防水，赔偿损失",
        "amount": "3000",
        "people_involved": "2",
        "risk_notes": "",
        "parties-TOTAL_FORMS": str(total if total is not None else len(parties)),
        "parties-INITIAL_FORMS": "2",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "30",
    }
    for row in parties:
        data |= row
    return data | case


def two_parties(**respondent: str) -> tuple[dict[str, str], dict[str, str]]:
    return (
        party(0, role="applicant", name="王建华", id_number=f.WANG_ID, phone="13812345678"),
        party(1, **({"role": "respondent", "name": "李秀英", "id_number": f.LI_ID} | respondent)),
    )


def test_the_intake_page_offers_an_applicant_and_a_respondent(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("demo_mediator").get(REGISTER)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert [form.initial["role"] for form in formset.forms] == ["applicant", "respondent"]
    assert 'name="parties-TOTAL_FORMS"' in response.content.decode()


def test_a_clerk_registers_a_dispute_and_lands_on_its_page(
    world: World, client_as: Callable[[str], Client]
) -> None:
    third = party(2, role="third_party", name="物业公司", kind="organisation")
    data = intake(*two_parties(), third, total=3, is_complex="on")
    response = client_as("demo_mediator").post(REGISTER, data, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:case_detail", args=[case.pk])
    assert case.number in response.content.decode()  # the success message names it
    assert case.is_complex and case.amount == 3000
    assert sorted(case.parties.values_list("name", flat=True)) == ["李秀英", "物业公司", "王建华"]
    assert case.parties.get(name="王建华").phone == "13812345678"


def test_a_wrong_id_number_lands_on_its_row_and_everything_typed_stays(
    client_as: Callable[[str], Client],
) -> None:
    bad_id = "110105199003071235"  # wrong check digit
    data = intake(*two_parties(id_number=bad_id, address="东湖社区3栋301室"))
    response = client_as("demo_mediator").post(REGISTER, data)
    assert response.status_code == 200
    assert not Case.objects.exists()
    formset = response.context["formset"]
    assert "id_number" in formset.forms[1].errors
    assert not formset.forms[0].errors
    html = response.content.decode()
    for typed in ("楼上漏水殃及楼下", "申请人称楼上卫生间漏水三个月。", "王建华", "李秀英"):
        assert typed in html
    assert f'value="{bad_id}"' in html
    assert "东湖社区3栋301室" in html


def test_the_case_fields_and_the_parties_are_checked_together(
    client_as: Callable[[str], Client],
) -> None:
    data = intake(*two_parties(id_number="123"), summary="")
    response = client_as("demo_mediator").post(REGISTER, data)
    assert "summary" in response.context["form"].errors
    assert "id_number" in response.context["formset"].forms[1].errors


def test_a_dispute_needs_both_sides(client_as: Callable[[str], Client]) -> None:
    data = intake(*two_parties(role="applicant"))
    response = client_as("demo_mediator").post(REGISTER, data)
    assert response.context["party_errors"]
    assert not Case.objects.exists()


def test_an_added_row_left_blank_or_removed_is_not_a_party(
    client_as: Callable[[str], Client],
) -> None:
    blank = party(2, role="respondent")  # as added, untouched
    client = client_as("demo_mediator")
    client.post(REGISTER, intake(*two_parties(), blank, total=3))
    client.post(REGISTER, intake(*two_parties(), total=3))  # row 2 removed from the page
    assert [c.parties.count() for c in Case.objects.order_by("pk")] == [2, 2]


def test_the_add_button_returns_the_next_row_and_the_new_count(
    client_as: Callable[[str], Client],
) -> None:
    url = reverse("cases:party_row") + "?parties-TOTAL_FORMS=2"
    response = client_as("demo_mediator").get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'name="parties-2-name"' in html
    assert 'id="id_parties-TOTAL_FORMS" hx-swap-oob="true"' in html
    assert 'value="3"' in html


def test_a_known_id_number_shows_earlier_cases_in_scope_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    earlier = f.register(world.user("demo_mediator"))
    url = reverse("cases:party_lookup") + f"?parties-0-id_number={f.WANG_ID}"
    response = client_as("demo_director").get(url)
    html = response.content.decode()
    assert earlier.number in html and "王建华" in html
    assert response["HX-Trigger"] == "partyLookedUp"
    other = client_as("demo_mediator_b").get(url).content.decode()
    assert earlier.number not in other


def test_the_fill_button_puts_the_earlier_name_in_the_row(
    world: World, client_as: Callable[[str], Client]
) -> None:
    earlier = f.register(world.user("demo_mediator"))
    wang = earlier.parties.get(name="王建华")
    url = reverse("cases:party_lookup") + f"?fill={wang.pk}&index=3"
    html = client_as("demo_mediator").get(url).content.decode()
    assert 'name="parties-3-name"' in html and 'value="王建华"' in html
    outsider = client_as("demo_mediator_b").get(url).content.decode()
    assert "王建华" not in outsider


def test_the_same_party_in_an_open_case_is_flagged_as_a_possible_duplicate(
    world: World, client_as: Callable[[str], Client]
) -> None:
    earlier = f.register(world.user("demo_mediator"))
    url = reverse("cases:case_duplicates") + "?parties-0-id_number=&parties-1-phone=13987654321"
    html = client_as("demo_director").get(url).content.decode()
    assert earlier.number in html
    nothing = reverse("cases:case_duplicates") + "?parties-0-phone=13700000000"
    assert earlier.number not in client_as("demo_director").get(nothing).content.decode()


def test_leaving_an_id_number_fills_in_the_sex_and_shows_the_birth_date(
    client_as: Callable[[str], Client],
) -> None:
    url = reverse("cases:party_lookup") + f"?parties-1-id_number={f.WANG_ID}"
    html = client_as("demo_mediator").get(url, headers={"HX-Request": "true"}).content.decode()
    # The row's sex select comes back (out of band) with the sex the number states chosen.
    assert 'id="party-1-gender" hx-swap-oob="true"' in html
    assert '<option value="1" selected>' in html  # 17th digit odd: male
    assert "1980年3月15日" in html
    bad = reverse("cases:party_lookup") + "?parties-1-id_number=110105194912310021"
    assert "hx-swap-oob" not in client_as("demo_mediator").get(bad).content.decode()


def test_an_organisation_is_not_asked_for_an_occupation_and_kind_comes_first(
    client_as: Callable[[str], Client],
) -> None:
    html = client_as("demo_mediator").get(reverse("cases:case_register")).content.decode()
    row = html[html.index('id="party-0"') :]
    assert row.index('name="parties-0-kind"') < row.index('name="parties-0-name"')
    # Shown to persons only: the page hides .person-only when 单位 is chosen.
    assert re.search(
        r'<div class="person-only">\s*<div class="field[^"]*"[^>]*>\s*<label for="id_parties-0-occupation"',
        row,
    )
