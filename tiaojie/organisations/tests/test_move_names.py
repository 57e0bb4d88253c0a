"""The 迁移 page names what moves with an organisation by each model's own plural: every model
that follows a move has one, so none is left out of the count, and none is an English class
name."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import translation

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.organisations import path_copies
from tiaojie.screening.models import CaseRisk

COMMITTEE = "东湖社区人民调解委员会"


def test_every_model_that_follows_a_move_has_a_plural_name_of_its_own() -> None:
    unnamed = [
        model.__name__
        for model, _lookup, _field in path_copies.registered()
        if "verbose_name_plural" not in model._meta.original_attrs
    ]
    assert unnamed == []


def test_the_move_page_lists_the_rows_that_move_by_their_chinese_names(
    client_as: Callable[[str], Client], world: World
) -> None:
    mediator = world.user("demo_mediator")
    f.to_mediation(mediator, f.register(mediator))
    f.register(mediator)
    page = client_as("demo_city").get(
        f"/organisations/{world.org(COMMITTEE).pk}/move/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 200
    moving = dict(page.context["rows_moving"])
    with translation.override("zh-hans"):
        # Each registered case has its risk reading (screening), listed by that model's name.
        expected = {
            str(Case._meta.verbose_name_plural): 2,
            str(CaseRisk._meta.verbose_name_plural): 2,
        }
    assert moving == expected
