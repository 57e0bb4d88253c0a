"""The tree import from outside: the page, the template download, the API and the command."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from tests import personas as p
from tests.api.schema import validate
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.organisations.import_columns import COLUMNS, EXAMPLE_ROWS, choice_names
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.tests.import_files import (
    GOOD_ROWS,
    NEXT_ROW,
    csv_bytes,
    table,
    xlsx,
)

IMPORT = "/api/v1/organisations/import"
BAD_KIND: dict[str, object] = {"编号": "X1", "名称": "某某司法厅", "类型": "司法厅"}


def zh(message: str) -> str:
    """``message`` as the pages show it: in Chinese, whatever the test thread's language."""
    with translation.override("zh-hans"):
        return _(message)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def page_post(client: Client, anchor: Organisation, name: str, content: bytes) -> Any:
    return client.post(
        reverse("organisations:import"), {"anchor": anchor.pk, "file": upload(name, content)}
    )


# The page ------------------------------------------------------------------------------------


def test_the_page_offers_the_template_and_defaults_to_the_users_organisation(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as(p.SYSADMIN).get(reverse("organisations:import"))
    assert response.status_code == 200
    html = response.content.decode()
    city = p.org("临江市司法局")
    assert f'<option value="{city.pk}" selected>' in html
    assert reverse("organisations:import_template") in html
    assert 'enctype="multipart/form-data"' in html
    assert all(column.header in html for column in COLUMNS)


def test_a_good_file_is_imported_and_the_message_links_to_the_anchor(
    client_as: Callable[[str], Client],
) -> None:
    anchor = p.org(p.DONGHU_DISTRICT)
    client = client_as(p.SYSADMIN)
    response = client.post(
        reverse("organisations:import"),
        {"anchor": anchor.pk, "file": upload("东湖区.xlsx", xlsx(table(GOOD_ROWS)))},
        follow=True,
    )
    assert response.redirect_chain == [
        (f"{reverse('organisations:import')}?anchor={anchor.pk}", 302)
    ]
    html = response.content.decode()
    assert "5" in html and f'href="{reverse("organisations:detail", args=[anchor.pk])}"' in html
    assert Organisation.objects.get(name="第一网格", parent__name="新湖社区人民调解委员会")
    assert f'<option value="{anchor.pk}" selected>' in html


def test_a_bad_row_shows_the_error_table_keeps_the_anchor_and_writes_nothing(
    client_as: Callable[[str], Client],
) -> None:
    anchor = p.org(p.DONGHU_DISTRICT)
    before = Organisation.objects.count()
    rows = table([*GOOD_ROWS, BAD_KIND])
    response = page_post(client_as(p.SYSADMIN), anchor, "东湖区.csv", csv_bytes(rows))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert f'<td data-label="{zh("Row")}">{NEXT_ROW}</td>' in html
    assert f'<td data-label="{zh("Column")}">类型</td>' in html
    with translation.override("zh-hans"):
        reason = _("Unknown value “%(value)s”; use one of: %(choices)s.") % {
            "value": "司法厅",
            "choices": choice_names("kind"),
        }
    assert f'<td data-label="{zh("Problem")}">{escape(reason)}</td>' in html
    assert f'<option value="{anchor.pk}" selected>' in html
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.filter(event_type=EventType.ORGANISATION_TREE_IMPORTED).exists()


def test_a_long_list_of_errors_is_cut_with_a_note(
    client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tiaojie.organisations.views.IMPORT_ERRORS_SHOWN", 2)
    rows = table([{"编号": f"G{i}", "名称": f"网格{i}", "类型": "网格"} for i in range(5)])
    response = page_post(client_as(p.SYSADMIN), p.org(p.DONGHU_DISTRICT), "t.csv", csv_bytes(rows))
    html = response.content.decode()
    assert html.count(f'<td data-label="{zh("Row")}">') == 2
    with translation.override("zh-hans"):
        note = ngettext(
            "Showing the first %(shown)s problem; %(hidden)s more are not shown.",
            "Showing the first %(shown)s problems; %(hidden)s more are not shown.",
            2,
        ) % {"shown": 2, "hidden": 3}
    assert note in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "tree.xls",
            b"\xd0\xcf\x11\xe0",
            "Upload an .xlsx or .csv file (save an older .xls file as .xlsx first).",
        ),
        ("tree.xlsx", b"", "The submitted file is empty."),
    ],
)
def test_the_upload_must_be_an_xlsx_or_csv_file(
    client_as: Callable[[str], Client], name: str, content: bytes, message: str
) -> None:
    response = page_post(client_as(p.SYSADMIN), p.org(p.DONGHU_DISTRICT), name, content)
    assert response.status_code == 200
    assert f'<p class="error" role="alert">{zh(message)}</p>' in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(
    client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tiaojie.core.imports.MAX_FILE_BYTES", 100)
    response = page_post(client_as(p.SYSADMIN), p.org(p.DONGHU_DISTRICT), "t.csv", b"x" * 101)
    message = zh("The file is larger than %(size)s MB; split it into several files.")
    assert message % {"size": 0} in response.content.decode()


@pytest.mark.parametrize("username", [p.MEDIATOR_A, p.DIRECTOR_A, p.DISTRICT, p.STREET])
def test_roles_without_the_import_capability_are_refused(
    client_as: Callable[[str], Client], username: str
) -> None:
    client = client_as(username)
    assert client.get(reverse("organisations:import")).status_code == 403
    assert client.get(reverse("organisations:import_template")).status_code == 403


def test_an_anchor_outside_the_users_scope_is_not_found(
    client_as: Callable[[str], Client],
) -> None:
    p.other_district_admins()
    client = client_as(p.XISHAN_SYSADMIN)
    donghu = p.org(p.DONGHU_DISTRICT)
    assert client.get(reverse("organisations:import"), {"anchor": donghu.pk}).status_code == 404
    response = page_post(client, donghu, "t.xlsx", xlsx(table(GOOD_ROWS)))
    assert response.status_code == 404
    assert not Organisation.objects.filter(name="新湖街道司法所").exists()


def test_the_nav_shows_the_import_entry_to_importers_only(
    client_as: Callable[[str], Client],
) -> None:
    # The import is a settings entry: on the settings page of those who may import only.
    url = reverse("organisations:import")
    settings_page = reverse("core:configuration")
    assert f'href="{url}"' in client_as(p.SYSADMIN).get(settings_page).content.decode()
    assert f'href="{url}"' not in client_as(p.DISTRICT).get(settings_page).content.decode()


# The template --------------------------------------------------------------------------------


def test_the_template_opens_with_headers_explanations_and_examples(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as(p.SYSADMIN).get(reverse("organisations:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [column.header for column in COLUMNS]
    assert all(rows[1]) and len(rows) == 2 + len(EXAMPLE_ROWS)
    assert [r[3] for r in rows[2:]] == ["司法所", "调委会", "网格"]


def test_the_template_as_downloaded_imports_its_three_examples(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as(p.SYSADMIN)
    content = client.get(reverse("organisations:import_template")).content
    anchor = p.org(p.DONGHU_DISTRICT)
    page_post(client, anchor, "template.xlsx", content)
    grid = Organisation.objects.get(name="第一网格", parent__name="示例社区人民调解委员会")
    assert grid.parent is not None and grid.parent.parent is not None
    assert grid.parent.parent.parent == anchor


# The API -------------------------------------------------------------------------------------


def api_post(client: Client, anchor_id: int, name: str, content: bytes) -> Any:
    response = client.post(IMPORT, {"anchor_id": anchor_id, "file": upload(name, content)})
    validate(response, "post", "/organisations/import")
    return response


def test_the_api_imports_a_file_with_a_token(api_as: Callable[[str], Client]) -> None:
    anchor = p.org(p.DONGHU_DISTRICT)
    response = api_post(api_as(p.SYSADMIN), anchor.pk, "t.xlsx", xlsx(table(GOOD_ROWS)))
    assert response.status_code == 200
    assert response.json() == {"created": 5}


def test_the_api_lists_row_errors_by_row_and_column(api_as: Callable[[str], Client]) -> None:
    anchor = p.org(p.DONGHU_DISTRICT)
    rows = table([*GOOD_ROWS, BAD_KIND])
    response = api_post(api_as(p.SYSADMIN), anchor.pk, "t.csv", csv_bytes(rows))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    assert list(body["fields"]) == [f"{NEXT_ROW}:类型"]
    assert not Organisation.objects.filter(name="新湖街道司法所").exists()


def test_the_api_refuses_other_roles_and_anchors_out_of_scope(
    api_as: Callable[[str], Client],
) -> None:
    p.other_district_admins()
    anchor = p.org(p.DONGHU_DISTRICT)
    content = xlsx(table(GOOD_ROWS))
    assert api_post(api_as(p.MEDIATOR_A), anchor.pk, "t.xlsx", content).status_code == 403
    assert api_post(api_as(p.XISHAN_SYSADMIN), anchor.pk, "t.xlsx", content).status_code == 404
    assert api_post(Client(), anchor.pk, "t.xlsx", content).status_code == 401
    assert not Organisation.objects.filter(name="新湖街道司法所").exists()


# The command ---------------------------------------------------------------------------------


def test_the_command_imports_under_an_anchor(db: None, tmp_path: Path) -> None:
    anchor = p.org(p.DONGHU_DISTRICT)
    path = tmp_path / "东湖区.xlsx"
    path.write_bytes(xlsx(table(GOOD_ROWS)))
    out = io.StringIO()
    call_command("import_organisations", str(path), anchor=anchor.pk, stdout=out)
    assert "5" in out.getvalue()
    assert Organisation.objects.get(name="新湖街道司法所").parent == anchor


def test_the_command_imports_a_root_on_a_fresh_install(db: None, tmp_path: Path) -> None:
    path = tmp_path / "city.csv"
    path.write_bytes(csv_bytes(table([{"编号": "1", "名称": "新江市司法局", "类型": "市司法局"}])))
    call_command("import_organisations", str(path), stdout=io.StringIO())
    assert Organisation.objects.get(name="新江市司法局").parent is None


def test_the_command_prints_each_error_and_fails(db: None, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(table([*GOOD_ROWS, BAD_KIND])))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_organisations", str(path), anchor=p.org(p.DONGHU_DISTRICT).pk, stderr=err
        )
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and str(NEXT_ROW) in lines[0] and "类型" in lines[0]
    assert not Organisation.objects.filter(name="新湖街道司法所").exists()
