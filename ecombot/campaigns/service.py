"""Campaigns: plans, targets, results per day and source, and who may change what. No Slack here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.campaigns import metrics
from ecombot.campaigns.ledger import FIGURES as FIGURES
from ecombot.campaigns.ledger import MONEY_FIGURES as MONEY_FIGURES
from ecombot.campaigns.ledger import Diff as Diff
from ecombot.campaigns.ledger import Entry as Entry
from ecombot.campaigns.ledger import Logged as Logged
from ecombot.campaigns.ledger import check_entry as check_entry
from ecombot.campaigns.ledger import entry_from as entry_from
from ecombot.campaigns.ledger import entry_values as entry_values
from ecombot.campaigns.ledger import record as record
from ecombot.campaigns.ledger import record_many as record_many
from ecombot.campaigns.models import Campaign, CampaignResult
from ecombot.errors import InvalidInput, NotFound, PermissionDenied

NAME_LIMIT = 80
CATEGORY_LIMIT = 60
MONEY_LIMIT = Decimal("1e15")
SMALL_COUNT_LIMIT = 10**9  # new customers, target orders (32-bit columns)
ROAS_LIMIT = Decimal(10_000)
Which = Literal["active", "ended", "all"]
Status = Literal["planned", "active", "ended", "closed"]


@dataclass(frozen=True)
class Draft:
    """A new campaign as typed or filled in; None means "not given"."""

    name: str
    budget: Decimal
    currency: str
    start: date | None = None
    end: date | None = None
    channel_id: str = ""
    owner_id: str = ""
    category: str = ""
    target_roas: Decimal | None = None
    target_revenue: Decimal | None = None
    target_cpa: Decimal | None = None
    target_orders: int | None = None


# What `/campaign edit` may change; a value of None clears an optional field.
EDITABLE = (
    "name",
    "budget",
    "start",
    "end",
    "channel_id",
    "owner_id",
    "category",
    "target_roas",
    "target_revenue",
    "target_cpa",
    "target_orders",
)


def name_key(name: str) -> str:
    """Names compare without case and surrounding space."""
    return " ".join(name.split()).casefold()


def status_of(campaign: Campaign, today: date) -> Status:
    """Planned before its start, active until its end, ended after, closed once closed."""
    if campaign.closed_at is not None:
        return "closed"
    if today < campaign.start:
        return "planned"
    if campaign.end is not None and today > campaign.end:
        return "ended"
    return "active"


# -- permissions -------------------------------------------------------------------------------


def require_manage(actor: Actor, campaign: Campaign) -> None:
    """Admins, ops leads and the campaign's owner change a campaign and its targets."""
    if not (actor.is_manager or actor.user_id == campaign.owner_id):
        raise PermissionDenied("campaign_manage", owner=campaign.owner_id)


def may_log(actor: Actor, campaign: Campaign, channel: str, channel_members: Sequence[str] = ()) -> bool:
    """The owner, ops leads and admins, and members of the campaign's channel (a command run in that
    channel, or a member list looked up after the ack) log results."""
    if actor.is_manager or actor.user_id == campaign.owner_id:
        return True
    return bool(campaign.channel_id) and (channel == campaign.channel_id or actor.user_id in channel_members)


def require_log(actor: Actor, campaign: Campaign, channel: str) -> None:
    """Refuse someone who may not log results for this campaign, saying who may."""
    if not may_log(actor, campaign, channel):
        if not campaign.channel_id:
            raise PermissionDenied("campaign_log_owner", owner=campaign.owner_id)
        raise PermissionDenied("campaign_log", owner=campaign.owner_id, channel=campaign.channel_id)


def require_visible(campaign: Campaign, channel: str) -> None:
    """A private channel's campaign is shown only in that channel."""
    if campaign.private and channel != campaign.channel_id:
        raise PermissionDenied("campaign_private", channel=campaign.channel_id)


# -- reading -----------------------------------------------------------------------------------


