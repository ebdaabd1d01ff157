"""Scorecard messages: one person's card (figures with their definitions), the team's lines, the
monthly DM. No single opaque score."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ecombot.campaigns import views as campaign_views
from ecombot.scorecards import messages as _messages  # noqa: F401 - registers the strings
from ecombot.scorecards.service import TARGET_METRICS, Card, ratio
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, t
from ecombot.slack.text import esc, mention


def _pct(value: Decimal | None, locale: str) -> str:
    return t(locale, "common.na") if value is None else fmt_percent(value, locale, 1)


def _mark(met: bool | None) -> str:
    return "" if met is None else (" ✅" if met else " ❌")


def target_value(metric: str, value: Decimal | None, currency: str, locale: str) -> str:
    """A target figure as its kind is written."""
    if value is None:
        return t(locale, "common.na")
    kind = TARGET_METRICS.get(metric, "count")
    if kind == "rate":
        return fmt_percent(value, locale, 1)
    if kind == "money":
        return fmt_money(value, currency, locale)
    return fmt_number(value, locale)


def period_text(card: Card, locale: str) -> str:
    """Nov 1, 2026 – Nov 30, 2026."""
    return f"{fmt_date(card.period.start, locale)} – {fmt_date(card.period.end, locale)}"


def card_lines(card: Card, currency: str, locale: str, channel: str = "") -> list[str]:
    """The card's figures, one kind per line. A private channel's campaign is counted, and listed by
    name and figures only when the card is shown in that channel."""
    lines = [
        t(
            locale,
            "scorecards.tasks",
            due=card.tasks_due,
            on_time=card.tasks_on_time,
            late=card.tasks_late,
            overdue=card.tasks_overdue,
            open=card.tasks_open,
            rate=_pct(ratio(card.tasks_on_time, card.tasks_due), locale),
        ),
        t(
            locale,
            "scorecards.standups",
            answered=card.standup_answered,
            days=card.standup_days,
            rate=_pct(ratio(card.standup_answered, card.standup_days), locale),
            on_time=card.standup_on_time,
            on_time_rate=_pct(ratio(card.standup_on_time, card.standup_answered), locale),
        ),
        t(locale, "scorecards.blockers", raised=card.blockers, resolved=card.blockers_resolved),
        t(
            locale,
            "scorecards.actions",
            due=card.actions_due,
            on_time=card.actions_on_time,
            late=card.actions_late,
            rate=_pct(ratio(card.actions_on_time, card.actions_due), locale),
        ),
    ]
    if card.campaigns:
        lines.append(t(locale, "scorecards.campaigns", count=len(card.campaigns)))
        listed = [c for c in card.campaigns if not c.private or c.channel_id == channel]
        for c in listed[:10]:
            roas = campaign_views.times(c.roas, locale)
            roas_goal = (
                f" / {campaign_views.times(c.target_roas, locale)}{_mark(c.roas_met)}"
                if c.target_roas
                else ""
            )
            revenue = fmt_money(c.revenue, c.currency, locale)
            revenue_goal = (
                f" / {fmt_money(c.target_revenue, c.currency, locale)}{_mark(c.revenue_met)}"
                if c.target_revenue
                else ""
            )
            lines.append(
                t(
                    locale,
                    "scorecards.campaign_line",
                    name=esc(c.name),
                    roas=roas + roas_goal,
                    revenue=revenue + revenue_goal,
                )
            )
        if len(listed) < len(card.campaigns):
            lines.append(t(locale, "scorecards.campaigns_private", count=len(card.campaigns) - len(listed)))
    else:
        lines.append(t(locale, "scorecards.campaigns_none"))
    for target in card.targets:
        lines.append(
            t(
                locale,
                "scorecards.target_line",
                metric=t(locale, f"scorecards.metric.{target.metric}"),
                value=target_value(target.metric, target.value, currency, locale),
                goal=target_value(target.metric, target.goal, currency, locale),
            )
            + _mark(target.met)
        )
    return lines


def card_message(
    card: Card, currency: str, locale: str, *, ephemeral: bool = True, channel: str = ""
) -> bk.Message:
    """A person's card, with the definitions of its figures, as shown in `channel` ("" for a DM)."""
    title = t(locale, "scorecards.title", period=period_text(card, locale))
    lines = [mention(card.user_id), *card_lines(card, currency, locale, channel)]
    blocks = [bk.header(title), *bk.sections(lines), bk.context(t(locale, "scorecards.definitions"))]
    builder = bk.ephemeral if ephemeral else bk.message
    return builder(f"{title}: {mention(card.user_id)}", blocks)


def team_message(cards: Sequence[Card], locale: str) -> bk.Message:
    """One line per member (leads only)."""
    title = t(locale, "scorecards.team_title", period=period_text(cards[0], locale) if cards else "")
    lines = []
    for card in cards:
        met = sum(1 for c in card.campaigns if c.roas_met)
        lines.append(
            t(
                locale,
                "scorecards.team_line",
                user=mention(card.user_id),
                tasks=f"{card.tasks_on_time}/{card.tasks_due}",
                overdue=card.tasks_overdue,
                standups=_pct(ratio(card.standup_answered, card.standup_days), locale),
                blockers=f"{card.blockers_resolved}/{card.blockers}",
                actions=f"{card.actions_on_time}/{card.actions_due}",
                campaigns=f"{met}/{len(card.campaigns)}",
            )
        )
    if not lines:
        lines.append(t(locale, "scorecards.team_empty"))
    blocks = [bk.header(title), *bk.sections(lines), bk.context(t(locale, "scorecards.team_legend"))]
    return bk.ephemeral(title, blocks[: bk.MESSAGE_BLOCK_LIMIT])
