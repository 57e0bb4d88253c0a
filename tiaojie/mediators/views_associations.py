"""The members page of a mediators' association (人民调解协会), reached from the association's
organisation page and from a mediator's page (所属协会): members now and those who left, and
for the bureau above, the forms to add a committee or a mediator and to end a membership."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import associations
from tiaojie.mediators.forms_associations import CommitteeJoinForm, MediatorJoinForm, MemberEndForm
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.models_associations import AssociationMember
from tiaojie.organisations.models import Organisation


def _association(request: AuthedRequest, pk: int) -> Organisation:
    found = associations.associations_visible(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _add(
    request: AuthedRequest,
    association: Organisation,
    committee_form: CommitteeJoinForm,
    mediator_form: MediatorJoinForm,
) -> bool:
    """Handle the posted form; True when a member was added."""
    which = request.POST.get("c-form") or request.POST.get("m-form") or ""
    try:
        if which == "committee" and committee_form.is_valid():
            d = committee_form.cleaned_data
            committee = Organisation.objects.filter(pk=d["committee"]).first()
            if committee is None:
                committee_form.add_error("committee", _("Choose a committee."))
                return False
            associations.committee_join(
                actor=request.user, association=association, committee=committee, joined=d["joined"]
            )
            return True
        if which == "mediator" and mediator_form.is_valid():
            d = mediator_form.cleaned_data
            mediator = Mediator.objects.filter(pk=d["mediator"]).first()
            if mediator is None:
                mediator_form.add_error("mediator", _("Choose a mediator."))
                return False
            associations.mediator_join(
                actor=request.user,
                association=association,
                mediator=mediator,
                role=d["role"],
                joined=d["joined"],
            )
            return True
    except DomainError as exc:
        apply_domain_error(committee_form if which == "committee" else mediator_form, exc)
    return False


@access(Capability.MEDIATOR_VIEW)
def association_members(request: AuthedRequest, pk: int) -> HttpResponse:
    """Members now and those who left; the bureau above adds and ends memberships."""
    association = _association(request, pk)
    manage = associations.may_manage(request.user, association)
    data = request.POST if request.method == "POST" else None
    committee_form = CommitteeJoinForm(data, association=association)
    mediator_form = MediatorJoinForm(data, association=association)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if _add(request, association, committee_form, mediator_form):
            messages.success(request, _("The member was added to the association."))
            return redirect("mediators:association_members", pk=association.pk)
    rows = associations.members_of(association)
    return render(
        request,
        "mediators/association_members.html",
        {
            "association": association,
            "current": [m for m in rows if m.left is None],
            "former": [m for m in rows if m.left is not None],
            "may_manage": manage,
            "committee_form": committee_form if manage else None,
            "mediator_form": mediator_form if manage else None,
        },
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def association_member_end(request: AuthedRequest, pk: int) -> HttpResponse:
    """End a membership; the row stays in the history below the current members."""
    member = (
        AssociationMember.objects.filter(
            pk=pk, association__in=associations.associations_visible(request.user)
        )
        .select_related("association__parent")
        .first()
    )
    if member is None:
        raise Http404
    if not associations.may_manage(request.user, member.association):
        raise PermissionDenied
    form = MemberEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the day of leaving as a date."))
    else:
        try:
            associations.membership_end(
                actor=request.user,
                member=member,
                left=form.cleaned_data.get("left"),
                version=form.cleaned_data.get("version"),
            )
        except DomainError as exc:
            messages.error(
                request, "；".join(m for ms in exc.fields.values() for m in ms) or exc.message
            )
        else:
            messages.success(request, _("The association membership was ended."))
    return redirect("mediators:association_members", pk=member.association_id)
