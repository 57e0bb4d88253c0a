"""Request type for views behind ``@access``: the user is a signed-in staff account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
    request_id: str
