"""The demo data and the commands: built through the services, safe to run twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.cases.tests import factories as f
from tiaojie.supervision import months
from tiaojie.supervision.demo import seed_supervision_demo
from tiaojie.supervision.models import CloseOut, LedgerPeriod, Supervision
from tiaojie.supervision.rules import ENDED
from tiaojie.supervision.tests.helpers import flag


def test_the_demo_has_supervision_at_two_levels_and_is_idempotent(world: World) -> None:
    seed_demo_cases(count=120)
    seed_supervision_demo()
    counts = (Supervision.objects.count(), CloseOut.objects.count(), LedgerPeriod.objects.count())
    by = set(Supervision.objects.values_list("supervising_org__name", "status"))
    assert ("东湖街道司法所", "open") in by and ("东湖区司法局", "open") in by
    assert ("东湖街道司法所", "escalated") in by
    escalated = Supervision.objects.get(status="escalated")
    assert escalated.escalations.get().supervising_org.name == "东湖区司法局"
    assert Supervision.objects.filter(reports__action="report").exists()
    from tiaojie.cases.models import Case

    ended = Case.objects.filter(status__in=ENDED).count()
    assert 0.25 * ended <= counts[1] <= 0.6 * ended
    assert counts[2] == 3
    seed_supervision_demo()
    assert counts == (
        Supervision.objects.count(),
        CloseOut.objects.count(),
        LedgerPeriod.objects.count(),
    )


def test_carry_over_command_is_safe_to_run_twice(world: World) -> None:
    f.register(world.user("demo_mediator"))
    last = months.previous_month(months.first_of(timezone.localdate()))
    out = StringIO()
    call_command("carry_over_ledgers", stdout=out)
    first = LedgerPeriod.objects.filter(month=last).count()
    assert first > 10 and "carried over" in out.getvalue()
    call_command("carry_over_ledgers", f"--month={last:%Y-%m}", stdout=StringIO())
    assert LedgerPeriod.objects.filter(month=last).count() == first


def test_a_month_end_run_names_what_it_could_not_carry_over_and_does_the_rest(
    world: World,
) -> None:
    """A ledger carried over by hand since the run read its list counts as done; one that
    cannot be carried over is named with its reason; neither stops the others."""
    from tiaojie.organisations.models import Organisation
    from tiaojie.supervision.rules import LEDGER_KINDS
    from tiaojie.supervision.services.ledger import carry_over, carry_over_all

    last = months.previous_month(months.first_of(timezone.localdate()))
    street = world.org("东湖街道司法所")
    carry_over(actor=world.user("demo_street"), organisation=street, month=last)
    grid = Organisation.objects.exclude(kind__in=LEDGER_KINDS).order_by("path").first()
    assert grid is not None
    district = world.org("东湖区司法局")
    run = carry_over_all(last, [grid, street, district])
    assert (run.made, run.already) == (1, 1)
    assert [org for org, _reason in run.failed] == [grid]
    assert "ledger" in run.failed[0][1] or "台账" in run.failed[0][1]
    assert LedgerPeriod.objects.filter(month=last, organisation=district).exists()
    assert not LedgerPeriod.objects.filter(month=last, organisation=grid).exists()


def test_escalate_command(world: World) -> None:
    sup = flag(world.user("demo_street"), f.register(world.user("demo_mediator")))
    Supervision.objects.filter(pk=sup.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    out = StringIO()
    call_command("escalate_supervisions", stdout=out)
    assert out.getvalue().startswith("1 ")


def test_the_nightly_scan_escalates_overdue_supervisions_too(world: World) -> None:
    sup = flag(world.user("demo_street"), f.register(world.user("demo_mediator")))
    Supervision.objects.filter(pk=sup.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    out = StringIO()
    call_command("scan_deadlines", stdout=out)
    assert "supervisions escalated 1" in out.getvalue()
    sup.refresh_from_db()
    assert sup.status == "escalated"
    above = Supervision.objects.get(case=sup.case, status="open")
    assert above.supervising_org == world.org("东湖区司法局")
    call_command("scan_deadlines", stdout=StringIO())  # twice: nothing more
    assert Supervision.objects.filter(case=sup.case).count() == 2


def test_a_grid_worker_sees_neither_supervision_nor_trace_of_their_own_report(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = f.register(world.user("demo_grid"))
    flag(world.user("demo_street"), case)
    grid = client_as("demo_grid")
    assert grid.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    panel = grid.get(reverse("supervision:case_panel", args=[case.pk]))
    assert panel.status_code == 200 and panel.content == b""
    assert grid.get(reverse("supervision:case_trace", args=[case.pk])).status_code == 403
    # The committee's director does see both.
    director = client_as("demo_director")
    shown = director.get(reverse("supervision:case_panel", args=[case.pk])).content.decode()
    assert "supervision-box" in shown
    # Dates read the Chinese way, the step's deadline too: 2026年12月8日, never 2026-12-08.
    sup = Supervision.objects.get(case=case, status="open")
    assert f"{sup.deadline.year}年{sup.deadline.month}月{sup.deadline.day}日" in shown
    assert sup.deadline.isoformat() not in shown
    assert director.get(reverse("supervision:case_trace", args=[case.pk])).status_code == 200


def test_the_ledger_page_reads_a_fixed_number_of_queries(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mediator = world.user("demo_mediator")
    client = client_as("demo_director")
    url = reverse("supervision:ledger") + "?show=all"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    f.to_agreement(mediator, f.register(mediator))
    client.get(url)
    few = count()
    for _ in range(5):
        f.to_agreement(mediator, f.register(mediator))
        f.to_mediation(mediator, f.register(mediator))
    assert count() == few
