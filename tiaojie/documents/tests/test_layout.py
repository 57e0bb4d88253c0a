"""How the documents are laid out for parties of every kind: nothing printed over anything
else, short fields and codes never broken, third parties present, and rare characters drawn
from a font that has them. Positions come from the PDF's own text operators (``pdf_runs``)."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from tiaojie.accounts.models import User
from tiaojie.cases.choices import PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import aftercare, agreements, intake
from tiaojie.cases.tests import factories
from tiaojie.cases.workflow import transition
from tiaojie.documents import services
from tiaojie.documents.kinds import Format, Kind
from tiaojie.documents.tests.conftest import Run, pdf_runs
from tiaojie.documents.tests.sample import COMPANY, COMPANY_CODE, RARE_NAME, mixed_case


@pytest.fixture
def mixed(mediator: User) -> Case:
    return mixed_case(mediator)


@pytest.fixture
def confirmed(mixed: Case, mediator: User) -> Case:
    """The mixed case's agreement signed by all, in effect, and taken to the court."""
    today = timezone.localdate()
    for party in mixed.parties.all():
        agreements.agreement_sign(actor=mediator, case=mixed, party=party, signed_on=today)
    agreements.agreement_sign(actor=mediator, case=mixed, mediator=True, signed_on=today)
    agreements.agreement_sign(actor=mediator, case=mixed, seal=True, signed_on=today)
    case = transition(actor=mediator, case=Case.objects.get(pk=mixed.pk), action="reach_agreement")
    aftercare.confirmation_apply(
        actor=mediator, case=case, applied_on=today, court="东湖区人民法院", joint=True
    )
    return Case.objects.get(pk=case.pk)


def _generate(
    actor: User, case: Case, kind: Kind, fmt: Format, record_id: int | None = None
) -> bytes:
    return services.document_generate(
        actor=actor, case=case, kind=kind, fmt=fmt, record_id=record_id
    ).data


def _lines(runs: list[Run]) -> list[str]:
    """The text of each printed line, top to bottom, left to right."""
    by_line: dict[tuple[int, int], list[Run]] = defaultdict(list)
    for run in runs:
        by_line[(run.page, round(run.y / 3))].append(run)
    return [
        "".join(run.text for run in sorted(by_line[key], key=lambda r: r.x0))
        for key in sorted(by_line)
    ]


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("kind", [Kind.AGREEMENT, Kind.APPLICATION, Kind.REGISTRATION])
def test_no_text_is_printed_over_other_text(mediator: User, mixed: Case, kind: Kind) -> None:
    runs = pdf_runs(_generate(mediator, mixed, kind, Format.PDF))
    overlapping = [
        (a.text, b.text)
        for i, a in enumerate(runs)
        for b in runs[i + 1 :]
        if a.page == b.page and a.overlaps(b)
    ]
    assert overlapping == []


def test_the_application_to_the_court_prints_no_name_over_a_signature_line(
    mediator: User, confirmed: Case
) -> None:
    record = confirmed.confirmations.get()
    data = _generate(mediator, confirmed, Kind.CONFIRMATION_APPLICATION, Format.PDF, record.pk)
    runs = pdf_runs(data)
    width = 595.3 - 20 / 25.4 * 72  # the page less the right margin, in points
    assert [run.text for run in runs if run.x1 > width + 1] == []
    overlapping = [
        (a.text, b.text)
        for i, a in enumerate(runs)
        for b in runs[i + 1 :]
        if a.page == b.page and a.overlaps(b)
    ]
    assert overlapping == []
    signing = "\n".join(_lines(runs)).split("此致")[1]
    assert f"申请人：{COMPANY}" in signing and "盖章" in signing


def test_an_organisation_seals_the_agreement_and_people_press_their_fingerprint(
    mediator: User, mixed: Case
) -> None:
    lines = _lines(pdf_runs(_generate(mediator, mixed, Kind.AGREEMENT, Format.PDF)))
    start = next(i for i, line in enumerate(lines) if line.startswith("本协议一式"))
    signing = lines[start:]

    def block(heading: str, following: str) -> str:
        first = next(i for i, line in enumerate(signing) if line.startswith(heading))
        last = next(i for i, line in enumerate(signing) if line.startswith(following))
        return "\n".join(signing[first:last])

    company = block(f"申请人：{COMPANY}", "被申请人：")
    assert "盖章" in company
    assert "法定代表人" in company and "委托代理人" in company
    assert "捺印" not in company
    person = block("被申请人：向春花", "第三人：")
    assert "签名" in person and "捺印" in person and "委托代理人" in person
    third = block(f"第三人：{RARE_NAME}", "人民调解员")
    assert "签名" in third and "捺印" in third and "委托代理人" not in third


