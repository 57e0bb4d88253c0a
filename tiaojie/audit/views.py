"""The audit administrator's pages: browse, filter and export the trail. Nothing here writes to
an event; exporting is itself recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tiaojie.audit import presenters, services
from tiaojie.audit.events import EventType
from tiaojie.audit.filters import AuditFilterForm, apply_filters
from tiaojie.audit.models import AuditEvent
from tiaojie.audit.rules import audit_event_policy
from tiaojie.core import xlsx
from tiaojie.core.access import access
from tiaojie.core.capabilities import Capability
from tiaojie.core.types import AuthedRequest

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _filtered(request: AuthedRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    user: User = request.user
    form = AuditFilterForm(request.GET or None)
    qs = audit_event_policy.visible(user, Capability.AUDIT_VIEW)
    if form.is_valid():
        qs = apply_filters(qs, form.cleaned_data)
    return form, qs


@access(Capability.AUDIT_VIEW)
def event_list(request: AuthedRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = Paginator(qs.order_by("-occurred_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    for event in page:
        event.actor_text = presenters.actor_text(event)  # type: ignore[attr-defined]
        event.object_text = presenters.object_text(event)  # type: ignore[attr-defined]
    return render(
        request, "audit/event_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@access(Capability.AUDIT_VIEW)
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    event = audit_event_policy.get_or_404(request.user, Capability.AUDIT_VIEW, pk=pk)
    context = {
        "event": event,
        "actor_text": presenters.actor_text(event),
        "object_text": presenters.object_text(event),
        "changes": presenters.changes(event),
    }
    return render(request, "audit/event_detail.html", context)


EXPORT_COLUMNS = [
    ("id", "编号"),
    ("occurred_at", "时间"),
    ("event_type", "事件代码"),
    ("event_label", "事件"),
    ("actor_username", "用户名"),
    ("actor_name", "操作人"),
    ("actor_role", "角色"),
    ("organisation", "机构"),
    ("object_type", "对象类型"),
    ("object_id", "对象编号"),
    ("object_repr", "对象"),
    ("request_id", "请求编号"),
    ("ip", "IP"),
    ("reason", "原因"),
    ("before", "变更前"),
    ("after", "变更后"),
]


@access(Capability.AUDIT_VIEW)
def event_export(request: AuthedRequest) -> HttpResponse:
    """The filtered trail as CSV (UTF-8 with BOM so that Excel opens the Chinese correctly)."""
    _form, qs = _filtered(request)
    rows = qs.select_related("organisation").order_by("occurred_at", "id")[:EXPORT_LIMIT]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response.write("\ufeff")
    writer = xlsx.csv_writer(response)
    writer.writerow([label for _, label in EXPORT_COLUMNS])
    count = 0
    for event in rows.iterator(chunk_size=2000):
        values = {
            **{name: getattr(event, name, "") for name, _ in EXPORT_COLUMNS},
            "occurred_at": timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            "event_label": event.get_event_type_display(),
            "actor_role": presenters.role_label(event.actor_role),
            "organisation": event.organisation.name if event.organisation else "",
            "object_type": presenters.object_kind(event.object_type),
            "before": presenters.changes_text(event, "before"),
            "after": presenters.changes_text(event, "after"),
        }
        writer.writerow(
            ["" if values[name] is None else values[name] for name, _ in EXPORT_COLUMNS]
        )
        count += 1
    services.record(
        EventType.AUDIT_EXPORTED,
        actor=request.user,
        after={"filters": {k: v for k, v in request.GET.items()}, "rows": count},
    )
    return response
