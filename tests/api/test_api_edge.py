"""Bad input at the API's edge gets a clear 4xx in the JSON error body, never a 500."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from tests.api.schema import PREFIX, call, openapi, validate
from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f


def _new_case(**extra: Any) -> dict[str, Any]:
    return {
        "dispute_type": "neighbours",
        "source": "application",
        "summary": "楼上漏水殃及楼下",
        "narrative": "申请人称楼上卫生间漏水三个月。\n\t天花板发霉。",
        "parties": [
            {"role": "applicant", "name": "王建华", "id_number": f.WANG_ID, "phone": "13812345678"},
            {"role": "respondent", "name": "李秀英", "id_number": f.LI_ID, "phone": "13987654321"},
        ],
        **extra,
    }


@pytest.fixture
def mediation(api_as: Callable[[str], Client]) -> tuple[Client, int]:
    """A case in mediation at committee A, and its mediator's API client."""
    mediator = api_as("demo_mediator")
    case_id = call(mediator, "post", "/cases", _new_case()).json()["id"]
    me = call(mediator, "get", "/me").json()
    for action, extra in (("accept", {}), ("start_mediation", {"mediator_ids": [me["id"]]})):
        moved = call(
            mediator,
            "post",
            "/cases/{case_id}/transitions",
            {"action": action, **extra},
            case_id=case_id,
        )
        assert moved.status_code == 200, moved.json()
    return mediator, case_id


def _session(held_at: str) -> dict[str, Any]:
    return {
        "held_at": held_at,
        "place": "东湖社区调解室",
        "parties_present": "王建华、李秀英",
        "recorder": "李建国",
        "content": "双方陈述，调解员释法。",
    }


def _investigation(held_at: str) -> dict[str, Any]:
    return {
        "held_at": held_at,
        "place": "楼下住户家中",
        "interviewee": "王建华",
        "investigators": "李建国",
        "recorder": "李建国",
        "content": "查看天花板发霉情况。",
    }


@pytest.mark.parametrize(
    ("template", "make"),
    [("/cases/{case_id}/sessions", _session), ("/cases/{case_id}/investigations", _investigation)],
)
def test_a_time_without_an_offset_is_beijing_time_and_a_date_alone_is_refused_by_name(
    mediation: tuple[Client, int], template: str, make: Callable[[str], dict[str, Any]]
) -> None:
    mediator, case_id = mediation
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    today = now.date().isoformat()
    local = call(mediator, "post", template, make(now.isoformat()), case_id=case_id)
    assert local.status_code == 201, local.json()
    # The record keeps the wall-clock time as Beijing time (read as UTC it would lie 8 hours
    # in the future, and be refused).
    case = Case.objects.get(pk=case_id)
    record = (case.sessions if "sessions" in template else case.investigations).get()
    assert timezone.localtime(record.held_at).replace(tzinfo=None) == now
    assert record.held_at.utcoffset() is not None

    date_only = call(mediator, "post", template, make(today), case_id=case_id)
    assert date_only.status_code == 422
    assert "held_at" in date_only.json()["fields"]
    assert "时间" in date_only.json()["fields"]["held_at"][0]

    # Now in UTC (not a minute ago: at Beijing's midnight that would be the day before the
    # case's registration, and refused).
    utc = timezone.now().isoformat()
    offset = call(mediator, "post", template, make(utc), case_id=case_id)
    assert offset.status_code == 201, offset.json()


def _walk_ids() -> list[tuple[str, str, str]]:
    """Every operation with path parameters, with each bad id a client might send."""
    found = []
    for template, operations in openapi()["paths"].items():
        if "{" not in template:
            continue
        for method in operations:
            for bad in ("abc", "1.5", "-1", "9223372036854775808", "1" + "0" * 30):
                found.append((method, template.removeprefix(PREFIX), bad))
    return found


def _url(template: str, value: str) -> str:
    return PREFIX + re.sub(r"\{[^}]+\}", value, template)


@pytest.mark.parametrize("username", ["demo_city", "demo_mediator"])
def test_every_operation_answers_a_bad_path_id_with_a_declared_json_error(
    api_as: Callable[[str], Client], username: str
) -> None:
    client = api_as(username)
    for method, template, bad in _walk_ids():
        kwargs: dict[str, Any] = {}
        if method != "get":
            kwargs = {"data": "{}", "content_type": "application/json"}
        response = getattr(client, method)(_url(template, bad), **kwargs)
        assert response.status_code in (404, 422), (method, template, bad, response.status_code)
        assert response["Content-Type"].startswith("application/json"), (method, template, bad)
        assert response.json()["code"], (method, template, bad)
        validate(response, method, template)


