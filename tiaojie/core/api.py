"""Shared pieces of the REST API (the bearer authentication is ``accounts.bearer``): the one
error mapping, the caller,
the input types every schema uses at the edge (times, text, numbers, lists), pagination.

Conventions (docs/architecture.md, "The API"):

- every operation declares ``**ERRORS``: whatever a request may answer besides success;
- every body schema derives from ``InputSchema``: its text refuses control characters (tab,
  line feed and carriage return stay) and is bounded (``MAX_TEXT`` characters unless the field
  says less), its lists hold at most ``MAX_ITEMS`` entries, its whole numbers fit a 32-bit
  column;
- every date and time is a ``LocalDateTime``: without an offset it means Beijing time;
- path ids use the ``{id:…}`` converter: up to 18 digits, anything else is a JSON 404;
- every coded field is ``Annotated[str, codes(SomeChoices)]``: an ``enum`` in the OpenAPI schema
  whose description lists each code with its Chinese label; an unknown code answers 422 listing
  the valid ones. A dispute type is a code of the versioned dictionary (``DISPUTE_TYPE``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import annotated_types
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import register_converter
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.params import functions as params
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from tiaojie.core.paging import Counted, counted

if TYPE_CHECKING:
    from django.db.models import Choices

    from tiaojie.accounts.models import User

T = TypeVar("T")

MAX_PAGE_SIZE = 200
# The highest page a list accepts; beyond the last page a list answers an empty page.
MAX_PAGE = 2**31 - 1
# Bounds of what documents and pages can hold (docs/architecture.md, "Bounds of input"):
# the longest free text (a narrative, a record's content) and the longest list (parties).
MAX_TEXT = 10_000
MAX_ITEMS = 100
MAX_PARTIES = 50
# Whole numbers fit the smallest integer column they may be stored in (PostgreSQL integer).
MIN_INT, MAX_INT = -(2**31), 2**31 - 1


def caller(request: HttpRequest, capability: str | None = None) -> User:
    """The authenticated caller; with ``capability``, 403 unless their role grants it (what
    ``@access`` does for a page)."""
    user: User = request.user  # type: ignore[assignment]
    if capability is not None and not user.can(capability):
        raise PermissionDenied
    return user


class ErrorOut(Schema):
    """Every error: a stable ``code``, a translated ``message`` and, for input errors, the
    messages of each field (``"parties.0.name"``; ``"<row>:<column>"`` for spreadsheets;
    ``"__all__"`` for the request as a whole)."""

    code: str = Field(description="stable error code, e.g. validation_error, not_found")
    message: str
    fields: dict[str, list[str]] | None = Field(
        None, description="field name → its messages (zh-Hans unless Accept-Language says en)"
    )


# The one error mapping: what any operation may answer besides its success (401 unauthenticated,
# 403 role, 404 missing or not yours or a bad path id, 409 state or version, 413 body too large,
# 422 invalid input).
ERRORS: dict[int, Any] = {s: ErrorOut for s in (401, 403, 404, 409, 413, 422)}


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


PAGE: Any = params.Query(
    1, ge=1, le=MAX_PAGE, description="1-based; past the last page: no results"
)
PAGE_SIZE: Any = params.Query(50, description=f"at most {MAX_PAGE_SIZE}")


class CappedPage(Page[T], Generic[T]):
    count_capped: bool = Field(
        description="true when counting stopped at the cap: there are at least `count` results"
    )
    count_is_estimate: bool = Field(
        default=False,
        description="true when `count` is an estimate (rounded, from the first matches), not a "
        "count: a search matching about the cap or more is not counted (there are about `count`)",
    )


def paginate(
    queryset: QuerySet[Any],
    page: int,
    page_size: int,
    *,
    cap: int | None = None,
    estimate: bool = False,
    count: int | None = None,
) -> dict[str, Any]:
    """One page of ``queryset`` and its count; with ``cap``, the count stops there and
    ``count_capped`` says whether it did; with ``estimate`` too (a search), a count estimated
    from its first matches at the cap or more is that estimate and ``count_is_estimate`` says
    so (``paging.counted``). ``count``: the rows' number, when the caller knows it already
    (it is not counted again)."""
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    offset = (page - 1) * page_size
    if count is not None:
        found = Counted(count)
    elif cap is None:
        found = Counted(queryset.count())
    else:
        found = counted(queryset, cap, estimate=estimate)
    if found.ids is not None:  # every match is known: read the page from those rows
        queryset = queryset.filter(pk__in=found.ids)
    # Past a capped or estimated count the rows go on: a page there is read as any other (the
    # page number is bounded by MAX_PAGE, so the offset still fits the database's 64-bit
    # integers).
    end = offset + 1 if found.capped or found.estimate else found.count
    return {
        **(
            {"count_capped": found.capped, "count_is_estimate": found.estimate}
            if cap is not None
            else {}
        ),
        "count": found.count,
        "page": page,
        "page_size": page_size,
        # Past the end, no query: a huge offset overflows the database's integers.
        "results": list(queryset[offset : offset + page_size]) if offset < end else [],
    }


NOT_FOUND = _("Not found.")


# --- path ids ----------------------------------------------------------------------------------


class IdConverter:
    """``{id:case_id}``: a database id of up to 18 digits (any such number fits a 64-bit
    integer); anything else does not match the URL, which the API answers as a JSON 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


