"""Recording an expert consultation in the browser: the district's medical pool with a doctor,
a medical case of committee A, the case page's "consult an expert" button, the form (an empty
question refused beside the field, the choice kept), the consultation on the case page's panel,
and the pool page with the doctor's ID number masked."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, shoot, switch_user
from tiaojie.accounts.models import User
from tiaojie.cases.models import DisputeType
from tiaojie.cases.tests import factories as f
from tiaojie.mediators import experts
from tiaojie.mediators.tests.helpers import id_number

pytestmark = pytest.mark.browser
DOCTOR_ID = id_number(711, region="420102")


def test_a_director_records_a_consultation_with_a_doctor(page: Page, server_url: str) -> None:
    officer = User.objects.get(username="demo_district")
    pool = experts.pool_save(
        actor=officer, name="医疗纠纷专家库", types=experts.dispute_types(["medical"])
    )
    doctor = experts.expert_add(
        actor=officer,
        pool=pool,
        data=experts.ExpertData(
            field="心血管内科",
            profession="doctor",
            name="周明",
            employer="东湖区人民医院",
            id_number=DOCTOR_ID,
            phone="13907100001",
        ),
    )
    case = f.register(
        User.objects.get(username="demo_director"),
        dispute_type=DisputeType.objects.get(code="medical"),
    )

    log_in(page, server_url, "demo_director")
    page.goto(f"{server_url}/cases/{case.pk}/")
    page.locator("a[data-case-action='mediators.consult']").click()
    page.locator("#id_expert_id").select_option(str(doctor.pk))
    page.locator("#id_asked_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="记录").click()
    expect(page.locator(".field.has-error")).to_contain_text("请写下向专家提出的问题")
    expect(page.locator("#id_expert_id")).to_have_value(str(doctor.pk))  # nothing lost

    page.locator("#id_question").fill("术后感染是否与手术操作有关？")
    page.get_by_role("button", name="记录").click()
    expect(page.locator("#consultation-rows")).to_contain_text("周明")
    expect(page.locator("#consultation-rows")).to_contain_text("等待专家意见")
    shoot(page, "expert-consultation")

    page.goto(f"{server_url}/cases/{case.pk}/")
    expect(page.locator("#case-experts")).to_contain_text("术后感染是否与手术操作有关？")
    shoot(page, "expert-case-panel")

    switch_user(page, server_url, "demo_district")
    page.goto(f"{server_url}/mediators/experts/{pool.pk}/")
    expect(page.locator("#pool-members")).to_contain_text("周明")
    expect(page.locator("#pool-members")).not_to_contain_text(DOCTOR_ID)
    shoot(page, "expert-pool")