def find(session: Session, team_id: str, name: str) -> Campaign | None:
    """A live campaign by name (any case)."""
    return session.exec(
        select(Campaign).where(
            Campaign.team_id == team_id,
            Campaign.name_key == name_key(name),
            col(Campaign.deleted_at).is_(None),
        )
    ).first()


def get(session: Session, team_id: str, name: str) -> Campaign:
    """A live campaign by name, or NotFound naming it."""
    campaign = find(session, team_id, name)
    if campaign is None:
        raise NotFound("campaign_not_found", name=name)
    return campaign


def get_by_id(session: Session, team_id: str, campaign_id: int, *, deleted: bool = False) -> Campaign:
    """A campaign by id within the workspace (a deleted one only when asked for)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.team_id != team_id or (campaign.deleted_at is not None) != deleted:
        raise NotFound("campaign_gone")
    return campaign


def listing(
    session: Session, team_id: str, which: Which, today: date, channel: str
) -> tuple[list[Campaign], int]:
    """Campaigns by status, newest start first; and how many private-channel ones were left out."""
    query = select(Campaign).where(Campaign.team_id == team_id, col(Campaign.deleted_at).is_(None))
    # The status in SQL as `status_of` has it, so that only the campaigns listed are loaded.
    if which == "active":
        query = query.where(
            col(Campaign.closed_at).is_(None), sa.or_(col(Campaign.end).is_(None), col(Campaign.end) >= today)
        )
    elif which == "ended":
        query = query.where(sa.or_(col(Campaign.closed_at).is_not(None), col(Campaign.end) < today))
    rows = session.exec(query.order_by(col(Campaign.start).desc(), col(Campaign.id).desc()).limit(500)).all()
    chosen: list[Campaign] = []
    hidden = 0
    for campaign in rows:
        status = status_of(campaign, today)
        wanted = (
            which == "all"
            or (which == "active" and status in ("active", "planned"))
            or (which == "ended" and status in ("ended", "closed"))
        )
        if not wanted:
            continue
        if campaign.private and campaign.channel_id != channel:
            hidden += 1
            continue
        chosen.append(campaign)
    return chosen, hidden


def results(session: Session, campaign: Campaign) -> list[CampaignResult]:
    """Every result row of a campaign, by day then source."""
    return list(
        session.exec(
            select(CampaignResult)
            .where(CampaignResult.campaign_id == campaign.id, CampaignResult.team_id == campaign.team_id)
            .order_by(col(CampaignResult.day), col(CampaignResult.source))
        )
    )


def totals_of(campaigns: Sequence[Campaign]) -> dict[int, metrics.Totals]:
    """Spend, revenue, orders and refunds of each campaign (lists, Home, scorecards): the running
    totals the ledger keeps on the campaign, so no result row is read."""
    out = {}
    for c in campaigns:
        if c.id is None:
            continue
        totals = metrics.Totals(
            spend=c.spend_total, revenue=c.revenue_total, orders=c.orders_total, rows=c.result_rows
        )
        if c.refund_rows:
            totals.refunds = c.refunds_total
            totals.given.add("refunds")
        out[c.id] = totals
    return out


@dataclass(frozen=True)
class Summary:
    """Everything `/campaign show` and the evaluation say about a campaign."""

    campaign: Campaign
    totals: metrics.Totals
    sources: dict[str, metrics.Totals]
    days: dict[date, metrics.Totals]
    pacing: metrics.Pacing
    ranges: int  # rows covering a range without a daily breakdown
    today: date
    status: Status
    # The card's summary: the best and worst day as the database picked them (None: fewer than two
    # days), and `days` left empty.
    picked: tuple[tuple[date, metrics.Totals], tuple[date, metrics.Totals]] | None = None
    days_picked: bool = False

    @property
    def best_day(self) -> tuple[date, metrics.Totals] | None:
        """The day with the most revenue (the earlier one on a tie)."""
        if self.days_picked:
            return self.picked[0] if self.picked else None
        days = [d for d in self.days.items() if d[1].rows]
        return max(days, key=lambda d: (d[1].revenue, -d[0].toordinal())) if len(days) > 1 else None

    @property
    def worst_day(self) -> tuple[date, metrics.Totals] | None:
        """The day with the least revenue (the earlier one on a tie)."""
        if self.days_picked:
            return self.picked[1] if self.picked else None
        days = [d for d in self.days.items() if d[1].rows]
        return min(days, key=lambda d: (d[1].revenue, d[0].toordinal())) if len(days) > 1 else None


def summarize(campaign: Campaign, rows: Sequence[metrics.ResultRow], today: date) -> Summary:
    """Totals, per-source and per-day figures and the budget pace of one campaign."""
    return Summary(
        campaign=campaign,
        totals=metrics.total(rows),
        sources=metrics.by_source(rows),
        days=metrics.by_day(rows),
        pacing=metrics.pacing(
            campaign.budget, sum((r.spend for r in rows), Decimal(0)), campaign.start, campaign.end, today
        ),
        ranges=sum(1 for r in rows if r.day != r.last_day),
        today=today,
        status=status_of(campaign, today),
    )


@dataclass(frozen=True, slots=True)
class Figures:
    """A result row's figures as the math reads them (`metrics.ResultRow`), without an ORM object."""

    day: date
    last_day: date | None
    source: str
    spend: Decimal
    revenue: Decimal
    orders: Decimal
    clicks: int | None
    impressions: int | None
    sessions: int | None
    refunds: Decimal | None
    new_customers: int | None


