"""Per-person scorecards built from what the other domains hold, read through their services: tasks
on time, standups, blockers, campaigns against their targets, retro action items, personal targets.
Figures and their definitions, no single opaque score. No Slack here.

Who may: everyone sees their own card; ops leads and admins see anyone's, the team's, and set targets
and the monthly DM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from ecombot.actor import Actor
from ecombot.budgets.periods import Period
from ecombot.campaigns import metrics as campaign_metrics
from ecombot.campaigns import service as campaigns
from ecombot.errors import InvalidInput, PermissionDenied
from ecombot.retros import actions as retro_actions
from ecombot.scorecards.models import ScorecardSettings, ScorecardTarget
from ecombot.standups import history as standup_history
from ecombot.standups import service as standups
from ecombot.tasks import service as tasks
from ecombot.workspaces import service as workspaces

# name -> kind (rate: a share 0..1; count; money)
TARGET_METRICS: dict[str, str] = {
    "tasks_done": "count",
    "tasks_on_time": "rate",
    "standup_participation": "rate",
    "standup_on_time": "rate",
    "blockers_resolved": "rate",
    "actions_on_time": "rate",
    "campaign_revenue": "money",
}


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole, None without a whole."""
    return Decimal(part) / Decimal(whole) if whole else None


@dataclass(frozen=True)
class CampaignLine:
    """A campaign someone owns: its ROAS and revenue against their targets."""

    name: str
    roas: Decimal | None
    target_roas: Decimal | None
    revenue: Decimal
    target_revenue: Decimal | None
    currency: str
    channel_id: str = ""
    private: bool = False  # a private channel's campaign: listed by name only in that channel

    @property
    def roas_met(self) -> bool | None:
        """ROAS at or above its target (None: no target or no ROAS)."""
        return None if self.roas is None or self.target_roas is None else self.roas >= self.target_roas

    @property
    def revenue_met(self) -> bool | None:
        """Revenue at or above its target."""
        return None if self.target_revenue is None else self.revenue >= self.target_revenue


@dataclass(frozen=True)
class TargetLine:
    """A personal target and where the card stands against it."""

    metric: str
    goal: Decimal
    value: Decimal | None

    @property
    def met(self) -> bool | None:
        """The figure reaches the target."""
        return None if self.value is None else self.value >= self.goal


@dataclass
class Card:
    """One person's figures over a period (to `today` when it is still running)."""

    user_id: str
    period: Period
    kind: str  # month | week | ""
    tasks_due: int = 0
    tasks_on_time: int = 0
    tasks_late: int = 0
    tasks_overdue: int = 0
    tasks_open: int = 0  # due later in the period, not done yet
    standup_days: int = 0
    standup_answered: int = 0
    standup_on_time: int = 0
    blockers: int = 0
    blockers_resolved: int = 0
    campaigns: list[CampaignLine] = field(default_factory=list)
    actions_due: int = 0
    actions_on_time: int = 0
    actions_late: int = 0
    targets: list[TargetLine] = field(default_factory=list)

    def value_of(self, metric: str) -> Decimal | None:
        """A figure by its target name."""
        return {
            "tasks_done": Decimal(self.tasks_on_time + self.tasks_late),
            "tasks_on_time": ratio(self.tasks_on_time, self.tasks_due),
            "standup_participation": ratio(self.standup_answered, self.standup_days),
            "standup_on_time": ratio(self.standup_on_time, self.standup_answered),
            "blockers_resolved": ratio(self.blockers_resolved, self.blockers),
            "actions_on_time": ratio(self.actions_on_time, self.actions_due),
            "campaign_revenue": sum((c.revenue for c in self.campaigns), Decimal(0)),
        }.get(metric)


def require_lead(actor: Actor) -> None:
    """Ops leads and admins."""
    if not actor.is_manager:
        raise PermissionDenied("scorecard_leads_only")


def require_may_see(actor: Actor, user_id: str) -> None:
    """Your own card, or anyone's for a lead."""
    if user_id != actor.user_id and not actor.is_manager:
        raise PermissionDenied("scorecard_own_only")


def _done_day(done_at: object, tz: str) -> date | None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return done_at.astimezone(ZoneInfo(tz)).date() if isinstance(done_at, datetime) else None


