"""The API's authentication: a bearer token issued to a staff account."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from tiaojie.accounts.error_codes import AccountsErrorCode as E
from tiaojie.accounts.models import User
from tiaojie.accounts.services import token_authenticate
from tiaojie.core.errors import NotPermitted


def _may_while_changing(request: HttpRequest) -> bool:
    """The calls a person whose password must change may still make."""
    return request.path.endswith(("/auth/password", "/auth/token", "/me"))


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None and user.must_choose_password() and not _may_while_changing(request):
            raise NotPermitted(
                E.PASSWORD_CHANGE_REQUIRED,
                _("Choose a new password first (POST /api/v1/auth/password)."),
            )
        if user is not None:
            # Services and selectors read the actor from the request, as on the pages.
            request.user = user
        return user
