"""How the routing API shows its objects (the shapes of ``routing.schemas``)."""

from __future__ import annotations

from typing import Any

from tiaojie.cases.models import JointCommittee
from tiaojie.organisations.models import Organisation
from tiaojie.routing.models import RoutingRule, Transfer
from tiaojie.routing.triage import Triage


def ref(org: Organisation | None) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name}


def rule_out(rule: RoutingRule) -> dict[str, Any]:
    fields = [
        "id",
        "amount_min",
        "amount_max",
        "parties_min",
        "parties_max",
        "people_min",
        "requires_group",
        "requires_complex",
        "requires_risk",
        "spread",
        "tier",
        "sector",
        "name",
        "priority",
        "active",
        "version",
    ]
    return {
        **{f: getattr(rule, f) for f in fields},
        "owner": ref(rule.owner),
        "committee": ref(rule.committee),
        "dispute_types": [t.code for t in rule.dispute_types.all()],
    }


def triage_out(result: Triage) -> dict[str, Any]:
    return {
        "rule": {"id": result.rule.pk, "name": result.rule.name} if result.rule else None,
        "committee": ref(result.target),
        "reasons": result.reasons,
        "target_note": result.target_note,
        "notes": result.notes,
        "wish": None
        if result.wish is None
        else {
            "committee": ref(result.wish),
            "followed": result.wish_followed,
            "note": result.wish_note,
        },
        "mediators": [
            {
                "id": s.mediator.pk,
                "full_name": s.mediator.full_name,
                "expert": s.expert,
                "load": s.load,
                "local": s.local,
                "why": s.why,
            }
            for s in result.mediators
        ],
    }


def transfer_out(t: Transfer) -> dict[str, Any]:
    return {
        **{
            f: getattr(t, f)
            for f in [
                "id",
                "case_id",
                "kind",
                "reason",
                "status",
                "requested_at",
                "decided_at",
                "decision_reason",
                "version",
            ]
        },
        "case_number": t.case.number,
        "from_committee": ref(t.from_committee),
        "to_organisation": ref(t.to_organisation),
    }


def joint_out(j: JointCommittee) -> dict[str, Any]:
    return {"committee": ref(j.committee), "joined_at": j.joined_at, "reason": j.reason}


def centre_out(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "is_governance_centre": org.is_governance_centre,
        "channels": list(org.centre_channels or []),
        "version": org.version,
    }
