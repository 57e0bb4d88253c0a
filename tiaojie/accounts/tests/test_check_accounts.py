"""Issue 16, 访问控制: no default or shared accounts in production — a command lists them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tiaojie.accounts.models import User


def test_demo_accounts_are_listed_and_fail_the_check(db: None) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_accounts", stdout=out)
    assert "DEFAULT  demo_mediator" in out.getvalue()


def test_a_clean_installation_passes(db: None) -> None:
    User.objects.filter(username__startswith="demo_").update(is_active=False)
    User.objects.filter(is_active=True).update(email="someone@example.cn")
    for user in User.objects.filter(is_active=True):
        user.set_password("Real-Chosen-2026!")
        user.save(update_fields=["password"])
    out = io.StringIO()
    call_command("check_accounts", stdout=out)
    assert "No default accounts" in out.getvalue()