_FIGURE_COLUMNS = tuple(getattr(CampaignResult, name) for name in Figures.__dataclass_fields__)


def figures_of(session: Session, campaign: Campaign) -> list[Figures]:
    """Every result row's figures, by day then source: plain columns (no ORM identity map), so that a
    campaign's few hundred rows cost a few milliseconds to show."""
    r = CampaignResult
    rows = session.execute(
        sa.select(*_FIGURE_COLUMNS).where(*_rows_of(campaign)).order_by(col(r.day), col(r.source))
    )
    return [Figures(*row) for row in rows]


def _rows_of(campaign: Campaign) -> tuple[sa.ColumnElement[bool], ...]:
    """The conditions of one campaign's result rows: its id, and its workspace written so that no
    index can serve it. Sorting or grouping by day, SQLite would otherwise walk the workspace's
    (team_id, day) index, every result row of every campaign (20,000 rows for a campaign's 300 in a
    large workspace), rather than look the campaign's few hundred up by its id."""
    r = CampaignResult
    return (col(r.campaign_id) == campaign.id, col(r.team_id).concat("") == campaign.team_id)


def summary(session: Session, campaign: Campaign, today: date, *, full_days: bool = True) -> Summary:
    """The summary of a campaign, summed by the database: one row per source and one per day come
    back, not every result row, so a campaign with a year of results from many sources costs what a
    new one does. The same figures as `summarize` over its rows (a test holds them equal).

    `full_days=False` (the card, which names only the best and worst day): `days` stays empty and
    the database picks those two days, with their spend, revenue and orders."""
    r = CampaignResult
    mine = _rows_of(campaign)
    by_source = session.execute(
        sa.select(col(r.source), sa.func.count(sa.case((col(r.day) != col(r.last_day), 1))), *_TOTALS_COLUMNS)
        .where(*mine)
        .group_by(col(r.source))
        .order_by(sa.func.min(col(r.day)), col(r.source))
    ).all()
    sources = {str(row[0]): _totals_of(row[2:]) for row in by_source}
    totals = metrics.Totals()
    for each in sources.values():
        totals.merge(each)
    daily = (*mine, col(r.day) == col(r.last_day))
    picked = None
    if full_days:
        days = {
            row[0]: _totals_of(row[1:])
            for row in session.execute(
                sa.select(col(r.day), *_TOTALS_COLUMNS)
                .where(*daily)
                .group_by(col(r.day))
                .order_by(col(r.day))
            )
        }
    else:
        days, picked = {}, _best_and_worst(session, daily)
    return Summary(
        campaign=campaign,
        totals=totals,
        sources=sources,
        days=days,
        pacing=metrics.pacing(campaign.budget, totals.spend, campaign.start, campaign.end, today),
        ranges=sum(int(row[1]) for row in by_source),
        today=today,
        status=status_of(campaign, today),
        picked=picked,
        days_picked=not full_days,
    )


