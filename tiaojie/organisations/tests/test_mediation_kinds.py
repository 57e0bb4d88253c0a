"""Lawyer mediation and administrative mediation in the tree (ADR 0038): an administrative
mediation body (行政调解委员会) sits under a bureau or justice office, never under a committee;
the import reads its name and the lawyer-mediation words (the report side is in
statistics/tests/test_mediation_kinds.py)."""

from __future__ import annotations

import io

import pytest

from conftest import World
from tiaojie.core.errors import ValidationFailed
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind
from tiaojie.organisations.import_services import organisation_tree_import
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.services import organisation_create
from tiaojie.organisations.tests.import_files import HEADERS, table, xlsx
from tiaojie.organisations.validation import OrganisationData

pytestmark = pytest.mark.django_db

DISTRICT = "东湖区司法局"
ADMIN_BODY = "东湖区人力资源和社会保障局行政调解委员会"


def _admin_body(world: World) -> Organisation:
    return organisation_create(
        actor=None,
        parent=world.org(DISTRICT),
        data=OrganisationData(kind=OrganisationKind.ADMIN_MEDIATION, name=ADMIN_BODY),
    )


def test_an_administrative_body_sits_under_a_bureau_not_a_committee(world: World) -> None:
    body = _admin_body(world)
    assert body.kind_label == str(OrganisationKind.ADMIN_MEDIATION.label)
    with pytest.raises(ValidationFailed):
        organisation_create(
            actor=None,
            parent=world.org("东湖社区人民调解委员会"),
            data=OrganisationData(kind=OrganisationKind.ADMIN_MEDIATION, name="某行政调解室"),
        )


def test_the_import_reads_administrative_and_lawyer_mediation(world: World) -> None:
    rows = table(
        [
            {"编号": "A1", "名称": "东湖区市场监管局行政调解委员会", "类型": "行政调解委员会"},
            {
                "编号": "L1",
                "名称": "东湖区律师调解委员会",
                "类型": "调委会",
                "调委会类型": "律师调解委员会",
            },
        ],
        HEADERS,
    )
    created = organisation_tree_import(
        actor=world.user("demo_sysadmin"),
        anchor=world.org(DISTRICT),
        file=io.BytesIO(xlsx(rows)),
        file_name="kinds.xlsx",
    )
    kinds = {o.name: (o.kind, o.committee_kind) for o in created}
    assert kinds == {
        "东湖区市场监管局行政调解委员会": (OrganisationKind.ADMIN_MEDIATION, ""),
        "东湖区律师调解委员会": (OrganisationKind.COMMITTEE, CommitteeKind.LAWYER),
    }
