"""The respondent's screens, reached through the texted link: one question per screen (agree
to mediate, a time that suits, their side). The token is the only credential: it names no
one, and a wrong token answers like a missing page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tiaojie.cases.choices import AgreementKind
from tiaojie.core.access import PUBLIC, access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.public import selectors, services
from tiaojie.public.choices import Answer
from tiaojie.public.forms import AnswerForm


@access(PUBLIC)
def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    services.invitation_open(invitation)
    step = services.respondent_step(invitation)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and step is not None and form.is_valid():
        if request.POST.get("step") == step:
            try:
                services.respondent_answer(
                    invitation=invitation, step=step, value=form.cleaned_data["value"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                return redirect("public:respond", token=token)
        else:
            return redirect("public:respond", token=token)
    case = invitation.case
    context = {
        "invitation": invitation,
        "step": step,
        "form": form,
        "token": token,
        "case": case,
        "status": selectors.plain_status(case.status),
        "answers": Answer,
        "has_agreement": case.agreements.filter(
            superseded_at__isnull=True, kind=AgreementKind.WRITTEN
        ).exists(),
    }
    return render(request, "public/respond.html", context)
