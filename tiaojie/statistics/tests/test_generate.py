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
