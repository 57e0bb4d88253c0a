"""Demo per-case subsidy for 东湖区, through the services: the district's rules (the county
example of domain.md §6: community 30/80/150 元, street 50/200/400 元; a dispute of 10,000 元
or 5 people is difficult, of 100,000 元 or 20 people, or a group dispute, major), last month's
sheet of 东湖社区 approved by the street office and the district bureau (a reader can check each
amount against the rules on the sheet), and draft sheets of the district's other committees.

Runs after the demo cases (``seed_demo_pipeline``); running it again adds nothing."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.organisations.models import Organisation
from tiaojie.subsidies.choices import SheetStatus
from tiaojie.subsidies.models import SubsidyRuleSet, SubsidySheet
from tiaojie.subsidies.services import approval, rulesets, sheets
from tiaojie.subsidies.services.rulesets import Amount, Band, RuleSetData

DISTRICT = "东湖区司法局"
COMMITTEE = "东湖社区人民调解委员会"
D = Decimal


def demo_rules() -> RuleSetData:
    first = timezone.localdate().replace(day=1)
    start = first.replace(year=first.year - 1)
    return RuleSetData(
        name="东湖区以案定补标准",
        valid_from=start,
        bands=[
            Band("amount", "general", D(0), D(10000)),
            Band("amount", "difficult", D(10000), D(100000)),
            Band("amount", "major", D(100000), None),
            Band("people", "general", D(0), D(5)),
            Band("people", "difficult", D(5), D(20)),
            Band("people", "major", D(20), None),
        ],
        amounts=[
            Amount("community", "general", D(30)),
            Amount("community", "difficult", D(80)),
            Amount("community", "major", D(150)),
            Amount("street", "general", D(50)),
            Amount("street", "difficult", D(200)),
            Amount("street", "major", D(400)),
        ],
    )


def seed_subsidies_demo() -> SubsidySheet | None:
    district = Organisation.objects.filter(name=DISTRICT).first()
    committee = Organisation.objects.filter(name=COMMITTEE).first()
    if district is None or committee is None:
        return None
    officer = User.objects.get(username="demo_district")
    if not SubsidyRuleSet.objects.filter(bureau=district).exists():
        rulesets.rule_set_create(actor=officer, bureau=district, data=demo_rules())
    month = sheets.previous_month(timezone.localdate())
    sheet = SubsidySheet.objects.filter(committee=committee, month=month).first()
    if sheet is not None and sheet.status != SheetStatus.DRAFT:
        return sheet
    sheets.compute_area(district, month)
    sheet = sheets.sheet_compute(actor=None, committee=committee, month=month)
    for username, action in (
        ("demo_director", "submit"),
        ("demo_street", "office_approve"),
        ("demo_district", "bureau_approve"),
    ):
        sheet = approval.sheet_transition(
            actor=User.objects.get(username=username), sheet=sheet, action=action
        )
    return sheet
