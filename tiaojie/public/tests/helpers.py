"""Signing citizens in the way a phone does: ask for a code, read it from the outbox backend's
table (as the tests' SMS gateway), type it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse

from tiaojie.cases.tests.factories import id_number
from tiaojie.core.crypto import blind_index
from tiaojie.organisations.models import Organisation
from tiaojie.public import services
from tiaojie.public.models import Citizen, SmsMessage

if TYPE_CHECKING:
    from tiaojie.cases.models import Case

PHONE = "13800138000"
OTHER_PHONE = "13900139000"
RESPONDENT_PHONE = "13700137000"
CITIZEN_ID = id_number("42010219900101123")
COMMITTEE_A = "东湖社区人民调解委员会"


def last_text(phone: str) -> str:
    message = SmsMessage.objects.filter(phone_index=blind_index(phone, purpose="sms.phone")).first()
    assert message is not None, f"no text to {phone}"
    return message.text


def code_for(phone: str) -> str:
    found = re.search(r"\b(\d{6})\b", last_text(phone))
    assert found is not None
    return found.group(1)


def sign_in(client: Client, phone: str = PHONE, *, real_name: bool = True) -> Citizen:
    url = reverse("public:sign_in")
    client.post(url, {"phone": phone})
    response = client.post(url, {"phone": phone, "code": code_for(phone)})
    assert response.status_code == 302, response.content.decode()[:500]
    citizen = Citizen.objects.get(phone_index=blind_index(phone, purpose="citizen.phone"))
    if real_name and not citizen.is_verified:
        services.real_name_give(citizen=citizen, name="赵丽华", id_number=CITIZEN_ID)
        citizen.refresh_from_db()
    return citizen


def answer_neighbours_leak(client: Client) -> None:
    """Through the interview for a neighbours' dispute about a leak."""
    from tiaojie.cases.models import DisputeType

    client.post(
        reverse("public:apply"),
        {"dispute_type": DisputeType.objects.get(code="neighbours").pk},
    )
    url = reverse("public:apply_question")
    for question, value in (
        ("about", "leak"),
        ("repaired", "no"),
        ("loss", "3000"),
        ("talked", "yes"),
    ):
        response = client.post(url, {"question": question, "value": value})
        assert response.status_code == 302


def details(**overrides: object) -> dict[str, object]:
    committee = Organisation.objects.get(name=COMMITTEE_A)
    values: dict[str, object] = {
        "summary": "楼上漏水，天花板发霉",
        "requests": "修好防水，赔偿3000元",
        "amount": "3000",
        "respondent_kind": "person",
        "respondent_name": "孙大伟",
        "respondent_phone": RESPONDENT_PHONE,
        "committee": f"committee:{committee.pk}",
    }
    values.update(overrides)
    return values


def apply_online(client: Client, **overrides: object) -> Case:
    """Sign-in done: apply for a neighbours' leak dispute to committee A (through 东湖街道's
    queue) and return the case."""
    from tiaojie.cases.models import Case

    answer_neighbours_leak(client)
    response = client.post(reverse("public:apply_details"), details(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.filter(source="online").latest("id")


def routed_to_committee_a(case: Case) -> Case:
    """The street centre's officer routes the queued case to committee A."""
    from tiaojie.accounts.models import User
    from tiaojie.cases.workflow import transition

    committee = Organisation.objects.get(name=COMMITTEE_A)
    return transition(
        actor=User.objects.get(username="demo_street"),
        case=case,
        action="route",
        data={"committee_id": committee.pk},
    )
