"""``manage.py reset_two_factor USERNAME --reason TEXT``: remove a lost authenticator.

For the administrators' own accounts, which no page may change (decision 4); the web page
of the security administrator does the same for everyone else. Audited; every session and
token of the account ends; the person is told by e-mail.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.accounts import twofactor
from tiaojie.accounts.models import User
from tiaojie.core.errors import DomainError


class Command(BaseCommand):
    help = "Remove the second factor of an account (lost phone); it enrols again at next sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account {options['username']!r}.")
        try:
            twofactor.reset(actor=None, user=user, reason=options["reason"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"Second factor of {user.username} removed.")
