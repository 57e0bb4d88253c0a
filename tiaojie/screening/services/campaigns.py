"""Campaigns (专项活动): created by an office or bureau, targets per organisation below it,
daily counts reported by those organisations, and the progress the report shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.organisations.models import Organisation
from tiaojie.screening.error_codes import ScreeningErrorCode as E
from tiaojie.screening.models import Campaign, CampaignCount, CampaignTarget
from tiaojie.screening.rules import OVERSEE, REPORT

LONGEST_DAYS = 366


def _invalid(fields: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=fields)


@transaction.atomic
def campaign_create(
    *, actor: User, name: str, starts_on: dt.date | None, ends_on: dt.date | None
) -> Campaign:
    if not actor.can(OVERSEE):
        raise NotPermitted(E.NOT_PERMITTED, _("Only an office or a bureau runs campaigns."))
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the campaign.")]
    if starts_on is None:
        errors["starts_on"] = [_("Enter the first day.")]
    if ends_on is None:
        errors["ends_on"] = [_("Enter the last day.")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The last day comes before the first.")]
    elif starts_on is not None and (ends_on - starts_on).days > LONGEST_DAYS:
        errors["ends_on"] = [_("A campaign lasts a year at most.")]
    if errors or starts_on is None or ends_on is None:
        raise _invalid(errors)
    org = actor.organisation
    campaign = Campaign.objects.create(
        owner=org,
        owner_path=org.path,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit.record(
        EventType.CAMPAIGN_CREATED,
        actor=actor,
        organisation=org,
        obj=campaign,
        after={"starts_on": starts_on, "ends_on": ends_on},
    )
    return campaign


def may_run(user: User, campaign: Campaign) -> bool:
    """The organisation running the campaign (and those above it) set its targets."""
    return user.can(OVERSEE) and campaign.owner_path.startswith(user.organisation.path)


@transaction.atomic
def target_set(
    *, actor: User, campaign: Campaign, organisation: Organisation | None, target: int | None
) -> CampaignTarget:
    if not may_run(actor, campaign):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the organisation running it sets targets."))
    errors: dict[str, list[str]] = {}
    if organisation is None or not organisation.path.startswith(campaign.owner_path):
        errors["organisation"] = [_("Choose an organisation below the one running it.")]
    if target is None or target < 1:
        errors["target"] = [_("The target is a whole number from 1.")]
    if errors or organisation is None or target is None:
        raise _invalid(errors)
    row, _created = CampaignTarget.objects.update_or_create(
        campaign=campaign,
        organisation=organisation,
        defaults={"organisation_path": organisation.path, "target": target},
    )
    audit.record(
        EventType.CAMPAIGN_TARGET_SET,
        actor=actor,
        organisation=campaign.owner,
        obj=campaign,
        after={"organisation": organisation.pk, "target": target},
    )
    return row


def may_count(user: User, campaign: Campaign) -> bool:
    return (
        user.can(REPORT)
        and CampaignTarget.objects.filter(
            campaign=campaign, organisation_id=user.organisation_id
        ).exists()
    )


@transaction.atomic
def count_record(
    *,
    actor: User,
    campaign: Campaign,
    day: dt.date | None,
    screened: int | None,
    resolved: int | None,
) -> CampaignCount:
    """The actor's organisation's count for ``day`` (replacing one entered before)."""
    if not may_count(actor, campaign):
        raise NotPermitted(E.NOT_PERMITTED, _("Only an organisation with a target reports counts."))
    errors: dict[str, list[str]] = {}
    if day is None:
        errors["day"] = [_("Enter the day.")]
    elif not campaign.starts_on <= day <= min(campaign.ends_on, timezone.localdate()):
        errors["day"] = [_("Choose a day of the campaign, up to today.")]
    if screened is None or screened < 0:
        errors["screened"] = [_("Enter a whole number, 0 or more.")]
    if resolved is None or resolved < 0:
        errors["resolved"] = [_("Enter a whole number, 0 or more.")]
    elif screened is not None and resolved > screened:
        errors["resolved"] = [_("More resolved than screened.")]
    if errors or day is None or screened is None or resolved is None:
        raise _invalid(errors)
    row, _created = CampaignCount.objects.update_or_create(
        campaign=campaign,
        organisation_id=actor.organisation_id,
        day=day,
        defaults={"screened": screened, "resolved": resolved, "recorded_by": actor},
    )
    audit.record(
        EventType.CAMPAIGN_COUNT_RECORDED,
        actor=actor,
        organisation=actor.organisation,
        obj=campaign,
        after={"day": day, "screened": screened, "resolved": resolved},
    )
    return row


@dataclass(frozen=True)
class Progress:
    organisation: str
    target: int
    screened: int
    resolved: int

    @property
    def percent(self) -> int:
        return round(self.screened * 100 / self.target) if self.target else 0


def progress(campaign: Campaign) -> list[Progress]:
    """Each organisation with a target: its target and its totals so far."""
    totals = {
        row["organisation_id"]: row
        for row in campaign.counts.values("organisation_id").annotate(
            screened=Sum("screened"), resolved=Sum("resolved")
        )
    }
    rows = []
    for target in campaign.targets.select_related("organisation"):
        total = totals.get(target.organisation_id, {})
        rows.append(
            Progress(
                organisation=target.organisation.name,
                target=target.target,
                screened=total.get("screened") or 0,
                resolved=total.get("resolved") or 0,
            )
        )
    return rows


def daily(campaign: Campaign) -> list[tuple[dt.date, int, int]]:
    """The campaign's totals per day, all organisations together."""
    return [
        (row["day"], row["screened"], row["resolved"])
        for row in campaign.counts.values("day")
        .annotate(screened=Sum("screened"), resolved=Sum("resolved"))
        .order_by("day")
    ]
