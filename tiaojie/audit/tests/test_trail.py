"""The audit trail: every service writes its event, with who, where and why; nothing rewrites it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from conftest import World
from tiaojie.accounts import services as accounts
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent, AuditTrailIsAppendOnly
from tiaojie.organisations import services as organisations
from tiaojie.organisations.validation import OrganisationData


def _latest(event_type: EventType) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=event_type).latest("id")


def test_organisation_services_record_who_what_and_the_change(world: World) -> None:
    actor = world.user("demo_street")
    office = world.org("东湖街道司法所")
    org = organisations.organisation_create(
        actor=actor,
        parent=office,
        data=OrganisationData(
            kind="committee", committee_kind="community", name="桃园社区人民调解委员会"
        ),
    )
    created = _latest(EventType.ORGANISATION_CREATED)
    assert (created.actor, created.actor_name, created.object_id) == (actor, "陈立新", str(org.pk))
    assert created.organisation_path == org.path
    assert created.after is not None and created.after["name"] == "桃园社区人民调解委员会"

    organisations.organisation_update(
        actor=actor,
        org=org,
        version=1,
        data=OrganisationData(
            kind="committee", committee_kind="community", name=org.name, phone="0990-12345678"
        ),
    )
    updated = _latest(EventType.ORGANISATION_UPDATED)
    assert updated.before == {"phone": ""} and updated.after == {"phone": "0990-12345678"}

    organisations.organisation_change_status(
        actor=actor,
        org=org,
        status="dissolved",
        on=org.created_at.date(),
        reason="社区撤并",
        version=2,
    )
    status = _latest(EventType.ORGANISATION_STATUS_CHANGED)
    assert (
        status.reason == "社区撤并"
        and status.after is not None
        and status.after["status"] == "dissolved"
    )


def test_account_services_record_their_events(world: World) -> None:
    from django.core import mail

    sysadmin, secadmin = world.user("demo_sysadmin"), world.user("demo_secadmin")
    committee = world.org("东湖社区人民调解委员会")
    site = "http://testserver/"
    user = accounts.user_create(
        actor=sysadmin,
        data=accounts.AccountData(
            username="newmed",
            full_name="新调解员",
            organisation=committee,
            role="mediator",
            email="newmed@example.cn",
        ),
    )
    assert _latest(EventType.ACCOUNT_CREATED).object_id == str(user.pk)
    user = accounts.approval_decide(
        actor=secadmin, user=user, approve=True, reason="核实身份", site_url=site
    )
    assert _latest(EventType.APPROVAL_GRANTED).actor == secadmin
    accounts.user_update_profile(
        actor=sysadmin,
        user=user,
        full_name="新调解员",
        title="兼职",
        email="newmed@example.cn",
        organisation=committee,
        version=user.version,
    )
    assert _latest(EventType.ACCOUNT_UPDATED).after == {"title": "兼职"}
    user.refresh_from_db()
    accounts.user_change_role(
        actor=secadmin, user=user, role="committee_director", reason="换届", version=user.version
    )
    assert _latest(EventType.APPROVAL_REQUESTED).before == {"role": "mediator"}
    accounts.approval_decide(actor=sysadmin, user=user, approve=True, reason="同意", site_url=site)
    assert _latest(EventType.APPROVAL_GRANTED).after == {
        "pending": "role",
        "role": "committee_director",
    }
    accounts.user_set_active(actor=secadmin, user=user, active=False, reason="离职")
    assert _latest(EventType.ACCOUNT_DEACTIVATED).reason == "离职"
    accounts.user_set_active(actor=secadmin, user=user, active=True, reason="返聘")
    assert _latest(EventType.ACCOUNT_REACTIVATED).reason == "返聘"
    accounts.user_reset_password(actor=secadmin, user=user, reason="遗忘密码", site_url=site)
    assert _latest(EventType.PASSWORD_RESET).actor == secadmin
    raw = mail.outbox[-1].body.split("/password/set/")[1].split("/")[0]
    accounts.password_set_by_link(raw=raw, new_password="Another-2026!")
    assert _latest(EventType.PASSWORD_SET_BY_LINK).actor == user
    accounts.user_unlock(actor=secadmin, user=user, reason="本人申请")
    assert _latest(EventType.ACCOUNT_UNLOCKED).object_id == str(user.pk)
    user.refresh_from_db()
    accounts.password_change(user=user, old_password="Another-2026!", new_password="Mine-2026-new")
    assert _latest(EventType.PASSWORD_CHANGED).actor == user
    issued = accounts.token_issue(user=user)
    accounts.token_revoke(actor=user, token=issued.token)
    assert _latest(EventType.API_TOKEN_REVOKED).actor == user


def test_a_web_request_leaves_its_request_id_and_ip(
    client_as: Callable[[str], Client], world: World
) -> None:
    client = client_as("demo_street")
    office = world.org("东湖街道司法所")
    response = client.post(
        f"/organisations/{office.pk}/new/",
        {"kind": "committee", "committee_kind": "community", "name": "新村社区人民调解委员会"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = _latest(EventType.ORGANISATION_CREATED)
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "10.1.2.3"


def test_the_app_refuses_to_change_or_delete_events(world: World) -> None:
    event = AuditEvent.objects.earliest("id")
    event.reason = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'rewritten'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgresql_refuses_update_and_delete_on_the_trail(world: World, sql: str) -> None:
    before = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(reason="rewritten").exists()


def test_the_audit_admin_filters_and_exports_and_the_export_is_recorded(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("demo_auditadmin")
    page = client.get("/audit/", {"event_type": int(EventType.ACCOUNT_CREATED)})
    assert page.status_code == 200
    events = list(page.context["page"])
    assert events and {e.event_type for e in events} == {EventType.ACCOUNT_CREATED}
    export = client.get("/audit/export.csv", {"actor": "孙明"})
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["编号", "时间", "事件代码", "事件"]
    exported = _latest(EventType.AUDIT_EXPORTED)
    assert exported.actor_username == "demo_auditadmin"
    assert exported.after is not None and exported.after["filters"] == {"actor": "[text]"}


def test_a_bad_date_range_is_explained_not_ignored(client_as: Callable[[str], Client]) -> None:
    page = client_as("demo_auditadmin").get(
        "/audit/", {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert page.status_code == 200
    assert "date_to" in page.context["form"].errors


def test_failed_logins_with_unknown_usernames_reach_the_top_audit_admin_only(
    client_as: Callable[[str], Client],
) -> None:
    from tests.personas import other_district_admins

    other_district_admins()
    Client().post("/login/", {"username": "guessing-admin", "password": "x"})
    event = _latest(EventType.LOGIN_FAILED)
    assert event.organisation is None
    city = client_as("demo_auditadmin").get(f"/audit/{event.pk}/")
    district = client_as("xishan_auditadmin").get(f"/audit/{event.pk}/")
    assert (city.status_code, district.status_code) == (200, 404)


def test_the_audit_admin_reads_names_not_codes_on_the_page_and_in_the_csv(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from tiaojie.cases.tests import factories as f

    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    client = client_as("demo_auditadmin")
    listed = client.get("/audit/", {"actor": "李建国"}).content.decode()
    assert "李建国（demo_mediator，人民调解员）" in listed
    assert f"案件 {case.number}" in listed
    assert "cases.case" not in listed and "mediator)" not in listed
    moved = AuditEvent.objects.filter(object_id=str(case.pk), after__has_key="status").latest("id")
    detail = client.get(f"/audit/{moved.pk}/").content.decode()
    assert "调解中" in detail and "{&#x27;" not in detail and "in_mediation" not in detail
    export = client.get("/audit/export.csv", {"actor": "李建国"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(export)))
    mine = [r for r in rows if r["对象编号"] == str(case.pk)]
    assert mine and {r["角色"] for r in mine} == {"人民调解员"}
    assert {r["对象类型"] for r in mine} == {"案件"}
    assert {r["机构"] for r in mine} == {"东湖社区人民调解委员会"}
    assert not any("{" in r["变更后"] or "in_mediation" in r["变更后"] for r in mine)
    assert any("调解中" in r["变更后"] for r in mine)