def _best_and_worst(
    session: Session, daily: tuple[sa.ColumnElement[bool], ...]
) -> tuple[tuple[date, metrics.Totals], tuple[date, metrics.Totals]] | None:
    """The days of most and least revenue (the earlier one on a tie) with their spend, revenue and
    orders; None when fewer than two days have results. The daily sums come back as plain rows and
    only the two days picked become Totals (a window function picking them in SQL cost SQLite more:
    1.2-1.5 ms against 0.7 ms for a campaign's 100 days)."""
    r, f = CampaignResult, sa.func
    rows = session.execute(
        sa.select(col(r.day), f.count(), f.sum(col(r.spend)), f.sum(col(r.revenue)), f.sum(col(r.orders)))
        .where(*daily)
        .group_by(col(r.day))
    ).all()
    if len(rows) < 2:
        return None
    best = max(rows, key=lambda row: (row[3], -row[0].toordinal()))
    worst = min(rows, key=lambda row: (row[3], row[0].toordinal()))

    def totals(row: Any) -> tuple[date, metrics.Totals]:
        day, count, spend, revenue, orders = row
        return day, metrics.Totals(
            spend=Decimal(spend or 0), revenue=Decimal(revenue or 0), orders=Decimal(orders or 0), rows=count
        )

    return totals(best), totals(worst)


def _both(a: Any, b: Any) -> sa.ColumnElement[bool]:
    return sa.and_(a.is_not(None), b.is_not(None))


def _totals_columns() -> tuple[Any, ...]:
    """The aggregates `_totals_of` reads, in its order: `metrics.Totals.add` done by the database."""
    r = CampaignResult
    spend, revenue, orders, refunds = col(r.spend), col(r.revenue), col(r.orders), col(r.refunds)
    clicks, impressions, sessions = col(r.clicks), col(r.impressions), col(r.sessions)
    f = sa.func
    return (
        f.count(),
        f.sum(spend),
        f.sum(revenue),
        f.sum(orders),
        f.count(refunds),
        f.sum(refunds),
        f.count(col(r.new_customers)),
        f.sum(col(r.new_customers)),
        f.count(clicks),
        f.sum(clicks),
        f.count(impressions),
        f.sum(impressions),
        f.count(sessions),
        f.sum(sessions),
        # ctr: clicks / impressions over the rows with both
        f.count(sa.case((_both(clicks, impressions), 1))),
        f.sum(sa.case((_both(clicks, impressions), clicks))),
        f.sum(sa.case((_both(clicks, impressions), impressions))),
        # cpc, cpm, cvr, refund rate: over the rows that gave the denominator (or the refunds)
        f.sum(sa.case((clicks.is_not(None), spend))),
        f.sum(sa.case((impressions.is_not(None), spend))),
        f.sum(sa.case((sessions.is_not(None), orders))),
        f.sum(sa.case((refunds.is_not(None), revenue))),
    )


_TOTALS_COLUMNS = _totals_columns()


