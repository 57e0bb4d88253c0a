"""How an audit event reads to the audit administrator, on the page and in the CSV: role names,
object kinds and field labels in Chinese, values as words (是/否, dates, labels of codes), never
Python dicts or internal codes. What is recorded is unchanged; this only presents it.

The labels come from the models themselves (verbose names, choices) through the app registry,
so the trail needs no list of every app's fields and imports none of them."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.audit.models import AuditEvent

# Keys written by services that are no field of the object (counts, filters, what was signed).
EXTRA_LABELS: dict[str, Any] = {
    "agreement": gettext_lazy("Agreement"),
    "signed": gettext_lazy("Signed by"),
    "filters": gettext_lazy("Filters"),
    "rows": gettext_lazy("Rows"),
    "format": gettext_lazy("Format"),
    "changed_fields": gettext_lazy("Changed fields"),
    "record": gettext_lazy("Record"),
    "file_name": gettext_lazy("File name"),
    "attachment": gettext_lazy("Attachment"),
    "transfer": gettext_lazy("Transfer"),
    "mediator": gettext_lazy("Mediator"),
    "parties": gettext_lazy("Parties"),
    "committee": gettext_lazy("Committee"),
    "created": gettext_lazy("Created"),
    "year": gettext_lazy("Year"),
    "total": gettext_lazy("Total"),
    "channels": gettext_lazy("Channels"),
    "dispute_types": gettext_lazy("Dispute types"),
    "on_ledger": gettext_lazy("On the ledger"),
    "key_id": gettext_lazy("Key"),
    "expires_at": gettext_lazy("Expires at"),
    "reviewer": gettext_lazy("Reviewer"),
    "reason": gettext_lazy("Reason"),
    "case_status": gettext_lazy("Case status"),
}


@functools.cache
def _fields_named() -> dict[str, list[models.Field[Any, Any]]]:
    """Every model field with choices, by name: a key recorded on one object (a case) may be a
    field of another (its close-out's reason), and its codes still read as labels."""
    found: dict[str, list[models.Field[Any, Any]]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and field.choices:
                found.setdefault(field.name, []).append(field)
    return found


def _label_of_code(key: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    for name in (key, key.rsplit("_", 1)[-1]):
        for field in _fields_named().get(name, []):
            labels = dict(field.flatchoices)
            if value in labels:
                return str(labels[value])
    return None


def role_label(code: str) -> str:
    """The Chinese name of a role code as frozen on the event (the code if it is unknown)."""
    if not code:
        return ""
    choices = dict(get_user_model()._meta.get_field("role").choices or [])
    return str(choices.get(code, code))


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_kind(object_type: str) -> str:
    """``cases.case`` → 案件: the model's verbose name."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        try:
            found = model._meta.get_field(key.removesuffix("_id"))
        except FieldDoesNotExist:
            return None
    return found if isinstance(found, models.Field) else None


def field_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None:
        return str(field.verbose_name)
    if key in EXTRA_LABELS:
        return str(EXTRA_LABELS[key])
    return key


def value_text(value: Any, field: models.Field[Any, Any] | None = None) -> str:
    """A recorded value as words: a code as its label, a date the Chinese way, yes or no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is not None and field.choices and not isinstance(value, list | dict):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str):
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None:
            return date_format(moment, "DATETIME_FORMAT")
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is not None:
            return date_format(day, "DATE_FORMAT")
        return value
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return "、".join(value_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{value_text(v)}" for k, v in value.items()) or "—"
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def changes(event: AuditEvent) -> list[Change]:
    """The before/after of an event, one row per field, labelled and in words."""
    model = _model(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    rows = []
    for key in keys:
        field = _field(model, key)

        def text(value: Any, key: str = key, field: Any = field) -> str:
            if field is None or not field.choices:
                label = _label_of_code(key, value)
                if label is not None:
                    return label
            return value_text(value, field)

        rows.append(
            Change(
                field_label(model, key),
                text(before.get(key)) if key in before else "",
                text(after.get(key)) if key in after else "",
            )
        )
    return rows


def changes_text(event: AuditEvent, side: str) -> str:
    """One side of the change for the CSV: 「状态：调解中；调解期限：2026年12月2日」."""
    return "；".join(f"{c.label}：{getattr(c, side)}" for c in changes(event) if getattr(c, side))


def actor_text(event: AuditEvent) -> str:
    """李建国（demo_mediator，人民调解员）; the system when nobody acted."""
    name = event.actor_name or event.actor_username
    if not name:
        return _("The system")
    details = "，".join(x for x in (event.actor_username, role_label(event.actor_role)) if x)
    return f"{name}（{details}）" if details else name


def object_text(event: AuditEvent) -> str:
    """案件 （2026）东湖社区人调字第3号: the kind of object and its name, no internal path."""
    if not event.object_type and not event.object_repr:
        return ""
    kind = object_kind(event.object_type)
    return f"{kind} {event.object_repr}".strip() if event.object_repr else kind
