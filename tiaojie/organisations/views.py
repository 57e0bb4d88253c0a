"""Pages of the organisation tree: browse and search, an organisation's page, create and edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiaojie.core import xlsx
from tiaojie.core.access import access
from tiaojie.core.capabilities import Capability
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.imports import ImportInvalid, RowError
from tiaojie.core.types import AuthedRequest
from tiaojie.organisations import import_columns, import_services, moves, selectors, services
from tiaojie.organisations.choices import ALLOWED_PARENTS, OrganisationKind
from tiaojie.organisations.forms import (
    MoveForm,
    OrganisationForm,
    StatusForm,
    TreeImportForm,
    TreeSearchForm,
)
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

SEARCH_LIMIT = 100
# A broken 60,000-row file could list as many errors; the first few hundred show the pattern.
IMPORT_ERRORS_SHOWN = 500
XLSX_CONTENT_TYPE = xlsx.CONTENT_TYPE


@access(Capability.ORGANISATION_VIEW)
def tree(request: AuthedRequest) -> HttpResponse:
    """The tree from the user's own organisation down; children load as branches open."""
    user: User = request.user
    form = TreeSearchForm(request.GET or None)
    parent_id = request.GET.get("parent")
    if parent_id and parent_id.isdigit():
        # htmx asks for one branch: the children of ``parent``.
        parent = organisation_policy.get_or_404(
            user, Capability.ORGANISATION_VIEW, pk=int(parent_id)
        )
        children = selectors.with_child_counts(
            selectors.organisations_for(user, parent=parent.pk)
        ).order_by("kind", "name")
        return render(request, "organisations/partials/branch.html", {"nodes": children})
    results = None
    if form.is_valid() and any(form.cleaned_data.values()):
        results = selectors.with_child_counts(
            selectors.organisations_for(
                user,
                q=form.cleaned_data["q"].strip(),
                kind=form.cleaned_data["kind"],
                status=form.cleaned_data["status"],
            )
        ).order_by("path")[:SEARCH_LIMIT]
    roots = selectors.with_child_counts(
        selectors.organisations_for(user).filter(pk=user.organisation_id)
    )
    template = (
        "organisations/partials/search_results.html" if request.htmx else "organisations/tree.html"
    )
    return render(
        request,
        template,
        {"form": form, "roots": roots, "results": results, "search_limit": SEARCH_LIMIT},
    )


@access(Capability.ORGANISATION_VIEW)
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user: User = request.user
    org = organisation_policy.get_or_404(
        user,
        Capability.ORGANISATION_VIEW,
        base=Organisation.objects.select_related("parent", "supervising_office", "merged_into"),
        pk=pk,
    )
    children = selectors.with_child_counts(
        selectors.organisations_for(user, parent=org.pk)
    ).order_by("kind", "name")
    staff_page = None
    if user.can(Capability.STAFF_VIEW):
        staff = org.staff.filter(is_active=True).order_by("role", "username")
        staff_page = Paginator(staff, 50).get_page(request.GET.get("staff_page"))
    can_manage = user.can(Capability.ORGANISATION_MANAGE)
    child_kinds = [k for k in OrganisationKind if org.kind in ALLOWED_PARENTS[k]]
    return render(
        request,
        "organisations/detail.html",
        {
            "org": org,
            "breadcrumb": selectors.visible_ancestors(user, org),
            "children": children,
            "staff_page": staff_page,
            "can_manage": can_manage,
            # Offered only when there is somewhere to go: the unit one works in has no place
            # within one's reach, nor has a committee for its street's officer.
            "can_move": can_manage
            and org.pk != user.organisation_id
            and selectors.move_parents(user, org).exists(),
            "can_add_account": user.can(Capability.ACCOUNT_MANAGE),
            "child_kinds": child_kinds if can_manage else [],
            # An association's members are kept by the mediators app (a page linked by name).
            "can_view_members": org.kind == OrganisationKind.ASSOCIATION
            and user.can(Capability.MEDIATOR_VIEW),
        },
    )


@access(Capability.ORGANISATION_MANAGE)
def create(request: AuthedRequest, parent_pk: int) -> HttpResponse:
    user: User = request.user
    parent = organisation_policy.get_or_404(user, Capability.ORGANISATION_MANAGE, pk=parent_pk)
    allowed = [k for k in OrganisationKind if parent.kind in ALLOWED_PARENTS[k]]
    kind = request.GET.get("kind") or (allowed[0].value if allowed else "")
    form = OrganisationForm(request.POST or None, initial={"kind": kind})
    form.fields["kind"].choices = [(k.value, k.label) for k in allowed]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=user, parent=parent, data=form.to_data())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": org.name})
            return redirect("organisations:detail", pk=org.pk)
    return render(request, "organisations/form.html", {"form": form, "parent": parent, "org": None})