def _totals_of(row: Sequence[Any]) -> metrics.Totals:
    """A group's `metrics.Totals` from the aggregates of `_totals_columns`."""
    (
        count,
        spend,
        revenue,
        orders,
        refunds_n,
        refunds,
        new_n,
        new,
        clicks_n,
        clicks,
        impressions_n,
        impressions,
        sessions_n,
        sessions,
        ctr_n,
        ctr_clicks,
        ctr_impressions,
        cpc_spend,
        cpm_spend,
        cvr_orders,
        refunded_revenue,
    ) = row
    zero = metrics.ZERO
    totals = metrics.Totals(
        spend=Decimal(spend or 0),
        revenue=Decimal(revenue or 0),
        orders=Decimal(orders or 0),
        refunds=Decimal(refunds or 0),
        new_customers=int(new or 0),
        rows=int(count),
    )
    pairs = totals.pairs
    if refunds_n:
        totals.given.add("refunds")
        pairs["refund_rate"] = (Decimal(refunds), Decimal(refunded_revenue or 0))
    if new_n:
        totals.given.add("new_customers")
    if ctr_n:
        pairs["ctr"] = (Decimal(ctr_clicks), Decimal(ctr_impressions))
    for name, n, total_, numerator in (
        ("clicks", clicks_n, clicks, cpc_spend),
        ("impressions", impressions_n, impressions, cpm_spend),
        ("sessions", sessions_n, sessions, cvr_orders),
    ):
        if n:
            totals.given.add(name)
            pairs[name] = (Decimal(total_), Decimal(n))
            pairs[{"clicks": "cpc", "impressions": "cpm", "sessions": "cvr"}[name]] = (
                Decimal(numerator or zero),
                Decimal(total_),
            )
    return totals


# -- changing ----------------------------------------------------------------------------------


def _check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput("campaign_name_missing")
    if len(clean) > NAME_LIMIT:
        raise InvalidInput("campaign_name_long", limit=NAME_LIMIT)
    return clean


def _check_money(value: Decimal | None, what: str, *, positive: bool = False) -> None:
    if value is None:
        return
    if value < 0 or (positive and value == 0) or value >= MONEY_LIMIT:
        raise InvalidInput("campaign_bad_number", field=what)


def _check(campaign: Campaign) -> None:
    if campaign.end is not None and campaign.end < campaign.start:
        raise InvalidInput("campaign_dates", start=campaign.start.isoformat(), end=campaign.end.isoformat())
    _check_money(campaign.budget, "budget", positive=True)
    for name in ("target_roas", "target_revenue", "target_cpa"):
        _check_money(getattr(campaign, name), name, positive=True)
    if campaign.target_roas is not None and campaign.target_roas >= ROAS_LIMIT:
        raise InvalidInput("campaign_bad_number", field="target_roas")
    if campaign.target_orders is not None and not 0 < campaign.target_orders < SMALL_COUNT_LIMIT:
        raise InvalidInput("campaign_bad_number", field="target_orders")
    if len(campaign.category) > CATEGORY_LIMIT:
        raise InvalidInput("campaign_category_long", limit=CATEGORY_LIMIT)


def _unique(session: Session, team_id: str, name: str, but: int | None = None) -> None:
    other = session.exec(
        select(Campaign.id, Campaign.deleted_at).where(
            Campaign.team_id == team_id, Campaign.name_key == name_key(name)
        )
    ).first()
    if other is not None and other[0] != but:
        if other[1] is not None:
            # A deleted campaign keeps its name while it can still be undone: purge it to reuse it.
            session.execute(sa.delete(Campaign).where(col(Campaign.id) == other[0]))
            session.flush()
            return
        raise InvalidInput("campaign_exists", name=name)


def create(session: Session, actor: Actor, draft: Draft) -> Campaign:
    """A new campaign; members may create one they own, admins and ops leads one for anyone."""
    name = _check_name(draft.name)
    owner = draft.owner_id or actor.user_id
    if owner != actor.user_id and not actor.is_manager:
        raise PermissionDenied("campaign_create_for_other")
    if owner == actor.bot_user_id:
        raise InvalidInput("campaign_owner_bot")
    campaign = Campaign(
        team_id=actor.team_id,
        name=name,
        name_key=name_key(name),
        currency=draft.currency,
        budget=draft.budget,
        start=draft.start or actor.today,
        end=draft.end,
        channel_id=draft.channel_id,
        owner_id=owner,
        category=draft.category.strip(),
        target_roas=draft.target_roas,
        target_revenue=draft.target_revenue,
        target_cpa=draft.target_cpa,
        target_orders=draft.target_orders,
        created_by=actor.user_id,
        created_at=actor.now,
        updated_at=actor.now,
    )
    _check(campaign)
    _unique(session, actor.team_id, name)
    session.add(campaign)
    session.flush()
    return campaign


