"""Administrative mediation is not people's mediation (ADR 0038): a 行政调解委员会 in the tree
gets no row and no column in the people's-mediation report; lawyer mediation studios and
committees count in their committee-kind column."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind
from tiaojie.organisations.services import organisation_create
from tiaojie.organisations.validation import OrganisationData
from tiaojie.statistics import periods, report

pytestmark = pytest.mark.django_db

DISTRICT = "东湖区司法局"


def test_no_row_and_no_column_in_the_peoples_mediation_report(world: World) -> None:
    district = world.org(DISTRICT)
    body = organisation_create(
        actor=None,
        parent=district,
        data=OrganisationData(
            kind=OrganisationKind.ADMIN_MEDIATION, name="东湖区人力资源和社会保障局行政调解委员会"
        ),
    )
    assert body not in report.row_organisations(district)
    period = periods.parse(timezone.localdate().strftime("%Y-%m"))
    built = report.build(district, period)
    assert body not in [r.organisation for r in built.rows]
    kind_keys = [c.address[1] for c in built.columns if c.address[1].startswith("kind:")]
    # One column per kind of committee, the lawyer mediation studios among them; none for
    # administrative mediation.
    assert kind_keys == [f"kind:{k}" for k in CommitteeKind.values]
    assert "kind:lawyer" in kind_keys
    assert not any("admin" in k for k in kind_keys)
