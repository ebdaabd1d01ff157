"""KPI replies: the period's KPIs, the funnel, targets, figures logged, imports, App Home (pure; user
text escaped here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ecombot.budgets.periods import Period
from ecombot.campaigns.views import pacing_bar, times
from ecombot.kpis import compute
from ecombot.kpis import messages as _messages  # noqa: F401 - registers the strings
from ecombot.kpis.compute import Figures
from ecombot.kpis.models import KpiTarget
from ecombot.kpis.orders import Skip
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, known, t
from ecombot.slack.text import esc

SKIPS_SHOWN = 15
PACED = ("gmv", "orders", "new_customers", "spend")  # additive: a month-to-date pace makes sense


def name_of(metric: str, locale: str) -> str:
    """A KPI's name, or a funnel step's (sessions, add to cart…)."""
    if metric not in compute.KPIS and metric in compute.FUNNEL:
        return t(locale, f"kpis.step.{metric}")
    return t(locale, f"kpis.name.{metric}")


def value_of(metric: str, value: Decimal | None, currency: str, locale: str) -> str:
    """A KPI's value as its kind is written."""
    if value is None:
        return t(locale, "common.na")
    kind = compute.KPIS.get(metric, "count")
    if kind == "money":
        return fmt_money(value, currency, locale)
    if kind == "rate":
        return fmt_percent(value, locale, 1)
    if kind == "ratio":
        return times(value, locale)
    return fmt_number(value, locale, 0 if value == value.to_integral_value() else 2)


def _change(metric: str, current: Decimal | None, before: Decimal | None, currency: str, locale: str) -> str:
    kind, amount = compute.change(compute.KPIS[metric], current, before)
    if kind == "na" or amount is None:
        return t(locale, "kpis.change_new") if kind == "new" else ""
    sign = "+" if amount > 0 else "−" if amount < 0 else "±"
    shown = fmt_number(abs(amount), locale, 1) if kind == "pp" else fmt_percent(abs(amount), locale, 1)
    key = "kpis.change_pp" if kind == "pp" else "kpis.change_pct"
    return t(locale, key, sign=sign, value=shown, before=value_of(metric, before, currency, locale))


def _attained(metric: str, actual: Decimal | None, target: Decimal | None, locale: str) -> str:
    if actual is None or target is None or target == 0:
        return t(locale, "common.na")
    lower = metric in compute.LOWER_IS_BETTER
    share = actual / target
    met = actual <= target if lower else actual >= target
    return t(locale, "kpis.attained" if met else "kpis.not_attained", share=fmt_percent(share, locale, 0))


def show_message(
    figures: Figures,
    before: Figures,
    goals: dict[str, Decimal | None],
    today: date,
    currency: str,
    locale: str,
    *,
    paced: Figures | None = None,
) -> bk.Message:
    """`/kpi show`: each KPI, its change, its target and (this month) its pace on the closed days."""
    period = figures.period
    title = t(locale, "kpis.show_title", period=period.label)
    if not figures["orders"] and not figures.funnel.get("sessions") and not figures["spend"]:
        return bk.ephemeral(title, [bk.header(title), bk.section(t(locale, "kpis.no_data"))])
    running = period.start <= today <= period.end and period.days > 1
    lines = []
    for metric in compute.KPIS:
        value = figures[metric]
        target_text = ""
        goal = goals.get(metric)
        if goal is not None:
            target_text = t(
                locale,
                "kpis.target_line",
                target=value_of(metric, goal, currency, locale),
                attained=_attained(metric, value, goal, locale),
            )
        pace = ""
        done = period.done(today)
        closed = paced[metric] if paced is not None else None
        if running and metric in PACED and closed is not None and done > 0:
            projected = value_of(metric, closed * period.days / done, currency, locale)
            pace = t(locale, "kpis.pace", projected=projected)
        lines.append(
            t(
                locale,
                "kpis.line",
                name=name_of(metric, locale),
                value=value_of(metric, value, currency, locale),
                change=_change(metric, value, before[metric], currency, locale),
                target=target_text + pace,
            )
        )
    return bk.ephemeral(
        title,
        [
            bk.header(title),
            *bk.sections(lines),
            bk.context(t(locale, "kpis.previous_note", period=_span(before.period, locale))),
            bk.context(t(locale, "kpis.definitions")),
        ],
    )


def _span(period: Period, locale: str) -> str:
    """A period as people read it: `2026-10`, or `Oct 1, 2026 – Oct 23, 2026` for part of one."""
    if ".." not in period.label:
        return period.label
    return f"{fmt_date(period.start, locale)} – {fmt_date(period.end, locale)}"


def funnel_message(figures: Figures, locale: str) -> bk.Message:
    """`/kpi funnel`: each step with its conversion from the one before, the weakest marked."""
    title = t(locale, "kpis.funnel_title", period=figures.period.label)
    steps = compute.funnel_steps(figures)
    if len(steps) < 2:
        return bk.ephemeral(title, [bk.header(title), bk.section(t(locale, "kpis.funnel_empty"))])
    weakest = compute.weakest_step(steps)
    top = steps[0][1] or Decimal(1)
    lines = []
    for name, value, rate in steps:
        lines.append(
            t(
                locale,
                "kpis.funnel_step",
                bar=pacing_bar(value / top if top else None),
                name=t(locale, f"kpis.step.{name}"),
                value=fmt_number(value, locale),
                rate=(
                    t(locale, "kpis.funnel_rate", rate=fmt_percent(rate, locale, 1))
                    if rate is not None
                    else ""
                )
                + (t(locale, "kpis.funnel_weakest") if name == weakest else ""),
            )
        )
    return bk.ephemeral(
        title, [bk.header(title), bk.section("\n".join(lines)), bk.context(t(locale, "kpis.funnel_note"))]
    )


