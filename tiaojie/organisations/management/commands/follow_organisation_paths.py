"""``manage.py follow_organisation_paths``: give every stored copy of an organisation's path
that is kept with a key to it (a case's ``committee_path``, a screening finding's, …:
``path_copies.registered``) its organisation's current path. Run it nightly from cron. Copies
kept by path alone (``organisation_path_prefix_copies``) have no key to check them against.

A move re-keys the copies of its subtree in its own transaction. A write that read a
committee's path just before a move of that committee committed, and committed just after it
(a registration, a transfer, a ledger import), keeps the old path: the case would stay in the
old parent's lists and out of the new one's until something rewrote it. This command is that
something, and a check: it prints how many copies it mended, which is 0 on a quiet night."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiaojie.organisations import path_copies
from tiaojie.organisations.models import Organisation


class Command(BaseCommand):
    help = "Mend stored copies of organisation paths left stale by a move. Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        mended = 0
        # No transaction around the whole: each organisation's rows are mended under a lock on
        # it alone (``path_copies.follow``), so a move elsewhere in the tree is not held up.
        for root in Organisation.objects.filter(parent__isnull=True).order_by("path"):
            mended += path_copies.follow(root)
        self.stdout.write(f"{mended} stale path copies mended.")
