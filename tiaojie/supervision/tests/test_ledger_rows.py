"""``{% ledger_rows %}`` writes the ledger's rows as the template it replaced wrote them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import exports
from tiaojie.supervision.rules import may_close_out
from tiaojie.supervision.selectors import with_columns
from tiaojie.supervision.services.ledger import close_out, close_out_refusal
from tiaojie.supervision.tests.helpers import flag

pytestmark = pytest.mark.django_db

# The rows of supervision/partials/ledger_table.html before stop 37, as the engine wrote them.
TEMPLATE = """{% load i18n cn_format case_tags row_urls %}
  {% for case in page %}<tr id="ledger-row-{{ case.pk }}" data-case="{{ case.pk }}">
    <td>{{ offset|add:forloop.counter }}</td>
    <td class="nowrap">{{ case.registered_at|day }}</td>
    <td class="nowrap"><a href="{% row_url 'cases:case_detail' case.pk %}">{{ case.number }}</a></td>
    <td>{{ case.dispute_type.name }}</td>
    <td class="ledger-parties">{% for p in case.parties.all %}<span class="party-name">{{ p.name }}{% if not forloop.last %}、{% endif %}</span>{% endfor %}</td>
    <td class="ledger-summary">{{ case.summary }}</td>
    <td>{{ case.committee.short_name|default:case.committee.name }}</td>
    <td>{% for m in case.active_mediators|slice:":1" %}{{ m.mediator.full_name }}{% empty %}—{% endfor %}</td>
    <td class="nowrap{% if case.time_limit and case.time_limit < today and not case.closed_on %} overdue{% endif %}">{{ case.time_limit|day|default:"—" }}</td>
    <td>{% status_tag case %}</td>
    <td>{% for s in case.open_supervisions %}<a class="tag tag-warn" href="{% row_url 'supervision:supervision_detail' s.pk %}">{{ s.supervising_org.short_name|default:s.supervising_org.name }} · {{ s.deadline|day }}</a>{% endfor %}</td>
    <td class="nowrap">{{ case.close_out.closed_on|day }}</td>
    <td>{{ case.close_out.get_reason_display }}</td>
    {% if can_close %}<td class="nowrap" id="closeout-{{ case.pk }}">{% if case.may_close %}{% if case.close_out %}<button type="button" class="button small" hx-get="{% row_url 'supervision:close_out_reopen' case.pk %}" hx-target="#closeout-{{ case.pk }}">{% translate "Reopen" %}</button>{% elif not case.refusal %}<button type="button" class="button small" hx-get="{% row_url 'supervision:close_out' case.pk %}" hx-target="#closeout-{{ case.pk }}">{% translate "Close out" %}</button>{% else %}<span class="muted small" title="{{ case.refusal }}">{% translate "Still open" %}</span>{% endif %}{% endif %}</td>{% endif %}
  </tr>
  {% empty %}<tr><td colspan="14" class="empty">{% translate "Nothing on the ledger matches." %}</td></tr>{% endfor %}"""


def _squeezed(html: str) -> str:
    """The markup without the whitespace between tags, which no browser shows."""
    return re.sub(r">\s+<", "><", html.strip())


def _both(page: list[Case], can_close: bool) -> tuple[str, str]:
    context = {"page": page, "offset": 25, "can_close": can_close, "today": timezone.localdate()}
    before = Template(TEMPLATE).render(Context(context))
    after = Template("{% load ledger_tags %}{% ledger_rows page offset can_close today %}").render(
        Context(context)
    )
    return _squeezed(before), _squeezed(after)


def _ledger_cases(world: World) -> list[Case]:
    """Rows of every kind: plain; marked up, overdue, supervised, in mediation with two
    parties; declined and closed out; declined and still on the ledger."""
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    plain = f.register(mediator)
    marked = f.to_mediation(
        mediator, f.register(mediator, summary='<script>alert("x")</script> & 楼上漏水')
    )
    Case.objects.filter(pk=marked.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    flag(world.user("demo_street"), marked)
    declined, kept = (
        transition(
            actor=mediator,
            case=f.register(mediator),
            action="decline",
            reason="已由法院受理",
            data={"decline_reason": "before_other_body"},
        )
        for _ in range(2)
    )
    close_out(actor=director, case=declined, reason="declined")
    committee = Organisation.objects.get(pk=plain.committee_id)
    committee.short_name = ""  # the full name stands in
    committee.save(update_fields=["short_name"])
    ids = [plain.pk, marked.pk, declined.pk, kept.pk]
    page = list(with_columns(Case.objects.filter(pk__in=ids)).order_by("registered_at", "id"))
    assert len(page[1].parties.all()) >= 2 and page[1].active_mediators  # type: ignore[attr-defined]
    return page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("username", ["demo_director", "demo_mediator"])
def test_the_rows_are_the_templates_rows(world: World, language: str, username: str) -> None:
    page = _ledger_cases(world)
    viewer = world.user(username)
    for case in page:  # as the view sets them
        case.may_close = may_close_out(viewer, case)  # type: ignore[attr-defined]
        case.refusal = close_out_refusal(case)  # type: ignore[attr-defined]
        case.time_limit = exports.time_limit(case)  # type: ignore[attr-defined]
    with translation.override(language):
        for can_close in (True, False):
            before, after = _both(page, can_close)
            assert after == before
            assert "&lt;script&gt;" in after and "<script>" not in after
        assert _both([], True)[1] == _both([], True)[0]
    rows = _both(page, True)[1]
    assert rows.count("<tr ") == 4 and ' overdue"' in rows and "tag tag-warn" in rows
    if username == "demo_director":
        assert "close_out_reopen" not in rows  # the URL, not its name
        assert "/reopen/" in rows and "/close-out/" in rows
