"""The week's evidence for a retro's prompt, gathered from the other domains through their services:
KPI targets missed, anomalies, budget lines over a threshold, campaigns that ended and how they did,
overdue tasks, standup blockers that stayed open. A campaign review shows the campaign's results
against its targets instead; an action item's check is read from the KPI data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from ecombot.budgets import service as budgets
from ecombot.budgets.periods import Period
from ecombot.campaigns import service as campaigns
from ecombot.campaigns.models import Campaign
from ecombot.campaigns.service import Summary
from ecombot.clock import zone as zone_of
from ecombot.kpis import compute
from ecombot.kpis import service as kpis
from ecombot.retros import checks
from ecombot.retros.actions import ActionItem, follow_up
from ecombot.retros.models import Retro
from ecombot.risks import service as risks
from ecombot.risks.models import Risk
from ecombot.standups import history as standup_history
from ecombot.standups import service as standups
from ecombot.tasks import service as tasks
from ecombot.tasks.models import Task

SHOWN = 5  # of each kind of evidence


@dataclass(frozen=True)
class BudgetOver:
    """A budget line past an alert threshold and ahead of its period (or over budget)."""

    label: str
    spent: Decimal
    budget: Decimal
    threshold: int
    elapsed: Decimal


@dataclass(frozen=True)
class Ended:
    """A campaign that ended in the window, and how it did."""

    summary: Summary


@dataclass
class Evidence:
    """Everything a weekly prompt shows after the open action items."""

    period: Period
    misses: list[kpis.Attainment] = field(default_factory=list)
    anomalies: list[kpis.AnomalySeen] = field(default_factory=list)
    budgets: list[BudgetOver] = field(default_factory=list)
    ended: list[Ended] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    overdue_total: int = 0
    blockers: list[standup_history.OpenBlocker] = field(default_factory=list)
    undrilled: list[Risk] = field(default_factory=list)


@dataclass(frozen=True)
class Followed:
    """An earlier action item with what its check says now."""

    item: ActionItem
    outcome: checks.Outcome | None


@dataclass
class Prompt:
    """What a retro's prompt shows, gathered once when it opens."""

    follow_ups: list[Followed]
    evidence: Evidence | None = None
    campaign: Summary | None = None
    currency: str = "CNY"


def _kpi_period(first: date, last: date) -> Period:
    """The KPI window: this ISO week up to yesterday (on a Monday, last week)."""
    week_start = last - timedelta(days=last.weekday())
    if week_start < last:
        return Period(week_start, last - timedelta(days=1))
    return compute.week_of(last - timedelta(days=1))


def _budgets(session: Session, team_id: str, today: date, locale: str) -> list[BudgetOver]:
    thresholds = sorted(budgets.settings_of(session, team_id).thresholds or budgets.DEFAULT_THRESHOLDS)
    out: list[BudgetOver] = []
    for status in budgets.status(session, team_id, None, today):
        pace = status.pace
        if pace.budget <= 0:
            continue
        used = pace.spent / pace.budget
        crossed = [t for t in thresholds if used * 100 >= t]
        if not crossed:
            continue
        # Past a threshold and ahead of the period (or over budget): worth the team's attention.
        if used >= 1 or used > pace.share:
            out.append(
                BudgetOver(
                    budgets.label(status.category, locale), pace.spent, pace.budget, crossed[-1], pace.elapsed
                )
            )
    return sorted(out, key=lambda b: -(b.spent / b.budget))


def gather(session: Session, retro: Retro, today: date, *, zone: str, locale: str) -> Evidence:
    """The evidence of the days `retro.first_day`..`retro.last_day` for its channel."""
    team = retro.team_id
    period = _kpi_period(retro.first_day, retro.last_day)
    evidence = Evidence(period)
    evidence.misses = [a for a in kpis.attainment(session, team, period) if a.met is False]
    evidence.anomalies = kpis.anomalies_between(session, team, retro.first_day, retro.last_day)[:SHOWN]
    evidence.budgets = _budgets(session, team, today, locale)[:SHOWN]
    ended: list[Campaign] = campaigns.ended_between(
        session, team, retro.first_day, retro.last_day, channel=retro.channel_id, zone=zone
    )
    evidence.ended = [Ended(campaigns.summary(session, c, today)) for c in ended[:SHOWN]]
    evidence.overdue, evidence.overdue_total = tasks.overdue(session, team, today, limit=SHOWN)
    visible = [
        s
        for s in standups.workspace_standups(session, team)
        if not s.private or s.channel_id == retro.channel_id
    ]
    evidence.undrilled = risks.stale_drills(session, team, today)[:SHOWN]
    evidence.blockers = standup_history.open_blockers(session, visible, retro.first_day, retro.last_day)[
        :SHOWN
    ]
    return evidence


def checked(session: Session, items: list[ActionItem], today: date) -> list[Followed]:
    """Each action item with what its check says over the days since its retro closed, to yesterday."""
    out: list[Followed] = []
    for item in items:
        entry = item.entry
        outcome = None
        if entry.check_metric and entry.check_value is not None:
            check = checks.Check(entry.check_metric, entry.check_op, entry.check_value)
            closed = item.retro.closed_at
            # The day after the close, in the workspace's calendar.
            since = (
                closed.astimezone(zone_of(item.tz)).date() + timedelta(days=1)
                if closed is not None
                else today
            )
            outcome = checks.evaluate(session, item.retro.team_id, check, since, today - timedelta(days=1))
        out.append(Followed(item, outcome))
    return out


def prompt_of(
    session: Session, retro: Retro, today: date, *, zone: str, locale: str, currency: str
) -> Prompt:
    """The prompt's content: earlier action items (with their checks), then the evidence or, for a
    campaign review, the campaign's results."""
    prompt = Prompt(checked(session, follow_up(session, retro, today, zone), today), currency=currency)
    if retro.kind == "campaign" and retro.campaign_id is not None:
        campaign = campaigns.get_by_id(session, retro.team_id, retro.campaign_id)
        prompt.campaign = campaigns.summary(session, campaign, today)
    else:
        prompt.evidence = gather(session, retro, today, zone=zone, locale=locale)
    return prompt
