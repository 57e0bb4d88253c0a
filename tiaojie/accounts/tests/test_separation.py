"""Hole 1 of issue 16: no administrator can end up reading case contents alone.

A new account or a role that reads cases takes effect only when an administrator of the other
kind approves it; a reset sends the person a one-time link the resetter never sees; a password
someone else typed must be changed before any other work, on the pages and in the API.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core import mail
from django.test import Client

from conftest import World
from tests.api.schema import call
from tiaojie.accounts import services
from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent

DEMO = "tiaojie-demo"


def _token(username: str, password: str) -> Client | None:
    response = call(Client(), "post", "/auth/token", {"username": username, "password": password})
    if response.status_code != 200:
        return None
    return Client(headers={"Authorization": f"Bearer {response.json()['token']}"})


def _link_code(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return message.body.split("/password/set/")[1].split("/")[0]


def test_an_account_made_by_the_system_admin_reads_nothing_until_the_security_admin_approves(
    world: World, api_as: Callable[[str], Client]
) -> None:
    committee = world.org("东湖社区人民调解委员会")
    sysadmin = api_as("demo_sysadmin")
    created = call(
        sysadmin,
        "post",
        "/accounts",
        {
            "username": "zhao_bureau",
            "full_name": "赵局",
            "organisation_id": committee.pk,
            "role": "mediator",
            "email": "zhao@example.cn",
        },
    )
    assert created.status_code == 201
    assert created.json()["pending"] == "create" and not created.json()["is_active"]
    account = User.objects.get(username="zhao_bureau")
    # No password exists that anyone could use, and nothing was mailed yet.
    assert not account.has_usable_password() and not mail.outbox
    # The system administrator cannot approve it, another system administrator neither.
    refused = call(
        sysadmin,
        "post",
        "/accounts/{account_id}/approval",
        {"approve": True, "reason": "x"},
        account_id=account.pk,
    )
    assert refused.status_code == 403
    assert call(api_as("demo_secadmin"), "get", "/accounts/approvals").json()[0]["id"] == account.pk
    approved = call(
        api_as("demo_secadmin"),
        "post",
        "/accounts/{account_id}/approval",
        {"approve": True, "reason": "人事调令已核实"},
        account_id=account.pk,
    )
    assert approved.status_code == 200 and approved.json()["is_active"]
    assert "password" not in approved.content.decode().lower()
    # Only the person, at their address, receives the way to choose a password.
    assert mail.outbox[-1].to == ["zhao@example.cn"]
    code = _link_code("zhao@example.cn")
    page = Client().get(f"/password/set/{code}/")
    assert "赵局" in page.content.decode()
    done = Client().post(
        f"/password/set/{code}/",
        {"new_password": "Zhao-Chosen-2026", "new_password_again": "Zhao-Chosen-2026"},
    )
    assert done.status_code == 302
    assert _token("zhao_bureau", "Zhao-Chosen-2026") is not None
    # The link worked once.
    again = Client().post(
        f"/password/set/{code}/",
        {"new_password": "Other-Chosen-2026", "new_password_again": "Other-Chosen-2026"},
    )
    assert 'name="new_password"' not in again.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.APPROVAL_GRANTED).exists()


def test_a_refused_account_never_opens(world: World, client_as: Callable[[str], Client]) -> None:
    account = services.user_create(
        actor=world.user("demo_sysadmin"),
        data=services.AccountData(
            username="ghost",
            full_name="影子",
            organisation=world.org("东湖社区人民调解委员会"),
            role="mediator",
            email="ghost@example.cn",
        ),
    )
    page = client_as("demo_secadmin").get("/accounts/approvals/")
    assert "影子" in page.content.decode()
    client_as("demo_secadmin").post(
        "/accounts/approvals/", {"account": account.pk, "decision": "refuse", "reason": "无此人"}
    )
    account.refresh_from_db()
    assert not account.is_active and not account.pending and not mail.outbox
    assert AuditEvent.objects.filter(
        event_type=EventType.APPROVAL_REFUSED, reason="无此人"
    ).exists()


def test_the_security_admin_cannot_make_a_case_reader_alone(
    world: World, api_as: Callable[[str], Client]
) -> None:
    grid = world.user("demo_grid")
    secadmin = api_as("demo_secadmin")
    # Reactivating a deactivated account is also the security admin's, but a role change
    # waits: the mediator keeps their role until a system administrator approves.
    mediator = world.user("demo_mediator")
    asked = call(
        secadmin,
        "post",
        "/accounts/{account_id}/role",
        {"role": "committee_director", "reason": "换届", "version": mediator.version},
        account_id=mediator.pk,
    )
    assert asked.status_code == 200 and asked.json()["role"] == "mediator"
    assert asked.json()["pending"] == "role"
    own = call(
        secadmin,
        "post",
        "/accounts/{account_id}/approval",
        {"approve": True, "reason": "x"},
        account_id=mediator.pk,
    )
    assert own.status_code == 403
    assert User.objects.get(pk=mediator.pk).role == "mediator"
    approved = call(
        api_as("demo_sysadmin"),
        "post",
        "/accounts/{account_id}/approval",
        {"approve": True, "reason": "同意"},
        account_id=mediator.pk,
    )
    assert approved.status_code == 200 and approved.json()["role"] == "committee_director"
    assert grid.role == "grid_worker"


def test_a_reset_never_lets_the_resetter_sign_in(
    world: World, api_as: Callable[[str], Client]
) -> None:
    mediator = world.user("demo_mediator")
    mediator.email = "li@example.cn"
    mediator.save(update_fields=["email"])
    reset = call(
        api_as("demo_secadmin"),
        "post",
        "/accounts/{account_id}/password-reset",
        {"reason": "本人遗忘密码"},
        account_id=mediator.pk,
    )
    assert reset.status_code == 200
    # The answer holds no password and no link; the old password is gone.
    assert "/password/set/" not in reset.content.decode()
    assert _token("demo_mediator", DEMO) is None
    # The person is told, at their own address.
    assert mail.outbox[-1].to == ["li@example.cn"]
    assert "重置" in mail.outbox[-1].subject or "reset" in mail.outbox[-1].subject
    code = _link_code("li@example.cn")
    assert (
        call(
            Client(), "post", "/auth/password/set", {"token": code, "new_password": "Li-Own-2026!"}
        ).status_code
        == 204
    )
    assert _token("demo_mediator", "Li-Own-2026!") is not None


def test_a_reset_needs_an_address_to_send_the_link_to(world: World) -> None:
    from tiaojie.core.errors import ValidationFailed

    mediator = world.user("demo_mediator")
    mediator.email = ""
    mediator.save(update_fields=["email"])
    try:
        services.user_reset_password(
            actor=world.user("demo_secadmin"), user=mediator, reason="x", site_url="http://t/"
        )
    except ValidationFailed:
        pass
    else:
        raise AssertionError("a reset without an address was accepted")
    assert User.objects.get(pk=mediator.pk).check_password(DEMO)


def test_a_password_typed_by_someone_else_must_change_before_any_work(world: World) -> None:
    account = services.user_create(
        actor=None,
        data=services.AccountData(
            username="ops_admin",
            full_name="运维",
            organisation=world.org("东湖社区人民调解委员会"),
            role="mediator",
        ),
        password="Operator-Typed-2026",
        must_change=True,
    )
    client = Client()
    client.post("/login/", {"username": "ops_admin", "password": "Operator-Typed-2026"})
    home = client.get("/cases/", follow=True)
    assert home.redirect_chain[-1][0] == "/password/"
    assert "选择新密码" in home.content.decode() or "新密码" in home.content.decode()
    api = _token("ops_admin", "Operator-Typed-2026")
    assert api is not None
    blocked = api.get("/api/v1/cases")
    assert blocked.status_code == 403
    assert blocked.json()["code"] == "password_change_required"
    changed = call(
        api,
        "post",
        "/auth/password",
        {"old_password": "Operator-Typed-2026", "new_password": "Mine-Now-2026!"},
    )
    assert changed.status_code == 204
    account.refresh_from_db()
    assert not account.must_change_password
    client.post("/login/", {"username": "ops_admin", "password": "Mine-Now-2026!"})
    assert client.get("/cases/").status_code == 200
