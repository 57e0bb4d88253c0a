"""One meaning for each set of statuses, and how a case ended stored when it ends."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from conftest import World
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CLOSED_STATUSES, ENDED_STATUSES, OPEN_STATUSES, CaseStatus
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition

pytestmark = pytest.mark.django_db


def _declined(mediator: User) -> Case:
    return transition(
        actor=mediator,
        case=f.register(mediator),
        action="decline",
        reason="已由法院受理",
        data={"decline_reason": "before_other_body"},
    )


def test_every_status_is_open_or_ended_and_only_agreed_is_both() -> None:
    assert set(CaseStatus) == OPEN_STATUSES | ENDED_STATUSES
    assert {CaseStatus.AGREED} == OPEN_STATUSES & ENDED_STATUSES
    assert CaseStatus.DECLINED not in CLOSED_STATUSES <= ENDED_STATUSES


def test_open_cases_are_those_whose_work_is_not_over(world: World) -> None:
    mediator = world.user("demo_mediator")
    agreed = f.to_agreement(mediator, f.register(mediator))
    declined = _declined(mediator)
    open_ids = set(Case.objects.open().values_list("pk", flat=True))
    assert agreed.pk in open_ids and declined.pk not in open_ids


def test_how_a_case_ended_is_kept_through_archiving(world: World) -> None:
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    case = _declined(mediator)
    assert case.ended_as == CaseStatus.DECLINED
    case = transition(actor=director, case=case, action="archive")
    case.refresh_from_db()
    assert (case.status, case.ended_as) == (CaseStatus.ARCHIVED, CaseStatus.DECLINED)

    fresh = f.register(mediator)
    assert fresh.ended_as == ""
    accepted = transition(actor=mediator, case=fresh, action="accept")
    assert accepted.ended_as == ""


def test_the_migration_fills_in_how_archived_cases_ended(world: World) -> None:
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    case = _declined(mediator)
    transition(actor=director, case=case, action="archive")
    agreed = f.to_agreement(mediator, f.register(mediator))
    Case.objects.filter(pk__in=[case.pk, agreed.pk]).update(ended_as="")  # as before 0007

    migration = importlib.import_module("tiaojie.cases.migrations.0008_case_ended_as")
    migration.backfill(django_apps, None)

    assert Case.objects.get(pk=case.pk).ended_as == CaseStatus.DECLINED
    assert Case.objects.get(pk=agreed.pk).ended_as == CaseStatus.AGREED
