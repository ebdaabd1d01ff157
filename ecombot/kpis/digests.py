"""Daily, weekly and monthly KPI digests (数据月报 is the monthly one): each is a schedule row (kind
`kpis.daily_digest`, …) whose job builds the message and a chart of the last 8 periods with the
target line, uploaded in the digest's thread. The text reads well without the chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.budgets import service as budgets
from ecombot.budgets.periods import Period, month_of
from ecombot.campaigns import service as campaigns
from ecombot.campaigns import spending
from ecombot.campaigns.views import times
from ecombot.kpis import compute, service, views
from ecombot.scheduling.models import Schedule
from ecombot.scheduling.service import Outgoing, schedule_job_key
from ecombot.scheduling.uploads import daily_payload
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_percent, t
from ecombot.slack.text import esc
from ecombot.workspaces import service as workspaces

Kind = Literal["daily", "weekly", "monthly"]
KINDS: tuple[Kind, ...] = ("daily", "weekly", "monthly")
HEADLINE = (
    "gmv",
    "orders",
    "aov",
    "new_customers",
    "repeat_rate",
    "conversion_rate",
    "refund_rate",
    "spend",
    "roas",
)
CHART_PERIODS = 8


def schedule_kind(kind: Kind) -> str:
    """The schedule kind of a digest."""
    return f"kpis.{kind}_digest"


def periods_for(kind: Kind, today: date) -> tuple[Period, Period, Period | None]:
    """(the period reported, what it is compared with, the same period last year for the monthly)."""
    if kind == "daily":
        day = today - timedelta(days=1)
        return Period(day, day), Period(day - timedelta(days=7), day - timedelta(days=7)), None
    if kind == "weekly":
        week = compute.week_of(today - timedelta(days=7))
        return week, compute.previous(week), None
    month = month_of(month_of(today).start - timedelta(days=1))
    return month, compute.previous(month), compute.last_year(month)


def _history(kind: Kind, period: Period) -> list[Period]:
    """The period and the 7 before it, oldest first."""
    out = [period]
    for _ in range(CHART_PERIODS - 1):
        first = out[0]
        week_before = Period(first.start - timedelta(days=7), first.end - timedelta(days=7))
        out.insert(0, week_before if kind == "daily" else compute.previous(first))
    return out


def _label(kind: Kind, period: Period) -> str:
    if kind == "daily":
        return period.start.strftime("%m-%d")
    if kind == "weekly":
        return f"W{period.start.isocalendar()[1]:02d}"
    return period.label


@dataclass(frozen=True)
class Digest:
    """A digest's message and its chart (the figures, `charts.daily_spec`: drawn when it is sent)."""

    message: bk.Message
    chart: dict[str, Any] | None
    chart_title: str


def build(
    session: Session, team_id: str, kind: Kind, today: date, *, locale: str, currency: str, draw: bool = True
) -> Digest:
    """The digest of the last full day, week or month before `today` (`draw`: with its chart)."""
    period, before, year_ago = periods_for(kind, today)
    figures, previous = compute.compute_many(session, team_id, [period, before])
    ago = compute.compute(session, team_id, year_ago) if year_ago is not None else None
    rows = service.targets(session, team_id)
    goals = {}
    for metric in HEADLINE:
        target = service.target_for(rows, metric, period)
        if target is not None:
            goals[metric] = service.target_value(session, team_id, target, period)
    title = t(locale, f"kpis.digest_title.{kind}", period=_period_name(kind, period, locale))
    compare = t(locale, f"kpis.digest_vs.{kind}", period=_period_name(kind, before, locale))
    lines = []
    for metric in HEADLINE:
        line = views.digest_line(
            metric, figures[metric], previous[metric], goals.get(metric), currency, locale
        )
        if ago is not None:
            line += views.year_ago(metric, figures[metric], ago[metric], currency, locale)
        lines.append(line)
    blocks: list[bk.Block] = [bk.header(title), bk.context(compare), *bk.sections(lines)]
    if kind == "monthly":
        blocks += _monthly_extras(session, team_id, period, figures, locale, currency)
    blocks.append(bk.context(t(locale, "kpis.definitions")))
    history = _history(kind, period)
    series = compute.gmv_of_periods(session, team_id, history)

    def gmv(p: Period) -> Decimal | None:
        return compute.gmv_of_periods(session, team_id, [p])[0]

    target_series = []
    for p in history:
        target = service.target_for(rows, "gmv", p)
        target_series.append(
            service.target_value(session, team_id, target, p, gmv) if target is not None else None
        )
    chart_title = t(
        locale,
        "kpis.chart_title",
        name=views.name_of("gmv", locale),
        kind=t(locale, f"kpis.kind_plural.{kind}"),
    )
    chart = None
    if draw and any(v for v in series):
        chart = chart_spec(
            chart_title,
            [_label(kind, p) for p in history],
            [p.start for p in history],
            series,
            target_series,
            currency,
            locale,
        )
    fallback = f"{title}: {views.value_of('gmv', figures['gmv'], currency, locale)}"
    return Digest(bk.message(fallback, blocks[: bk.MESSAGE_BLOCK_LIMIT]), chart, chart_title)


