"""Budget replies, the status, the log, alerts and App Home rows (pure; user text escaped here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ecombot.budgets import messages as _messages  # noqa: F401 - registers the strings
from ecombot.budgets import service
from ecombot.budgets.models import BudgetCategory, BudgetLine, BudgetLog, BudgetSettings
from ecombot.budgets.periods import Period
from ecombot.budgets.service import LineStatus, Moved
from ecombot.campaigns.views import pacing_bar, times
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_datetime, fmt_money, fmt_percent, t
from ecombot.slack.text import esc, mention

STATUS_LINES = 40
LOG_LINES = 30


def money(amount: Decimal | None, currency: str, locale: str) -> str:
    """An amount; n/a for None."""
    return t(locale, "common.na") if amount is None else fmt_money(amount, currency, locale)


def category_name(category: BudgetCategory, locale: str) -> str:
    """A category's name, safe for mrkdwn."""
    return esc(service.label(category, locale))


def period_of(line: BudgetLine) -> str:
    """`2026-12`, `2026-Q4`…"""
    return Period(line.start, line.end).label


def channel_ref(channel: str, locale: str) -> str:
    """`#channel` or "no channel"."""
    return f"<#{channel}>" if channel else t(locale, "budgets.no_channel")


def set_message(
    line: BudgetLine, category: BudgetCategory, before: Decimal | None, channel: str, locale: str
) -> bk.Message:
    """A line set or changed."""
    params = {
        "category": category_name(category, locale),
        "period": period_of(line),
        "amount": money(line.amount, line.currency, locale),
    }
    if before is None:
        text = t(
            locale,
            "budgets.set_new",
            channel=channel_ref(channel, locale),
            owner=line.owner_id,
            **params,
        )
    else:
        text = t(locale, "budgets.set_changed", before=money(before, line.currency, locale), **params)
    return bk.ephemeral(text, [bk.section(":white_check_mark: " + text)])


def categories_message(categories: Sequence[BudgetCategory], locale: str) -> bk.Message:
    """`/budget categories`."""
    title = t(locale, "budgets.categories_title")
    lines = [
        t(
            locale,
            "budgets.category_row",
            name=category_name(c, locale),
            code=c.key,
            reserve=t(locale, "budgets.reserve") if c.reserve else "",
        )
        for c in categories
    ]
    return bk.ephemeral(
        title + "\n" + "\n".join(lines),
        [bk.header(title), bk.section("\n".join(lines)), bk.context(t(locale, "budgets.categories_hint"))],
    )


def spend_message(
    line: BudgetLine | None,
    category: BudgetCategory,
    amount: Decimal,
    day: date,
    note: str,
    refund: bool,
    currency: str,
    locale: str,
) -> bk.Message:
    """Spend (or a refund) recorded."""
    text = t(
        locale,
        "budgets.refunded" if refund else "budgets.spent",
        amount=money(amount, currency, locale),
        category=category_name(category, locale),
        day=fmt_date(day, locale),
        note=f" ({esc(note)})" if note else "",
    )
    blocks = [bk.section(":memo: " + text)]
    if line is None:
        blocks.append(bk.context(t(locale, "budgets.no_line_yet", category=esc(category.key))))
    return bk.ephemeral(text, blocks)


def moved_message(
    moved: Moved, source: BudgetCategory, target: BudgetCategory, reason: str, locale: str
) -> bk.Message:
    """A reallocation, before and after."""
    cur = moved.source.currency
    text = t(
        locale,
        "budgets.moved",
        amount=money(moved.amount, cur, locale),
        source=category_name(source, locale),
        source_before=money(moved.source_before, cur, locale),
        source_after=money(moved.source.amount, cur, locale),
        target=category_name(target, locale),
        target_before=money(moved.target_before, cur, locale),
        target_after=money(moved.target.amount, cur, locale),
        reason=f" ({esc(reason)})" if reason else "",
    )
    return bk.ephemeral(text, [bk.section(":arrow_right: " + text)])


def alerts_message(settings: BudgetSettings, locale: str, *, changed: bool) -> bk.Message:
    """The thresholds and channel (set or shown)."""
    thresholds = ", ".join(f"{n}%" for n in settings.thresholds)
    channel = (
        channel_ref(settings.channel_id, locale)
        if settings.channel_id
        else t(locale, "budgets.lines_channel")
    )
    text = t(
        locale,
        "budgets.alerts_set" if changed else "budgets.alerts_show",
        thresholds=thresholds,
        channel=channel,
    )
    return bk.ephemeral(text, [bk.section(text)])


