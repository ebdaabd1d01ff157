"""The head of a retro's prompt, gathered when it opens and kept with it: the earlier action items
(with what the numbers say about their checks), then the week's evidence or a campaign's results.
User text is escaped here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ecombot.campaigns import evaluation as campaign_evaluation
from ecombot.campaigns import views as campaign_views
from ecombot.kpis import views as kpi_views
from ecombot.retros import checks
from ecombot.retros import messages as _messages  # noqa: F401 - registers the strings
from ecombot.retros.actions import ActionItem
from ecombot.retros.evidence import Evidence, Followed, Prompt
from ecombot.retros.models import Retro, RetroEntry
from ecombot.risks.service import DRILL_DAYS
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_money, fmt_percent, t
from ecombot.slack.text import esc, mention, truncate

FOLLOW_UPS_SHOWN = 12
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_name(weekday: int, locale: str) -> str:
    """Monday / 周一."""
    return t(locale, f"retros.weekday.{WEEKDAY_KEYS[weekday]}")


def when(moment: datetime, zone: str, locale: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{weekday_name(local.weekday(), locale)} {fmt_date(local.date(), locale)} {local:%H:%M}"


# -- the check of an action item -------------------------------------------------------------------


def check_text(metric: str, op: str, value: Decimal, currency: str, locale: str) -> str:
    """`conversion rate ≥ 3.0%`."""
    shown_op = {">=": "≥", "<=": "≤"}.get(op, op)
    return f"{kpi_views.name_of(metric, locale)} {shown_op} {kpi_views.value_of(metric, value, currency, locale)}"


def entry_check(entry: RetroEntry, currency: str, locale: str) -> str:
    if not entry.check_metric or entry.check_value is None:
        return ""
    return check_text(entry.check_metric, entry.check_op, entry.check_value, currency, locale)


def outcome_text(outcome: checks.Outcome, currency: str, locale: str) -> str:
    """What the numbers say: met / not met with the value, or why there is no verdict yet."""
    check = outcome.check
    wanted = check_text(check.metric, check.op, check.value, currency, locale)
    if outcome.period is None:
        return t(locale, "retros.check_too_early", check=wanted)
    if outcome.value is None:
        return t(locale, "retros.check_no_data", check=wanted)
    value = kpi_views.value_of(check.metric, outcome.value, currency, locale)
    key = "retros.check_met" if outcome.holds else "retros.check_not_met"
    return t(
        locale,
        key,
        check=wanted,
        value=value,
        first=fmt_date(outcome.period.start, locale),
        last=fmt_date(outcome.period.end, locale),
    )


# -- the prompt's head (stored when it opens) ------------------------------------------------------

_STATUS_ICON = {
    "overdue": ":red_circle:",
    "open": ":white_circle:",
    "late": ":large_orange_circle:",
    "done": ":white_check_mark:",
    "pending": ":hourglass:",
}


def item_line(item: ActionItem, today: date, currency: str, locale: str) -> str:
    """• text — owner · due · status, and the task's number."""
    entry, task = item.entry, item.task
    status = item.status(today)
    parts = [mention(entry.owner_id)]
    due = task.due_date if task is not None else entry.due_date
    if due is not None:
        parts.append(t(locale, "retros.item_due", date=fmt_date(due, locale)))
    parts.append(t(locale, f"retros.status.{status}"))
    if task is not None:
        parts.append(f"#{task.number}")
    text = truncate(esc(entry.text), 200)
    return f"{_STATUS_ICON.get(status, '•')} {text} — " + " · ".join(parts)


def _follow_up_lines(followed: Sequence[Followed], today: date, currency: str, locale: str) -> list[str]:
    lines: list[str] = []
    for one in followed[:FOLLOW_UPS_SHOWN]:
        line = item_line(one.item, today, currency, locale)
        if one.outcome is not None:
            line += "\n      " + outcome_text(one.outcome, currency, locale)
        lines.append(line)
    if len(followed) > FOLLOW_UPS_SHOWN:
        lines.append(t(locale, "retros.follow_ups_more", count=len(followed) - FOLLOW_UPS_SHOWN))
    return lines


