"""The REST API at /api/v1/: one router per app, errors as ``{"code", "message", "fields"}``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from django.views.defaults import server_error as default_server_error
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tiaojie.accounts.api import router as accounts_router
from tiaojie.accounts.bearer import BearerAuth

# Operations kept in their own modules but on the cases router (they share its paths, e.g.
# GET and POST /cases/{id}/sessions): importing them registers them.
from tiaojie.cases import api_actions, api_records  # noqa: F401
from tiaojie.cases.api import router as cases_router
from tiaojie.core.errors import DomainError
from tiaojie.core.middleware import api_docs_guard
from tiaojie.deadlines.api import router as deadlines_router
from tiaojie.documents import api_casefile  # noqa: F401
from tiaojie.documents.api import router as documents_router
from tiaojie.mediators import (  # noqa: F401
    api_associations,
    api_committees,
    api_evaluation,
    api_experts,
    api_promotions,
    api_staffing,
    api_studios,
    api_training,
)
from tiaojie.mediators.api import router as mediators_router
from tiaojie.notifications.api import router as notifications_router
from tiaojie.organisations.api import router as organisations_router
from tiaojie.public import api_citizen_open  # noqa: F401
from tiaojie.public.api import router as public_router
from tiaojie.public.api_citizen import router as citizen_router
from tiaojie.reviews.api import router as reviews_router
from tiaojie.routing.api import router as routing_router
from tiaojie.screening.api import router as screening_router
from tiaojie.statistics.api import router as statistics_router
from tiaojie.subsidies.api import router as subsidies_router
from tiaojie.supervision.api import router as supervision_router
from tiaojie.triage.api import router as triage_router
from tiaojie.video.api import router as video_router

api = NinjaAPI(
    title="Tiaojie API",
    version="1",
    description="人民调解综合管理系统 API. Authenticate with POST /auth/token, then send "
    "`Authorization: Bearer <token>`. Messages follow Accept-Language (zh-Hans by default).",
    auth=BearerAuth(),
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=api_docs_guard,
)
api.add_router("", accounts_router)
api.add_router("", organisations_router)
api.add_router("", cases_router)
api.add_router("", documents_router)
api.add_router("", routing_router)
api.add_router("", deadlines_router)
api.add_router("", notifications_router)
api.add_router("", supervision_router)
api.add_router("", reviews_router)
api.add_router("", statistics_router)
api.add_router("", subsidies_router)
api.add_router("", mediators_router)
api.add_router("/screening/", triage_router)
api.add_router("/screening/", screening_router)
api.add_router("", public_router)
api.add_router("", citizen_router)
api.add_router("", video_router)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields or None)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "form", "file")
        ]
        # The payload name ninja puts first (e.g. "body" param name) adds nothing for the client.
        if len(loc) > 1 and loc[0] in {"body", "payload", "data"}:
            loc = loc[1:]
        key = ".".join(loc) or "__all__"
        fields.setdefault(key, []).append(_translate_pydantic(error))
    return _error(request, 422, "validation_error", _("The request is not valid."), fields)


def _translate_pydantic(error: dict[str, Any]) -> str:
    """pydantic's message in the request's language: every type a client can cause is named;
    anything else falls back to a generic message rather than pydantic's English."""
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = error.get("ctx") or {}
    datetime_message = _(
        "Enter a date and time as YYYY-MM-DDTHH:MM (Beijing time unless an offset is given)."
    )
    date_message = _("Enter a date as YYYY-MM-DD.")
    messages: dict[str, Callable[[], str]] = {
        "missing": lambda: _("This field is required."),
        "json_invalid": lambda: _("The body is not valid JSON."),
        "string_too_short": lambda: _("This field may not be empty."),
        "string_too_long": lambda: (
            _("Enter at most %(limit)s characters.") % {"limit": ctx.get("max_length", "")}
        ),
        "too_short": lambda: (
            _("Give at least %(limit)s entries.") % {"limit": ctx.get("min_length", "")}
        ),
        "too_long": lambda: (
            _("Give at most %(limit)s entries.") % {"limit": ctx.get("max_length", "")}
        ),
        "string_type": lambda: _("Enter text."),
        "int_parsing": lambda: _("Enter a whole number."),
        "int_type": lambda: _("Enter a whole number."),
        "int_from_float": lambda: _("Enter a whole number."),
        "float_parsing": lambda: _("Enter a number."),
        "float_type": lambda: _("Enter a number."),
        "decimal_parsing": lambda: _("Enter a number."),
        "decimal_type": lambda: _("Enter a number."),
        "decimal_max_digits": lambda: (
            _("Enter at most %(limit)s digits.") % {"limit": ctx.get("max_digits", "")}
        ),
        "decimal_max_places": lambda: (
            _("Enter at most %(limit)s decimal places.") % {"limit": ctx.get("decimal_places", "")}
        ),
        "decimal_whole_digits": lambda: _("This number is too large."),
        "greater_than_equal": lambda: (
            _("Enter a number of at least %(limit)s.") % {"limit": ctx.get("ge", "")}
        ),
        "greater_than": lambda: (
            _("Enter a number greater than %(limit)s.") % {"limit": ctx.get("gt", "")}
        ),
        "less_than_equal": lambda: (
            _("Enter a number of at most %(limit)s.") % {"limit": ctx.get("le", "")}
        ),
        "less_than": lambda: (
            _("Enter a number less than %(limit)s.") % {"limit": ctx.get("lt", "")}
        ),
        "date_from_datetime_parsing": lambda: date_message,
        "date_from_datetime_inexact": lambda: date_message,
        "date_parsing": lambda: date_message,
        "date_type": lambda: date_message,
        "datetime_parsing": lambda: datetime_message,
        "datetime_from_date_parsing": lambda: datetime_message,
        "datetime_type": lambda: datetime_message,
        "datetime_without_time": lambda: datetime_message,
        "bool_parsing": lambda: _("Enter true or false."),
        "bool_type": lambda: _("Enter true or false."),
        "list_type": lambda: _("Enter a list."),
        "enum": lambda: _("Choose one of: %(codes)s.") % {"codes": ctx.get("expected", "")},
        "literal_error": lambda: (
            _("Choose one of: %(codes)s.") % {"codes": ctx.get("expected", "")}
        ),
        "control_character": lambda: _(
            "Remove the control characters (only line breaks and tabs may appear in text)."
        ),
        "model_attributes_type": lambda: _("The body must be a JSON object."),
        "model_type": lambda: _("Enter an object."),
        "dict_type": lambda: _("The body must be a JSON object."),
    }
    message = messages.get(kind)
    return str(message()) if message else str(_("This value is not valid."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's "Cannot parse request body": malformed JSON is bad input like any other.
        return _error(
            request,
            422,
            "validation_error",
            _("The request is not valid."),
            {"body": [_("The body is not valid JSON.")]},
        )
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A multipart body without a boundary (or otherwise broken) is bad input, not a crash.
    message = _("The upload is not a valid multipart/form-data body.")
    return _error(request, 422, "validation_error", message, {"__all__": [message]})


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    message = _("The request body is larger than %(limit)s MB.") % {
        "limit": round(limit / 1024 / 1024, 1)
    }
    return _error(request, 413, "too_large", message)


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # The last line of defence: a number no column can hold (schemas bound what they declare).
    return _out_of_range(request)


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # PostgreSQL refusing a value (integer out of range, NUL in text) the schemas let through.
    return _out_of_range(request)


def _out_of_range(request: HttpRequest) -> HttpResponse:
    message = _("A value is out of range or cannot be stored.")
    return _error(request, 422, "validation_error", message, {"__all__": [message]})


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthorized", _("Send a valid token: Authorization: Bearer <token>.")
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", _("Your role may not do this."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: under /api/ a URL that matches no operation (a path id that is not a
    number, a mistyped path) is the JSON 404 every operation declares; elsewhere the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)

    return page_not_found(request, exception or Http404())


DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 when the database cannot be reached: a JSON error under /api/, else a page that
    needs no database (no context processors, no session), never a traceback."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "code": "unavailable",
                "message": _("The database cannot be reached just now. Try again in a minute."),
            },
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_down(request: HttpRequest, exc: Exception) -> HttpResponse:
    return unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a lost database answers 503 (it is temporary and says so); any other
    error the plain 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable(request)
    return default_server_error(request)
