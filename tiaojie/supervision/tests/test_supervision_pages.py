"""Supervision from the pages: a district officer flags a case from its panel, the committee
reports back, the officer decides; the lists show each side what concerns it."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.cases.tests import factories as f
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.tests.helpers import flag, rest_day, working_day

HTMX = {"HX-Request": "true"}


def test_a_district_officer_flags_and_the_committee_reports_back(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    district = client_as("demo_district")
    panel = district.get(reverse("supervision:case_panel", args=[case.pk])).content.decode()
    assert 'id="flag-button"' in panel
    flag_url = reverse("supervision:supervision_flag", args=[case.pk])
    form = district.get(flag_url, headers=HTMX)
    assert form.status_code == 200 and 'name="deadline"' in form.content.decode()
    refused = district.post(
        flag_url, {"deadline": rest_day().isoformat(), "instructions": "限期化解"}, headers=HTMX
    )
    body = refused.content.decode()
    assert refused.status_code == 200 and "限期化解" in body  # the input is kept
    assert not Supervision.objects.exists()
    done = district.post(
        flag_url, {"deadline": working_day(5).isoformat(), "instructions": "限期化解"}, headers=HTMX
    )
    sup = Supervision.objects.get(case=case)
    assert done.headers["HX-Redirect"] == reverse("supervision:supervision_detail", args=[sup.pk])
    # The committee's mediator sees it on the case and reports.
    committee = client_as("demo_mediator")
    panel = committee.get(reverse("supervision:case_panel", args=[case.pk])).content.decode()
    assert "限期化解" in panel and 'data-do="report"' in panel and 'data-do="close"' not in panel
    act = reverse("supervision:supervision_action", args=[sup.pk])
    reported = committee.post(
        f"{act}?do=report", {"reason": "已约双方周五面谈", "version": sup.version}, headers=HTMX
    )
    assert reported.status_code == 200 and reported.headers["HX-Refresh"] == "true"
    assert committee.get(f"{act}?do=close").status_code == 403
    # The officer reads the report and closes the supervision.
    detail = district.get(reverse("supervision:supervision_detail", args=[sup.pk]))
    assert "已约双方周五面谈" in detail.content.decode()
    sup.refresh_from_db()
    stale = district.post(f"{act}?do=close", {"outcome": "已化解", "version": sup.version - 1})
    assert stale.status_code == 409 and "已化解" in stale.content.decode()
    closed = district.post(f"{act}?do=close", {"outcome": "已化解", "version": sup.version})
    assert closed.status_code == 302
    sup.refresh_from_db()
    assert sup.status == "closed"


def test_the_lists_show_each_side_its_supervisions(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mine = flag(world.user("demo_street"), f.register(world.user("demo_mediator")))
    theirs = flag(world.user("demo_district"), f.register(world.user("demo_mediator_b")))
    url = reverse("supervision:supervision_list")

    def listed(username: str, query: str = "") -> set[int]:
        body = client_as(username).get(f"{url}{query}").content.decode()
        return {s.pk for s in (mine, theirs) if f'data-supervision="{s.pk}"' in body}

    assert listed("demo_street") == {mine.pk}  # flagged by the office
    assert listed("demo_street", "?scope=area") == {mine.pk, theirs.pk}
    assert listed("demo_district") == {mine.pk, theirs.pk}
    assert listed("demo_mediator") == {mine.pk}
    assert listed("demo_mediator_b") == {theirs.pk}
    assert listed("demo_street", "?state=overdue") == set()
    assert client_as("demo_grid").get(url).status_code == 403
    assert (
        client_as("demo_mediator_b")
        .get(reverse("supervision:supervision_detail", args=[mine.pk]))
        .status_code
        == 404
    )


def test_the_flag_form_explains_a_same_level_refusal(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from tiaojie.cases.services import intake

    queued = intake.case_register(actor=world.user("demo_street"), data=f.case_data())
    street = client_as("demo_street")
    panel = street.get(reverse("supervision:case_panel", args=[queued.pk])).content.decode()
    assert 'id="flag-button"' not in panel
    response = street.post(
        reverse("supervision:supervision_flag", args=[queued.pk]),
        {"deadline": working_day().isoformat(), "instructions": "x"},
    )
    assert response.status_code == 403 and not Supervision.objects.exists()
