"""Reads for video mediation, scoped like the case they belong to (not yours: 404)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.video.models import Recording, Room

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def case_or_404(user: User, case_id: int) -> Case:
    return case_policy.get_or_404(
        user, Capability.CASE_CONTENT, base=Case.objects.select_related("committee"), pk=case_id
    )


def room_or_404(user: User, room_id: int) -> Room:
    room = Room.objects.select_related("case", "case__committee").filter(pk=room_id).first()
    if room is None:
        raise Http404
    case_or_404(user, room.case_id)
    return room


def rooms_of(case: Case) -> QuerySet[Room]:
    return Room.objects.filter(case=case).prefetch_related("participants")


def recordings_of(case: Case) -> QuerySet[Recording]:
    return Recording.objects.filter(room__case=case).select_related("attachment", "recorded_by")
