"""The case list and its exports: one filter definition (``filters.CaseFilterForm``) for both."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases import exports, selectors
from tiaojie.cases.filters import CaseFilterForm
from tiaojie.cases.ledger_import import may_import as can_import_ledger
from tiaojie.cases.services import intake
from tiaojie.core.access import access
from tiaojie.core.paging import counted
from tiaojie.core.types import AuthedRequest
from tiaojie.core.widgets import QuickSelect

PAGE_SIZE = 50
SORTS = {"registered": ("registered_at", "id"), "-registered": ("-registered_at", "-id")}
DEFAULT_SORT = "-registered"


PRIMARY_FILTERS = ("q", "status", "dispute_type")


class CappedPaginator(Paginator[Any]):
    """Counts no further than ``TIAOJIE_CASE_COUNT_CAP``; ``capped`` says it stopped there, and
    the list then reads "10,000+ cases" (the count of a frequent character would otherwise
    visit every match). A search (``estimate``) on PostgreSQL counts a sample first
    (``paging.counted``, ADR 0059): a count estimated at the cap or more is not counted
    further, ``estimated`` says so and the list reads "about 480,000 cases"; a search with few
    matches reads its page from them.
    """

    capped = False
    estimated = False

    def __init__(self, object_list: Any, per_page: int, *, estimate: bool = False) -> None:
        super().__init__(object_list, per_page)
        self.estimate = estimate

    @cached_property
    def count(self) -> int:
        rows = cast("QuerySet[Any]", self.object_list)
        found = counted(rows, settings.TIAOJIE_CASE_COUNT_CAP, estimate=self.estimate)
        self.capped, self.estimated = found.capped, found.estimate
        if found.ids is not None:
            # Every match is known: the page reads those cases (its filters still applied)
            # rather than walk the viewer's cases newest first looking for them.
            self.object_list = rows.filter(pk__in=found.ids)
        return found.count

    @property
    def open_ended(self) -> bool:
        """The count stopped at a cap or is an estimate: there is no known last page."""
        return bool(self.count) and (self.capped or self.estimated)

    def validate_number(self, number: Any) -> int:
        if not self.open_ended:
            return super().validate_number(number)
        # Past a capped or estimated count the pages go on: Django's check against the last
        # counted page would send page 21 of a "1,000+" search back to page 20 (ADR 0071).
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if value < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return value

    def page(self, number: Any) -> Page[Any]:
        if not self.open_ended:
            return super().page(number)
        # Past a capped or estimated count the rows go on: a page is always full, not cut at
        # the count, and has a next page while one more row follows it.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return OpenEndedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class OpenEndedPage(Page[Any]):
    """A page of a list with no known last page: it has a next page if a row follows it."""

    def __init__(self, rows: list[Any], number: int, paginator: Paginator[Any], *, more: bool):
        super().__init__(rows, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


def _decorate(form: CaseFilterForm, request: AuthedRequest, committees: list[Any]) -> None:
    """Turn the filter's hidden committee and mediator ids into choosers of what the user may
    pick: organisations of their subtree, mediators for directors and officers."""
    user = request.user
    q = form.fields["q"]
    q.widget.attrs["placeholder"] = str(q.help_text)
    q.help_text = ""
    if len(committees) > 1:
        form.fields["committee"].widget = QuickSelect(choices=[("", _("All")), *committees])
    committee = request.GET.get("committee", "")
    people = selectors.mediator_choices(user, int(committee) if committee.isdigit() else None)
    if people:
        form.fields["mediator"].widget = QuickSelect(choices=[("", _("All")), *people])


def _sort(request: AuthedRequest) -> str:
    sort = request.GET.get("sort", DEFAULT_SORT)
    return sort if sort in SORTS else DEFAULT_SORT


@access(Capability.CASE_CONTENT)
def case_list(request: AuthedRequest) -> HttpResponse:
    """Cases the user may read, filtered; htmx asks for the table alone when a filter changes."""
    user = request.user
    form, qs = selectors.filtered_for(user, request.GET)
    sort = _sort(request)
    qs = selectors.for_list(qs.order_by(*SORTS[sort]))
    searched = form.is_valid() and bool(form.cleaned_data.get("q"))
    page = CappedPaginator(qs, PAGE_SIZE, estimate=searched).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "unsorted_query": unsorted.urlencode(),
        "sort": sort,
        "can_export": user.can(Capability.CASE_EXPORT),
        # Only where a registration lands somewhere (an officer away from a centre has none).
        "can_register": user.can(Capability.CASE_REGISTER) and intake.has_intake(user),
        "can_import": can_import_ledger(user),
        "today": timezone.localdate(),
    }
    committees = selectors.committee_choices(user)
    context["show_committee"] = len(committees) > 1
    if request.htmx and not request.htmx.boosted:
        return render(request, "cases/partials/case_table.html", context)
    _decorate(form, request, committees)
    visible = form.visible_fields()
    more = [f for f in visible if f.name not in PRIMARY_FILTERS]
    context["primary_fields"] = [f for f in visible if f.name in PRIMARY_FILTERS]
    context["more_fields"] = more
    context["more_open"] = any(request.GET.get(f.name) for f in more)
    return render(request, "cases/case_list.html", context)


@access(Capability.CASE_EXPORT)
def case_export(request: AuthedRequest) -> HttpResponse:
    """The filtered list as ``?format=xlsx`` (default) or ``csv``; audited, with whether the
    parties' personal data went out masked."""
    user = request.user
    _form, qs = selectors.filtered_for(user, request.GET)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    masked = not user.can(Capability.PERSONAL_DATA)
    table = exports.rows(qs, masked=masked)
    if fmt == "csv":
        body, count = exports.to_csv(table)
        content_type = "text/csv; charset=utf-8"
    else:
        body, count = exports.to_xlsx(table)
        content_type = exports.XLSX_CONTENT_TYPE
    audit.record(
        EventType.CASES_EXPORTED,
        actor=user,
        after={
            "filters": {k: v for k, v in request.GET.items() if k not in ("format", "page")},
            "format": fmt,
            "rows": count,
            "masked": masked,
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.{fmt}"'
    return response