def _evidence_lines(evidence: Evidence, currency: str, locale: str) -> list[str]:
    lines: list[str] = []
    span = t(
        locale,
        "retros.ev_kpi_span",
        first=fmt_date(evidence.period.start, locale),
        last=fmt_date(evidence.period.end, locale),
    )
    for miss in evidence.misses:
        lines.append(
            ":dart: "
            + t(
                locale,
                "retros.ev_missed",
                kpi=kpi_views.name_of(miss.metric, locale),
                value=kpi_views.value_of(miss.metric, miss.value, currency, locale),
                goal=kpi_views.value_of(miss.metric, miss.goal, currency, locale),
                span=span,
            )
        )
    for anomaly in evidence.anomalies:
        lines.append(
            ":rotating_light: "
            + t(
                locale,
                f"retros.ev_anomaly_{anomaly.direction}",
                kpi=kpi_views.name_of(anomaly.metric, locale),
                days=fmt_date(anomaly.first_day, locale)
                if anomaly.first_day == anomaly.last_day
                else t(
                    locale,
                    "retros.ev_kpi_span",
                    first=fmt_date(anomaly.first_day, locale),
                    last=fmt_date(anomaly.last_day, locale),
                ),
            )
        )
    for line in evidence.budgets:
        lines.append(
            ":money_with_wings: "
            + t(
                locale,
                "retros.ev_budget",
                name=esc(line.label),
                used=fmt_percent(line.spent / line.budget, locale),
                spent=fmt_money(line.spent, currency, locale),
                budget=fmt_money(line.budget, currency, locale),
                threshold=line.threshold,
                elapsed=fmt_percent(line.elapsed, locale, 0),
            )
        )
    for ended in evidence.ended:
        targets = campaign_evaluation.target_lines(ended.summary, locale)
        totals = ended.summary.totals
        lines.append(
            ":checkered_flag: "
            + t(
                locale,
                "retros.ev_campaign",
                name=campaign_views.name_of(ended.summary.campaign),
                revenue=campaign_views.money(totals.revenue, ended.summary.campaign.currency, locale),
                roas=campaign_views.times(totals.roas, locale),
            )
        )
        lines += [f"      {line.lstrip('• ')}" for line in targets[:4]]
    if evidence.overdue_total:
        shown = ", ".join(
            f"#{task.number} {truncate(esc(task.title), 60)} ({mention(task.owner_id)})"
            for task in evidence.overdue
        )
        lines.append(
            ":hourglass_flowing_sand: "
            + t(locale, "retros.ev_overdue", count=evidence.overdue_total, tasks=shown)
        )
    for blocker in evidence.blockers:
        lines.append(
            ":construction: "
            + t(
                locale,
                "retros.ev_blocker",
                user=mention(blocker.user_id),
                text=truncate(esc(blocker.text), 200),
                since=fmt_date(blocker.since, locale),
            )
        )
    if evidence.undrilled:
        shown = ", ".join(f"`R{r.number}` {truncate(esc(r.title), 60)}" for r in evidence.undrilled)
        lines.append(":fire_extinguisher: " + t(locale, "retros.ev_undrilled", days=DRILL_DAYS, risks=shown))
    return lines


def head_blocks(retro: Retro, prompt: Prompt, today: date, *, zone: str, locale: str) -> list[bk.Block]:
    """The prompt's opening: its title, the earlier action items first, then the evidence (or the
    campaign's results against its targets)."""
    currency = prompt.currency
    if prompt.campaign is not None:
        title = t(locale, "retros.title_campaign", name=prompt.campaign.campaign.name)
    else:
        title = t(
            locale,
            "retros.title",
            first=fmt_date(retro.first_day, locale),
            last=fmt_date(retro.last_day, locale),
        )
    rules = [t(locale, "retros.rule_closes", when=when(retro.closes_at, zone, locale))]
    rules.append(t(locale, "retros.rule_anonymous" if retro.anonymous else "retros.rule_named"))
    rules.append(t(locale, "retros.rule_votes", votes=retro.votes))
    blocks: list[bk.Block] = [bk.header(title), bk.context(" · ".join(rules))]
    if prompt.follow_ups:
        lines = [
            t(locale, "retros.follow_ups_title"),
            *_follow_up_lines(prompt.follow_ups, today, currency, locale),
        ]
        blocks += bk.sections(lines)[:2]
    elif prompt.campaign is None:
        blocks.append(bk.context(t(locale, "retros.follow_ups_none")))
    if prompt.campaign is not None:
        summary = prompt.campaign
        targets = campaign_evaluation.target_lines(summary, locale) or [
            t(locale, "campaigns.eval_no_targets")
        ]
        figures = campaign_views.figure_lines(summary.totals, summary.campaign, locale, targets=False)
        blocks += bk.sections([t(locale, "retros.campaign_results"), *targets, *figures])[:3]
    elif prompt.evidence is not None:
        lines = _evidence_lines(prompt.evidence, currency, locale)
        blocks += bk.sections(
            [t(locale, "retros.evidence_title"), *(lines or [t(locale, "retros.evidence_none")])]
        )[:3]
    return blocks
