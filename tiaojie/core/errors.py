"""Domain errors with stable codes, raised by services and turned into messages by views and API."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

from tiaojie.core.error_codes import CoreErrorCode, ErrorCode


class DomainError(Exception):
    """A business rule refused the operation.

    ``code`` is stable (clients and tests match on it); ``message`` is translated for the user;
    ``fields`` maps a field name to its messages when the error belongs to input fields.
    """

    status = 400

    def __init__(
        self,
        code: ErrorCode,
        message: str | Promise,
        *,
        fields: dict[str, list[str]] | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.message = str(message)
        self.fields = fields or {}
        self.params = params
        super().__init__(f"{code}: {self.message}")


class ValidationFailed(DomainError):
    """Input did not pass validation; ``fields`` says where."""

    status = 422


class Conflict(DomainError):
    """The operation clashes with the current state (illegal move, stale version)."""

    status = 409


class NotPermitted(DomainError):
    """The actor may see the object but may not do this to it."""

    status = 403


class OutOfScope(NotPermitted):
    """The object is outside the actor's part of the tree. A 403 where the caller had already
    shown the object (a page read it in scope, then someone moved it away); a caller that
    addressed it by id alone answers 404, as for a missing one, so that "not yours" looks like
    "not found" (``cases.api.cases_transition``)."""


def field_error(
    field: str | None,
    message: str | Promise,
    code: ErrorCode = CoreErrorCode.INVALID,
    *,
    summary: str | Promise | None = None,
) -> ValidationFailed:
    """A refusal of the input of one field, shown beside it (``field`` None: on the form as a
    whole). The one helper for it: services call it rather than building the error.
    ``summary``: the error's own message when it is the form's (“Please correct the errors
    below.”) rather than the field's."""
    text = str(message)
    return ValidationFailed(code, summary or text, fields={field: [text]} if field else None)