def test_every_list_answers_a_huge_page_with_a_declared_422(
    api_as: Callable[[str], Client],
) -> None:
    client = api_as("demo_city")
    lists = [
        template.removeprefix(PREFIX)
        for template, operations in openapi()["paths"].items()
        if "{" not in template
        and any(p["name"] == "page" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert len(lists) >= 8, lists
    for template in lists:
        huge = client.get(PREFIX + template, {"page": 1152921504606846976})
        assert huge.status_code == 422, (template, huge.status_code)
        assert "page" in huge.json()["fields"], template
        validate(huge, "get", template)
        # The last page allowed, far past the end: an empty page, not an overflow.
        last = client.get(PREFIX + template, {"page": 2**31 - 1, "page_size": 200})
        assert last.status_code in (200, 403), (template, last.status_code)
        validate(last, "get", template)
        if last.status_code == 200:
            assert last.json()["results"] == [], template


def test_every_declared_error_and_every_query_parameter_is_typed_in_the_schema() -> None:
    """Each operation declares the one error mapping, so a generated client never meets an
    undeclared 404 (bad path id), 413 or 422 (a bad query parameter)."""
    for template, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"401", "403", "404", "409", "413", "422"} <= declared, (method, template)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"people_involved": 2**63}, "people_involved"),
        ({"people_involved": 2**31}, "people_involved"),
        ({"summary": "漏水\x00"}, "summary"),
        ({"narrative": "漏水\x01殃及楼下"}, "narrative"),
        ({"narrative": "字" * 10_001}, "narrative"),
        ({"parties": [_new_case()["parties"][0]] * 51}, "parties"),
    ],
)
def test_a_case_with_a_value_no_column_or_document_holds_is_refused_by_field(
    api_as: Callable[[str], Client], value: dict[str, Any], field: str
) -> None:
    response = call(api_as("demo_mediator"), "post", "/cases", _new_case(**value))
    assert response.status_code == 422, response.json()
    assert field in response.json()["fields"], response.json()
    assert not Case.objects.exists()


def test_a_party_name_with_a_control_character_is_refused_by_its_path(
    api_as: Callable[[str], Client],
) -> None:
    case = _new_case()
    case["parties"][1] = {**case["parties"][1], "name": "李秀\x1b英"}
    response = call(api_as("demo_mediator"), "post", "/cases", case)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "parties.1.name": [response.json()["fields"]["parties.1.name"][0]]
    }
    assert "控制字符" in response.json()["fields"]["parties.1.name"][0]


@pytest.mark.parametrize("code", ["neighbour", "neighbours%", "neighbour_", "nope"])
def test_a_dispute_type_is_named_by_its_exact_code(
    api_as: Callable[[str], Client], code: str
) -> None:
    """The code is a value, not a pattern: a near miss is refused by name and nothing is
    registered; the exact code registers the case under that type."""
    client = api_as("demo_mediator")
    response = call(client, "post", "/cases", _new_case(dispute_type=code))
    assert response.status_code == 422, response.json()
    assert response.json()["fields"]["dispute_type"] == [f"未知的纠纷类型：{code}。"]
    assert not Case.objects.exists()
    registered = call(client, "post", "/cases", _new_case(dispute_type="neighbours"))
    assert registered.status_code == 201
    assert Case.objects.get().dispute_type.code == "neighbours"


def test_line_breaks_and_tabs_stay_in_multi_line_text(api_as: Callable[[str], Client]) -> None:
    response = call(api_as("demo_mediator"), "post", "/cases", _new_case())
    assert response.status_code == 201
    assert response.json()["narrative"] == "申请人称楼上卫生间漏水三个月。\n\t天花板发霉。"


