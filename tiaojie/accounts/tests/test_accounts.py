"""Account management: passwords, the three administrators kept apart, scope, stale edits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from conftest import World
from tiaojie.accounts import services
from tiaojie.accounts.models import User
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed


def _data(world: World, **overrides: object) -> services.AccountData:
    values: dict[str, object] = {
        "username": "wangfang",
        "full_name": "王芳",
        "organisation": world.org("东湖社区人民调解委员会"),
        "role": "mediator",
        "email": "wangfang@example.cn",
    }
    return services.AccountData(**(values | overrides))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Short-1", "至少"),
        ("alllowercaseletters", "至少"),
        ("Wangfang-2026", "用户名"),
        ("gnafgnaw-2026X", "用户名"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    world: World, password: str, reason: str
) -> None:
    # Passwords are chosen by the system operator at the command line, or by the person.
    with pytest.raises(ValidationFailed) as refused:
        services.user_create(actor=None, data=_data(world), password=password)
    assert any(reason in message for message in refused.value.fields["password"])
    assert not User.objects.filter(username="wangfang").exists()


def test_the_system_admin_creates_accounts_in_scope_only(world: World) -> None:
    sysadmin = world.user("demo_sysadmin")
    created = services.user_create(actor=sysadmin, data=_data(world))
    assert created.organisation.name == "东湖社区人民调解委员会"
    assert created.pending == "create" and not created.is_active
    with pytest.raises(ValidationFailed) as refused:
        services.user_create(actor=sysadmin, data=_data(world, username="x", role="system_admin"))
    assert "role" in refused.value.fields


def test_a_role_must_fit_its_organisation(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.user_create(
            actor=world.user("demo_sysadmin"), data=_data(world, role="office_officer")
        )
    assert "organisation" in refused.value.fields


def test_the_three_administrators_cannot_do_each_others_work(world: World) -> None:
    sysadmin, secadmin, auditadmin = (
        world.user(u) for u in ("demo_sysadmin", "demo_secadmin", "demo_auditadmin")
    )
    mediator = world.user("demo_mediator")
    for actor in (secadmin, auditadmin):
        with pytest.raises(NotPermitted):
            services.user_create(actor=actor, data=_data(world))
    for actor in (sysadmin, auditadmin):
        with pytest.raises(NotPermitted):
            services.user_change_role(
                actor=actor, user=mediator, role="committee_director", reason="x", version=1
            )
        with pytest.raises(NotPermitted):
            services.user_set_active(actor=actor, user=mediator, active=False, reason="x")
    # Nobody changes an administrator account, their own included, through the app.
    with pytest.raises(NotPermitted):
        services.user_set_active(actor=secadmin, user=sysadmin, active=False, reason="x")
    with pytest.raises(NotPermitted):
        services.user_reset_password(
            actor=secadmin, user=secadmin, reason="x", site_url="http://testserver/"
        )


def test_a_stale_profile_edit_is_refused(world: World) -> None:
    sysadmin = world.user("demo_sysadmin")
    mediator = world.user("demo_mediator")
    services.user_update_profile(
        actor=sysadmin,
        user=mediator,
        full_name="李建国",
        title="首席调解员",
        email="",
        organisation=mediator.organisation,
        version=mediator.version,
    )
    with pytest.raises(Conflict):
        services.user_update_profile(
            actor=sysadmin,
            user=mediator,
            full_name="李建国",
            title="兼职",
            email="",
            organisation=mediator.organisation,
            version=mediator.version,
        )
    assert User.objects.get(pk=mediator.pk).title == "首席调解员"


def test_the_account_page_keeps_typed_input_when_refused(
    client_as: Callable[[str], Client], world: World
) -> None:
    committee = world.org("东湖社区人民调解委员会")
    response = client_as("demo_sysadmin").post(
        "/accounts/new/",
        {
            "username": "wangfang",
            "full_name": "王芳",
            "organisation": committee.pk,
            "role": "mediator",
            "title": "兼职调解员",
            "email": "not-an-address",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="王芳"' in html and 'value="兼职调解员"' in html
    assert 'value="not-an-address"' in html
    assert not User.objects.filter(username="wangfang").exists()


def test_the_security_admin_changes_a_role_on_the_page(
    client_as: Callable[[str], Client], world: World
) -> None:
    mediator = world.user("demo_mediator")
    client = client_as("demo_secadmin")
    response = client.post(
        f"/accounts/{mediator.pk}/",
        {
            "form": "role",
            "role": "committee_director",
            "reason": "调委会换届",
            "version": mediator.version,
        },
    )
    assert response.status_code == 302
    # A role that reads cases waits for a system administrator's approval.
    assert User.objects.get(pk=mediator.pk).role == "mediator"
    approval = client_as("demo_sysadmin").post(
        "/accounts/approvals/", {"account": mediator.pk, "decision": "approve", "reason": "核实"}
    )
    assert approval.status_code == 302
    assert User.objects.get(pk=mediator.pk).role == "committee_director"


def test_the_account_list_is_scoped(client_as: Callable[[str], Client], world: World) -> None:
    from tests.personas import other_district_admins

    other_district_admins()
    page = client_as("xishan_sysadmin").get("/accounts/")
    usernames = {u.username for u in page.context["page"]}
    assert "xishan_sysadmin" in usernames and "demo_mediator" not in usernames
