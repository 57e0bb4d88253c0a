"""Ledgers built in memory for the tests: committee A's cases of the last two years."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence

from django.utils import timezone
from openpyxl import Workbook

from tiaojie.cases.ledger_columns import COLUMNS
from tiaojie.cases.tests.factories import LI_ID, WANG_ID, id_number

HEADERS = [column.header for column in COLUMNS]
DIRECTOR = "王秀兰"  # demo_director, committee A
MEDIATOR = "李建国"  # demo_mediator, committee A
ZHAO_ID = id_number("42010219900101456")
CHEN_ID = id_number("42010219680720301")


def years_ago(years: int, month: int, day: int) -> dt.date:
    return dt.date(timezone.localdate().year - years, month, day)


def mixed_rows() -> list[dict[str, object]]:
    """Every outcome, two years back and last year; one row out of date order on purpose.
    Spreadsheet rows 2 to 8."""
    y1, y2 = timezone.localdate().year - 2, timezone.localdate().year - 1
    return [
        {
            "登记日期": f"{y1}-03-05",
            "纠纷类型": "邻里",
            "案件来源": "当事人申请",
            "纠纷简要情况": "楼上漏水殃及楼下，双方就维修费用发生争执",
            "申请人": "王建华",
            "申请人身份证号": WANG_ID,
            "申请人电话": "13812345678",
            "被申请人": "李秀英",
            "被申请人身份证号": LI_ID,
            "被申请人电话": "13987654321",
            "涉及人数": 2,
            "涉及金额(元)": 3000,
            "调解结果": "成功",
            "协议形式": "书面",
            "协议日期": f"{y1}/3/12",
            "履行情况": "已履行",
            "调解员": f"{MEDIATOR}、{DIRECTOR}",
            "备注": "当场履行",
        },
        {
            "登记日期": dt.date(y1, 5, 20),
            "纠纷类型": "property_management",
            "案件来源": "网格员上报",
            "纠纷简要情况": "业主以电梯故障为由拒交物业费",
            "申请人": "赵志明",
            "申请人电话": "027-88886666",
            "被申请人": "东湖物业服务有限公司",
            "涉及金额(元)": "1,860.50元",
            "调解结果": "调解成功",
            "协议形式": "口头协议",
            "协议日期": f"{y1}年5月20日",
            "调解员": MEDIATOR,
        },
        {
            "登记日期": f"{y1}-09-02",
            "纠纷类型": "合同纠纷",
            "案件来源": "法院委托",
            "纠纷简要情况": "装修工程款结算争议",
            "申请人": "陈立军",
            "申请人身份证号": CHEN_ID,
            "被申请人": "孙海",
            "调解结果": "不成功",
            "结案日期": f"{y1}-09-20",
            "调解员": MEDIATOR,
            "备注": "已告知可向人民法院起诉",
        },
        {
            "登记日期": f"{y2}-01-10",
            "纠纷类型": "婚姻家庭纠纷",
            "案件来源": "主动调解",
            "纠纷简要情况": "夫妻因赡养老人问题争吵",
            "申请人": "刘芳、刘强",
            "申请人身份证号": f"{ZHAO_ID}、",
            "被申请人": "刘大山",
            "涉及人数": "3人",
            "调解结果": "终止",
            "结案日期": f"{y2}-01-25",
            "调解员": MEDIATOR,
            "备注": "申请人撤回申请",
        },
        {
            "登记日期": f"{y2}-02-14",
            "纠纷类型": "损害赔偿",
            "案件来源": "派出所移送",
            "纠纷简要情况": "车辆剐蹭赔偿争议",
            "申请人": "周涛",
            "被申请人": "吴磊",
            "调解结果": "不予受理",
            "协议形式": "/",
            "备注": "已由人民法院受理",
        },
        {
            "登记日期": f"{y2}-03-01",
            "纠纷类型": "劳动争议",
            "案件来源": "12345热线",
            "纠纷简要情况": "工资结算争议",
            "申请人": "马俊",
            "被申请人": "钱明",
            "调解结果": "调解中",
            "调解员": DIRECTOR,
        },
        {
            "登记日期": f"{y1}-01-15",
            "纠纷类型": "neighbours",
            "案件来源": "application",
            "纠纷简要情况": "邻居间噪音纠纷",
            "申请人": "郑丽",
            "被申请人": "何伟",
            "调解结果": "success",
            "协议形式": "oral",
            "协议日期": f"{y1}-01-15",
            "履行情况": "部分履行",
            "调解员": MEDIATOR,
        },
    ]


def table(
    rows: Sequence[Mapping[str, object]], headers: Sequence[str] = HEADERS
) -> list[list[object]]:
    return [list(headers), *[[row.get(h, "") for h in headers] for row in rows]]


def xlsx(cells: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in cells:
        sheet.append(list(line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(cells: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(cells)
    return buffer.getvalue().encode("utf-8-sig")


def many_rows(count: int, mediator: str = MEDIATOR) -> list[dict[str, object]]:
    """``count`` distinct cases of last year, cycling through every outcome."""
    year = timezone.localdate().year - 1
    outcomes: list[dict[str, object]] = [
        {"调解结果": "成功", "协议形式": "口头", "履行情况": "已履行"},
        {"调解结果": "成功", "协议形式": "书面"},
        {"调解结果": "不成功"},
        {"调解结果": "终止"},
        {"调解结果": "不予受理"},
        {"调解结果": "调解中"},
    ]
    rows: list[dict[str, object]] = []
    for index in range(count):
        day = dt.date(year, 1, 1) + dt.timedelta(days=index % 360)
        outcome = outcomes[index % len(outcomes)]
        row: dict[str, object] = {
            "登记日期": day.isoformat(),
            "纠纷类型": "邻里",
            "案件来源": "当事人申请",
            "纠纷简要情况": f"第{index + 1}号邻里纠纷",
            "申请人": f"申请人{index + 1}",
            "被申请人": f"被申请人{index + 1}",
            "调解员": mediator,
            **outcome,
        }
        if outcome["调解结果"] == "成功":
            row["协议日期"] = day.isoformat()
        rows.append(row)
    return rows
