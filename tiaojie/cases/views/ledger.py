"""The import of historical ledgers: the upload page, the template to fill in, and the status of
an import running in the background (the page, and the fragment it polls every two seconds)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiaojie.accounts.roles import Capability
from tiaojie.cases import ledger_columns, ledger_jobs
from tiaojie.cases.exports import XLSX_CONTENT_TYPE
from tiaojie.cases.forms_ledger import LedgerUploadForm
from tiaojie.cases.ledger_import import may_import
from tiaojie.cases.ledger_template import template_workbook
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.imports import ImportInvalid, RowError
from tiaojie.core.types import AuthedRequest

ERRORS_SHOWN = 500
RECENT_IMPORTS = 5


def _require(request: AuthedRequest) -> None:
    """Grid workers register disputes but do not handle cases: they import no ledgers."""
    if not may_import(request.user):
        raise PermissionDenied


@access(Capability.CASE_REGISTER)
def ledger_import(request: AuthedRequest) -> HttpResponse:
    """Upload a ledger: imported at once if small, else queued and followed on its status page."""
    _require(request)
    user = request.user
    posted = request.method == "POST"
    form = LedgerUploadForm(request.POST if posted else None, request.FILES if posted else None)
    errors: list[RowError] = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = ledger_jobs.ledger_upload(
                actor=user, file=upload, file_name=upload.name or ""
            )
        except ImportInvalid as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if outcome.job is not None:
                return redirect("cases:ledger_import_status", pk=outcome.job.pk)
            text = ngettext(
                "Imported %(count)s case.", "Imported %(count)s cases.", outcome.created
            ) % {"count": outcome.created}
            link = ledger_jobs.cases_url(outcome.registered_from, outcome.registered_to)
            messages.success(
                request, format_html('{} <a href="{}">{}</a>', text, link, _("Open them"))
            )
            return redirect("cases:ledger_import")
    return render(
        request,
        "cases/ledger_import.html",
        {
            "form": form,
            "errors": errors[:ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
            "columns": [
                (column.header, ledger_columns.explanation(column), column.required)
                for column in ledger_columns.COLUMNS
            ],
            "recent": ledger_jobs.ledger_imports_for(user)[:RECENT_IMPORTS],
        },
    )


@access(Capability.CASE_REGISTER)
def ledger_import_template(request: AuthedRequest) -> HttpResponse:
    """The XLSX to fill in, its three examples mediated by the user who downloads it."""
    _require(request)
    disposition = content_disposition_header(
        as_attachment=True, filename=_("case-ledger-template.xlsx")
    )
    return HttpResponse(
        template_workbook(request.user.full_name, timezone.localdate()),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": disposition or "attachment"},
    )


@access(Capability.CASE_REGISTER)
def ledger_import_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """An import of the user's committee: the whole page, or for htmx the fragment it polls."""
    _require(request)
    job = get_object_or_404(ledger_jobs.ledger_imports_for(request.user), pk=pk)
    context = {
        "job": job,
        "errors": job.errors[:ERRORS_SHOWN],
        "errors_hidden": max(len(job.errors) - ERRORS_SHOWN, 0),
        "cases_url": ledger_jobs.cases_url(job.registered_from, job.registered_to),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "cases/partials/ledger_status.html", context)
    return render(request, "cases/ledger_status.html", context)
