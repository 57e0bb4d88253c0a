"""The home page: where each role's work starts."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import SIGNED_IN, access
from tiaojie.core.types import AuthedRequest
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy
from tiaojie.workbench import selectors


@access(SIGNED_IN)
def home(request: AuthedRequest) -> HttpResponse:
    """The counts of what waits for the user, each linking to its filtered list; for the
    administrators, who hold no cases, the pages of their role."""
    user = request.user
    org = user.organisation
    context: dict[str, object] = {
        "organisation": org,
        "ancestors": list(Organisation.objects.ancestors_of(org)),
        "todo": selectors.to_do(user),
        "case_sections": selectors.case_sections(user),
    }
    if user.can(Capability.ORGANISATION_VIEW) and not user.can(Capability.CASE_CONTENT):
        visible = organisation_policy.visible(user, Capability.ORGANISATION_VIEW)
        context["subtree_count"] = visible.count()
    return render(request, "workbench/home.html", context)
