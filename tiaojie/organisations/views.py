"""Pages of the organisation tree: browse and search, an organisation's page, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.organisations import selectors, services
from tiaojie.organisations.choices import ALLOWED_PARENTS, OrganisationKind
from tiaojie.organisations.forms import OrganisationForm, StatusForm, TreeSearchForm
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy

SEARCH_LIMIT = 100


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
            "can_add_account": user.can(Capability.ACCOUNT_MANAGE),
            "child_kinds": child_kinds if can_manage else [],
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
