"""Shared builders for the registry's tests: valid ID numbers and a registered mediator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tiaojie.accounts.models import User
from tiaojie.core.validators import id_number_check_char
from tiaojie.mediators.choices import Employment, MembershipRole
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.services import MediatorData, mediator_register
from tiaojie.organisations.models import Organisation


def id_number(serial: int, born: dt.date = dt.date(1965, 4, 12), region: str = "420106") -> str:
    """A valid ID number (right region, birth date and check digit) for a serial 0–999."""
    body = f"{region}{born:%Y%m%d}{serial:03d}"
    return body + id_number_check_char(body)


def user(username: str) -> User:
    return User.objects.get(username=username)


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def register(
    actor: User, committee: Organisation | None = None, serial: int = 1, **changes: Any
) -> Mediator:
    data = MediatorData(
        name=changes.pop("name", "王秀兰"),
        id_number=changes.pop("id_number", id_number(serial)),
        employment=changes.pop("employment", Employment.FULL_TIME),
        phone=changes.pop("phone", "13812345678"),
        address=changes.pop("address", "湖北省武汉市武昌区中北路5号"),
        **changes,
    )
    return mediator_register(
        actor=actor,
        data=data,
        committee=committee or actor.organisation,
        role=MembershipRole.MEMBER,
    )