def chart_spec(
    title: str,
    labels: list[str],
    starts: list[date],
    series: list[Decimal],
    targets: list[Decimal | None],
    currency: str,
    locale: str,
) -> dict[str, Any]:
    """GMV per period as bars, the target as a dashed line: the figures the delivery worker draws
    (`charts.daily_from_spec`) when it posts the chart."""
    from ecombot import charts

    return charts.daily_spec(
        title,
        starts,
        [
            charts.Series(views.name_of("gmv", locale), [float(v or 0) for v in series], kind="bar"),
            charts.Series(
                t(locale, "kpis.chart_target"),
                [float(v) if v is not None else None for v in targets],
                dashed=True,
            ),
        ],
        left_label=currency,
        labels=labels,
        note=t(locale, "kpis.chart_note"),
    )


def _period_name(kind: Kind, period: Period, locale: str) -> str:
    from ecombot.slack.i18n import fmt_date

    if kind == "daily":
        return fmt_date(period.start, locale)
    if kind == "weekly":
        year, week, _ = period.start.isocalendar()
        return f"{year}-W{week:02d} ({fmt_date(period.start, locale)} – {fmt_date(period.end, locale)})"
    return period.label


def _monthly_extras(
    session: Session, team_id: str, period: Period, figures: compute.Figures, locale: str, currency: str
) -> list[bk.Block]:
    """The monthly report's campaigns (top and bottom by ROAS), budget use and funnel."""
    blocks: list[bk.Block] = []
    listed, _ = campaigns.listing(session, team_id, "all", period.end, channel="")
    ran = [
        c
        for c in listed
        if c.start <= period.end and (c.end is None or c.end >= period.start) and not c.private
    ]
    totals = spending.totals_of_between(
        session, team_id, [c.id for c in ran if c.id is not None], period.start, period.end
    )
    ranked = sorted(
        ((c, totals[c.id]) for c in ran if c.id is not None and totals[c.id].spend > 0),
        key=lambda pair: pair[1].roas or Decimal(0),
        reverse=True,
    )
    if ranked:
        lines = [t(locale, "kpis.monthly_campaigns")]
        shown = ranked[:3] + [pair for pair in ranked[-2:] if pair not in ranked[:3]]
        for campaign, total in shown:
            lines.append(
                t(
                    locale,
                    "kpis.monthly_campaign",
                    name=esc(campaign.name),
                    roas=times(total.roas, locale),
                    spend=views.value_of("spend", total.spend, currency, locale),
                    revenue=views.value_of("gmv", total.revenue, currency, locale),
                )
            )
        blocks += bk.sections(lines)
    statuses = budgets.status(session, team_id, period, period.end + timedelta(days=1))
    if statuses:
        lines = [t(locale, "kpis.monthly_budgets")]
        for status in statuses:
            lines.append(
                t(
                    locale,
                    "kpis.monthly_budget",
                    category=esc(budgets.label(status.category, locale)),
                    spent=views.value_of("spend", status.pace.spent, currency, locale),
                    budget=views.value_of("spend", status.pace.budget, currency, locale),
                    used=fmt_percent(status.pace.used, locale),
                )
            )
        blocks += bk.sections(lines)
    steps = compute.funnel_steps(figures)
    if len(steps) >= 2:
        weakest = compute.weakest_step(steps)
        parts = [
            f"{t(locale, f'kpis.step.{name}')} {views.count_of(value, locale)}"
            + (f" ({fmt_percent(rate, locale, 1)})" if rate is not None else "")
            + (" ⚠" if name == weakest else "")
            for name, value, rate in steps
        ]
        blocks.append(bk.section(t(locale, "kpis.monthly_funnel") + " " + " → ".join(parts)))
    return blocks


def digest_job(kind: Kind) -> Callable[[Session, Schedule, datetime, datetime], list[Outgoing]]:
    """The job of a digest schedule: the message to the channel, the chart in its thread."""

    def job(session: Session, schedule: Schedule, slot: datetime, now: datetime) -> list[Outgoing]:
        workspace = workspaces.get_workspace(session, schedule.team_id)
        today = slot.astimezone(ZoneInfo(workspace.timezone)).date()
        digest = build(
            session, schedule.team_id, kind, today, locale=workspace.language, currency=workspace.currency
        )
        key = f"{schedule_job_key(schedule)}:{slot.isoformat()}"
        return messages_of(digest, schedule.target, key)

    return job


def messages_of(digest: Digest, target: str, key: str) -> list[Outgoing]:
    """The digest and its chart (in the digest's thread) as outbox messages."""
    out = [Outgoing(target, dict(digest.message), key)]
    if digest.chart is not None:
        out.append(
            Outgoing(
                target,
                daily_payload(
                    f"{key.replace(':', '-')}.png",
                    digest.chart,
                    title=digest.chart_title,
                    alt_text=digest.chart_title,
                ),
                f"{key}:chart",
                thread_of=key,
            )
        )
    return out
