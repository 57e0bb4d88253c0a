"""The personal-information request page (PIPL): an ID number in, a file of everything held on
that person within the requester's scope out (``cases.privacy``)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.cases import privacy
from tiaojie.core.access import access
from tiaojie.core.types import AuthedRequest


class PersonRequestForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30)
    reason = forms.CharField(
        label=gettext_lazy("Request"),
        max_length=200,
        help_text=gettext_lazy("Who asked, when, and how their identity was checked."),
    )


@access(Capability.PERSONAL_INFO_REQUEST)
def person_request(request: AuthedRequest) -> HttpResponse:
    form = PersonRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = privacy.export_person(
            actor=request.user,
            id_number=form.cleaned_data["id_number"],
            reason=form.cleaned_data["reason"],
        )
        if result.parties:
            body = json.dumps(result.content, ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            stamp = timezone.localtime().strftime("%Y%m%d%H%M")
            response["Content-Disposition"] = (
                f'attachment; filename="personal-information-{stamp}.json"'
            )
            response["Cache-Control"] = "no-store"
            return response
        messages.info(request, _("No party with this ID number in the cases you may read."))
    return render(request, "cases/person_request.html", {"form": form})
