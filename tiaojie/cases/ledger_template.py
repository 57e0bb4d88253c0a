"""The ledger template to download: the headers, a row explaining each column, and three
example rows that import as they are for the user who downloaded it."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tiaojie.cases.ledger_columns import COLUMNS, explanation
from tiaojie.core.validators import id_number_check_char

SKIP_NOTE = gettext_lazy("(This row of explanations is skipped on import.)")


def _id_number(body17: str) -> str:
    return body17 + id_number_check_char(body17)


def example_rows(mediator: str, today: dt.date) -> list[dict[str, str]]:
    """Three cases of last year, one per common outcome, mediated by ``mediator``: a written
    agreement performed, an oral one with a company, a mediation that failed."""
    year = today.year - 1
    return [
        {
            "registered_on": f"{year}-03-05",
            "dispute_type": "邻里",
            "source": "当事人申请",
            "summary": "楼上漏水殃及楼下，双方就维修费用发生争执",
            "applicant": "王建华",
            "applicant_id": _id_number("42010219800315123"),
            "applicant_phone": "13812345678",
            "respondent": "李秀英",
            "respondent_id": _id_number("42010219751102234"),
            "respondent_phone": "13987654321",
            "people_involved": "2",
            "amount": "3000.00",
            "result": "成功",
            "agreement_kind": "书面",
            "agreement_on": f"{year}-03-12",
            "performance": "已履行",
            "mediators": mediator,
            "notes": "被申请人当场支付赔偿款",
        },
        {
            "registered_on": f"{year}-05-20",
            "dispute_type": "物业",
            "source": "网格员上报",
            "summary": "业主以电梯长期故障为由拒交物业费",
            "applicant": "赵志明",
            "applicant_phone": "027-88886666",
            "respondent": "示例物业服务有限公司",
            "people_involved": "2",
            "amount": "1860.50",
            "result": "成功",
            "agreement_kind": "口头",
            "agreement_on": f"{year}-05-20",
            "performance": "未到期",
            "mediators": mediator,
        },
        {
            "registered_on": f"{year}-09-02",
            "dispute_type": "合同",
            "source": "法院委托",
            "summary": "装修工程款结算争议",
            "applicant": "陈立军",
            "applicant_id": _id_number("42010219680720301"),
            "respondent": "孙海",
            "result": "不成功",
            "closed_on": f"{year}-09-20",
            "mediators": mediator,
            "notes": "双方对工程量分歧较大，已告知可向人民法院起诉",
        },
    ]


def template_workbook(mediator: str, today: dt.date) -> bytes:
    """An XLSX to fill in: headers, a row explaining each column, and three example rows."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = _("Case ledger")
    sheet.append([column.header for column in COLUMNS])
    notes = [explanation(column) for column in COLUMNS]
    notes[0] = f"{notes[0]} {SKIP_NOTE}"
    sheet.append(notes)
    examples = example_rows(mediator, today)
    for example in examples:
        sheet.append([example.get(column.field, "") for column in COLUMNS])
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True, color="B42318" if column.required else "000000")
        header.fill = header_fill
        note = sheet.cell(row=2, column=index)
        note.font = Font(italic=True, color="667085")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        # Text format keeps ID numbers, phones and dates as typed (no 9.9E+17, no lost zeros).
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = 30 if column.field == "summary" else 18
        dimension.number_format = "@"
        for row in range(3, 3 + len(examples)):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.row_dimensions[2].height = 120
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
