"""API of evaluation (考核), on the registry's router (imported by ``config.api``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Status

from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.mediators import evaluation as ev
from tiaojie.mediators.api import router
from tiaojie.mediators.models import Evaluation
from tiaojie.mediators.schemas_evaluation import (
    EvaluationDetailOut,
    EvaluationOut,
    EvaluationRunIn,
    EvaluationWeightItem,
    EvaluationWeightsIn,
)


def _weights(rows: list[ev.Weight]) -> list[dict[str, Any]]:
    return [{"criterion": w.criterion, "weight": w.weight, "target": w.target} for w in rows]


@router.get(
    "/evaluation/weights",
    response={200: list[EvaluationWeightItem], **ERRORS},
    operation_id="evaluation_weights_read",
)
def evaluation_weights_read(request: HttpRequest) -> list[dict[str, Any]]:
    """The evaluation weights in force at the caller's place."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    return _weights(ev.weights_in_force(user.organisation))


@router.put(
    "/evaluation/weights",
    response={200: list[EvaluationWeightItem], **ERRORS},
    operation_id="evaluation_weights_update",
)
def evaluation_weights_update(request: HttpRequest, body: EvaluationWeightsIn) -> list[Any]:
    """Replace the caller's bureau's weights; they must total 100 %."""
    user = caller(request, Capability.RULES_CONFIGURE)
    rows = [ev.Weight(w.criterion, w.weight, w.target) for w in body.weights]
    return _weights(ev.weights_set(actor=user, rows=rows))


def _out(evaluation: Evaluation, scores: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": evaluation.pk,
        "title": evaluation.title,
        "owner_id": evaluation.owner_id,
        "starts_on": evaluation.starts_on,
        "ends_on": evaluation.ends_on,
        "weights": _weights(ev.weights_of(evaluation)),
    }
    if scores:
        out["scores"] = [
            {
                "mediator_id": s.mediator_id,
                "name": s.mediator.name,
                "rank": s.rank,
                "total": s.total,
                "parts": s.parts,
            }
            for s in ev.scores_of(evaluation)
        ]
    return out


@router.get(
    "/evaluations", response={200: list[EvaluationOut], **ERRORS}, operation_id="evaluations_list"
)
def evaluations_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The evaluations of the caller's area and below, newest period first."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    return [_out(e) for e in ev.evaluations_for(user)[:200]]


@router.post(
    "/evaluations",
    response={201: EvaluationDetailOut, **ERRORS},
    operation_id="evaluations_create",
)
def evaluations_create(request: HttpRequest, body: EvaluationRunIn) -> Status[dict[str, Any]]:
    """Score the mediators of the caller's area over a period (again: recomputed)."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    done = ev.evaluation_run(
        actor=user, title=body.title, starts_on=body.starts_on, ends_on=body.ends_on
    )
    return Status(201, _out(done, scores=True))


@router.get(
    "/evaluations/{id:evaluation_id}",
    response={200: EvaluationDetailOut, **ERRORS},
    operation_id="evaluations_read",
)
def evaluations_read(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    user = caller(request, Capability.MEDIATOR_VIEW)
    found = ev.evaluations_for(user).filter(pk=evaluation_id).first()
    if found is None:
        raise Http404
    return _out(found, scores=True)
