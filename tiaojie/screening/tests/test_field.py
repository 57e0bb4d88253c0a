"""The field app's server side: a phone's queued report recorded once however often it is
sent, refused by field when it lacks a place or a key or carries a file that is not a photo;
its photo served only to those who read the finding, and copied into the case the finding
becomes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import CaseSource, CaseStatus
from tiaojie.cases.models import Attachment, DisputeType
from tiaojie.cases.services.attachments import stored_path
from tiaojie.screening.models import Finding, FindingMedia
from tiaojie.screening.tests import helpers as h

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x01" * 64


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def _report(**extra: object) -> dict[str, object]:
    return {"place": "梨园路12号", "what": "楼上漏水", "risk": "low", "client_key": "k-1", **extra}


def test_a_replayed_sync_records_the_report_once(world: World, client_as: Clients) -> None:
    screening_round = h.make_round(assignee=world.user("demo_grid"))
    client = client_as("demo_grid")
    url = reverse("screening:field_sync")
    body = _report(round=screening_round.pk, latitude="30.59", longitude="114.30")
    first = client.post(url, {**body, "photo": SimpleUploadedFile("a.jpg", JPEG, "image/jpeg")})
    again = client.post(url, {**body, "photo": SimpleUploadedFile("a.jpg", JPEG, "image/jpeg")})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] is True
    finding = Finding.objects.get()
    assert "30.59000, 114.30000" in finding.what
    assert FindingMedia.objects.count() == 1
    media = FindingMedia.objects.get()
    shown = client_as("demo_director").get(reverse("screening:finding_media", args=[media.pk]))
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == JPEG  # type: ignore[attr-defined]
    other = client_as("demo_mediator_b").get(reverse("screening:finding_media", args=[media.pk]))
    assert other.status_code == 404


def test_bad_reports_are_refused_by_field_and_nothing_is_kept(
    world: World, client_as: Clients
) -> None:
    screening_round = h.make_round(assignee=world.user("demo_grid"))
    client = client_as("demo_grid")
    url = reverse("screening:field_sync")
    no_place = client.post(url, _report(round=screening_round.pk, place=""))
    assert no_place.status_code == 422 and "place" in no_place.json()["fields"]
    assert "地点" in no_place.json()["fields"]["place"][0]
    no_key = client.post(url, _report(round=screening_round.pk, client_key=""))
    assert no_key.status_code == 422 and "client_key" in no_key.json()["fields"]
    no_round = client.post(url, _report(round="x"))
    assert no_round.status_code == 422 and "round" in no_round.json()["fields"]
    exe = SimpleUploadedFile("a.jpg", b"MZ\x90\x00" + b"\x00" * 64, "image/jpeg")
    bad_photo = client.post(url, {**_report(round=screening_round.pk), "photo": exe})
    assert bad_photo.status_code == 422 and "photo" in bad_photo.json()["fields"]
    assert not Finding.objects.exists() and not FindingMedia.objects.exists()
    # Another committee's mediator does not find the round; the level above may not report.
    assert (
        client_as("demo_mediator_b").post(url, _report(round=screening_round.pk)).status_code == 404
    )
    assert client_as("demo_street").post(url, _report(round=screening_round.pk)).status_code == 403


def test_a_findings_photo_and_voice_note_go_into_the_case_file_it_becomes(
    world: World, client_as: Clients
) -> None:
    screening_round = h.make_round(assignee=world.user("demo_grid"))
    grid = client_as("demo_grid")
    sent = grid.post(
        reverse("screening:field_sync"),
        {
            **_report(round=screening_round.pk),
            "photo": SimpleUploadedFile("photo.jpg", JPEG, "image/jpeg"),
            "voice": SimpleUploadedFile("voice.webm", WEBM, "audio/webm"),
        },
    )
    assert sent.status_code == 201
    finding = Finding.objects.get()
    dispute_type = DisputeType.objects.valid_on(timezone.localdate()).first()
    assert dispute_type is not None
    page = grid.post(
        reverse("screening:finding_to_case", args=[finding.pk]),
        {
            "version": finding.version,
            "dispute_type": dispute_type.pk,
            "summary": "楼上漏水",
            "applicant": "刘某",
            "respondent": "陈某",
        },
    )
    assert page.status_code == 302
    finding.refresh_from_db()
    case = finding.case
    assert case is not None
    # A grid report waits in the centre's queue, with what the phone sent as evidence.
    assert (case.source, case.status) == (CaseSource.GRID, CaseStatus.QUEUED)
    copied = list(Attachment.objects.filter(case=case).order_by("id"))
    assert [(a.kind, a.content_type, a.title) for a in copied] == [
        ("evidence", "image/jpeg", "排查线索：照片"),
        ("evidence", "video/webm", "排查线索：语音"),
    ]
    assert [stored_path(a).read_bytes() for a in copied] == [JPEG, WEBM]
    assert FindingMedia.objects.filter(finding=finding).count() == 2  # the finding keeps its own
    added = AuditEvent.objects.filter(event_type=EventType.ATTACHMENT_ADDED, object_id=str(case.pk))
    assert added.count() == 2
    # The centre's officer sees them on the case page and opens them (404 to the sibling).
    officer = client_as("demo_street")
    assert (
        "排查线索：照片"
        in officer.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    )
    url = reverse("cases:attachment_download", args=[copied[0].pk])
    assert officer.get(url).status_code == 200
    assert client_as("demo_mediator_b").get(url).status_code == 404


def test_a_riff_that_is_not_webp_is_no_photo(world: World, client_as: Clients) -> None:
    screening_round = h.make_round(assignee=world.user("demo_grid"))
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
    response = client_as("demo_grid").post(
        reverse("screening:field_sync"),
        {
            **_report(round=screening_round.pk),
            "photo": SimpleUploadedFile("p.webp", wav, "image/webp"),
        },
    )
    assert response.status_code == 422 and "photo" in response.json()["fields"]
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("nan", "114.30", "latitude"),
        ("30.59", "inf", "longitude"),
        ("-Infinity", "114.30", "latitude"),
        ("90.5", "114.30", "latitude"),
        ("30.59", "-180.01", "longitude"),
        ("30.59", "", "longitude"),
        ("北纬30度", "114.30", "latitude"),
    ],
)
def test_a_position_off_the_globe_is_refused_by_field_and_nothing_is_kept(
    world: World, client_as: Clients, latitude: str, longitude: str, field: str
) -> None:
    screening_round = h.make_round(assignee=world.user("demo_grid"))
    body = _report(round=screening_round.pk, latitude=latitude, longitude=longitude)
    response = client_as("demo_grid").post(reverse("screening:field_sync"), body)
    assert response.status_code == 422
    assert "不是有效的GPS位置" in response.json()["fields"][field][0]
    assert not Finding.objects.exists()


def test_the_app_is_installable_and_may_use_camera_microphone_and_position(
    world: World, client_as: Clients
) -> None:
    h.make_round(assignee=world.user("demo_grid"))
    page = client_as("demo_grid").get(reverse("screening:field_app"))
    assert page.status_code == 200
    assert "camera=(self)" in page.headers["Permissions-Policy"]
    assert reverse("screening:field_manifest") in page.content.decode()
    manifest = Client().get(reverse("screening:field_manifest")).json()
    assert manifest["start_url"] == reverse("screening:field_app")
    assert manifest["display"] == "standalone"
    worker = Client().get(reverse("screening:field_worker")).content.decode()
    assert "__SHELL__" not in worker and reverse("screening:field_app") in worker
    assert client_as("demo_sysadmin").get(reverse("screening:field_app")).status_code == 403
