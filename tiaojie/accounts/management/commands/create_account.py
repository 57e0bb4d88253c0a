"""``manage.py create_account``: open an account from the command line, administrators included.

The application never creates or changes administrator accounts (三员分立), so the three
administrators of a new installation are made here. The password is asked for twice and must
pass the password policy; the account and its creation go through the same service as the
pages, so the role must fit the organisation and the audit trail records it (as the system).
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.accounts.roles import Role
from tiaojie.accounts.services import AccountData, user_create
from tiaojie.core.errors import DomainError
from tiaojie.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create a staff or administrator account (asks for the password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--organisation", type=int, required=True, help="organisation id")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--title", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the id {options['organisation']}.")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise CommandError("The two passwords differ.")
        data = AccountData(
            username=options["username"],
            full_name=options["full_name"],
            organisation=organisation,
            role=options["role"],
            title=options["title"],
        )
        try:
            user = user_create(actor=None, data=data, password=password, must_change=True)
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {details}") from exc
        self.stdout.write(f"Created {user.username} ({user.role_label}, {organisation.name}).")
