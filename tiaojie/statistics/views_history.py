"""The import of historical aggregates (periods before the system): the page with its
template, the list of what has been imported, and the upload (all or nothing)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.core import xlsx
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.imports import ImportInvalid
from tiaojie.core.types import AuthedRequest
from tiaojie.statistics import historical


class HistoryForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File of historical figures (.xlsx or .csv)"))


@access(Capability.CASE_SUPERVISE)
def history_page(request: AuthedRequest) -> HttpResponse:
    if not historical.may_import(request.user):
        raise PermissionDenied
    form = HistoryForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = historical.import_history(upload, upload.name, request.user)
        except ImportInvalid as exc:
            errors = [str(e) for e in exc.errors]
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error("file" if exc.fields.get("file") else None, exc.message)
        else:
            messages.success(
                request,
                _("%(count)s rows of historical figures imported.") % {"count": count},
            )
            return redirect("statistics:history")
    context = {"form": form, "errors": errors, "imported": historical.imported(request.user)}
    return render(request, "statistics/history.html", context)


@access(Capability.CASE_SUPERVISE)
def history_template(request: AuthedRequest) -> HttpResponse:
    if not historical.may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(historical.template_xlsx(), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="statistics-history-template.xlsx"'
    return response
