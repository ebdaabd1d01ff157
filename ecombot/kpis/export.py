"""KPIs as CSV: one row per period (day, ISO week or month), one column per KPI, machine-readable
numbers (a dot for decimals, no grouping, empty for n/a)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from sqlmodel import Session

from ecombot.budgets.periods import Period, month_of
from ecombot.kpis import compute

Grain = Literal["day", "week", "month"]
GRAINS: tuple[Grain, ...] = ("day", "week", "month")
MAX_PERIODS = 1200


def periods(first: date, last: date, grain: Grain) -> Iterator[Period]:
    """The periods of a grain that meet [first, last], in order."""
    if grain == "day":
        day = first
        while day <= last:
            yield Period(day, day)
            day += timedelta(days=1)
        return
    period = compute.week_of(first) if grain == "week" else month_of(first)
    while period.start <= last:
        yield period
        period = (
            Period(period.end + timedelta(days=1), period.end + timedelta(days=7))
            if grain == "week"
            else month_of(period.end + timedelta(days=1))
        )


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.quantize(Decimal("0.000001")).normalize(), "f")


def to_csv(session: Session, team_id: str, first: date, last: date, grain: Grain) -> tuple[str, int]:
    """The CSV (UTF-8 with BOM, for spreadsheets) and how many periods it has."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "start", "end", *compute.KPIS, *compute.FUNNEL[:-1]])
    count = 0
    for period in periods(first, last, grain):
        count += 1
        if count > MAX_PERIODS:
            break
        figures = compute.compute(session, team_id, period)
        label = (
            period.start.isoformat()
            if grain == "day"
            else period.label
            if grain == "month"
            else f"{period.start.isocalendar()[0]}-W{period.start.isocalendar()[1]:02d}"
        )
        writer.writerow(
            [
                label,
                period.start.isoformat(),
                period.end.isoformat(),
                *(_number(figures[name]) for name in compute.KPIS),
                *(_number(figures.funnel.get(name)) for name in compute.FUNNEL[:-1]),
            ]
        )
    return out.getvalue(), min(count, MAX_PERIODS)
