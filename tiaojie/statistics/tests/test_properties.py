"""Property-based: after any workload of case moves, every figure equals its recomputation
from the raw cases (``verify_statistics`` finds no difference)."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.tests.test_workflow_properties import STEPS, _step
from tiaojie.core.errors import DomainError
from tiaojie.statistics.verify import differences

# Whole paths as single steps, so that random draws reach agreement often.
EXTRA = ["to_agreement", "to_agreement", "to_mediation", "performed", "confirmed", "performed"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    workload=st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(STEPS + EXTRA)), min_size=1, max_size=24
    ),
    complex_case=st.booleans(),
)
def test_no_workload_leaves_a_figure_wrong(
    world: World, workload: list[tuple[int, str]], complex_case: bool
) -> None:
    from django.utils import timezone

    from tiaojie.cases.services import aftercare

    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    cases = [f.register(mediator, is_complex=complex_case) for _ in range(3)]
    for index, name in workload:
        case = Case.objects.get(pk=cases[index].pk)
        today = timezone.localdate()
        # A refusal is the right answer when the move is not allowed now.
        with contextlib.suppress(DomainError):
            if name == "to_agreement":
                f.to_agreement(mediator, case)
            elif name == "to_mediation":
                f.with_session(mediator, f.to_mediation(mediator, case))
            elif name == "performed":
                aftercare.performance_record(
                    actor=mediator, case=case, status="performed", recorded_on=today
                )
            elif name == "confirmed":
                aftercare.confirmation_apply(
                    actor=mediator, case=case, applied_on=today, court="法院", joint=True
                )
                aftercare.confirmation_decide(
                    actor=mediator,
                    case=Case.objects.get(pk=case.pk),
                    outcome="confirmed",
                    decided_on=today,
                    ruling_number="3号",
                )
            else:
                _step(name, case, mediator, director)
    assert differences() == []
