"""One filter definition for the audit trail's page, export and API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    event_type = forms.TypedChoiceField(
        label=_("Event"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All events")), *EventType.choices],
    )
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    object = forms.CharField(label=_("Object"), required=False, max_length=100)
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(qs: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    if data.get("event_type") is not None:
        qs = qs.filter(event_type=data["event_type"])
    if data.get("actor"):
        qs = qs.filter(
            Q(actor_username__icontains=data["actor"]) | Q(actor_name__icontains=data["actor"])
        )
    if data.get("object"):
        qs = qs.filter(Q(object_repr__icontains=data["object"]) | Q(object_id=data["object"]))
    if data.get("request_id"):
        qs = qs.filter(request_id=data["request_id"])
    if data.get("date_from"):
        qs = qs.filter(occurred_at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(occurred_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return qs
