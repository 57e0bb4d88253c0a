"""Bulk synthetic history keeps the figures exact."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tiaojie.cases.models import Case
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db


def test_generated_cases_keep_the_figures_exact() -> None:
    before = Case.objects.count()
    out = io.StringIO()
    call_command("generate_cases", "--count", "700", "--years", "2", "--force", stdout=out)
    assert Case.objects.count() == before + 700
    assert "700 cases" in out.getvalue()
    assert differences() == []
    call_command("generate_cases", "--count", "50", "--seed", "7", "--force", stdout=out)
    assert differences() == []
    assert Case.objects.values("number").distinct().count() == Case.objects.count()


def test_today_gives_the_screen_an_intake_of_today() -> None:
    """Generated history ends the day before; ``--today`` registers cases today, and the
    screen's live count of today's intake shows them, with every figure still exact."""
    from django.utils import timezone

    from tiaojie.statistics import dashboard
    from tiaojie.statistics.generate import synthetic_city

    city = synthetic_city(offices=1, communities=2)
    call_command("generate_cases", "--count", "40", "--city", "--force", stdout=io.StringIO())
    assert dashboard.case_counts(city)["today"] == 0
    call_command(
        "generate_cases", "--count", "25", "--city", "--today", "--force", stdout=io.StringIO()
    )
    today = timezone.localdate()
    assert Case.objects.filter(committee_path__startswith=city.path).count() == 65
    assert dashboard.case_counts(city)["today"] == 25
    assert all(
        timezone.localtime(at).date() == today
        for at in Case.objects.order_by("-pk").values_list("registered_at", flat=True)[:25]
    )
    assert differences() == []
