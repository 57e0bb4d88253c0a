"""Campaigns: an office runs one with targets for its committees; a committee enters its
day's count (entered again, replaced); the report adds them up, as XLSX and as a PDF."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.screening.models import Campaign, CampaignCount
from tiaojie.screening.services import campaigns

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def _campaign(world: World) -> Campaign:
    today = timezone.localdate()
    campaign = campaigns.campaign_create(
        actor=world.user("demo_street"),
        name="迎国庆矛盾纠纷大排查",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=10),
    )
    campaigns.target_set(
        actor=world.user("demo_street"),
        campaign=campaign,
        organisation=world.org("东湖社区人民调解委员会"),
        target=20,
    )
    return campaign


def test_targets_daily_counts_and_progress(world: World) -> None:
    campaign = _campaign(world)
    director = world.user("demo_director")
    today = timezone.localdate()
    campaigns.count_record(actor=director, campaign=campaign, day=today, screened=4, resolved=1)
    campaigns.count_record(
        actor=director, campaign=campaign, day=today - dt.timedelta(days=1), screened=6, resolved=2
    )
    # The day entered again replaces its count.
    campaigns.count_record(actor=director, campaign=campaign, day=today, screened=5, resolved=3)
    assert CampaignCount.objects.count() == 2
    (row,) = campaigns.progress(campaign)
    assert (row.target, row.screened, row.resolved, row.percent) == (20, 11, 5, 55)
    assert [d[1] for d in campaigns.daily(campaign)] == [6, 5]


def test_bad_counts_and_outsiders_are_refused(world: World) -> None:
    campaign = _campaign(world)
    director = world.user("demo_director")
    with pytest.raises(ValidationFailed) as bad:
        campaigns.count_record(
            actor=director,
            campaign=campaign,
            day=timezone.localdate() + dt.timedelta(days=1),
            screened=1,
            resolved=2,
        )
    assert set(bad.value.fields) == {"day", "resolved"}
    with pytest.raises(NotPermitted):  # committee B has no target
        campaigns.count_record(
            actor=world.user("demo_mediator_b"),
            campaign=campaign,
            day=timezone.localdate(),
            screened=1,
            resolved=0,
        )
    with pytest.raises(ValidationFailed):  # an organisation outside the street's subtree
        campaigns.target_set(
            actor=world.user("demo_street"),
            campaign=campaign,
            organisation=world.org("西山区司法局"),
            target=5,
        )
    with pytest.raises(ValidationFailed) as dates:
        campaigns.campaign_create(
            actor=world.user("demo_street"),
            name="x",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "ends_on" in dates.value.fields


def test_the_report_as_xlsx_and_pdf(world: World, client_as: Clients) -> None:
    campaign = _campaign(world)
    campaigns.count_record(
        actor=world.user("demo_director"),
        campaign=campaign,
        day=timezone.localdate(),
        screened=7,
        resolved=2,
    )
    client = client_as("demo_district")
    xlsx = client.get(reverse("screening:campaign_report", args=[campaign.pk, "xlsx"]))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:4] == ("东湖社区人民调解委员会", 20, 7, 2)
    pdf = client.get(reverse("screening:campaign_report", args=[campaign.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/screening/campaigns/{campaign.pk}/report.csv").status_code == 404


def test_a_count_typed_wrong_keeps_what_was_typed(world: World, client_as: Clients) -> None:
    campaign = _campaign(world)
    page = client_as("demo_director").post(
        reverse("screening:campaign_count", args=[campaign.pk]),
        {"day": timezone.localdate().isoformat(), "screened": "3", "resolved": "9"},
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert 'value="9"' in html and "化解数不能多于排查数" in html