def test_a_body_over_the_upload_limit_is_a_413(
    api_as: Callable[[str], Client], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    big = _new_case(narrative="字" * 1_000_000)  # 3 MB of UTF-8
    response = call(api_as("demo_mediator"), "post", "/cases", big)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Case.objects.exists()


@pytest.mark.parametrize("template", ["/cases/import", "/organisations/import"])
def test_an_import_without_a_multipart_boundary_is_a_422(
    api_as: Callable[[str], Client], template: str
) -> None:
    client = api_as("demo_director" if template == "/cases/import" else "demo_sysadmin")
    response = client.post(PREFIX + template, data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_error"
    validate(response, "post", template)


def test_debug_is_off_unless_asked_for(tmp_path: Any) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"DJANGO_SECRET_KEY": "x" * 50, "TIAOJIE_VAR_DIR": str(tmp_path)}
    script = "import config.settings.base as s; print(s.DEBUG)"
    shown = subprocess.run(  # noqa: S603 - our own interpreter on a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "False"


def _request_properties() -> list[tuple[str, str, dict[str, Any]]]:
    """Every property of every request body schema, nested schemas included."""
    doc = openapi()
    schemas = doc["components"]["schemas"]
    names: set[str] = set()
    for operations in doc["paths"].values():
        for operation in operations.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                names |= set(re.findall(r"#/components/schemas/(\w+)", json.dumps(content)))
    seen: set[str] = set()
    found = []
    while names:
        name = names.pop()
        seen.add(name)
        for prop, spec in schemas[name].get("properties", {}).items():
            found.append((name, prop, spec))
            names |= set(re.findall(r"#/components/schemas/(\w+)", json.dumps(spec))) - seen
    return found


def _variants(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in spec.get("anyOf", [spec]) if v.get("type") != "null"]


def test_every_date_and_time_in_a_request_reads_a_missing_offset_as_beijing_time() -> None:
    times = [
        (name, prop)
        for name, prop, spec in _request_properties()
        if any(v.get("format") == "date-time" for v in _variants(spec))
    ]
    assert ("SessionIn", "held_at") in times and ("InvestigationIn", "held_at") in times
    for name, prop, spec in _request_properties():
        if (name, prop) in times:
            assert "Asia/Shanghai" in spec.get("description", ""), (name, prop)


def test_every_text_list_and_number_in_a_request_is_bounded() -> None:
    for name, prop, spec in _request_properties():
        variants = _variants(spec)
        if any(v.get("type") == "number" for v in variants):
            continue  # a decimal, bounded by its digits (also accepted as a string)
        for variant in variants:
            kind = variant.get("type")
            if kind == "string" and variant.get("format") not in ("date", "date-time", "binary"):
                assert "maxLength" in variant or "enum" in variant, (name, prop)
            elif kind == "array":
                assert "maxItems" in variant, (name, prop)
            elif kind == "integer":
                assert "maximum" in variant and "minimum" in variant, (name, prop)


def _xlsx(rows: int) -> bytes:
    # write_only leaves out the sheet's declared dimension, as some writers do: the rows are
    # counted all the same.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for _ in range(rows):
        sheet.append(["x"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("template", "username", "limit"),
    [
        ("/organisations/import", "demo_sysadmin", "60,000"),
        ("/cases/import", "demo_director", "20,000"),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_spreadsheet_with_too_many_rows_is_refused_before_its_rows_are_read(
    api_as: Callable[[str], Client], template: str, username: str, limit: str, kind: str
) -> None:
    # Rows without any header: parsed, they would be refused for the missing headers. The
    # row count answers first, because it is checked before any row is parsed.
    rows = int(limit.replace(",", "")) + 1_001
    content = ("x\n" * rows).encode() if kind == "csv" else _xlsx(rows)
    upload = SimpleUploadedFile(f"big.{kind}", content)
    client = api_as(username)
    form: dict[str, Any] = {"file": upload}
    if template == "/organisations/import":
        form["anchor_id"] = User.objects.get(username="demo_city").organisation_id
    response = call(client, "post", template, multipart=form)
    assert response.status_code == 422, response.json()
    problems = " ".join(m for ms in response.json()["fields"].values() for m in ms)
    assert limit in problems, problems


@pytest.mark.parametrize("value", [2**31, 2**63, 2**64])
def test_a_query_id_no_column_holds_is_a_declared_answer_not_a_crash(
    api_as: Callable[[str], Client], value: int
) -> None:
    client = api_as("demo_city")
    for template, name in (("/cases", "committee"), ("/organisations", "parent")):
        response = client.get(PREFIX + template, {name: value})
        assert response.status_code in (200, 422), (template, response.status_code)
        validate(response, "get", template)
