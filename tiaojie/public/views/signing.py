"""Signing the agreement on the phone: the applicant from their case page (their own
session), a respondent through their texted link; the signed PDF to download; and the public
verification page, which answers only "valid" with the kind and date, or "invalid"."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.cases.models import Case, Party
from tiaojie.core.access import PUBLIC, access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.middleware import client_ip
from tiaojie.documents import signing as documents_signing
from tiaojie.public import selectors, services, signing
from tiaojie.public.forms import SignForm, VerifyForm
from tiaojie.public.models import Citizen
from tiaojie.public.session import citizen_required

MAX_PDF_BYTES = 20 * 1024 * 1024


def _sign_page(
    request: HttpRequest, *, case: Case, party: Party, citizen: Citizen | None, pdf_url: str
) -> HttpResponse:
    state = signing.state_for(case, party)
    form = SignForm()
    sent = False
    refused = ""
    if request.method == "POST" and state.may_sign:
        if request.POST.get("action") == "send":
            try:
                signing.signing_code_send(case=case, party=party, source=client_ip(request))
            except DomainError as exc:
                refused = exc.message
            else:
                sent = True
        else:
            form = SignForm(request.POST)
            sent = True
            if form.is_valid():
                try:
                    signing.sign_on_phone(
                        case=case,
                        party=party,
                        drawing=form.cleaned_data["signature"],
                        code=form.cleaned_data["code"],
                        source=client_ip(request),
                        user_agent=request.headers.get("User-Agent", ""),
                        citizen=citizen,
                    )
                except DomainError as exc:
                    apply_domain_error(form, exc)
                else:
                    return redirect(request.path)
    context = {
        "case": case,
        "state": state,
        "form": form,
        "sent": sent,
        "refused": refused,
        "pdf_url": pdf_url,
        "status": selectors.plain_status(case.status),
    }
    return render(request, "public/sign.html", context)


def _pdf(case: Case, party: Party) -> HttpResponse:
    document = signing.state_for(case, party).signed_document
    if document is None:
        raise Http404
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    # No name, no number in the file name: the agreement's date only.
    response["Content-Disposition"] = f'attachment; filename="agreement-{document.sealed_on}.pdf"'
    return response


@citizen_required()
def my_sign(request: HttpRequest, pk: int) -> HttpResponse:
    citizen = cast(Citizen, request.citizen)  # type: ignore[attr-defined]
    application = selectors.application_or_404(citizen, pk)
    return _sign_page(
        request,
        case=application.case,
        party=application.party,
        citizen=citizen,
        pdf_url=f"/m/cases/{pk}/sign/agreement.pdf",
    )


@citizen_required()
def my_signed_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    citizen = cast(Citizen, request.citizen)  # type: ignore[attr-defined]
    application = selectors.application_or_404(citizen, pk)
    return _pdf(application.case, application.party)


@access(PUBLIC)
def respondent_sign(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    return _sign_page(
        request,
        case=invitation.case,
        party=invitation.party,
        citizen=None,
        pdf_url=f"/m/r/{token}/sign/agreement.pdf",
    )


@access(PUBLIC)
def respondent_signed_pdf(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    return _pdf(invitation.case, invitation.party)


def _too_many_checks(request: HttpRequest) -> bool:
    """At most ``TIAOJIE_VERIFY_PER_SOURCE_HOUR`` checks an hour from one address (a hash is
    not guessable, but the page should not serve as an oracle for a crawler)."""
    key = f"public.verify:{client_ip(request) or '-'}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > int(getattr(settings, "TIAOJIE_VERIFY_PER_SOURCE_HOUR", 60))


@access(PUBLIC)
def verify(request: HttpRequest) -> HttpResponse:
    """Check a signed document by its SHA-256: upload the PDF (hashed here, not kept) or paste
    the hash. The answer names the kind of document and the day it was sealed, nothing else."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        if _too_many_checks(request):
            form.add_error(None, _("Too many checks from this address. Try again later."))
            status = 429
        else:
            upload = form.cleaned_data["document"]
            value = form.cleaned_data["sha256"]
            if upload is not None:
                if upload.size > MAX_PDF_BYTES:
                    form.add_error("document", _("The file is larger than 20 MB."))
                else:
                    data = upload.read()
                    if not data.startswith(b"%PDF"):
                        form.add_error("document", _("This file is not a PDF."))
                    else:
                        value = documents_signing.sha256(data)
            elif not value:
                form.add_error(None, _("Choose the PDF or paste its SHA-256."))
            if not form.errors:
                document = documents_signing.verify(value)
                result = {
                    "valid": document is not None,
                    "sha256": value.strip().lower(),
                    "kind": document.get_kind_display() if document else "",
                    "sealed_on": document.sealed_on if document else None,
                }
    return render(request, "public/verify.html", {"form": form, "result": result}, status=status)