@pytest.mark.parametrize("kind", [Kind.AGREEMENT, Kind.APPLICATION])
def test_ethnicity_and_credit_code_are_never_broken(
    mediator: User, mixed: Case, kind: Kind
) -> None:
    texts = [run.text for run in pdf_runs(_generate(mediator, mixed, kind, Format.PDF))]
    assert "土家族" in texts
    assert COMPANY_CODE in texts


def test_long_text_in_a_table_wraps_at_a_character(mediator: User, mixed: Case) -> None:
    runs = pdf_runs(_generate(mediator, mixed, Kind.AGREEMENT, Format.PDF))
    lines = _lines(runs)
    address = "临江市东湖区东湖路88号悦家大厦5楼"
    assert any(address in line for line in lines)


def test_third_parties_are_on_the_application_and_registration(mediator: User, mixed: Case) -> None:
    for kind in (Kind.APPLICATION, Kind.REGISTRATION):
        docx = _docx_text(_generate(mediator, mixed, kind, Format.DOCX)).replace("\n", "")
        assert f"第三人：{RARE_NAME}" in docx, kind
    registration = "".join(
        _lines(pdf_runs(_generate(mediator, mixed, Kind.REGISTRATION, Format.PDF)))
    )
    assert f"第三人：{RARE_NAME}" in registration
    # The application's particulars: the third party's table after the respondent's, with
    # the role written downwards in its first column.
    runs = pdf_runs(_generate(mediator, mixed, Kind.APPLICATION, Format.PDF))
    application = "\n".join(_lines(runs))
    assert application.index("向春花") < application.index(RARE_NAME)
    assert application.index(RARE_NAME) < application.index("被申请人修复防水")
    label = [run.text for run in runs if run.text in "第三人"]
    assert "".join(label[-3:]) == "第三人"


def test_an_application_without_third_parties_leaves_a_place_for_them(
    mediator: User, registered: Case
) -> None:
    pdf = "\n".join(_lines(pdf_runs(_generate(mediator, registered, Kind.APPLICATION, Format.PDF))))
    docx = _docx_text(_generate(mediator, registered, Kind.APPLICATION, Format.DOCX))
    assert "第三人" in pdf
    assert "第三人" in docx


def test_a_rare_character_is_drawn_with_a_font_that_has_it(mediator: User, mixed: Case) -> None:
    for kind in (Kind.AGREEMENT, Kind.REGISTRATION):
        runs = pdf_runs(_generate(mediator, mixed, kind, Format.PDF))
        rare = [run for run in runs if "𪚥" in run.text]
        assert rare, kind
        for run in rare:
            assert 0 not in run.glyphs, "drawn as the font's empty box (.notdef)"
            assert run.font.startswith("HanaMinB")  # the first fallback, Extensions B–F


def test_the_docx_names_the_fallback_font_for_a_rare_character(mediator: User, mixed: Case) -> None:
    for kind in (Kind.AGREEMENT, Kind.REGISTRATION, Kind.APPLICATION):
        document = Document(io.BytesIO(_generate(mediator, mixed, kind, Format.DOCX)))
        runs = [
            run
            for paragraph in [
                *document.paragraphs,
                *(p for t in document.tables for c in t._cells for p in c.paragraphs),
            ]
            for run in paragraph.runs
            if "𪚥" in run.text
        ]
        assert runs, kind
        for run in runs:
            assert run.text == "𪚥"
            fonts = run._r.rPr.rFonts
            assert fonts.get(qn("w:eastAsia")) == "HanaMinB"
            assert fonts.get(qn("w:hAnsi")) == "HanaMinB"


# One character from each extension of the CJK ideographs, A to G.
EXTENSIONS = "㐀𠀀𪜀𫝀𫠠𬺰𰀀"


def test_characters_of_every_cjk_extension_are_drawn(mediator: User) -> None:
    data = factories.case_data()
    data.parties.append(intake.PartyData(role=PartyRole.THIRD_PARTY, name=f"第三人{EXTENSIONS}"))
    case = intake.case_register(actor=mediator, data=data)
    runs = pdf_runs(_generate(mediator, case, Kind.REGISTRATION, Format.PDF))
    drawn = "".join(run.text for run in runs if 0 not in run.glyphs)
    for char in EXTENSIONS:
        assert char in drawn, f"U+{ord(char):X}"
