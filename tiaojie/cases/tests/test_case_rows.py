"""``{% case_rows %}`` writes the case list's rows as the template it replaced wrote them."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from conftest import World
from tiaojie.cases import selectors
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.organisations.models import Organisation

# The rows of cases/partials/case_table.html before ADR 0074, as the template engine wrote them.
TEMPLATE = """{% load i18n cn_format case_tags row_urls %}{% translate "Case number" as l_number %}{% translate "Brief description" as l_brief %}{% translate "Dispute type" as l_type %}{% translate "Committee" as l_committee %}{% translate "Status" as l_status %}{% translate "Registered on" as l_registered %}{% translate "Mediators" as l_mediators %}{% translate "Complex" as l_complex %}{% translate "Group" as l_group %}
  {% for case in page %}<tr>
    <td data-label="{{ l_number }}" class="nowrap"><a href="{% row_url 'cases:case_detail' case.pk %}">{{ case.number }}</a></td>
    <td data-label="{{ l_brief }}"><span>{{ case.summary }}{% if case.is_complex %} <span class="tag tag-warn">{{ l_complex }}</span>{% endif %}{% if case.is_group %} <span class="tag tag-warn">{{ l_group }}</span>{% endif %}</span></td>
    <td data-label="{{ l_type }}">{{ case.dispute_type.name }}</td>
    {% if show_committee %}<td data-label="{{ l_committee }}">{{ case.committee.short_name|default:case.committee.name }}</td>{% endif %}
    <td data-label="{{ l_status }}">{% status_tag case %}</td>
    <td data-label="{{ l_registered }}" class="nowrap">{{ case.registered_at|day }}</td>
    <td data-label="{{ l_mediators }}"><span>{% for m in case.active_mediators %}{{ m.mediator.full_name }}{% if not forloop.last %}、{% endif %}{% empty %}—{% endfor %}</span></td>
  </tr>
  {% empty %}<tr><td colspan="{% if show_committee %}7{% else %}6{% endif %}" class="empty">{% translate "No cases match." %}</td></tr>{% endfor %}"""


def _squeezed(html: str) -> str:
    """The markup without the whitespace between tags, which no browser shows."""
    return re.sub(r">\s+<", "><", html.strip())


def _both(page: list[Case], show_committee: bool) -> tuple[str, str]:
    context = {"page": page, "show_committee": show_committee}
    before = Template(TEMPLATE).render(Context(context))
    after = Template("{% load case_tags %}{% case_rows page show_committee %}").render(
        Context(context)
    )
    return _squeezed(before), _squeezed(after)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("show_committee", [True, False])
def test_the_rows_are_the_templates_rows(world: World, language: str, show_committee: bool) -> None:
    mediator = world.user("demo_mediator")
    plain = f.register(mediator)
    marked = f.register(
        mediator,
        summary='<script>alert("x")</script> & 楼上漏水',
        is_complex=True,
        is_group=True,
    )
    f.to_mediation(mediator, marked)  # serving mediators: names joined by 、
    committee = Organisation.objects.get(pk=plain.committee_id)
    committee.short_name = ""  # the full name stands in
    committee.save(update_fields=["short_name"])
    page = list(selectors.for_list(Case.objects.filter(pk__in=[plain.pk, marked.pk])))
    with translation.override(language):
        before, after = _both(page, show_committee)
    assert after == before
    assert "&lt;script&gt;" in after and "<script>" not in after
    assert after.count("<tr>") == 2


@pytest.mark.parametrize("show_committee", [True, False])
def test_no_cases_is_one_row_saying_so(show_committee: bool) -> None:
    with translation.override("zh-hans"):
        before, after = _both([], show_committee)
    assert after == before
    assert "没有符合条件的案件" in after
