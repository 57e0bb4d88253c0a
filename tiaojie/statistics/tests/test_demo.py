"""The demo shows figures at committee, street and district, and reports approved at three
levels; the figures equal their recomputation."""

from __future__ import annotations

import pytest

from conftest import World
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.statistics import periods, report
from tiaojie.statistics.choices import ReportStatus
from tiaojie.statistics.demo import seed_statistics_demo
from tiaojie.statistics.models import AnalysisReport, StatReport
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db


def test_demo_figures_and_approved_reports(world: World) -> None:
    seed_demo_cases(60)
    assert seed_statistics_demo() >= 3
    assert seed_statistics_demo() == 0  # once only
    assert differences() == []
    year = periods.parse(str(StatReport.objects.first().period_end.year))  # type: ignore[union-attr]
    for name in ("东湖社区人民调解委员会", "东湖街道司法所", "东湖区司法局"):
        figures = report.figures(world.org(name), year)
        assert figures.get(("accepted", ""), 0) > 0, name
    approved = StatReport.objects.filter(status=ReportStatus.APPROVED)
    names = set(approved.values_list("organisation__name", flat=True))
    assert {"东湖社区人民调解委员会", "东湖街道司法所", "东湖区司法局"} <= names
    written = AnalysisReport.objects.get(organisation=world.org("东湖区司法局"))
    assert written.status == AnalysisReport.Status.DONE and written.pdf and written.docx
