"""Citizens sign in by phone and one-time code, give their real name, and stay apart from the
staff: a citizen's session opens no staff page, a staff session is no citizen."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.public.models import Citizen, OneTimeCode, SmsMessage
from tiaojie.public.session import COOKIE
from tiaojie.public.tests.helpers import (
    CITIZEN_ID,
    OTHER_PHONE,
    PHONE,
    code_for,
    last_text,
    sign_in,
)

pytestmark = pytest.mark.django_db


def _ask(client: Client, phone: str = PHONE, **extra: str) -> str:
    response = client.post(reverse("public:sign_in"), {"phone": phone}, **extra)  # type: ignore[arg-type]
    return response.content.decode()


def test_the_code_arrives_by_text_and_signs_the_citizen_in() -> None:
    client = Client()
    page = _ask(client)
    assert "验证码" in page or "code" in page
    text = last_text(PHONE)
    assert PHONE not in text  # no personal data in the text
    # The code screen posts back what it carries, as the browser does.
    carried = re.search(r'name="next" value="([^"]*)"', page)
    assert carried is not None
    response = client.post(
        reverse("public:sign_in"),
        {"phone": PHONE, "code": code_for(PHONE), "next": carried.group(1)},
    )
    # First sign-in: on to the real-name step.
    assert response.status_code == 302
    assert response["Location"] == reverse("public:real_name")
    assert COOKIE in response.cookies
    assert client.get(reverse("public:my_cases")).status_code == 200
    # A newly verified citizen has no case yet: on to 申请调解, not an empty list.
    response = client.post(reverse("public:real_name"), {"name": "赵丽华", "id_number": CITIZEN_ID})
    assert response["Location"] == reverse("public:apply")
    citizen = Citizen.objects.get()
    assert AuditEvent.objects.filter(
        event_type=EventType.CITIZEN_SIGNED_IN, object_id=str(citizen.pk)
    ).exists()


def test_the_code_is_kept_only_as_a_hash_and_the_phone_encrypted() -> None:
    client = Client()
    _ask(client)
    code = code_for(PHONE)
    row = OneTimeCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    client.post(reverse("public:sign_in"), {"phone": PHONE, "code": code})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM public_citizen")
        (stored,) = cursor.fetchone()
    assert PHONE not in stored


def test_five_wrong_tries_kill_the_code() -> None:
    client = Client()
    _ask(client)
    code = code_for(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        response = client.post(reverse("public:sign_in"), {"phone": PHONE, "code": wrong})
        assert response.status_code == 200
        assert "验证码错误或已过期" in response.content.decode()
    response = client.post(reverse("public:sign_in"), {"phone": PHONE, "code": code})
    assert response.status_code == 200  # the right code no longer works
    assert not Citizen.objects.exists()


def test_an_expired_code_is_refused() -> None:
    client = Client()
    _ask(client)
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(reverse("public:sign_in"), {"phone": PHONE, "code": code_for(PHONE)})
    assert response.status_code == 200
    assert not Citizen.objects.exists()


def _without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_known_and_unknown_numbers_get_the_same_answer() -> None:
    sign_in(Client(), PHONE)
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    known = _ask(Client(), PHONE)
    unknown = _ask(Client(), OTHER_PHONE)
    assert _without_token(known).replace(PHONE, "X") == _without_token(unknown).replace(
        OTHER_PHONE, "X"
    )


def test_codes_are_limited_per_phone(settings: object) -> None:
    client = Client()
    _ask(client)
    page = _ask(client)  # again within the minute
    assert "请稍等一分钟" in page or "Wait a minute" in page
    assert OneTimeCode.objects.count() == 1
    for _ in range(4):
        OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
        _ask(client)
    assert OneTimeCode.objects.count() == 5
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    _ask(client)
    assert OneTimeCode.objects.count() == 5  # the sixth within the hour is refused


def test_codes_are_limited_per_source(settings: object) -> None:
    settings.TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR = 3  # type: ignore[attr-defined]
    for index in range(4):
        _ask(Client(), f"1360013600{index}")
    assert OneTimeCode.objects.count() == 3
    assert SmsMessage.objects.count() == 3


def test_a_bad_number_is_named_and_nothing_is_sent() -> None:
    page = _ask(Client(), "12345")
    assert "请输入11位手机号码" in page
    assert not SmsMessage.objects.exists()


def test_signing_out_ends_every_copy_of_the_session() -> None:
    client = Client()
    sign_in(client)
    copy = Client()
    copy.cookies[COOKIE] = client.cookies[COOKIE].value
    assert copy.get(reverse("public:my_cases")).status_code == 200
    client.post(reverse("public:sign_out"))
    response = copy.get(reverse("public:my_cases"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("public:sign_in"))


def test_a_forged_cookie_is_no_session() -> None:
    client = Client()
    citizen = sign_in(client)
    client.cookies[COOKIE] = f"{citizen.pk}:1:forged"
    assert client.get(reverse("public:my_cases")).status_code == 302


def test_real_name_checks_the_id_number_and_keeps_it_encrypted() -> None:
    client = Client()
    sign_in(client, real_name=False)
    bad = CITIZEN_ID[:-1] + ("0" if CITIZEN_ID[-1] != "0" else "1")
    response = client.post(reverse("public:real_name"), {"name": "赵丽华", "id_number": bad})
    assert response.status_code == 200
    assert "校验" in response.content.decode()
    assert not Citizen.objects.get().is_verified
    response = client.post(reverse("public:real_name"), {"name": "赵丽华", "id_number": CITIZEN_ID})
    assert response.status_code == 302
    citizen = Citizen.objects.get()
    assert citizen.is_verified and citizen.id_number == CITIZEN_ID
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM public_citizen")
        (stored,) = cursor.fetchone()
    assert CITIZEN_ID not in stored


def test_the_next_address_stays_on_the_citizen_pages() -> None:
    client = Client()
    sign_in(client)
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    url = reverse("public:sign_in")
    client.post(url, {"phone": PHONE})
    for target, expected in (
        ("https://evil.example/", reverse("public:my_cases")),
        ("/cases/", reverse("public:my_cases")),
        ("/m/apply/", "/m/apply/"),
    ):
        OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
        client.post(url, {"phone": PHONE})
        response = client.post(url, {"phone": PHONE, "code": code_for(PHONE), "next": target})
        assert response["Location"] == expected


STAFF_PAGES = [
    "workbench:home",
    "cases:case_list",
    "cases:case_register",
    "routing:queue",
    "public:online_cases",
    "accounts:user_list",
    "audit:event_list",
]
CITIZEN_PAGES = ["public:my_cases", "public:apply", "public:real_name", "public:apply_details"]


def test_a_citizen_session_opens_no_staff_page() -> None:
    client = Client()
    sign_in(client)
    for name in STAFF_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name


def _staff_routes() -> list[str]:
    """Every page of the URLconf that is neither public nor a citizen's, with its path
    parameters filled in (the access check comes before any lookup)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: Sequence[object], prefix: str = "") -> list[tuple[str, object]]:
        found: list[tuple[str, object]] = []
        for entry in patterns:
            if isinstance(entry, URLResolver):
                found += walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append((prefix + str(entry.pattern), entry.callback))
        return found

    routes = []
    for route, view in walk(get_resolver().url_patterns):
        rule = getattr(view, "access_rule", None)
        if route.startswith("api/") or rule in (None, "public", "citizen"):
            continue
        path = re.sub(r"<int:\w+>", "1", route)
        path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
        routes.append("/" + re.sub(r"<\w+>", "x", path).lstrip("^").rstrip("$"))
    return routes


def test_a_citizen_session_is_refused_by_every_staff_page() -> None:
    client = Client()
    sign_in(client)
    routes = _staff_routes()
    assert len(routes) > 50
    for path in routes:
        response = client.get(path)
        if response.status_code == 405:
            response = client.post(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:login")), path


def test_a_staff_session_is_no_citizen(client_as: object) -> None:
    client = client_as("demo_mediator")  # type: ignore[operator]
    for name in CITIZEN_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("public:sign_in")), name
    response = client.post(reverse("public:sign_out"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("public:sign_in"))
