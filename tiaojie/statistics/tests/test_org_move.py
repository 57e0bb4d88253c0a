"""The figures follow a unit moved to another parent (``organisation.moved``): the district it
left no longer counts it, the one it joined does, ``verify_statistics`` finds nothing, and
the reports already filed keep the figures they were filed with."""

from __future__ import annotations

import contextlib
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.tests.test_workflow_properties import STEPS, _step
from tiaojie.core.errors import DomainError
from tiaojie.organisations.models import Organisation, path_segment
from tiaojie.organisations.moves import organisation_move
from tiaojie.statistics.choices import Indicator, ReportStatus
from tiaojie.statistics.models import StatCell, StatReport
from tiaojie.statistics.moves import path_differences
from tiaojie.statistics.rollup import expected_cells
from tiaojie.statistics.tests.helpers import figure
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db

COMMITTEE = "东湖社区人民调解委员会"
HOME_OFFICE, OTHER_OFFICE = "东湖街道司法所", "青山街道司法所"
HOME_DISTRICT, OTHER_DISTRICT = "东湖区司法局", "西山区司法局"


def _move(world: World, to: str) -> None:
    committee = world.org(COMMITTEE)
    organisation_move(
        actor=None,
        org=committee,
        parent=world.org(to),
        reason="区划调整",
        version=committee.version,
    )


def _sums_by_prefix_are_recomputed(orgs: list[Organisation]) -> None:
    """Each organisation's figures, summed by path prefix as the reports do, equal the
    recomputation from the raw cases placed by the tree as it is now."""
    paths = dict(Organisation.objects.values_list("pk", "path"))
    for org in orgs:
        expected: dict[tuple[object, str, str], Decimal] = defaultdict(Decimal)
        for (period, owner, indicator, key), value in expected_cells().items():
            if paths[owner].startswith(org.path):
                expected[(period, indicator, key)] += value
        stored = {
            (r["period"], r["indicator"], r["key"]): r["total"]
            for r in StatCell.objects.filter(org_path__startswith=org.path, historical=False)
            .values("period", "indicator", "key")
            .annotate(total=Sum("value"))
            if r["total"]
        }
        assert stored == {k: v for k, v in expected.items() if v}, org.name


def test_the_figures_follow_a_committee_to_another_district(world: World) -> None:
    mediator = world.user("demo_mediator")
    for _ in range(3):
        f.to_mediation(mediator, f.register(mediator))
    home, other = world.org(HOME_DISTRICT), world.org(OTHER_DISTRICT)
    before_home, before_other = figure(home, Indicator.ACCEPTED), figure(other, Indicator.ACCEPTED)
    own = figure(world.org(COMMITTEE), Indicator.ACCEPTED)
    assert own >= 3

    _move(world, OTHER_OFFICE)

    assert figure(home, Indicator.ACCEPTED) == before_home - own
    assert figure(other, Indicator.ACCEPTED) == before_other + own
    assert figure(world.org(OTHER_OFFICE), Indicator.ACCEPTED) >= own
    assert differences() == [] and path_differences() == []
    out = io.StringIO()
    call_command("verify_statistics", stdout=out)
    assert "No differences." in out.getvalue()


def test_an_approved_report_keeps_its_filed_figures(world: World) -> None:
    home = world.org(HOME_DISTRICT)
    filed = {"accepted": "7"}
    approved = StatReport.objects.create(
        organisation=home,
        org_path=home.path,
        period="2025-01",
        period_end=timezone.localdate().replace(year=2025, month=1, day=31),
        status=ReportStatus.APPROVED,
        figures=filed,
    )
    committee = world.org(COMMITTEE)
    own = StatReport.objects.create(
        organisation=committee,
        org_path=committee.path,
        period="2025-01",
        period_end=approved.period_end,
        status=ReportStatus.APPROVED,
        figures=filed,
    )
    _move(world, OTHER_OFFICE)
    approved.refresh_from_db()
    own.refresh_from_db()
    assert approved.figures == filed and approved.status == ReportStatus.APPROVED
    # The committee's own report is now found under its new district (scope), figures as filed.
    assert own.org_path == world.org(COMMITTEE).path
    assert own.org_path.startswith(world.org(OTHER_DISTRICT).path) and own.figures == filed


def test_a_move_not_followed_is_reported_and_repaired(world: World) -> None:
    mediator = world.user("demo_mediator")
    f.to_mediation(mediator, f.register(mediator))
    committee, other = world.org(COMMITTEE), world.org(OTHER_OFFICE)
    # A path changed behind the listener's back (an old move, a hand edit of the tree).
    Organisation.objects.filter(pk=committee.pk).update(
        parent=other, path=other.path + path_segment(committee.pk)
    )
    found = path_differences()
    assert found and {d.organisation_id for d in found} == {committee.pk}
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_statistics", stdout=out)
    assert "under path" in out.getvalue()
    call_command("verify_statistics", "--repair", stdout=io.StringIO())
    assert path_differences() == [] and differences() == []


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    workload=st.lists(
        st.one_of(
            st.tuples(st.integers(0, 1), st.sampled_from(STEPS)),
            st.tuples(st.just(-1), st.sampled_from([OTHER_OFFICE, HOME_OFFICE, HOME_DISTRICT])),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_no_mix_of_moves_and_case_steps_leaves_a_sum_wrong(
    world: World, workload: list[tuple[int, str]]
) -> None:
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    cases = [f.to_mediation(mediator, f.register(mediator)) for _ in range(2)]
    for index, name in workload:
        with contextlib.suppress(DomainError):
            if index < 0:
                _move(world, name)
            else:
                _step(name, Case.objects.get(pk=cases[index].pk), mediator, director)
    assert differences() == [] and path_differences() == []
    _sums_by_prefix_are_recomputed(
        [world.org(n) for n in (HOME_DISTRICT, OTHER_DISTRICT, HOME_OFFICE, OTHER_OFFICE)]
    )
