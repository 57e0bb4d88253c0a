"""python-docx helpers for ``build_docx_templates``: an A4 page with a binding margin, the title,
paragraphs, bordered forms, the seal line and the page number in the footer."""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

BODY_FONT, LATIN_FONT = "宋体", "Times New Roman"
TITLE_PT, BODY_PT, TABLE_PT = 18, 14, 12  # 小二号, 四号, 小四号
DATE_BLANK = "　　年　　月　　日"


def _font(run_or_style: object, size: int | None = None, bold: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = LATIN_FONT
    font.bold = bold or None
    if size:
        font.size = Pt(size)
    element = run_or_style.element  # type: ignore[attr-defined]
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)


def _page_number(document: DocxDocument) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = str(text)
            run._r.append(instr)
    paragraph.add_run(" —")


def new(title: str | None, *, numbered: bool = True) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin, section.right_margin = Mm(28), Mm(20)  # room for binding
    _font(document.styles["Normal"], BODY_PT)
    document.styles["Normal"].paragraph_format.space_after = Pt(2)
    if numbered:
        _page_number(document)
    if title:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(12)
        _font(paragraph.add_run(title), TITLE_PT, bold=True)
    return document


def para(
    document: DocxDocument, text: str, *, indent: bool = False, align: str = "", bold: bool = False
) -> None:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    if align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "centre":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_PT, bold=bold)


def table(document: DocxDocument, rows: list[list[str]], widths: list[int]) -> Table:
    """A bordered form; a cell of "" next to a filled one is merged into it (colspan)."""
    grid: Table = document.add_table(rows=len(rows), cols=len(widths))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.width = Mm(widths[c])
            if value == "" and c > 0:
                continue
            span = c
            while span + 1 < len(values) and values[span + 1] == "":
                span += 1
            if span > c:
                cell = cell.merge(grid.cell(r, span))
            _font(cell.paragraphs[0].add_run(value), TABLE_PT)
    document.add_paragraph()
    return grid


def seal(document: DocxDocument, date: str) -> None:
    para(document, "")
    para(document, "{{ committee.name }}（盖章）", align="right")
    para(document, date, align="right")


def parties(document: DocxDocument, loop: str, label: str) -> None:
    """One paragraph per party: name and particulars, each only when known."""
    optional = "".join(
        f"{{% if p.{name} %}}，{prefix}{{{{ p.{name} }}}}{suffix}{{% endif %}}"
        for name, prefix, suffix in (
            ("legal_representative", "法定代表人", ""),
            ("credit_code", "统一社会信用代码", ""),
            ("gender", "", ""),
            ("ethnicity", "", ""),
            ("age", "", "岁"),
            ("occupation", "", ""),
            ("id_number", "公民身份号码", ""),
            ("address", "住", ""),
            ("phone", "联系电话", ""),
            ("agent_name", "委托代理人", ""),
        )
    )
    optional += "{% if p.agent_authority %}（{{ p.agent_authority }}）{% endif %}"
    para(document, f"{{%p for p in {loop} %}}")
    para(document, f"{label}：{{{{ p.name }}}}{optional}。")
    para(document, "{%p endfor %}")


def date_of(field: str) -> str:
    return f"{{{{ {field} or '{DATE_BLANK}' }}}}"
