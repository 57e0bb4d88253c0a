"""The 分析研判报告 of a subtree and period: the findings in words (month-on-month and
year-on-year change, the fastest-rising dispute types and areas, complex and group disputes,
escalation risks) and three charts drawn as PNG with Pillow (no plotting library needed),
all from the cells, like the reports."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from tiaojie.cases.models import Case
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import dashboard, periods, report
from tiaojie.statistics.choices import BY_TYPE, EscalationKind, Indicator

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_INDEX = 2  # Simplified Chinese face of the collection


@dataclasses.dataclass(frozen=True)
class Finding:
    title: str
    text: str


@dataclasses.dataclass
class Analysis:
    organisation: Organisation
    period: periods.Period
    findings: list[Finding]
    charts: list[tuple[str, bytes]]  # (caption, PNG)
    figures: list[tuple[str, str]]  # (label, value) for the key-figure table


def shifted(period: periods.Period, months: int) -> periods.Period:
    """The period of the same kind ``months`` earlier (negative: later)."""

    def move(day: Any) -> Any:
        index = day.year * 12 + day.month - 1 - months
        return day.replace(year=index // 12, month=index % 12 + 1)

    return periods.Period(period.kind, move(period.first), move(period.last))


def previous(period: periods.Period) -> periods.Period:
    return shifted(period, {periods.MONTH: 1, periods.QUARTER: 3}.get(period.kind, 12))


def change(now: Decimal, before: Decimal) -> str:
    """增长/下降 x% (or 持平 / 上期为零), in words."""
    if before == 0:
        return _("none in the period compared") if now == 0 else _("up from none")
    percent = (Decimal(100) * (now - before) / before).quantize(Decimal("0.1"))
    if percent > 0:
        return _("up %(percent)s%%") % {"percent": percent}
    if percent < 0:
        return _("down %(percent)s%%") % {"percent": -percent}
    return _("unchanged")


def _n(value: Decimal) -> str:
    return f"{int(value):,}"


def _by_key(org: Organisation, period: periods.Period, prefix: str) -> dict[str, Decimal]:
    return {
        key.split(":", 1)[1]: value
        for (indicator, key), value in report.figures(org, period).items()
        if indicator == Indicator.MEDIATED and key.startswith(prefix)
    }


def _rising(now: dict[str, Decimal], before: dict[str, Decimal]) -> list[tuple[str, Decimal]]:
    rises = [(key, now.get(key, Decimal(0)) - before.get(key, Decimal(0))) for key in now]
    return sorted([r for r in rises if r[1] > 0], key=lambda r: -r[1])[:3]


def findings(org: Organisation, period: periods.Period) -> list[Finding]:
    """The written findings, each a heading and a paragraph."""
    last, year_ago = previous(period), shifted(period, 12)
    now, before, then = (report.figures(org, p) for p in (period, last, year_ago))
    mediated = (Indicator.MEDIATED, "")

    def get(fig: dict[report.Address, Decimal], indicator: str, key: str = "") -> Decimal:
        return fig.get((indicator, key), Decimal(0))

    out = [
        Finding(
            _("Overall"),
            _(
                "In %(period)s the organisations of %(org)s mediated %(mediated)s disputes, "
                "%(success)s of them successfully (%(rate)s%%). Compared with the period "
                "before (%(last)s) that is %(mom)s; compared with the same period a year "
                "earlier (%(then)s), %(yoy)s."
            )
            % {
                "period": period.label,
                "org": org.name,
                "mediated": _n(get(now, *mediated)),
                "success": _n(get(now, Indicator.SUCCESS)),
                "rate": report.rate(get(now, Indicator.SUCCESS), get(now, *mediated)),
                "last": _n(get(before, *mediated)),
                "mom": change(get(now, *mediated), get(before, *mediated)),
                "then": _n(get(then, *mediated)),
                "yoy": change(get(now, *mediated), get(then, *mediated)),
            },
        )
    ]
    names = dict(report.type_columns(period))
    rising = _rising(_by_key(org, period, f"{BY_TYPE}:"), _by_key(org, last, f"{BY_TYPE}:"))
    out.append(
        Finding(
            _("Dispute types rising fastest"),
            "；".join(
                _("%(name)s %(delta)s more than the period before")
                % {
                    "name": names.get(code, code),
                    "delta": _n(delta),
                }
                for code, delta in rising
            )
            + "。"
            if rising
            else _("No type of dispute rose compared with the period before."),
        )
    )
    areas_now = {
        r.label: r.values.get(mediated, Decimal(0)) for r in report.build(org, period).rows
    }
    areas_before = {
        r.label: r.values.get(mediated, Decimal(0)) for r in report.build(org, last).rows
    }
    rising_areas = _rising(areas_now, areas_before)
    out.append(
        Finding(
            _("Areas rising fastest"),
            "；".join(
                _("%(name)s %(delta)s more than the period before")
                % {
                    "name": name,
                    "delta": _n(delta),
                }
                for name, delta in rising_areas
            )
            + "。"
            if rising_areas
            else _("No area below rose compared with the period before."),
        )
    )
    open_cases = Case.objects.filter(committee_path__startswith=org.path).open()
    group_open = open_cases.filter(is_group=True).count()
    complex_open = open_cases.filter(is_complex=True).count()
    out.append(
        Finding(
            _("Complex and group disputes"),
            _(
                "%(complex)s complex disputes were mediated (%(mom)s on the period before); "
                "%(complex_open)s complex and %(group_open)s group disputes are open now."
            )
            % {
                "complex": _n(get(now, Indicator.COMPLEX)),
                "mom": change(get(now, Indicator.COMPLEX), get(before, Indicator.COMPLEX)),
                "complex_open": complex_open,
                "group_open": group_open,
            },
        )
    )
    prevented = [
        _("%(kind)s %(cases)s cases (%(people)s people)")
        % {
            "kind": label,
            "cases": _n(get(now, Indicator.PREVENTED_CASES, code)),
            "people": _n(get(now, Indicator.PREVENTED_PEOPLE, code)),
        }
        for code, label in EscalationKind.choices
        if get(now, Indicator.PREVENTED_CASES, code)
    ]
    risk = (
        _("Escalations prevented: %(list)s.") % {"list": "；".join(prevented)}
        if prevented
        else _("No prevented escalation was recorded in the period.")
    )
    if group_open or rising:
        risk += " " + _(
            "Watch the open group disputes and the rising types above: they are where "
            "escalation is most likely."
        )
    out.append(Finding(_("Escalation risks"), risk))
    return out


# --- Charts --------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size, index=FONT_INDEX)
    except OSError:  # no CJK font: still a chart, labels may show boxes
        return ImageFont.load_default()


def bar_chart(labels: list[str], values: list[float], *, horizontal: bool = False) -> bytes:
    """A plain bar chart as PNG (1200×560), values printed on the bars."""
    width, height = 1200, 560
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, tiny = _font(22), _font(18)
    top = max(values, default=0) or 1
    colour = (42, 111, 219)
    if horizontal:
        left, row = 300, min((height - 40) / max(len(values), 1), 70)
        for n, (label, value) in enumerate(zip(labels, values, strict=True)):
            y = 20 + n * row
            length = (width - left - 120) * value / top
            draw.rectangle([left, y + row * 0.2, left + length, y + row * 0.8], fill=colour)
            draw.text((10, y + row * 0.3), label[:12], fill="black", font=small)
            draw.text((left + length + 8, y + row * 0.3), f"{value:,.0f}", fill="black", font=small)
    else:
        bottom, column = height - 60, (width - 80) / max(len(values), 1)
        draw.line([40, bottom, width - 20, bottom], fill="black")
        for n, (label, value) in enumerate(zip(labels, values, strict=True)):
            x = 50 + n * column
            bar = (bottom - 50) * value / top
            draw.rectangle(
                [x + column * 0.15, bottom - bar, x + column * 0.85, bottom], fill=colour
            )
            draw.text(
                (x + column * 0.1, bottom - bar - 24), f"{value:,.0f}", fill="black", font=tiny
            )
            draw.text((x + column * 0.1, bottom + 10), label, fill="black", font=tiny)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def charts(org: Organisation, period: periods.Period) -> list[tuple[str, bytes]]:
    months = dashboard.last_twelve_months(period.end)
    trend = dashboard.trend(org, months)
    types = dashboard.type_mix(org, period)[:8]
    ranking = dashboard.ranking(org, period)[:8]
    return [
        (
            _("Disputes mediated by month (last 12 months)"),
            bar_chart([m[2:] for m in trend["months"]], trend["series"][Indicator.MEDIATED]),
        ),
        (
            _("Disputes mediated by type"),
            bar_chart([t["name"] for t in types], [t["value"] for t in types], horizontal=True),
        ),
        (
            _("Disputes mediated by area"),
            bar_chart(
                [r["name"] for r in ranking], [r["mediated"] for r in ranking], horizontal=True
            ),
        ),
    ]


def key_figures(org: Organisation, period: periods.Period) -> list[tuple[str, str]]:
    built = report.build(org, period)
    wanted = ["accepted", "mediated", "success", "rate.success", "amount", "complex", "performed"]
    by_code = {c.code: c for c in built.columns}
    out = []
    for code in wanted:
        column = by_code[code]
        out.append((column.header, built.total.printed(column)))
    return out
