"""Notifications: each user sees only their own, unread first, with the count in the header;
marking read; the daily digest sent once a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from tests.api.schema import call
from tiaojie.accounts.models import User
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.tests import factories as f
from tiaojie.deadlines.digest import send_digest
from tiaojie.deadlines.scan import run_scan
from tiaojie.notifications.models import Notification
from tiaojie.notifications.services import notify

pytestmark = pytest.mark.django_db
ClientAs = Callable[[str], Client]


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _two_each() -> None:
    notify([_user("demo_mediator")], kind="other", title="给李建国的第一条", url="/cases/")
    notify([_user("demo_mediator")], kind="routed", title="给李建国的第二条")
    notify([_user("demo_mediator_b")], kind="other", title="给张桂英的")


def test_the_list_shows_only_my_notifications_and_the_badge_counts_them(
    client_as: ClientAs,
) -> None:
    _two_each()
    page = client_as("demo_mediator").get("/notifications/").content.decode()
    assert "给李建国的第一条" in page and "给李建国的第二条" in page
    assert "给张桂英的" not in page
    assert 'data-unread="2"' in page  # the header badge


def test_key_makes_a_notification_once() -> None:
    mediator = _user("demo_mediator")
    assert notify([mediator], kind="other", title="一次", key="k1") == 1
    assert notify([mediator], kind="other", title="一次", key="k1") == 0


def test_marking_read_with_htmx_updates_the_row_and_the_badge(client_as: ClientAs) -> None:
    _two_each()
    note = Notification.objects.get(title="给李建国的第一条")
    client = client_as("demo_mediator")
    response = client.post(f"/notifications/{note.pk}/read/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert f'id="notification-{note.pk}" class="notification"' in body  # no longer unread
    assert 'hx-swap-oob="true"' in body and 'data-unread="1"' in body
    note.refresh_from_db()
    assert note.read_at is not None
    other = Notification.objects.get(title="给张桂英的")
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_opening_goes_to_its_page_and_mark_all_read(client_as: ClientAs) -> None:
    _two_each()
    client = client_as("demo_mediator")
    note = Notification.objects.get(title="给李建国的第一条")
    assert client.get(f"/notifications/{note.pk}/")["Location"] == "/cases/"
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(
        recipient__username="demo_mediator", read_at__isnull=True
    ).exists()
    assert Notification.objects.get(title="给张桂英的").read_at is None


def test_the_api_lists_unread_counts_and_marks(api_as: Callable[[str], Client]) -> None:
    _two_each()
    client = api_as("demo_mediator")
    assert call(client, "get", "/notifications/unread-count").json() == {"unread": 2}
    listed = call(client, "get", "/notifications", query={"unread": "true"}).json()
    assert {n["title"] for n in listed["results"]} == {"给李建国的第一条", "给李建国的第二条"}
    first = listed["results"][0]["id"]
    assert call(
        client, "post", "/notifications/{notification_id}/read", notification_id=first
    ).json()["read_at"]
    other = Notification.objects.get(title="给张桂英的").pk
    assert (
        call(
            client, "post", "/notifications/{notification_id}/read", notification_id=other
        ).status_code
        == 404
    )
    assert call(client, "post", "/notifications/read-all").json() == {"marked": 1}


def test_the_digest_goes_once_a_day_with_an_email_for_those_with_an_address() -> None:
    mediator = _user("demo_mediator")
    User.objects.filter(pk=mediator.pk).update(email="lijianguo@example.org")
    case = f.to_mediation(mediator, f.register(mediator))
    assert case.due_on is not None
    late = case.due_on + dt.timedelta(days=3)
    run_scan(late)
    first = send_digest(late)
    digests = Notification.objects.filter(kind="digest", key=f"digest:{late.isoformat()}")
    recipients = set(digests.values_list("recipient__username", flat=True))
    # The assigned mediator, the director, and the officers above the committee.
    assert {
        "demo_mediator",
        "demo_director",
        "demo_street",
        "demo_district",
        "demo_city",
    } <= recipients
    assert "demo_mediator_b" not in recipients
    assert first.emails == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lijianguo@example.org"]
    assert "1" in digests.get(recipient=mediator).title

    second = send_digest(late)
    assert (second.sent, second.emails) == (0, 0)
    assert len(mail.outbox) == 1 and digests.count() == len(recipients)
    assert AuditEvent.objects.filter(event_type=EventType.DIGEST_SENT).count() == 2


def test_the_digest_command(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("send_digest", "--date", "2026-03-02")
    assert "Digest 2026-03-02" in capsys.readouterr().out


def test_colleagues_of_one_office_get_the_same_digest() -> None:
    """Officers' scope follows their office, so both read the same counts; a mediator of the
    same committee who is not assigned sees nothing of an assigned case."""
    mediator = _user("demo_mediator")
    street = _user("demo_street")
    colleague = User.objects.create(
        username="street_colleague",
        full_name="同事",
        organisation=street.organisation,
        role=street.role,
    )
    case = f.to_mediation(mediator, f.register(mediator))
    assert case.due_on is not None
    late = case.due_on + dt.timedelta(days=3)
    run_scan(late)
    send_digest(late)
    digests = Notification.objects.filter(key=f"digest:{late.isoformat()}")
    mine, theirs = digests.get(recipient=street), digests.get(recipient=colleague)
    assert (mine.title, mine.body) == (theirs.title, theirs.body)
    assert "1" in mine.title
    others = User.objects.filter(organisation=mediator.organisation, role=mediator.role)
    unassigned = others.exclude(pk=mediator.pk).first()
    assert unassigned is not None and not digests.filter(recipient=unassigned).exists()