def card(
    session: Session, team_id: str, user_id: str, period: Period, today: date, *, tz: str, kind: str = ""
) -> Card:
    """Everyone's figures are computed the same way, from the rows the other domains hold."""
    result = Card(user_id, period, kind)
    last = min(period.end, today)
    # Tasks due in the period: done by their date (in the workspace's zone), done after it, or still
    # open past it.
    for task in tasks.due_between(session, team_id, user_id, period.start, period.end):
        assert task.due_date is not None
        result.tasks_due += 1
        if task.status == "done":
            done = _done_day(task.done_at, tz) or task.due_date
            if done <= task.due_date:
                result.tasks_on_time += 1
            else:
                result.tasks_late += 1
        elif task.due_date < today:
            result.tasks_overdue += 1
        else:
            result.tasks_open += 1
    # Standups.
    mine = standups.standups_of(session, team_id, user_id)
    figures = standup_history.person_standups(session, mine, user_id, period.start, last)
    result.standup_days, result.standup_answered = figures.days, figures.answered
    result.standup_on_time = figures.on_time
    result.blockers, result.blockers_resolved = figures.blockers, figures.resolved
    # Campaigns owned that ran in the period, over their whole run.
    owned = campaigns.owned_between(session, team_id, user_id, period.start, period.end)
    totals = campaigns.totals_of(owned)
    for campaign in owned:
        total = totals.get(campaign.id or 0) or campaign_metrics.total([])
        result.campaigns.append(
            CampaignLine(
                campaign.name,
                total.roas,
                campaign.target_roas,
                total.revenue,
                campaign.target_revenue,
                campaign.currency,
                campaign.channel_id,
                campaign.private,
            )
        )
    # Retro action items due in the period.
    for item in retro_actions.owned_due_between(session, team_id, user_id, period.start, period.end, tz):
        status = item.status(today)
        result.actions_due += 1
        result.actions_on_time += status == "done"
        result.actions_late += status == "late"
    # Personal targets for this kind of period.
    for target in targets_of(session, team_id, user_id):
        if target.period == (kind or "month"):
            result.targets.append(TargetLine(target.metric, target.value, result.value_of(target.metric)))
    return result


def targets_of(session: Session, team_id: str, user_id: str) -> list[ScorecardTarget]:
    """Someone's personal targets."""
    return list(
        session.exec(
            select(ScorecardTarget).where(
                ScorecardTarget.team_id == team_id, ScorecardTarget.user_id == user_id
            )
        )
    )


def set_target(
    session: Session, actor: Actor, user_id: str, metric: str, value: Decimal, period: str
) -> tuple[ScorecardTarget, Decimal | None]:
    """A personal target (ops leads only); returns it and the value it had."""
    require_lead(actor)
    if metric not in TARGET_METRICS:
        raise InvalidInput("scorecard_unknown_metric", part=metric[:40], known=", ".join(TARGET_METRICS))
    if period not in ("month", "week"):
        raise InvalidInput("scorecard_bad_period", part=period)
    if value < 0 or (TARGET_METRICS[metric] == "rate" and value > 1):
        raise InvalidInput("scorecard_bad_value")
    workspaces.require_person(session, actor, user_id)
    row = session.exec(
        select(ScorecardTarget).where(
            ScorecardTarget.team_id == actor.team_id,
            ScorecardTarget.user_id == user_id,
            ScorecardTarget.metric == metric,
            ScorecardTarget.period == period,
        )
    ).first()
    before = row.value if row is not None else None
    if row is None:
        row = ScorecardTarget(
            team_id=actor.team_id,
            user_id=user_id,
            metric=metric,
            period=period,
            value=value,
            set_by=actor.user_id,
            updated_at=actor.now,
        )
    row.value, row.set_by, row.updated_at = value, actor.user_id, actor.now
    session.add(row)
    session.flush()
    return row, before


def settings_of(session: Session, team_id: str) -> ScorecardSettings | None:
    """The workspace's scorecard settings, if any were made."""
    return session.get(ScorecardSettings, team_id)


def set_monthly(session: Session, actor: Actor, on: bool) -> ScorecardSettings:
    """Turn the monthly DM of each member's own card on or off (ops leads)."""
    require_lead(actor)
    row = settings_of(session, actor.team_id) or ScorecardSettings(
        team_id=actor.team_id, updated_at=actor.now
    )
    row.monthly, row.updated_by, row.updated_at = on, actor.user_id, actor.now
    session.add(row)
    return row


def monthly_workspaces(session: Session) -> list[str]:
    """Workspaces whose members get their card by DM every month."""
    return list(session.exec(select(ScorecardSettings.team_id).where(ScorecardSettings.monthly == True)))  # noqa: E712


def team(session: Session, actor: Actor, period: Period, today: date, *, kind: str, tz: str) -> list[Card]:
    """Every member's card (ops leads only)."""
    require_lead(actor)
    return [
        card(session, actor.team_id, user, period, today, tz=tz, kind=kind)
        for user in workspaces.people(session, actor.team_id)
    ]
