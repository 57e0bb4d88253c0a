"""``manage.py create_root_organisation``: the first node of a new installation's tree."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.core.errors import DomainError
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.services import organisation_create
from tiaojie.organisations.validation import OrganisationData


class Command(BaseCommand):
    help = "Create the root of the organisation tree (a city or district justice bureau)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="e.g. 临江市司法局")
        parser.add_argument(
            "--kind",
            default=OrganisationKind.CITY_BUREAU,
            choices=[OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU],
        )
        parser.add_argument("--short-name", default="")
        parser.add_argument("--division-code", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        data = OrganisationData(
            kind=options["kind"],
            name=options["name"],
            short_name=options["short_name"],
            division_code=options["division_code"],
        )
        try:
            org = organisation_create(actor=None, parent=None, data=data)
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {details}") from exc
        self.stdout.write(f"Created {org.name} (id {org.pk}).")