def curve_message(line: BudgetLine, category: BudgetCategory, days: int, locale: str) -> bk.Message:
    """A curve set, or back to straight."""
    params = {"category": category_name(category, locale), "period": period_of(line)}
    if line.curve_campaign:
        text = t(locale, "budgets.curve_set", campaign=esc(line.curve_campaign), days=days, **params)
    else:
        text = t(locale, "budgets.curve_off", **params)
    return bk.ephemeral(text, [bk.section(text)])


def _over(status: LineStatus, locale: str) -> str:
    over, cur = status.pace.over, status.line.currency
    if over is None:
        return t(locale, "budgets.no_projection")
    key = "budgets.over_by" if over > 0 else "budgets.under_by"
    return t(locale, key, amount=money(abs(over), cur, locale))


def status_block(status: LineStatus, locale: str) -> str:
    """One line of `/budget status`."""
    pace, cur = status.pace, status.line.currency
    curve = (
        t(locale, "budgets.curve_note", campaign=esc(status.line.curve_campaign))
        if status.line.curve_campaign
        else ""
    )
    return t(
        locale,
        "budgets.status_line",
        category=category_name(status.category, locale),
        period=period_of(status.line),
        curve=curve,
        bar=pacing_bar(pace.used),
        spent=money(pace.spent, cur, locale),
        budget=money(pace.budget, cur, locale),
        used=fmt_percent(pace.used, locale),
        remaining=money(pace.remaining, cur, locale),
        expected=money(pace.expected, cur, locale),
        pace=times(pace.pacing, locale),
        projected=money(pace.projected, cur, locale),
        over=_over(status, locale),
    )


def status_message(
    statuses: Sequence[LineStatus], period: Period | None, locale: str, *, chart: bool
) -> bk.Message:
    """`/budget status`: each line with budget, spent, remaining, % used, expected, pace, projection."""
    title = t(
        locale,
        "budgets.status_title",
        period=period.label if period is not None else t(locale, "budgets.status_today"),
    )
    if not statuses:
        empty = t(locale, "budgets.status_empty")
        return bk.ephemeral(f"{title}\n{empty}", [bk.header(title), bk.section(empty)])
    blocks = [bk.header(title), *[bk.section(status_block(s, locale)) for s in statuses[:STATUS_LINES]]]
    notes = [t(locale, "budgets.status_footnote")]
    if chart:
        notes.append(t(locale, "budgets.chart_coming"))
    blocks.append(bk.context(" ".join(notes)))
    return bk.ephemeral(title, blocks[: bk.MESSAGE_BLOCK_LIMIT])


def status_chart(statuses: Sequence[LineStatus], title_period: str, locale: str) -> dict[str, Any]:
    """Budget, expected and spent per line: the figures of the bar chart (`uploads.bars_payload`), drawn
    as a PNG by the delivery worker, not on the request's thread."""
    return {
        "title": t(locale, "budgets.chart_title", period=title_period),
        "labels": [f"{service.label(s.category, locale)} {period_of(s.line)}" for s in statuses],
        "series": [
            (t(locale, "budgets.chart_budget"), [float(s.pace.budget) for s in statuses]),
            (t(locale, "budgets.chart_expected"), [float(s.pace.expected) for s in statuses]),
            (t(locale, "budgets.chart_spent"), [float(s.pace.spent) for s in statuses]),
        ],
        "unit": statuses[0].line.currency if statuses else "",
    }


