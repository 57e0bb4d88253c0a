"""The REST API at /api/v1/: one router per app, errors as ``{"code", "message", "fields"}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tiaojie.accounts.api import router as accounts_router
from tiaojie.cases.api import router as cases_router
from tiaojie.core.api import BearerAuth
from tiaojie.core.errors import DomainError
from tiaojie.core.middleware import api_docs_guard
from tiaojie.deadlines.api import router as deadlines_router
from tiaojie.documents.api import router as documents_router
from tiaojie.notifications.api import router as notifications_router
from tiaojie.organisations.api import router as organisations_router
from tiaojie.reviews.api import router as reviews_router
from tiaojie.routing.api import router as routing_router
from tiaojie.supervision.api import router as supervision_router

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
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        # The payload name ninja puts first (e.g. "body" param name) adds nothing for the client.
        if len(loc) > 1 and loc[0] in {"body", "payload", "data"}:
            loc = loc[1:]
        key = ".".join(loc) or "__all__"
        fields.setdefault(key, []).append(_translate_pydantic(error))
    return _error(request, 422, "validation_error", _("The request is not valid."), fields)


def _translate_pydantic(error: dict[str, object]) -> str:
    kind = str(error.get("type", ""))
    messages = {
        "missing": _("This field is required."),
        "json_invalid": _("The body is not valid JSON."),
        "string_too_short": _("This field may not be empty."),
        "string_too_long": _("This value is too long."),
        "int_parsing": _("Enter a whole number."),
        "decimal_parsing": _("Enter a number."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "bool_parsing": _("Enter true or false."),
        "model_attributes_type": _("The body must be a JSON object."),
        "dict_type": _("The body must be a JSON object."),
    }
    return str(messages.get(kind, error.get("msg", _("This value is not valid."))))


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
