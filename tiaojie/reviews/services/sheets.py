"""Score sheets: items with weights totalling 100; frozen once a round uses them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.reviews.error_codes import ReviewsErrorCode as E
from tiaojie.reviews.models import ReviewRound, ScoreItem, ScoreSheet, plain
from tiaojie.reviews.rules import sheet_policy
from tiaojie.reviews.services.common import check_version

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

TOTAL_WEIGHT = Decimal("100")


@dataclass(frozen=True)
class ItemData:
    label: str
    weight: Decimal
    guidance: str = ""


def _validate(name: str, items: list[ItemData]) -> list[ItemData]:
    """The cleaned items, or a refusal naming what is wrong (the total, a repeated label)."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the score sheet.")]
    cleaned = [
        ItemData(i.label.strip(), i.weight, i.guidance.strip())
        for i in items
        if i.label.strip() or i.weight
    ]
    if not cleaned:
        errors["items"] = [_("A score sheet needs at least one item.")]
    seen: set[str] = set()
    for index, item in enumerate(cleaned):
        if not item.label:
            errors.setdefault("items", []).append(_("Item %(n)s has no label.") % {"n": index + 1})
        elif item.label in seen:
            errors.setdefault("items", []).append(
                _("“%(label)s” appears twice; each item once.") % {"label": item.label}
            )
        seen.add(item.label)
        try:
            weight_ok = item.weight > 0 and item.weight == round(item.weight, 1)
        except InvalidOperation:
            weight_ok = False
        if not weight_ok:
            errors.setdefault("items", []).append(
                _("The points of “%(label)s” must be above 0, with at most one decimal place.")
                % {"label": item.label or index + 1}
            )
    total = sum((i.weight for i in cleaned), Decimal(0))
    if cleaned and total != TOTAL_WEIGHT:
        errors.setdefault("items", []).append(
            _("The points add up to %(total)s; they must add up to 100.") % {"total": plain(total)}
        )
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    return cleaned


def _write_items(sheet: ScoreSheet, items: list[ItemData]) -> None:
    sheet.items.all().delete()
    ScoreItem.objects.bulk_create(
        ScoreItem(sheet=sheet, order=n, label=i.label, guidance=i.guidance, weight=i.weight)
        for n, i in enumerate(items, start=1)
    )


def _after(sheet: ScoreSheet, items: list[ItemData]) -> dict[str, object]:
    return {"active": sheet.active, "items": len(items), "version": sheet.version}


@transaction.atomic
def sheet_create(
    *, actor: User, name: str, items: list[ItemData], active: bool = True
) -> ScoreSheet:
    """A new score sheet of the actor's bureau."""
    if not actor.can(Capability.REVIEW_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau running reviews keeps score sheets."))
    cleaned = _validate(name, items)
    org = actor.organisation
    sheet = ScoreSheet.objects.create(
        owner=org, owner_path=org.path, name=name.strip(), active=active, created_by=actor
    )
    _write_items(sheet, cleaned)
    audit.record(
        EventType.SCORE_SHEET_SAVED,
        actor=actor,
        organisation=org,
        obj=sheet,
        after={"created": True, **_after(sheet, cleaned)},
    )
    return sheet


@transaction.atomic
def sheet_update(
    *,
    actor: User,
    sheet: ScoreSheet,
    name: str,
    items: list[ItemData],
    active: bool,
    version: int | None = None,
) -> ScoreSheet:
    """Replace the sheet's name and items, unless a round already scores with it."""
    locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if not sheet_policy.may_edit(actor, locked):
        raise NotPermitted(E.NOT_PERMITTED, _("This score sheet belongs to another bureau."))
    check_version(locked, version)
    in_use = ReviewRound.objects.filter(sheet=locked).exists()
    old_items = locked.items.count()
    if in_use:
        # Only switching it off for new rounds stays possible: scores refer to its items.
        if name.strip() != locked.name or _changed_items(locked, items):
            raise Conflict(
                E.SHEET_IN_USE,
                _("A review round uses this score sheet, so it cannot change. Copy it instead."),
            )
        cleaned = [ItemData(i.label, i.weight, i.guidance) for i in locked.items.all()]
    else:
        cleaned = _validate(name, items)
        _write_items(locked, cleaned)
        locked.name = name.strip()
    before = {"active": locked.active, "items": old_items, "version": locked.version}
    locked.active = active
    locked.version += 1
    locked.save()
    audit.record(
        EventType.SCORE_SHEET_SAVED,
        actor=actor,
        organisation=locked.owner,
        obj=locked,
        before=before,
        after=_after(locked, cleaned),
    )
    return locked


def _changed_items(sheet: ScoreSheet, items: list[ItemData]) -> bool:
    current = [(i.label, i.weight, i.guidance) for i in sheet.items.all()]
    given = [
        (i.label.strip(), i.weight, i.guidance.strip())
        for i in items
        if i.label.strip() or i.weight
    ]
    return current != given


@transaction.atomic
def sheet_copy(*, actor: User, sheet: ScoreSheet, name: str = "") -> ScoreSheet:
    """A new, editable sheet of the actor's bureau with the same items (how a frozen sheet is
    changed, and how a district adopts the city's sheet)."""
    if not sheet_policy.allows(actor, Capability.REVIEW_MANAGE, sheet):
        raise NotPermitted(E.NOT_PERMITTED, _("This score sheet is outside your scope."))
    items = [ItemData(i.label, i.weight, i.guidance) for i in sheet.items.all()]
    copy = sheet_create(
        actor=actor,
        name=name.strip() or _("%(name)s (copy)") % {"name": sheet.name},
        items=items,
        active=True,
    )
    copy.copied_from = sheet
    copy.save(update_fields=["copied_from"])
    return copy