def target_text(target: KpiTarget, currency: str, locale: str) -> str:
    """`CN¥150,000.00`, `35.0%`, or `+25.0% vs the same period last year`."""
    if target.growth:
        sign = "+" if target.value >= 0 else "−"
        return t(
            locale,
            "kpis.growth",
            sign=sign,
            value=fmt_percent(abs(target.value), locale, 1),
            basis=t(locale, f"kpis.basis.{target.basis or 'last_year'}"),
        )
    return value_of(target.metric, target.value, currency, locale)


def target_set_message(target: KpiTarget, before: KpiTarget | None, currency: str, locale: str) -> bk.Message:
    """A target set or changed."""
    params = {
        "name": name_of(target.metric, locale),
        "period": target.period,
        "value": target_text(target, currency, locale),
    }
    if before is None:
        text = t(locale, "kpis.target_set", **params)
    else:
        text = t(locale, "kpis.target_changed", before=target_text(before, currency, locale), **params)
    return bk.ephemeral(text, [bk.section(":dart: " + text)])


def targets_message(
    rows: Sequence[tuple[KpiTarget, Period, Decimal | None, Decimal | None]], currency: str, locale: str
) -> bk.Message:
    """`/kpi targets`: each target, this period's value and attainment."""
    title = t(locale, "kpis.targets_title")
    if not rows:
        return bk.ephemeral(title, [bk.header(title), bk.section(t(locale, "kpis.targets_empty"))])
    lines = [
        t(
            locale,
            "kpis.targets_row",
            name=name_of(target.metric, locale),
            period=esc(target.period),
            value=target_text(target, currency, locale),
            kind=t(locale, f"kpis.kind.{'week' if period.days == 7 else 'month'}"),
            actual=value_of(target.metric, actual, currency, locale),
            attained=_attained(target.metric, actual, goal, locale),
        )
        for target, period, actual, goal in rows
    ]
    return bk.ephemeral(title, [bk.header(title), *bk.sections(lines)])


def logged_message(metric: str, day: date, value: Decimal, before: Decimal | None, locale: str) -> bk.Message:
    """A figure logged (or replaced)."""
    params = {"metric": t(locale, f"kpis.step.{metric}") if known(f"kpis.step.{metric}") else metric}
    params["day"] = fmt_date(day, locale)
    params["value"] = fmt_number(value, locale, 0 if value == value.to_integral_value() else 2)
    if before is None:
        text = t(locale, "kpis.logged", **params)
    else:
        text = t(
            locale,
            "kpis.logged_changed",
            before=fmt_number(before, locale, 0 if before == before.to_integral_value() else 2),
            **params,
        )
    return bk.ephemeral(text, [bk.section(":memo: " + text)])


def skipped_blocks(skipped: Sequence[Skip], count: int, locale: str) -> list[bk.Block]:
    """The lines an import left out, with their reasons."""
    if not count:
        return []
    lines = [t(locale, "kpis.skipped", count=count)]
    for skip in skipped[:SKIPS_SHOWN]:
        key = f"kpis.skip.{skip.code}"
        reason = t(locale, key, part=esc(skip.part)) if known(key) else esc(skip.code)
        lines.append("• " + t(locale, "kpis.skip_line", line=skip.line, reason=reason))
    if count > SKIPS_SHOWN:
        lines.append(t(locale, "kpis.skip_more", count=count - SKIPS_SHOWN))
    return bk.sections(lines)


def home_blocks(
    rows: Sequence[tuple[str, Decimal | None, Decimal]], currency: str, locale: str
) -> list[bk.Block]:
    """This month's KPIs that have a target."""
    if not rows:
        return []
    lines = [
        t(
            locale,
            "kpis.home_row",
            name=name_of(metric, locale),
            value=value_of(metric, actual, currency, locale),
            target=value_of(metric, goal, currency, locale),
            attained=_attained(metric, actual, goal, locale),
        )
        for metric, actual, goal in rows
    ]
    return [bk.header(t(locale, "kpis.home_title")), *bk.sections(lines)]


def money_range(first: date | None, last: date | None, locale: str) -> tuple[str, str]:
    """Dates of an import, for its reply."""
    return (fmt_date(first, locale) if first else "—", fmt_date(last, locale) if last else "—")


def count_of(value: Decimal, locale: str) -> str:
    """A count (two decimals only when it has them)."""
    return fmt_number(value, locale, 0 if value == value.to_integral_value() else 2)


def digest_line(
    metric: str,
    value: Decimal | None,
    before: Decimal | None,
    goal: Decimal | None,
    currency: str,
    locale: str,
) -> str:
    """One KPI of a digest: its value, its change, its target."""
    target = ""
    if goal is not None:
        target = t(
            locale,
            "kpis.target_line",
            target=value_of(metric, goal, currency, locale),
            attained=_attained(metric, value, goal, locale),
        )
    return t(
        locale,
        "kpis.line",
        name=name_of(metric, locale),
        value=value_of(metric, value, currency, locale),
        change=_change(metric, value, before, currency, locale),
        target=target,
    )


def year_ago(metric: str, value: Decimal | None, ago: Decimal | None, currency: str, locale: str) -> str:
    """` · +12.0% vs last year (CN¥…)`."""
    kind, amount = compute.change(compute.KPIS[metric], value, ago)
    if kind in ("na", "new") or amount is None:
        return ""
    sign = "+" if amount > 0 else "−" if amount < 0 else "±"
    shown = fmt_number(abs(amount), locale, 1) if kind == "pp" else fmt_percent(abs(amount), locale, 1)
    key = "kpis.year_ago_pp" if kind == "pp" else "kpis.year_ago_pct"
    return t(locale, key, sign=sign, value=shown, before=value_of(metric, ago, currency, locale))
