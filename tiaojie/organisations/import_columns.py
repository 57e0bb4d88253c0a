"""The columns of an organisation-tree import file, the words accepted in them, and the template.

Column headers are Chinese because that is what the bureaus' own spreadsheets say; English
aliases let a file exported from another system (or the API docs' example) be read as well.
Choice columns accept the Chinese names people actually type (司法所, 村(居)民调委会, 派出所),
the short forms, the stored codes, and each label in every interface language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import Enum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tiaojie.core import spreadsheets
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, Sector, Station


class Parse(Enum):
    """How a column's cells become a value of ``OrganisationData``."""

    TEXT = "text"
    CHOICE = "choice"
    DECIMAL = "decimal"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    explanation: Promise
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Parse = Parse.TEXT
    # Lengths the database enforces but ``validate_organisation`` does not check.
    max_length: int | None = None


# The first name of each entry is the one the template and the error messages show.
KIND_NAMES: dict[str, tuple[str, ...]] = {
    OrganisationKind.CITY_BUREAU: ("市司法局", "市级司法局", "市局"),
    OrganisationKind.DISTRICT_BUREAU: ("区县司法局", "区(县)司法局", "区司法局", "县司法局"),
    OrganisationKind.JUSTICE_OFFICE: ("司法所", "街道司法所", "乡镇司法所"),
    OrganisationKind.COMMITTEE: ("调委会", "人民调解委员会", "调解委员会"),
    OrganisationKind.GRID: ("网格",),
    OrganisationKind.ASSOCIATION: ("人民调解协会", "调解协会"),
    OrganisationKind.ADMIN_MEDIATION: (
        "行政调解组织",
        "行政调解委员会",
        "行政调解室",
        "行政调解中心",
        "行政调解",
    ),
}
COMMITTEE_KIND_NAMES: dict[str, tuple[str, ...]] = {
    CommitteeKind.STREET: (
        "乡镇(街道)调委会",
        "街道调委会",
        "乡镇调委会",
        "乡镇(街道)",
        "街道",
        "乡镇",
    ),
    CommitteeKind.COMMUNITY: ("村(居)民调委会", "社区调委会", "村调委会", "村(居)", "社区", "村"),
    CommitteeKind.SECTORAL: (
        "行业性专业性调委会",
        "行业性、专业性调委会",
        "行业性调委会",
        "专业性调委会",
        "行业性专业性",
        "行业性",
        "专业性",
        "行业",
    ),
    CommitteeKind.ENTERPRISE: ("企事业单位调委会", "企业调委会", "企事业单位", "企事业", "企业"),
    CommitteeKind.STATIONED: ("派驻调解室", "派驻式调解室", "派驻"),
    CommitteeKind.COMMERCE: ("商会调委会", "商(协)会调委会", "商会"),
    CommitteeKind.LAWYER: (
        "律师调解工作室",
        "律师调解室",
        "律师调解委员会",
        "律师调委会",
        "律师调解",
        "律师",
    ),
}
SECTOR_NAMES: dict[str, tuple[str, ...]] = {
    Sector.MEDICAL: ("医疗", "医疗纠纷", "医患"),
    Sector.TRAFFIC: ("道路交通", "交通事故", "交通"),
    Sector.LABOUR: ("劳动人事", "劳动争议", "劳动"),
    Sector.PROPERTY: ("物业", "物业管理"),
    Sector.IP: ("知识产权",),
    Sector.FINANCE: ("金融消费", "金融"),
    Sector.INSURANCE: ("保险",),
    Sector.REAL_ESTATE: ("房地产", "房产"),
    Sector.ENVIRONMENT: ("生态环境", "环境"),
    Sector.TOURISM: ("旅游",),
    Sector.INTERNET: ("互联网", "网络"),
    Sector.OTHER: ("其他", "其它"),
}
STATION_NAMES: dict[str, tuple[str, ...]] = {
    Station.COURT: ("法院", "人民法院"),
    Station.POLICE: ("派出所", "公安派出所", "公安"),
    Station.PETITION: ("信访", "信访部门", "信访局"),
    Station.LABOUR_ARBITRATION: ("劳动仲裁", "劳动人事争议仲裁", "仲裁"),
    Station.PROCURATORATE: ("检察院", "人民检察院"),
    Station.OTHER: ("其他部门", "其他", "其它"),
}
CHOICES: dict[str, tuple[type[models.TextChoices], dict[str, tuple[str, ...]]]] = {
    "kind": (OrganisationKind, KIND_NAMES),
    "committee_kind": (CommitteeKind, COMMITTEE_KIND_NAMES),
    "sector": (Sector, SECTOR_NAMES),
    "station": (Station, STATION_NAMES),
}

