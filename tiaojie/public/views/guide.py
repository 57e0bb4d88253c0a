""" "Before filing" (申请前指引) under /m/guide/: what happened? → the kind of dispute → what
people's mediation can and cannot do for it, what to bring, the other routes and time limits,
then 申请调解 with the type chosen. Public and script-free (a GET form); the texts are in
``public.guide``. The templates to print (申请书, 证据清单, a sample agreement) download as
HTML pages that print on one sheet."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from tiaojie.cases.models import DisputeType
from tiaojie.core.access import PUBLIC, access
from tiaojie.documents.formatting import dispute_name
from tiaojie.public import guide


def _type(code: str) -> DisputeType | None:
    return DisputeType.objects.valid_on(timezone.localdate()).filter(code=code).first()


@access(PUBLIC)
def index(request: HttpRequest) -> HttpResponse:
    """The question "what happened?"; an answer (``?type=``) leads to that type's guidance."""
    chosen = request.GET.get("type", "")
    if chosen:
        if guide.guidance_for(chosen) is not None and _type(chosen) is not None:
            return redirect("public:guide_topic", code=chosen)
        error = True
    else:
        error = False
    return render(
        request,
        "public/guide/index.html",
        {"situations": guide.SITUATIONS, "error": error, "forms": guide.FORMS},
    )


@access(PUBLIC)
def topic(request: HttpRequest, code: str) -> HttpResponse:
    guidance = guide.guidance_for(code)
    dispute_type = _type(code)
    if guidance is None or dispute_type is None:
        raise Http404
    context = {
        "dispute_type": dispute_type,
        # 邻里 → 邻里纠纷, 劳动争议 stays (the dictionary's names are Chinese).
        "topic_name": dispute_name(dispute_type.name),
        "guidance": guidance,
        "common_can": guide.COMMON_CAN,
        "common_cannot": guide.COMMON_CANNOT,
        "agreement": guide.COMMON_AGREEMENT,
        "limitation": guide.LIMITATION,
        "hotline": guide.HOTLINE,
        "danger": guide.DANGER,
        "forms": guide.FORMS,
        "apply_url": f"{reverse('public:apply')}?{urlencode({'type': code})}",
    }
    return render(request, "public/guide/topic.html", context)


@access(PUBLIC)
def form(request: HttpRequest, name: str) -> HttpResponse:
    """A blank template to print, or (``?download=1``) to keep as a file."""
    if name not in guide.FORMS:
        raise Http404
    response = render(
        request,
        f"public/guide/form_{name}.html",
        {"title": guide.FORMS[name], "name": name, "evidence_rows": range(1, 9)},
    )
    header = content_disposition_header(as_attachment=True, filename=guide.FILE_NAMES[name])
    if request.GET.get("download") and header:
        response["Content-Disposition"] = header
    return response
