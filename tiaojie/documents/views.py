"""The documents pages: a case's documents and its whole file, and a bureau's templates. Thin:
the services generate, record and refuse; the views parse, call and send."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.cases import casefile
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.isolation import LimitExceeded
from tiaojie.core.types import AuthedRequest
from tiaojie.documents import docx, fields, selectors, services
from tiaojie.documents.forms import TemplateUploadForm
from tiaojie.documents.kinds import CONTENT_TYPES, DOCX_KINDS, Format, Kind
from tiaojie.documents.models import DocumentTemplate, RenderStatus


def _case(request: AuthedRequest, pk: int) -> Case:
    return case_policy.get_or_404(
        request.user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee", "dispute_type", "registered_by"),
        pk=pk,
    )


def send(generated: services.Generated, *, inline: bool) -> HttpResponse:
    response = HttpResponse(generated.data, content_type=generated.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(not inline, generated.filename) or ""
    )
    response["Cache-Control"] = "private, no-store"
    return response


@access(Capability.CASE_CONTENT)
def case_documents(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    refs = selectors.available(case)
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "refs": refs,
            "docx_kinds": DOCX_KINDS,
            "missing": casefile.missing_documents(case),
            "render": next(iter(services.renders_for(request.user, case)), None),
        },
    )


def _record_id(request: AuthedRequest) -> int | None:
    raw = request.GET.get("record")
    if raw is None:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


@access(Capability.CASE_CONTENT)
def document_download(request: AuthedRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    case = _case(request, pk)
    try:
        document_kind, document_format = Kind(kind), Format(fmt)
    except ValueError as exc:
        raise Http404 from exc
    if document_format == Format.DOCX and document_kind not in DOCX_KINDS:
        raise Http404
    try:
        generated = services.document_generate(
            actor=request.user,
            case=case,
            kind=document_kind,
            fmt=document_format,
            record_id=_record_id(request),
        )
    except services.NotApplicable as exc:
        raise Http404 from exc  # the page links only to the documents that apply
    except LimitExceeded as exc:
        # Back to the documents page, which says why (the link opens in the same tab).
        messages.error(request, exc.message)
        return redirect("documents:case_documents", pk=case.pk)
    return send(generated, inline=document_format == Format.PDF)


def _status(request: AuthedRequest, case: Case) -> HttpResponse:
    return render(
        request,
        "documents/partials/render_status.html",
        {"case": case, "render": next(iter(services.renders_for(request.user, case)), None)},
    )


@access(Capability.CASE_CONTENT)
def case_file_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """The render status fragment the documents page polls every two seconds."""
    return _status(request, _case(request, pk))


@access(Capability.CASE_CONTENT)
@require_POST
def case_file_render(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    services.case_file_render_request(actor=request.user, case=case)
    if request.htmx:
        return _status(request, case)
    return redirect("documents:case_documents", pk=case.pk)


@access(Capability.CASE_CONTENT)
def case_file(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    done = [r for r in services.renders_for(request.user, case) if r.status == RenderStatus.DONE]
    if not done or not done[0].file:
        raise Http404
    return send(services.case_file_read(actor=request.user, render=done[0]), inline=True)


def _require_template_admin(request: AuthedRequest) -> None:
    if not services.may_manage_templates(request.user):
        raise PermissionDenied


@access(Capability.ORGANISATION_MANAGE)
def template_list(request: AuthedRequest) -> HttpResponse:
    """A bureau's DOCX templates: upload one for a document, or go back to the built-in one."""
    _require_template_admin(request)
    user = request.user
    form = TemplateUploadForm()
    if request.method == "POST" and request.POST.get("withdraw"):
        template = DocumentTemplate.objects.filter(
            pk=request.POST["withdraw"], organisation=user.organisation, active=True
        ).first()
        if template is None:
            raise Http404
        services.template_withdraw(actor=user, template=template)
        messages.success(request, _("The built-in template is used again."))
        return redirect("documents:template_list")
    if request.method == "POST":
        form = TemplateUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.template_upload(
                    actor=user,
                    kind=Kind(form.cleaned_data["kind"]),
                    upload=form.cleaned_data["file"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The template is in use from now on."))
                return redirect("documents:template_list")
    rows = [
        {
            "kind": kind,
            "own": DocumentTemplate.objects.filter(
                kind=kind, organisation=user.organisation, active=True
            ).first(),
            "in_force": docx.template_for(kind, user.organisation),
            "fields": [path for path in fields.paths(fields.fields_of(kind)) if "." in path],
        }
        for kind in DOCX_KINDS
    ]
    return render(request, "documents/template_list.html", {"form": form, "rows": rows})


@access(Capability.ORGANISATION_MANAGE)
def template_download(request: AuthedRequest, kind: str) -> HttpResponse:
    """The template in force for the bureau (its own, one from above, or the built-in one), to
    start a new one from."""
    _require_template_admin(request)
    try:
        document_kind = Kind(kind)
    except ValueError as exc:
        raise Http404 from exc
    if document_kind not in DOCX_KINDS:
        raise Http404
    uploaded = docx.template_for(document_kind, request.user.organisation)
    if uploaded is not None:
        with uploaded.file.open("rb") as source:
            data = source.read()
    else:
        data = docx.built_in(document_kind).read_bytes()
    return send(
        services.Generated(data, CONTENT_TYPES[Format.DOCX], f"{document_kind.value}.docx"),
        inline=False,
    )
