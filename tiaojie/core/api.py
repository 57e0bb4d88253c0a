"""Shared pieces of the REST API: error bodies, pagination (the bearer authentication is
``accounts.bearer``)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Schema

T = TypeVar("T")

MAX_PAGE_SIZE = 200


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
