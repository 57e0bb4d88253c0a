"""Shared pieces of the supervision API: the router, error sets, small helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.errors import ValidationFailed
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import months
from tiaojie.supervision.error_codes import SupervisionErrorCode as E

router = Router(tags=["Supervision"])


def require(user: User, capability: Capability) -> None:
    """What ``@access`` does for a page: a role without the capability gets 403."""
    if not user.can(capability):
        raise PermissionDenied


def org_ref(org: Organisation) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def parse_month(value: str, field: str = "month") -> dt.date:
    month = months.parse(value)
    if month is None:
        message = _("Enter a month as YYYY-MM.")
        raise ValidationFailed(E.INVALID, message, fields={field: [message]})
    return month
