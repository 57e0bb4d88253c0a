"""``manage.py carry_over_ledgers [--month YYYY-MM]``: freeze last month's ledger figures of
every committee, office and bureau (run on the 1st; safe to run twice: done months are skipped)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tiaojie.organisations.choices import OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import months
from tiaojie.supervision.models import LedgerPeriod
from tiaojie.supervision.rules import LEDGER_KINDS
from tiaojie.supervision.services.ledger import carry_over_all


class Command(BaseCommand):
    help = "Carry over the ledgers of a finished month (default: last month). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM; default: the month before this one")

    def handle(self, *args: Any, **options: Any) -> None:
        default = months.previous_month(months.first_of(timezone.localdate()))
        month = months.parse(options["month"], None) if options["month"] else default
        if month is None:
            raise CommandError("--month must be YYYY-MM")
        if not months.has_ended(month):
            raise CommandError(f"{month:%Y-%m} has not ended yet")
        done = set(
            LedgerPeriod.objects.filter(month=month).values_list("organisation_id", flat=True)
        )
        orgs = Organisation.objects.filter(
            kind__in=LEDGER_KINDS, status=OrganisationStatus.ACTIVE
        ).exclude(pk__in=done)
        run = carry_over_all(month, orgs.order_by("path"))
        self.stdout.write(
            f"{month:%Y-%m}: {run.made} ledgers carried over, "
            f"{len(done) + run.already} already were, {len(run.failed)} refused."
        )
        for org, reason in run.failed:
            self.stderr.write(f"{org.name} ({org.pk}, {org.path}): {reason}")
        if run.failed:
            # Non-zero for cron: the refused ledgers are named above; a run again once they
            # are mended carries over only what is left.
            raise CommandError(f"{len(run.failed)} ledgers of {month:%Y-%m} were not carried over")
