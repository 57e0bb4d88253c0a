"""``manage.py follow_organisation_paths``: give every stored copy of an organisation's path
(a case's ``committee_path``, a screening finding's, …: ``path_copies``) its organisation's
current path. Run it nightly from cron.

A move re-keys the copies of its subtree in its own transaction. A write that read a
committee's path just before a move of that committee committed, and committed just after it
(a registration, a transfer, a ledger import), keeps the old path: the case would stay in the
old parent's lists and out of the new one's until something rewrote it. This command is that
something, and a check: it prints how many copies it mended, which is 0 on a quiet night."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tiaojie.organisations import path_copies
from tiaojie.organisations.models import Organisation


class Command(BaseCommand):
    help = "Mend stored copies of organisation paths left stale by a move. Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        mended = 0
        for root in Organisation.objects.filter(parent__isnull=True).order_by("path"):
            with transaction.atomic():
                mended += path_copies.follow(root)
        self.stdout.write(f"{mended} stale path copies mended.")
