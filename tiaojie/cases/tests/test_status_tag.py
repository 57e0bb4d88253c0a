"""A case's status reads the same in every list, in the user's language, however often the
label was asked for before (ADR 0070)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.core.formatting import choice_label


def test_a_label_written_once_still_follows_the_language() -> None:
    with translation.override("zh-hans"):
        assert choice_label(CaseStatus, "agreed") == "调解成功"
    with translation.override("en"):
        assert choice_label(CaseStatus, "agreed") == "Agreed"
        assert choice_label(CaseStatus, "no-such-status") == "no-such-status"
    with translation.override("zh-hans"):
        assert choice_label(CaseStatus, "agreed") == "调解成功"


def test_the_status_tag_is_the_markup_the_lists_and_pages_style() -> None:
    template = Template("{% load case_tags %}{% status_tag case %}")
    with translation.override("zh-hans"):
        html = template.render(Context({"case": Case(status="in_mediation")}))
    assert html == (
        '<span class="tag status status-in_mediation" data-status="in_mediation">调解中</span>'
    )
