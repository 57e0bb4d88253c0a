"""One document and the whole case file as PDF: what they say, how they are numbered, and
what they hide."""

from __future__ import annotations

import re

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests.factories import LI_ID, WANG_ID
from tiaojie.core.masking import mask_id_number
from tiaojie.documents import pdf, services
from tiaojie.documents.context import CaseFacts
from tiaojie.documents.kinds import OFFICIAL_TITLES, Format, Kind
from tiaojie.documents.tests.conftest import pdf_pages

FOOTER = re.compile(r"— (\d+) —\s*$")


def _pdf(actor: User, case: Case, kind: Kind, record_id: int | None = None) -> list[str]:
    generated = services.document_generate(
        actor=actor, case=case, kind=kind, fmt=Format.PDF, record_id=record_id
    )
    assert generated.content_type == "application/pdf"
    return pdf_pages(generated.data)


def test_the_agreement_names_the_case_and_both_parties(mediator: User, full: Case) -> None:
    text = "".join(_pdf(mediator, full, Kind.AGREEMENT))
    assert full.number in text
    assert "王建华" in text
    assert "李秀英" in text
    assert "本协议一式四份，当事人各执一份，人民调解委员会留存一份" in text
    assert "2000.00元" in text.replace("\n", "")


def test_the_agreement_shows_identity_in_full_to_the_mediator_only(
    mediator: User, full: Case
) -> None:
    assert WANG_ID in "".join(_pdf(mediator, full, Kind.AGREEMENT))
    officer = User.objects.get(username="demo_district")  # may read the case, not personal data
    text = "".join(_pdf(officer, full, Kind.AGREEMENT))
    assert WANG_ID not in text
    assert mask_id_number(WANG_ID) in text


def test_the_registration_form_masks_id_numbers(mediator: User, full: Case) -> None:
    text = "".join(_pdf(mediator, full, Kind.REGISTRATION)).replace("\n", "")
    assert mask_id_number(LI_ID) in text
    assert LI_ID not in text
    assert "138****5678" in text
    assert "本人民调解委员会经当事人同意，调解王建华、李秀英之间的纠纷" in text
    assert "☑①当事人申请" in text


def test_one_per_record_documents_take_the_record(mediator: User, full: Case) -> None:
    first, second = full.sessions.all()
    text = "".join(_pdf(mediator, full, Kind.MEDIATION_RECORD, second.pk))
    assert "告知权利义务后，双方陈述" in text
    assert "被申请人陈述：同意修复防水" not in text
    assert "被申请人陈述：同意修复防水" in "".join(
        _pdf(mediator, full, Kind.MEDIATION_RECORD, first.pk)
    )


def test_the_whole_file_counts_its_parts_and_lists_their_real_pages(full: Case) -> None:
    laid_out = pdf.lay_out_case_file(CaseFacts(full), full_identity=False)
    pages = pdf_pages(laid_out.pdf())
    assert len(pages) == laid_out.pages == sum(len(part.pages) for part in laid_out.parts)
    text = "".join(pages)
    assert full.number in text
    assert "王建华" in text
    assert "李秀英" in text
    # Cover, contents list and back cover are not numbered; the documents run from 1 on.
    numbers = [int(m.group(1)) if (m := FOOTER.search(page)) else None for page in pages]
    assert numbers[0] is None and numbers[1] is None and numbers[-1] is None
    assert numbers[2:-1] == list(range(1, len(pages) - 2))
    page_of = {number: page for number, page in zip(numbers, pages, strict=True) if number}
    listed = [row for row in laid_out.rows if row["pages"]]
    # Application, registration, notice, 2 investigations, 2 sessions, agreement, follow-up,
    # confirmation: in the contents list's order.
    assert len(listed) == 10
    for row in listed:
        first, _, last = row["pages"].partition("–")
        title = row["title"].split("（")[0]
        assert title in page_of[int(first)], row
        assert int(last or first) >= int(first)
    # The contents page itself shows those numbers.
    assert "人民调解协议书（" in pages[1]
    agreement_row = next(r for r in listed if r["title"].startswith("人民调解协议书"))
    assert agreement_row["pages"] in pages[1]
    assert f"共 {numbers[-2]} 页" in pages[-1]


def test_the_file_lists_papers_kept_outside_it(full: Case) -> None:
    laid_out = pdf.lay_out_case_file(CaseFacts(full), full_identity=False)
    identity = next(row for row in laid_out.rows if row["title"] == "当事人身份证明")
    assert identity["pages"] == ""
    assert identity["note"] == "纸质另附"


def test_a_declined_case_has_its_notice_and_no_registration_form(
    mediator: User, registered: Case
) -> None:
    from tiaojie.cases.workflow import transition

    declined = transition(
        actor=mediator,
        case=registered,
        action="decline",
        reason="已向法院起诉",
        data={"decline_reason": "before_other_body"},
    )
    laid_out = pdf.lay_out_case_file(CaseFacts(declined), full_identity=False)
    titles = [row["title"] for row in laid_out.rows]
    assert titles == [
        OFFICIAL_TITLES[Kind.APPLICATION],
        "当事人身份证明",
        OFFICIAL_TITLES[Kind.DECLINE_NOTICE],
        "封底",
    ]
    text = "".join(_pdf(mediator, declined, Kind.DECLINE_NOTICE)).replace("\n", "")
    assert "本人民调解委员会决定不予受理" in text
    assert "已向法院起诉" in text
    assert "仲裁、行政、司法等途径" in text


def test_long_minutes_flow_onto_further_pages_and_lose_nothing(mediator: User) -> None:

    from tiaojie.cases.services import records
    from tiaojie.cases.tests import factories

    case = factories.to_mediation(mediator, factories.register(mediator))
    lines = [
        f"第{n}段：双方就第{n}项费用逐项核对，调解员释法说理，当事人表示理解。"
        for n in range(1, 90)
    ]
    session = records.session_add(
        actor=mediator,
        case=case,
        held_at=factories.earlier_today(case),
        place="东湖社区人民调解室",
        parties_present="王建华、李秀英",
        recorder="陈芳",
        content="\n".join(lines),
    )
    pages = _pdf(mediator, case, Kind.MEDIATION_RECORD, session.pk)
    assert len(pages) >= 3
    text = "".join(pages).replace("\n", "")
    for line in (lines[0], lines[44], lines[-1]):
        assert line in text
    assert "以上记录已向当事人宣读" in pages[-1]


def test_a_terminated_case_tells_the_parties_why_and_the_other_routes(
    mediator: User, registered: Case
) -> None:
    from tiaojie.cases.workflow import transition

    accepted = transition(actor=mediator, case=registered, action="accept")
    ended = transition(
        actor=mediator,
        case=accepted,
        action="terminate",
        reason="被申请人表示不再参加调解",
        data={"end_reason": "party_refuses"},
    )
    text = "".join(_pdf(mediator, ended, Kind.TERMINATION_NOTICE)).replace("\n", "")
    assert "因一方当事人明确拒绝继续调解（被申请人表示不再参加调解）" in text
    assert "本人民调解委员会决定终止调解" in text
    assert "你们可以依法通过仲裁、行政、司法等途径维护自己的权利" in text
