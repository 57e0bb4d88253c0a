"""The API's authentication: a bearer token issued to a staff account."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from tiaojie.accounts.models import User
from tiaojie.accounts.services import token_authenticate


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            # Services and selectors read the actor from the request, as on the pages.
            request.user = user
        return user
