"""The citizen's pages under /m/: sign in by phone and code, the real-name step, the guided
application, the list and page of their cases, and the public directory. Thin: the rules are
in ``services``; the citizen comes from ``session.citizen_required``, never from
``request.user``."""

from __future__ import annotations

import re
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.cases.choices import CLOSED_STATUSES, CaseStatus
from tiaojie.cases.models import DisputeType
from tiaojie.core.access import PUBLIC, access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.middleware import client_ip
from tiaojie.mediators.models import Mediator
from tiaojie.organisations.models import Organisation
from tiaojie.public import directory as public_directory
from tiaojie.public import interview, selectors, services, session
from tiaojie.public.booking import BOOKABLE
from tiaojie.public.forms import (
    AnswerForm,
    CodeForm,
    DetailsForm,
    MessageForm,
    PhoneForm,
    RatingForm,
    RealNameForm,
    TypeForm,
)
from tiaojie.public.models import Booking, Citizen, Evidence, Rating, SmsMessage
from tiaojie.public.session import citizen_required


def _citizen(request: HttpRequest) -> Citizen:
    return cast(Citizen, request.citizen)  # type: ignore[attr-defined]


def _next(request: HttpRequest, default: str) -> str:
    """Only a citizen page of this site (no open redirect, never a staff page)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/m/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return default


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    citizen = session.current_citizen(request)
    return render(request, "public/home.html", {"citizen": citizen})


@access(PUBLIC)
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step one: the mobile number (a code is texted). Step two: the code. The number travels
    in the form's body, never in the address."""
    # The forms carry on only a page asked for; with none, the default is decided at the end.
    asked_for = _next(request, "")
    next_url = asked_for or reverse("public:my_cases")
    if request.method == "POST" and "code" in request.POST:
        form: PhoneForm = CodeForm(request.POST)
        if form.is_valid():
            try:
                citizen = services.sign_in_finish(
                    phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                response = HttpResponseRedirect(
                    next_url
                    if citizen.is_verified
                    # The real-name step carries a page asked for on (e.g. an application
                    # begun in the directory); with none, a newly verified citizen has no
                    # cases yet and goes on to 申请调解.
                    else reverse("public:real_name")
                    + (f"?{urlencode({'next': asked_for})}" if asked_for else "")
                )
                session.sign_in(response, citizen)
                return response
        return render(request, "public/sign_in_code.html", {"form": form, "next": asked_for})
    if request.method == "POST":
        form = PhoneForm(request.POST)
        if form.is_valid():
            try:
                services.sign_in_start(phone=form.cleaned_data["phone"], source=client_ip(request))
            except DomainError as exc:
                if exc.code == "phone_format":
                    apply_domain_error(form, exc)
                    return render(request, "public/sign_in.html", {"form": form, "next": asked_for})
                # Too many codes: say so on the code screen (the earlier code still works).
                messages.warning(request, exc.message)
            code_form = CodeForm(initial={"phone": form.cleaned_data["phone"]})
            return render(
                request, "public/sign_in_code.html", {"form": code_form, "next": asked_for}
            )
        return render(request, "public/sign_in.html", {"form": form, "next": asked_for})
    return render(request, "public/sign_in.html", {"form": PhoneForm(), "next": asked_for})


@require_POST
@citizen_required()
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(citizen=_citizen(request))
    response = redirect("public:home")
    session.sign_out(response)
    return response


@citizen_required()
def real_name(request: HttpRequest) -> HttpResponse:
    citizen = _citizen(request)
    if citizen.is_verified:
        return redirect(_next(request, reverse("public:my_cases")))
    form = RealNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.real_name_give(citizen=citizen, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect(_next(request, reverse("public:apply")))
    return render(request, "public/real_name.html", {"form": form, "next": _next(request, "")})


def _types() -> Any:
    return DisputeType.objects.valid_on(timezone.localdate()).order_by("sort_order")


@citizen_required(verified=True)
def apply(request: HttpRequest) -> HttpResponse:
    """Step one of applying: the kind of dispute (the interview that follows depends on it)."""
    citizen = _citizen(request)
    initial = {}
    wanted_type = request.GET.get("type", "")
    if wanted_type:
        initial["dispute_type"] = _types().filter(code=wanted_type).first()
    form = TypeForm(request.POST or None, types=_types(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_start(citizen=citizen, dispute_type=form.cleaned_data["dispute_type"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("public:apply_question")
    response = render(request, "public/apply_type.html", {"form": form})
    place = request.GET.get("place", "")
    if PLACE.fullmatch(place):
        # Chosen in the directory: offered first on the last step (no personal data in it).
        response.set_cookie(PLACE_COOKIE, place, max_age=3600, httponly=True, samesite="Lax")
    return response


@citizen_required(verified=True)
def apply_question(request: HttpRequest) -> HttpResponse:
    """One question per screen; the answer picks the next question."""
    draft = services.draft_of(_citizen(request))
    if draft.dispute_type is None:
        return redirect("public:apply")
    tree = interview.tree_for(draft.dispute_type.code)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and "back" in request.POST:
        services.draft_back(draft=draft)
        return redirect("public:apply_question")
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_answer(
                draft=draft,
                question_id=request.POST.get("question", ""),
                value=form.cleaned_data["value"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("public:apply_question")
    question = interview.next_question(tree, draft.answers)
    if question is None:
        return redirect("public:apply_details")
    context = {
        "form": form,
        "question": question,
        "dispute_type": draft.dispute_type,
        "answered": interview.transcript(tree, draft.answers),
        "step": len(interview.path_of(tree, draft.answers)) + 1,
    }
    return render(request, "public/apply_question.html", context)


def _places() -> list[tuple[str, str]]:
    places = [("", _("Choose…"))]
    places += [
        (f"centre:{org.pk}", _("Let %(centre)s decide (recommended)") % {"centre": org.name})
        for org in selectors.online_centres()
    ]
    places += [
        (f"committee:{org.pk}", f"{org.parent.name if org.parent else ''} · {org.name}")
        for org in selectors.directory()
    ]
    return places


PLACE = re.compile(r"(committee|centre|mediator):[0-9]{1,12}")
PLACE_COOKIE = "tj_apply_place"


def _place(value: str) -> tuple[Organisation | None, Organisation | None]:
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit() or kind == "mediator":
        return None, None
    org = Organisation.objects.filter(pk=int(pk)).first()
    return (org, None) if kind == "committee" else (None, org)


def _mediator_place(value: str) -> Mediator | None:
    kind, _sep, pk = value.partition(":")
    if kind != "mediator" or not pk.isdigit():
        return None
    mediator = Mediator.objects.filter(pk=int(pk)).first()
    if mediator is None or services.directory_committee_of(mediator) is None:
        return None
    return mediator


@citizen_required(verified=True)
def apply_details(request: HttpRequest) -> HttpResponse:
    """The last step: the sentence, the request, the other side, where to apply, evidence."""
    citizen = _citizen(request)
    draft = services.draft_of(citizen)
    if draft.dispute_type is None:
        return redirect("public:apply")
    tree = interview.tree_for(draft.dispute_type.code)
    if interview.next_question(tree, draft.answers) is not None:
        return redirect("public:apply_question")
    places = _places()
    chosen = request.COOKIES.get(PLACE_COOKIE, "")
    chosen_mediator = _mediator_place(chosen)
    if chosen_mediator is not None:
        committee_of = services.directory_committee_of(chosen_mediator)
        label = _("Mediator %(name)s") % {"name": chosen_mediator.name}
        places.insert(1, (chosen, f"{label} · {committee_of.name if committee_of else ''}"))
    initial = {"committee": chosen} if chosen in {value for value, _label in places} else {}
    form = DetailsForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        committee, centre = _place(form.cleaned_data["committee"])
        mediator = _mediator_place(form.cleaned_data["committee"])
        data = services.ApplicationData(
            summary=form.cleaned_data["summary"],
            requests=form.cleaned_data["requests"],
            amount=form.cleaned_data["amount"],
            respondent_kind=form.cleaned_data["respondent_kind"],
            respondent_name=form.cleaned_data["respondent_name"],
            respondent_phone=form.cleaned_data["respondent_phone"],
            committee=committee,
            centre=centre,
            mediator=mediator,
            files=request.FILES.getlist("files"),
        )
        try:
            application = services.application_submit(
                citizen=citizen, data=data, site_url=request.build_absolute_uri("/")
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Your application was sent."))
            return redirect("public:my_case", application.case_id)
    context = {
        "form": form,
        "dispute_type": draft.dispute_type,
        "answered": interview.transcript(tree, draft.answers),
        "max_files": services.MAX_EVIDENCE_FILES,
    }
    return render(request, "public/apply_details.html", context)


@citizen_required()
def my_cases(request: HttpRequest) -> HttpResponse:
    citizen = _citizen(request)
    rows = [
        {"application": a, "status": selectors.plain_status(a.case.status)}
        for a in selectors.applications_of(citizen)
    ]
    return render(request, "public/my_cases.html", {"rows": rows, "citizen": citizen})


@citizen_required()
def my_case(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the citizen's cases: its progress in plain words, the other side masked, the
    messages with the mediator, the agreement and the evidence sent."""
    citizen = _citizen(request)
    application = selectors.application_or_404(citizen, pk)
    case = application.case
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_from_party(citizen=citizen, case=case, text=form.cleaned_data["text"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect(reverse("public:my_case", args=[case.pk]) + "#messages")
    progress = (
        [
            {"label": selectors.plain_status(status), "done": True}
            for status in selectors.PROGRESS[
                : selectors.PROGRESS.index(CaseStatus(case.status)) + 1
            ]
        ]
        if case.status in selectors.PROGRESS
        else []
    )
    context = {
        "application": application,
        "case": case,
        "status": selectors.plain_status(case.status),
        "progress": progress,
        "others": selectors.other_parties(application),
        "messages_list": selectors.messages_of(case),
        "agreement": selectors.current_agreement(case),
        "evidence": selectors.evidence_of(case).filter(citizen=citizen),
        "form": form,
        "bookings": Booking.objects.filter(case=case, citizen=citizen).select_related("slot"),
        "bookable": case.status in BOOKABLE,
        "rating": Rating.objects.filter(application=application).first(),
        "may_rate": case.status in CLOSED_STATUSES,
        "rating_form": RatingForm(),
    }
    return render(request, "public/my_case.html", context)


@require_POST
@citizen_required()
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's rating (and complaint) once the case has ended."""
    citizen = _citizen(request)
    application = selectors.application_or_404(citizen, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(application=application, **form.cleaned_data)
        except DomainError as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.warning(request, _("Choose 1 to 5 stars."))
    return redirect(reverse("public:my_case", args=[pk]) + "#rating")


@citizen_required()
def my_evidence(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """A file the citizen sent, served after the ownership check (no other path reaches it)."""
    citizen = _citizen(request)
    application = selectors.application_or_404(citizen, pk)
    evidence = Evidence.objects.filter(
        pk=evidence_id, case=application.case, citizen=citizen
    ).first()
    if evidence is None:
        raise Http404
    path = services.evidence_dir(application.case) / evidence.stored_name
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), content_type=evidence.content_type, filename=evidence.original_name
    )


@access(PUBLIC)
def dev_texts(request: HttpRequest) -> HttpResponse:
    """Development only (DEBUG): the texts the outbox backend kept, newest first, so that a
    developer can sign in as a demo citizen. Not found in production."""
    if not settings.DEBUG:
        raise Http404
    return render(request, "public/dev_texts.html", {"texts": SmsMessage.objects.all()[:30]})


@access(PUBLIC)
def directory(request: HttpRequest) -> HttpResponse:
    """Committees by district and street, their brand rooms and studios, hours as published,
    and their mediators' public fields; filtered by district, street and dispute type. From
    an entry a citizen starts an application to that committee or mediator."""
    wanted = {
        "district": request.GET.get("district", ""),
        "street": request.GET.get("street", ""),
        "dispute_type": request.GET.get("dispute_type", "")[:40],
    }
    found = public_directory.build(**wanted)
    context = {
        "found": found,
        "wanted": wanted,
        "types": public_directory.dispute_types(),
        "centres": selectors.online_centres(),
    }
    return render(request, "public/directory.html", context)
