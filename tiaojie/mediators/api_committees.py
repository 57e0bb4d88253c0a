"""API of committee standards: the yearly standardisation check, star ratings and their
decision, the villages and communities without a committee (on the registry's router)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Status

from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.mediators import committees as cm
from tiaojie.mediators.api import router
from tiaojie.mediators.models import Locality, StarRating
from tiaojie.mediators.schemas_evaluation import (
    CommitteeLocalityOut,
    CommitteeStandardOut,
    CommitteeStarIn,
    CommitteeStarOut,
    MediatorPromotionDecisionIn,
)
from tiaojie.organisations.models import Organisation


@router.get(
    "/committee-standards",
    response={200: list[CommitteeStandardOut], **ERRORS},
    operation_id="committee_standards_list",
)
def committee_standards_list(request: HttpRequest, year: int | None = None) -> list[Any]:
    """Each committee of the caller's area with its standardisation check for the year."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    rows = cm.standardisation(user, year or timezone.localdate().year)
    return [
        {
            "committee_id": r.committee.pk,
            "committee_name": r.committee.name,
            "checked": r.check is not None,
            "met": r.check.met if r.check else [],
            "missing": r.missing,
        }
        for r in rows
    ]


@router.get(
    "/committee-coverage",
    response={200: list[CommitteeLocalityOut], **ERRORS},
    operation_id="committee_coverage_gaps",
)
def committee_coverage_gaps(request: HttpRequest) -> list[Locality]:
    """The villages and communities listed for the caller's area without a committee."""
    return cm.uncovered(caller(request, Capability.MEDIATOR_VIEW))


@router.get(
    "/committee-stars",
    response={200: list[CommitteeStarOut], **ERRORS},
    operation_id="committee_stars_list",
)
def committee_stars_list(request: HttpRequest) -> list[StarRating]:
    return list(cm.ratings_for(caller(request, Capability.MEDIATOR_VIEW))[:1000])


@router.post(
    "/committee-stars",
    response={201: CommitteeStarOut, **ERRORS},
    operation_id="committee_stars_create",
)
def committee_stars_create(request: HttpRequest, body: CommitteeStarIn) -> Status[StarRating]:
    """Propose a committee's stars for a year (a bureau decides)."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    try:
        committee = cm.committee_for(user, body.committee_id)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    made = cm.star_propose(
        actor=user,
        committee=committee,
        year=body.year,
        stars=body.stars,
        met=body.met,
        grounds=body.grounds,
    )
    return Status(201, made)


@router.post(
    "/committee-stars/{id:rating_id}/decision",
    response={200: CommitteeStarOut, **ERRORS},
    operation_id="committee_stars_decide",
)
def committee_stars_decide(
    request: HttpRequest, rating_id: int, body: MediatorPromotionDecisionIn
) -> StarRating:
    """A bureau approves or rejects (reason required) a proposed star rating."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    found = cm.ratings_for(user).filter(pk=rating_id).first()
    if found is None:
        raise Http404
    return cm.star_decide(
        actor=user, rating=found, action=body.action, reason=body.reason, version=body.version
    )