def edit(session: Session, actor: Actor, name: str, changes: dict[str, Any]) -> tuple[Campaign, list[Diff]]:
    """Change some fields; returns what changed (nothing is written when a value is bad)."""
    campaign = get(session, actor.team_id, name)
    require_manage(actor, campaign)
    if "owner_id" in changes and changes["owner_id"] == actor.bot_user_id:
        raise InvalidInput("campaign_owner_bot")
    if "owner_id" in changes and not changes["owner_id"]:
        raise InvalidInput("campaign_bad_number", field="owner")
    diffs: list[Diff] = []
    before = {key: getattr(campaign, key) for key in EDITABLE}
    trial = Campaign.model_validate(campaign.model_dump())
    for key, value in changes.items():
        if key not in EDITABLE:
            raise InvalidInput("campaign_not_editable", field=key)
        if key == "name":
            value = _check_name(str(value))
        if key == "start" and value is None:
            raise InvalidInput("campaign_bad_number", field="start")
        if key == "budget" and value is None:
            raise InvalidInput("campaign_bad_number", field="budget")
        setattr(trial, key, "" if value is None and key in ("channel_id", "category") else value)
    _check(trial)
    if trial.name_key != name_key(trial.name) or trial.name != campaign.name:
        _unique(session, actor.team_id, trial.name, but=campaign.id)
    for key in EDITABLE:
        after = getattr(trial, key)
        if after != before[key]:
            diffs.append(Diff(key, before[key], after))
            setattr(campaign, key, after)
    if diffs:
        campaign.name_key = name_key(campaign.name)
        if any(d.name == "channel_id" for d in diffs):
            campaign.private = False  # learnt again from Slack after the ack
        campaign.updated_at = actor.now
        session.add(campaign)
    return campaign, diffs


def close(session: Session, actor: Actor, name: str) -> tuple[Campaign, bool]:
    """Close a campaign now (its evaluation follows); False when it was closed already."""
    campaign = get(session, actor.team_id, name)
    require_manage(actor, campaign)
    if campaign.closed_at is not None:
        return campaign, False
    campaign.closed_at = actor.now
    campaign.closed_by = actor.user_id
    campaign.updated_at = actor.now
    session.add(campaign)
    return campaign, True


def delete(session: Session, actor: Actor, campaign_id: int) -> Campaign:
    """Delete (undoable: the row stays until its name is reused)."""
    campaign = get_by_id(session, actor.team_id, campaign_id)
    require_manage(actor, campaign)
    campaign.deleted_at = actor.now
    campaign.updated_at = actor.now
    session.add(campaign)
    return campaign


def undelete(session: Session, actor: Actor, campaign_id: int) -> Campaign:
    """Undo a delete."""
    campaign = get_by_id(session, actor.team_id, campaign_id, deleted=True)
    require_manage(actor, campaign)
    campaign.deleted_at = None
    campaign.updated_at = actor.now
    session.add(campaign)
    return campaign


def set_private(session: Session, team_id: str, campaign_id: int, private: bool) -> None:
    """What Slack said about the campaign's channel."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is not None and campaign.team_id == team_id and campaign.private != private:
        campaign.private = private
        session.add(campaign)


def spend_total(session: Session, campaign: Campaign) -> Decimal:
    """Everything a campaign has spent so far."""
    total = session.execute(
        sa.select(sa.func.sum(col(CampaignResult.spend))).where(
            col(CampaignResult.campaign_id) == campaign.id, col(CampaignResult.team_id) == campaign.team_id
        )
    ).scalar()
    return Decimal(total) if total is not None else Decimal(0)


def crossed_budget(campaign: Campaign, before: Decimal, after: Decimal) -> bool:
    """Whether a change took the campaign's spend past its own budget."""
    return before <= campaign.budget < after


