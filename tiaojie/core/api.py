"""Shared pieces of the REST API: bearer authentication, error bodies, pagination."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.security import HttpBearer

from tiaojie.accounts.models import User

T = TypeVar("T")

MAX_PAGE_SIZE = 200


def _may_while_changing(request: HttpRequest) -> bool:
    """The calls a person whose password must change may still make."""
    return request.path.endswith(("/auth/password", "/auth/token", "/me"))


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        from tiaojie.accounts.services import token_authenticate

        user = token_authenticate(token)
        if user is not None and user.must_choose_password() and not _may_while_changing(request):
            from tiaojie.core.errors import NotPermitted

            raise NotPermitted(
                "password_change_required",
                _("Choose a new password first (POST /api/v1/auth/password)."),
            )
        if user is not None:
            # Services and selectors read the actor from the request, as on the pages.
            request.user = user
        return user


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


def paginate(queryset: QuerySet[Any], page: int, page_size: int) -> dict[str, Any]:
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    offset = (page - 1) * page_size
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
        "results": list(queryset[offset : offset + page_size]),
    }


NOT_FOUND = _("Not found.")