def log_message(
    entries: Sequence[BudgetLog], names: dict[str, str], currency: str, tz: str, locale: str
) -> bk.Message:
    """`/budget log`: newest first."""
    title = t(locale, "budgets.log_title")
    if not entries:
        return bk.ephemeral(t(locale, "budgets.log_empty"))

    def amount(raw: str) -> str:
        try:
            return money(Decimal(raw), currency, locale)
        except ArithmeticError:
            return esc(raw) or "—"

    rows = []
    for entry in entries:
        plain = entry.action in ("alerts", "curve", "rename", "owner")
        if entry.action == "channel":
            before, after = channel_ref(entry.before, locale), channel_ref(entry.after, locale)
        elif plain:
            before, after = esc(entry.before or "—"), esc(entry.after or "—")
        else:
            before, after = amount(entry.before) if entry.before else "—", amount(entry.after)
        what = t(
            locale,
            f"budgets.log.{entry.action}",
            category=esc(names.get(entry.category, entry.category)),
            before=before,
            after=after,
            reason=esc(entry.reason) or "—",
        )
        rows.append(
            "• "
            + t(
                locale,
                "budgets.log_row",
                when=fmt_datetime(entry.at, tz, locale),
                user=entry.user_id,
                what=what,
            )
        )
    return bk.ephemeral(title, [bk.header(title), *bk.sections(rows)])


def threshold_alert(
    status: LineStatus, threshold: int, spenders: Sequence[tuple[str, str, Decimal]], locale: str
) -> bk.Message:
    """A threshold reached: where the line stands, who spent what since the last alert, the way back."""
    pace, cur = status.pace, status.line.currency
    text = t(
        locale,
        "budgets.threshold_alert",
        category=category_name(status.category, locale),
        period=period_of(status.line),
        used=fmt_percent(pace.used, locale),
        spent=money(pace.spent, cur, locale),
        budget=money(pace.budget, cur, locale),
        threshold=threshold,
    )
    lines = [text]
    if spenders:
        lines.append(t(locale, "budgets.threshold_spenders"))
        lines += [
            t(
                locale,
                "budgets.spender_row",
                # A row logged by no one (an automated import) names no one: `<@>` is refused by
                # Slack, and the whole alert with it.
                who=mention(user) if user else t(locale, "budgets.spender_unknown"),
                what=esc(what) or "—",
                amount=money(amount, cur, locale),
            )
            for user, what, amount in spenders
        ]
    if pace.projected is not None and pace.per_day_to_land is not None:
        lines.append(
            t(
                locale,
                "budgets.threshold_projection",
                projected=money(pace.projected, cur, locale),
                over=_over(status, locale),
                per_day=money(pace.per_day_to_land, cur, locale),
                days=pace.days - pace.done,
            )
        )
    return bk.message(_plain_first(text), bk.sections(lines))


def _plain_first(text: str) -> str:
    return text.split("\n", 1)[0]


def pacing_alert(status: LineStatus, day: date, locale: str) -> bk.Message:
    """Overspend or underspend coming, with the projection and the daily amount that lands on budget."""
    pace, cur = status.pace, status.line.currency
    params = {
        "category": category_name(status.category, locale),
        "period": period_of(status.line),
        "spent": money(pace.spent, cur, locale),
        "day": fmt_date(day, locale),
        "expected": money(pace.expected, cur, locale),
        "projected": money(pace.projected, cur, locale),
    }
    over = pace.over or Decimal(0)
    if pace.overspending:
        text = t(
            locale,
            "budgets.pacing_over",
            over=money(over, cur, locale),
            tolerance=fmt_percent(pace.tolerance, locale, 0),
            **params,
        )
    else:
        text = t(locale, "budgets.pacing_under", under=money(-over, cur, locale), **params)
    lines = [text]
    if pace.per_day_to_land is not None:
        lines.append(
            t(
                locale,
                "budgets.pacing_land",
                per_day=money(pace.per_day_to_land, cur, locale),
                days=pace.days - pace.done,
            )
        )
    if status.line.curve_campaign:
        lines.append(t(locale, "budgets.curve_basis", campaign=esc(status.line.curve_campaign)))
    return bk.message(text, bk.sections(lines))


def home_blocks(statuses: Sequence[LineStatus], locale: str) -> list[bk.Block]:
    """Lines near or over their thresholds."""
    if not statuses:
        return []
    rows = [
        t(
            locale,
            "budgets.home_row",
            bar=pacing_bar(s.pace.used),
            category=category_name(s.category, locale),
            period=period_of(s.line),
            spent=money(s.pace.spent, s.line.currency, locale),
            budget=money(s.pace.budget, s.line.currency, locale),
            used=fmt_percent(s.pace.used, locale),
        )
        for s in statuses
    ]
    return [bk.header(t(locale, "budgets.home_title")), *bk.sections(rows)]
