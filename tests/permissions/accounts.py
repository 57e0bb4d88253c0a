"""Permission cases for the account approvals and password pages and API operations
(issue 16): approvals are for the system and security administrators, each within their
subtree; a one-time password link is public (the code is the credential)."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User

ADMINS = {p.SYSADMIN: 200, p.SECADMIN: 200, p.XISHAN_SYSADMIN: 200, p.XISHAN_SECADMIN: 200}


def mediator_a() -> dict[str, Any]:
    return {"account_id": User.objects.get(username=p.MEDIATOR_A).pk}


def mediator_a_with_address() -> dict[str, Any]:
    User.objects.filter(username=p.MEDIATOR_A).update(email="mediator-a@example.cn")
    return {"reason": "本人遗忘密码"}


PAGE_CASES: list[PageCase] = [
    PageCase("accounts:approvals", expect=ADMINS),
    PageCase("accounts:lockouts", expect={p.SECADMIN: 200, p.XISHAN_SECADMIN: 200}),
    PageCase("accounts:password_set", lambda: {"token": "no-such-code"}, public=True, default=200),
    # The code step after the password: without a right password first, back to the login.
    PageCase("accounts:login_verify", public=True, default=302),
    # One's own second factor: everyone signed in.
    PageCase("accounts:two_factor", default=200),
]

API_CASES: list[ApiCase] = [
    ApiCase(
        "accounts_approvals",
        "get",
        "/accounts/approvals",
        expect=ADMINS,
        default=403,
    ),
    ApiCase(
        "accounts_decide",
        "post",
        "/accounts/{account_id}/approval",
        mediator_a,
        lambda: {"approve": True, "reason": "核对"},
        # Nothing awaits approval: in scope that is a conflict.
        expect={p.SYSADMIN: 409, p.SECADMIN: 409, p.XISHAN_SYSADMIN: 404, p.XISHAN_SECADMIN: 404},
        default=403,
    ),
    ApiCase(
        "accounts_reset_password",
        "post",
        "/accounts/{account_id}/password-reset",
        mediator_a,
        mediator_a_with_address,
        expect={p.SECADMIN: 200, p.XISHAN_SECADMIN: 404},
        default=404,
    ),
    ApiCase(
        "password_change",
        "post",
        "/auth/password",
        body=lambda: {"old_password": "not-the-password", "new_password": "Whatever-2026!"},
        default=422,
    ),
]