@access(Capability.ORGANISATION_MANAGE)
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user: User = request.user
    org = organisation_policy.get_or_404(user, Capability.ORGANISATION_MANAGE, pk=pk)
    form = OrganisationForm(
        request.POST or None, initial=OrganisationForm.initial_from(org), fixed_kind=org.kind
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=user, org=org, data=form.to_data(), version=form.cleaned_data["version"] or 0
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisations:detail", pk=org.pk)
    return render(
        request, "organisations/form.html", {"form": form, "parent": org.parent, "org": org}
    )


@access(Capability.ORGANISATION_MANAGE)
def change_status(request: AuthedRequest, pk: int) -> HttpResponse:
    user: User = request.user
    org = organisation_policy.get_or_404(user, Capability.ORGANISATION_MANAGE, pk=pk)
    candidates = (
        organisation_policy.visible_tree(user, Capability.ORGANISATION_MANAGE)
        .active()
        .filter(kind=org.kind)
        .exclude(path__startswith=org.path)
    )
    form = StatusForm(
        request.POST or None,
        organisations=candidates,
        initial={"status": org.status, "version": org.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_change_status(
                actor=user,
                org=org,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["status_changed_on"],
                merged_into=form.cleaned_data["merged_into"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisations:detail", pk=org.pk)
    return render(request, "organisations/status_form.html", {"form": form, "org": org})


@access(Capability.ORGANISATION_MANAGE)
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    """迁移: put the organisation and everything below it under another parent the user also
    manages. The page says what moves with it before the user confirms."""
    user: User = request.user
    org = organisation_policy.get_or_404(
        user,
        Capability.ORGANISATION_MANAGE,
        base=Organisation.objects.select_related("parent"),
        pk=pk,
    )
    managed = organisation_policy.visible_tree(user, Capability.ORGANISATION_MANAGE)
    offered = selectors.move_parents(user, org)
    form = MoveForm(
        request.POST or None, offered=offered, managed=managed, initial={"version": org.version}
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                moves.organisation_move(
                    actor=user,
                    org=org,
                    parent=form.cleaned_data["parent"],
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                # A name taken under the new parent is the parent's problem on this page.
                if "name" in exc.fields:
                    exc.fields.setdefault("parent", []).extend(exc.fields.pop("name"))
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("%(name)s was moved.") % {"name": org.name})
                return redirect("organisations:detail", pk=org.pk)
    return render(
        request,
        "organisations/move_form.html",
        {"form": form, "org": org, **selectors.move_preview(org)},
        status=status,
    )


@access(Capability.ORGANISATION_IMPORT)
def import_tree(request: AuthedRequest) -> HttpResponse:
    """Upload an XLSX/CSV file to create a whole tree under an organisation the user manages."""
    user: User = request.user
    posted = request.method == "POST"
    chosen = (request.POST if posted else request.GET).get("anchor", "")
    if chosen.isdigit():
        # An anchor out of the user's scope answers like one that does not exist.
        organisation_policy.get_or_404(user, Capability.ORGANISATION_IMPORT, pk=int(chosen))
    form = TreeImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        anchors=import_services.import_anchors(user),
        base_depth=user.organisation.depth,
        initial={"anchor": int(chosen) if chosen.isdigit() else user.organisation_id},
    )
    errors: list[RowError] = []
    if posted and form.is_valid():
        anchor: Organisation = form.cleaned_data["anchor"]
        upload = form.cleaned_data["file"]
        try:
            created = import_services.organisation_tree_import(
                actor=user, anchor=anchor, file=upload, file_name=upload.name or ""
            )
        except ImportInvalid as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            count = len(created)
            text = ngettext(
                "Imported %(count)s organisation.", "Imported %(count)s organisations.", count
            ) % {"count": count}
            link = reverse("organisations:detail", args=[anchor.pk])
            label = _("Open %(name)s") % {"name": anchor.name}
            messages.success(request, format_html('{} <a href="{}">{}</a>', text, link, label))
            return redirect(f"{reverse('organisations:import')}?anchor={anchor.pk}")
    return render(
        request,
        "organisations/import.html",
        {
            "form": form,
            "errors": errors[:IMPORT_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(len(errors) - IMPORT_ERRORS_SHOWN, 0),
            "columns": [
                (column.header, import_columns.explanation(column), column.required)
                for column in import_columns.COLUMNS
            ],
        },
    )


@access(Capability.ORGANISATION_IMPORT)
def import_template(request: AuthedRequest) -> HttpResponse:
    """The XLSX to fill in: headers, what each column accepts, and three example rows."""
    disposition = content_disposition_header(
        as_attachment=True, filename=_("organisation-import-template.xlsx")
    )
    return HttpResponse(
        import_columns.template_workbook(),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": disposition or "attachment"},
    )
