"""A new installation's first organisation and administrators, made from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.organisations.models import Organisation


def _answer_passwords(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))


def test_a_new_installation_gets_its_root_and_administrators(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("create_root_organisation", name="江北市司法局", division_code="980100")
    root = Organisation.objects.get(name="江北市司法局")
    assert root.parent is None and root.kind == "city_bureau"
    _answer_passwords(monkeypatch, "Audit-Admin-2026", "Audit-Admin-2026")
    call_command(
        "create_account",
        organisation=root.pk,
        role="audit_admin",
        username="jb_audit",
        full_name="审计员",
    )
    user = User.objects.get(username="jb_audit")
    assert user.role == "audit_admin" and user.check_password("Audit-Admin-2026")
    event = AuditEvent.objects.get(event_type=EventType.ACCOUNT_CREATED, object_id=str(user.pk))
    assert event.actor is None


def test_a_weak_or_mistyped_password_creates_nothing(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Organisation.objects.get(name="临江市司法局")
    _answer_passwords(monkeypatch, "Strong-Pass-2026", "Strong-Pass-2027")
    with pytest.raises(CommandError, match="differ"):
        call_command(
            "create_account",
            organisation=root.pk,
            role="system_admin",
            username="a1",
            full_name="甲",
        )
    _answer_passwords(monkeypatch, "weak", "weak")
    with pytest.raises(CommandError, match="password"):
        call_command(
            "create_account",
            organisation=root.pk,
            role="system_admin",
            username="a1",
            full_name="甲",
        )
    assert not User.objects.filter(username="a1").exists()


def test_a_role_that_does_not_fit_is_refused(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    committee = Organisation.objects.get(name="东湖社区人民调解委员会")
    _answer_passwords(monkeypatch, "Strong-Pass-2026", "Strong-Pass-2026")
    with pytest.raises(CommandError, match="organisation"):
        call_command(
            "create_account",
            organisation=committee.pk,
            role="system_admin",
            username="a2",
            full_name="乙",
        )


def test_createsuperuser_points_to_the_right_command(db: None) -> None:
    with pytest.raises(Exception, match="create_account"):
        User.objects.create_superuser("root", "root@example.org", "Strong-Pass-2026")
