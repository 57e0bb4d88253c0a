"""When a street's office and its committees move to another district, the rows that scope by a
copy of the path go with them at once: the old district no longer sees the committee's cases
(they answer "not found"), the new one does, and the street's own officers keep them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.tests.factories import register
from tiaojie.organisations import path_copies
from tiaojie.organisations.moves import organisation_move
from tiaojie.screening.models import CaseRisk

pytestmark = pytest.mark.django_db

OFFICE = "东湖街道司法所"
OTHER_DISTRICT = "西山区司法局"


def test_a_moved_committees_cases_leave_the_old_districts_scope(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = register(world.user("demo_mediator"))
    page = reverse("cases:case_detail", args=[case.pk])
    assert client_as("demo_district").get(page).status_code == 200

    office = world.org(OFFICE)
    organisation_move(
        actor=world.user("demo_city"),
        org=office,
        parent=world.org(OTHER_DISTRICT),
        reason="行政区划调整",
        version=office.version,
    )

    case.refresh_from_db()
    assert case.committee_path == case.committee.path
    assert case.committee_path.startswith(world.org(OTHER_DISTRICT).path)
    assert client_as("demo_district").get(page).status_code == 404
    assert client_as("demo_street").get(page).status_code == 200
    assert client_as("demo_city").get(page).status_code == 200
    # Copies kept by the apps that watch cases follow too (here, the case's risk score).
    for risk in CaseRisk.objects.filter(case=case):
        assert risk.committee_path == case.committee_path
    # Nothing is left to re-key.
    assert path_copies.follow(world.org(OTHER_DISTRICT)) == 0


def test_every_declared_copy_names_a_real_path_field() -> None:
    declared = path_copies.registered()
    assert (Case, "committee", "committee_path") in declared
    for model, lookup, field in declared:
        assert isinstance(model._meta.get_field(field), models.CharField)
        # The lookup reaches an organisation: a query through it runs.
        model._default_manager.filter(**{f"{lookup}__path__startswith": "x"}).exists()
