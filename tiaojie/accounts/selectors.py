"""Who works where: the staff of an organisation in given roles, for assignment and notices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role

# Who mediates a committee's cases: its mediators and its director.
MEDIATING_ROLES = (Role.MEDIATOR, Role.COMMITTEE_DIRECTOR)
# Who answers for an organisation: a committee's director, an office's or a bureau's officers.
HEAD_ROLES = (Role.COMMITTEE_DIRECTOR, Role.OFFICE_OFFICER, Role.BUREAU_OFFICER)


def staff_of(
    organisations: int | Iterable[int] | QuerySet[Any], roles: Iterable[str]
) -> QuerySet[User]:
    """The active accounts of an organisation (an id) or several (ids or a values queryset)
    that hold one of ``roles``."""
    people = User.objects.filter(is_active=True, role__in=list(roles))
    if isinstance(organisations, int):
        return people.filter(organisation_id=organisations)
    return people.filter(organisation_id__in=organisations)


def directors_of(organisation_id: int) -> QuerySet[User]:
    """A committee's active directors."""
    return staff_of(organisation_id, [Role.COMMITTEE_DIRECTOR])