COLUMNS: tuple[Column, ...] = (
    Column(
        "ref",
        "编号",
        gettext_lazy(
            "Required. A ref unique in this file, e.g. S1; other rows name it as their parent."
        ),
        aliases=("ref", "id"),
        required=True,
    ),
    Column(
        "parent_ref",
        "上级编号",
        gettext_lazy(
            "The ref of the parent row. Leave blank to place the row directly under the "
            "organisation chosen for the import."
        ),
        aliases=("parent", "parent ref", "上级"),
    ),
    Column(
        "name",
        "名称",
        gettext_lazy("Required. At most 120 characters, unique under the same parent."),
        aliases=("name", "机构名称", "组织名称"),
        required=True,
    ),
    Column(
        "kind",
        "类型",
        gettext_lazy("Required. One of: %(choices)s."),
        aliases=("kind", "type", "机构类型", "组织类型"),
        required=True,
        parse=Parse.CHOICE,
    ),
    Column(
        "committee_kind",
        "调委会类型",
        gettext_lazy("Required for mediation committees, blank otherwise. One of: %(choices)s."),
        aliases=("committee kind",),
        parse=Parse.CHOICE,
    ),
    Column(
        "sector",
        "行业",
        gettext_lazy("Required for sectoral committees, blank otherwise. One of: %(choices)s."),
        aliases=("sector", "行业类别"),
        parse=Parse.CHOICE,
    ),
    Column(
        "station",
        "派驻单位",
        gettext_lazy("Required for stationed rooms, blank otherwise. One of: %(choices)s."),
        aliases=("station", "stationed at"),
        parse=Parse.CHOICE,
    ),
    Column(
        "short_name",
        "简称",
        gettext_lazy("Optional. At most 40 characters; used in case numbers."),
        aliases=("short name",),
    ),
    Column(
        "division_code",
        "区划代码",
        gettext_lazy(
            "Optional. GB/T 2260 code: 6 digits, or 9/12 with the township/village extension, "
            "within the parent's area."
        ),
        aliases=("division code", "行政区划代码"),
    ),
    Column(
        "address",
        "地址",
        gettext_lazy("Optional. At most 200 characters."),
        aliases=("address",),
        max_length=200,
    ),
    Column(
        "phone",
        "电话",
        gettext_lazy("Optional. 7 to 20 digits, e.g. 027-88886666."),
        aliases=("phone", "办公电话", "联系电话"),
    ),
    Column(
        "longitude",
        "经度",
        gettext_lazy("Optional. Degrees east, between 73 and 136; give the latitude too."),
        aliases=("longitude", "lng", "lon"),
        parse=Parse.DECIMAL,
    ),
    Column(
        "latitude",
        "纬度",
        gettext_lazy("Optional. Degrees north, between 3 and 54; give the longitude too."),
        aliases=("latitude", "lat"),
        parse=Parse.DECIMAL,
    ),
    Column(
        "established_on",
        "成立日期",
        gettext_lazy("Optional. A date such as 2020-03-01, 2020/3/1 or 2020年3月1日."),
        aliases=("established on", "成立时间"),
        parse=Parse.DATE,
    ),
    Column(
        "brand_name",
        "品牌调解室",
        gettext_lazy("Optional. Name of the brand room or personal studio, at most 80 characters."),
        aliases=("brand name", "个人调解工作室"),
        max_length=80,
    ),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
SKIP_NOTE = gettext_lazy("(This row of explanations is skipped on import.)")

# A justice office under the anchor, a community committee under it, a grid under that.
EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        "ref": "S1",
        "name": "示例街道司法所",
        "kind": "司法所",
        "short_name": "示例街",
        "address": "示例街道中心路1号",
        "phone": "027-88886666",
    },
    {
        "ref": "C1",
        "parent_ref": "S1",
        "name": "示例社区人民调解委员会",
        "kind": "调委会",
        "committee_kind": "村(居)民调委会",
        "short_name": "示例社区",
        "longitude": "114.305",
        "latitude": "30.593",
        "established_on": "2020-03-01",
        "brand_name": "老王调解工作室",
    },
    {"ref": "G1", "parent_ref": "C1", "name": "第一网格", "kind": "网格"},
)


def explanation(column: Column) -> str:
    text = str(column.explanation)
    return text % {"choices": choice_names(column.field)} if column.parse is Parse.CHOICE else text


def explanation_markers() -> tuple[str, ...]:
    """How the template's row of explanations starts under 编号, in each interface language."""
    return tuple(spreadsheets.in_every_language(COLUMNS_BY_FIELD["ref"].explanation))


def template_workbook() -> bytes:
    """An XLSX to fill in: headers, a row explaining each column, and three example rows."""
    workbook = Workbook(write_only=False)
    sheet = workbook.worksheets[0]
    sheet.title = _("Organisations")
    sheet.append([column.header for column in COLUMNS])
    notes = [explanation(column) for column in COLUMNS]
    notes[0] = f"{notes[0]} {SKIP_NOTE}"
    sheet.append(notes)
    for example in EXAMPLE_ROWS:
        sheet.append([example.get(column.field, "") for column in COLUMNS])
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True, color="B42318" if column.required else "000000")
        header.fill = header_fill
        note = sheet.cell(row=2, column=index)
        note.font = Font(italic=True, color="667085")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        # Text format keeps refs, codes and phone numbers as typed (no 9.9E+11, no lost zeros),
        # both in the example cells and in the rows the user adds below them.
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = 24
        dimension.number_format = "@"
        for row in range(3, 3 + len(EXAMPLE_ROWS)):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.row_dimensions[2].height = 90
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_lookup() -> dict[str, str]:
    return spreadsheets.header_lookup(COLUMNS)


def choice_lookup(field: str) -> dict[str, str]:
    return spreadsheets.choice_lookup(CHOICES, field)


def choice_names(field: str) -> str:
    return spreadsheets.choice_names(CHOICES, field)


normalise = spreadsheets.normalise
