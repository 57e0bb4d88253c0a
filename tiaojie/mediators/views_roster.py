"""The roster as a file: export (masked, or in full on request), the import template, and the
import page (every row checked; nothing written unless all are valid)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.imports import ImportInvalid
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import exports, roster_import, selectors
from tiaojie.mediators.forms import ImportForm, RosterFilterForm


@access(Capability.MEDIATOR_MANAGE)
def roster_export(request: AuthedRequest) -> HttpResponse:
    """The roster as filtered on the list page; ``full=1`` for personal data in full."""
    form = RosterFilterForm(request.GET or None, user=request.user)
    found = selectors.roster(request.user, form.filters())
    return exports.roster_response(request.user, found, full=request.GET.get("full") == "1")


@access(Capability.MEDIATOR_MANAGE)
def roster_template(request: AuthedRequest) -> HttpResponse:
    return exports.template_response()


@access(Capability.MEDIATOR_MANAGE)
def roster_import_page(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = roster_import.roster_import(
                actor=request.user, file=upload, file_name=upload.name
            )
        except ImportInvalid as exc:
            errors = [str(e) for e in exc.errors]
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error("file" if exc.fields.get("file") else None, exc.message)
        else:
            messages.success(
                request,
                _("%(people)s mediators registered in %(memberships)s committee places.")
                % {"people": result.people, "memberships": result.memberships},
            )
            return redirect("mediators:mediator_list")
    return render(request, "mediators/roster_import.html", {"form": form, "errors": errors})