# --- dates and times ----------------------------------------------------------------------------

_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


def _with_time(value: Any) -> Any:
    if (isinstance(value, str) and _DATE_ONLY.fullmatch(value)) or (
        isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    ):
        raise PydanticCustomError("datetime_without_time", "a time is required")
    return value


def _beijing_time(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


LOCAL_DATETIME_DESCRIPTION = (
    "ISO 8601 date and time; without an offset it is Beijing time (Asia/Shanghai). "
    "A date alone is refused: give the time."
)
# Every date and time the API reads: a naive time is Beijing time, never compared as naive.
LocalDateTime = Annotated[
    dt.datetime,
    BeforeValidator(_with_time),
    AfterValidator(_beijing_time),
    Field(description=LOCAL_DATETIME_DESCRIPTION),
]


# --- bodies -------------------------------------------------------------------------------------

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates (which no
# database can store). They break exports, documents and PostgreSQL text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _no_control_characters(value: Any) -> None:
    if isinstance(value, str):
        if _CONTROL.search(value):
            raise PydanticCustomError("control_character", "control characters are not allowed")
    elif isinstance(value, list | tuple):
        for item in value:
            _no_control_characters(item)


def _bound(info: FieldInfo) -> None:
    """Give a field the default bound of its kind unless it declares its own."""
    kinds = {type(m) for m in info.metadata}
    annotation = info.annotation
    origin = getattr(annotation, "__origin__", None)
    args = set(getattr(annotation, "__args__", ()))
    if annotation is str or (str in args and origin is None):
        if annotated_types.MaxLen not in kinds:
            info.metadata.append(annotated_types.MaxLen(MAX_TEXT))
    elif origin is list or any(getattr(a, "__origin__", None) is list for a in args):
        if annotated_types.MaxLen not in kinds:
            info.metadata.append(annotated_types.MaxLen(MAX_ITEMS))
    elif annotation is int or (int in args and bool not in args):
        if not kinds & {annotated_types.Ge, annotated_types.Gt}:
            info.metadata.append(annotated_types.Ge(MIN_INT))
        if not kinds & {annotated_types.Le, annotated_types.Lt}:
            info.metadata.append(annotated_types.Le(MAX_INT))


class InputSchema(Schema):
    """The base of every request body: bounded, without control characters."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for info in cls.model_fields.values():
            _bound(info)
        cls.model_rebuild(force=True)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value: Any) -> Any:
        _no_control_characters(value)
        return value


# --- coded fields -------------------------------------------------------------------------------


class codes:  # noqa: N801 - reads as a type annotation: Annotated[str, codes(CaseSource)]
    """The marker of a coded field: ``Annotated[str, codes(CaseSource)]``.

    In the OpenAPI schema the field is an ``enum`` of the codes, described as ``code: 中文名``
    (the labels in zh-Hans whatever the request's language: the schema is one document).
    A value outside the codes answers 422 "Choose one of: …" with the valid codes.
    ``blank=True`` also accepts (or returns) the empty string: not given, not known.
    """

    def __init__(self, choices: type[Choices], *, blank: bool = False, note: str = "") -> None:
        self.choices = choices
        self.blank = blank
        self.note = note
        self.values: list[str] = [str(v) for v in choices.values]
        if blank:
            self.values = ["", *self.values]

    def description(self) -> str:
        with translation.override("zh-hans"):
            lines = [f"`{value}`: {label}" for value, label in self.choices.choices]
        if self.blank:
            lines.insert(0, '`""`: 未填写 (not given)')
        head = f"{self.note}\n\n" if self.note else ""
        return head + "Codes:\n" + "\n".join(f"- {line}" for line in lines)

    def _check(self, value: str) -> str:
        if value not in self.values:
            raise PydanticCustomError(
                "enum",
                "Input should be {expected}",
                {"expected": ", ".join(v for v in self.values if v)},
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["enum"] = list(self.values)
        json_schema["description"] = self.description()
        return json_schema


DISPUTE_TYPE_DESCRIPTION = (
    "A dispute type code of the versioned dictionary: the valid codes and their names are "
    "those GET /api/v1/dispute-types lists (it changes with the statistics forms, so it is "
    "not a fixed enum). An unknown or retired code answers 422."
)
# Every dispute type field: a code of the dictionary (see DISPUTE_TYPE_DESCRIPTION).
DisputeTypeCode = Annotated[str, Field(description=DISPUTE_TYPE_DESCRIPTION)]
