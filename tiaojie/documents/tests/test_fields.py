"""The field list is the contract: the renderer provides exactly the documented fields, the
built-in DOCX templates use only those, and docs/documents.md lists them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import agreements, intake
from tiaojie.cases.tests import factories
from tiaojie.documents import docx, fields
from tiaojie.documents.context import CaseFacts, document_context, file_info
from tiaojie.documents.kinds import DOCX_KINDS, Kind
from tiaojie.documents.selectors import available, record_for


def _paths(value: Any, prefix: str = "") -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(prefix + key)
            found |= _paths(inner, f"{prefix}{key}.")
    elif isinstance(value, list):
        name = prefix.rstrip(".")
        found.add(f"{name}[]")
        for item in value:
            found |= _paths(item, f"{name}[].")
    return found


def _oral(mediator: User) -> Case:
    third = intake.PartyData(role=PartyRole.THIRD_PARTY, name="赵明")
    registered = factories.register(mediator, parties=[*factories.case_data().parties, third])
    case = factories.with_session(mediator, factories.to_mediation(mediator, registered))
    agreements.agreement_draw_up(
        actor=mediator,
        case=case,
        kind="oral",
        facts="楼上漏水。",
        content="被申请人修复防水。",
        performance_manner="自行修复",
        formed_on=timezone.localdate(),
    )
    return case


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_the_renderer_provides_exactly_the_documented_fields(
    mediator: User, full: Case, kind: Kind
) -> None:
    if kind == Kind.ORAL_AGREEMENT:
        full = _oral(mediator)
    facts = CaseFacts(full)
    ref = next((r for r in available(full) if r.kind == kind), None)
    record = record_for(full, kind, ref.record_id if ref else None) if ref else None
    rows = [{"number": "1", "title": "t", "pages": "1", "note": ""}]
    context = document_context(
        facts,
        kind,
        record,
        full_identity=True,
        file=file_info(facts, documents=1, pages=2),
        rows=rows,
    )
    assert _paths(context) == fields.allowed(kind)


def test_the_documented_field_list_is_up_to_date() -> None:
    doc = (Path(settings.BASE_DIR) / "docs" / "documents.md").read_text(encoding="utf-8")
    assert fields.markdown() in doc, "run: manage.py document_fields --write"


@pytest.mark.parametrize("kind", DOCX_KINDS, ids=str)
def test_the_built_in_templates_use_only_documented_fields(kind: Kind) -> None:
    with docx.built_in(kind).open("rb") as source:
        docx.check(kind, source)
