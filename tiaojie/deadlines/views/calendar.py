"""The working-day calendar pages: the years, one year as a grid, and editing a year."""

from __future__ import annotations

import calendar as cal_module
import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.deadlines.forms import CalendarYearForm
from tiaojie.deadlines.models import CalendarYear, DayKind
from tiaojie.deadlines.official import OFFICIAL_YEARS
from tiaojie.deadlines.services.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    calendar_year_save,
    next_year_lines,
    year_lines,
)


def _year_or_404(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@access(Capability.RULES_CONFIGURE)
def calendar_list(request: AuthedRequest) -> HttpResponse:
    """The years with a table, and a warning when this year or the next has none."""
    this_year = timezone.localdate().year
    years = list(CalendarYear.objects.select_related("updated_by").order_by("-year"))
    covered = {y.year for y in years}
    missing = [y for y in (this_year, this_year + 1) if y not in covered]
    return render(
        request,
        "deadlines/calendar_list.html",
        {"years": years, "missing": missing, "this_year": this_year},
    )


def month_grid(year: int, exceptions: dict[dt.date, Any]) -> list[dict[str, Any]]:
    """Twelve months as weeks of cells (Monday first), each cell with its day and class."""
    months = []
    weeks_of = cal_module.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in weeks_of.monthdatescalendar(year, month):
            cells: list[dict[str, Any] | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                entry = exceptions.get(day)
                if entry is not None and entry.kind == DayKind.HOLIDAY:
                    css, title = "cal-holiday", entry.name
                elif entry is not None:
                    css, title = "cal-makeup", entry.name
                elif day.weekday() >= 5:
                    css, title = "cal-rest", ""
                else:
                    css, title = "cal-work", ""
                cells.append({"day": day, "css": css, "title": title})
            weeks.append(cells)
        months.append({"number": month, "first": dt.date(year, month, 1), "weeks": weeks})
    return months


@access(Capability.RULES_CONFIGURE)
def calendar_year(request: AuthedRequest, year: int) -> HttpResponse:
    """One year: the months as a compact grid and the list of exceptions."""
    _year_or_404(year)
    table = CalendarYear.objects.filter(year=year).select_related("updated_by").first()
    days = list(table.days.order_by("day")) if table else []
    return render(
        request,
        "deadlines/calendar_year.html",
        {
            "year": year,
            "table": table,
            "days": days,
            "months": month_grid(year, {d.day: d for d in days}),
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


@access(Capability.RULES_CONFIGURE)
def calendar_edit(request: AuthedRequest, year: int) -> HttpResponse:
    """Edit a year's table as text lines; a year without one starts from the fixed holidays."""
    _year_or_404(year)
    table = CalendarYear.objects.filter(year=year).first()
    if request.method == "POST":
        form = CalendarYearForm(request.POST)
        if form.is_valid():
            try:
                calendar_year_save(
                    actor=request.user,
                    year=year,
                    source=form.cleaned_data["source"],
                    lines=form.cleaned_data["lines"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The %(year)d table was saved.") % {"year": year})
                return redirect("deadlines:calendar_year", year=year)
    elif table is not None:
        form = CalendarYearForm(
            initial={"source": table.source, "lines": year_lines(table), "version": table.version}
        )
    else:
        official = OFFICIAL_YEARS.get(year)
        form = CalendarYearForm(
            initial={"source": official.source if official else "", "lines": next_year_lines(year)}
        )
    return render(
        request,
        "deadlines/calendar_edit.html",
        {"year": year, "table": table, "form": form, "prefilled": table is None},
    )