def log(session: Session, actor: Actor, name: str, entry: Entry, *, channel: str) -> Logged:
    """`/campaign log`: checked against who may log, then recorded."""
    campaign = get(session, actor.team_id, name)
    require_log(actor, campaign, channel)
    return record(session, actor, campaign, entry)


def ended_between(
    session: Session, team_id: str, first: date, last: date, *, channel: str, zone: str
) -> list[Campaign]:
    """Campaigns that ended (their end date, or closed) between `first` and `last`, as seen from
    `channel` (a private channel's campaigns only there), the latest first."""
    rows = session.exec(
        select(Campaign)
        .where(col(Campaign.team_id) == team_id, col(Campaign.deleted_at).is_(None))
        .where(
            sa.or_(
                sa.and_(col(Campaign.end) >= first, col(Campaign.end) <= last),
                sa.and_(
                    col(Campaign.closed_at)
                    >= datetime.combine(first, time(0), tzinfo=UTC) - timedelta(days=1),
                    col(Campaign.closed_at) < datetime.combine(last, time(0), tzinfo=UTC) + timedelta(days=2),
                ),
            )
        )
        .order_by(col(Campaign.id).desc())
        .limit(20)
    ).all()
    tz = ZoneInfo(zone)

    def ended_on(c: Campaign) -> date | None:
        return c.closed_at.astimezone(tz).date() if c.closed_at is not None else c.end

    return [
        c
        for c in rows
        if (not c.private or c.channel_id == channel)
        and first <= (ended_on(c) or first - timedelta(1)) <= last
    ]


def owned_between(session: Session, team_id: str, owner_id: str, first: date, last: date) -> list[Campaign]:
    """Someone's campaigns that ran at some point between two days."""
    rows = session.exec(
        select(Campaign)
        .where(col(Campaign.team_id) == team_id, col(Campaign.owner_id) == owner_id)
        .where(col(Campaign.deleted_at).is_(None), col(Campaign.start) <= last)
        .where(sa.or_(col(Campaign.end).is_(None), col(Campaign.end) >= first))
        .order_by(col(Campaign.start))
        .limit(50)
    )
    return list(rows)


# -- evaluations -------------------------------------------------------------------------------


def due_for_evaluation(session: Session, now: datetime, zone_of: Callable[[str], str]) -> list[Campaign]:
    """Campaigns closed, or past their end date in their workspace's zone, not yet evaluated."""
    candidates = session.exec(
        select(Campaign)
        .where(col(Campaign.evaluated_at).is_(None), col(Campaign.deleted_at).is_(None))
        .where(sa.or_(col(Campaign.closed_at).is_not(None), col(Campaign.end).is_not(None)))
        # The earliest zone's today is at most one day past UTC's: the zone check below decides.
        .where(sa.or_(col(Campaign.closed_at).is_not(None), col(Campaign.end) <= now.date()))
        .order_by(col(Campaign.id))
        .limit(500)
    ).all()
    due: list[Campaign] = []
    for campaign in candidates:
        if campaign.closed_at is not None:
            due.append(campaign)
            continue
        zone = ZoneInfo(zone_of(campaign.team_id))
        # One recorded after it ended (to import its results) is evaluated when someone closes it.
        recorded_late = (
            campaign.end is not None and campaign.created_at.astimezone(zone).date() > campaign.end
        )
        if campaign.end is not None and now.astimezone(zone).date() > campaign.end and not recorded_late:
            due.append(campaign)
    return due


def mark_evaluated(session: Session, campaign: Campaign, now: datetime) -> None:
    """The evaluation is queued (in this same transaction)."""
    campaign.evaluated_at = now
    session.add(campaign)
