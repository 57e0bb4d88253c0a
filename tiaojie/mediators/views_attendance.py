"""Training attendance as a file: the import template and the import page (every row checked;
nothing written unless all are valid)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tiaojie.accounts.roles import Capability
from tiaojie.core import xlsx
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.imports import ImportInvalid
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import attendance_import
from tiaojie.mediators.forms import ImportForm


def template_bytes() -> bytes:
    """An empty attendance sheet: its headers and one line of explanation."""
    book = Workbook()
    sheet = book.create_sheet("培训签到")
    book.remove(book.worksheets[0])
    sheet.title = "培训签到"
    xlsx.bold_row(sheet, attendance_import.TEMPLATE_HEADERS)
    xlsx.row(
        sheet,
        [
            _("Course title or number"),
            _("18 characters"),
            _("optional"),
            _("blank: the course's hours"),
        ],
    )
    xlsx.set_widths(sheet, [28, 24, 12, 16])
    return xlsx.to_bytes(book)


@access(Capability.MEDIATOR_MANAGE)
def attendance_template(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(template_bytes(), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="attendance-template.xlsx"'
    return response


@access(Capability.MEDIATOR_MANAGE)
def attendance_import_page(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            written = attendance_import.attendance_import(
                actor=request.user, file=upload, file_name=upload.name
            )
        except ImportInvalid as exc:
            errors = [str(e) for e in exc.errors]
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error("file" if exc.fields.get("file") else None, exc.message)
        else:
            messages.success(
                request, _("%(count)s attendance records imported.") % {"count": written}
            )
            return redirect("mediators:course_list")
    return render(request, "mediators/attendance_import.html", {"form": form, "errors": errors})
