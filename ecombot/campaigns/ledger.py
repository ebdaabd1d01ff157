"""Campaign results: one row per (campaign, source, day or range), recorded or replaced, with what
changed; spans that would count days twice are refused. Imports record thousands of rows in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.campaigns.models import Campaign, CampaignDay, CampaignResult
from ecombot.db import insert_for
from ecombot.errors import InvalidInput

MONEY_LIMIT = Decimal("1e15")
COUNT_LIMIT = 10**12  # clicks, impressions, sessions (64-bit columns)
SMALL_COUNT_LIMIT = 10**9  # new customers (32-bit columns)
CENT = Decimal("0.01")
FIGURES = ("spend", "revenue", "orders", "clicks", "impressions", "sessions", "refunds", "new_customers")
MONEY_FIGURES = ("spend", "revenue", "refunds")


@dataclass(frozen=True)
class Entry:
    """One row of results: a day (or a range) of one source."""

    day: date
    source: str
    spend: Decimal
    revenue: Decimal
    orders: Decimal
    clicks: int | None = None
    impressions: int | None = None
    sessions: int | None = None
    refunds: Decimal | None = None
    new_customers: int | None = None
    last_day: date | None = None  # None: the same day

    @property
    def until(self) -> date:
        """The last day it covers."""
        return self.last_day or self.day


@dataclass(frozen=True)
class Diff:
    """One figure that changed: name, before, after."""

    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Logged:
    """What recording a row did: created, replaced (with what changed) or nothing at all."""

    campaign: Campaign
    entry: Entry
    outcome: Literal["created", "changed", "unchanged"]
    diffs: tuple[Diff, ...] = ()


# -- results -----------------------------------------------------------------------------------


def _limit(name: str) -> Decimal | int:
    if name in ("clicks", "impressions", "sessions"):
        return COUNT_LIMIT
    return SMALL_COUNT_LIMIT if name == "new_customers" else MONEY_LIMIT


def rounded(entry: Entry) -> Entry:
    """Amounts and orders to the cent, as stored (half up), so that the same figure compares equal."""
    values = {
        name: getattr(entry, name).quantize(CENT, rounding=ROUND_HALF_UP)
        for name in (*MONEY_FIGURES, "orders")
        if getattr(entry, name) is not None
    }
    return replace(entry, **values)


def check_entry(entry: Entry) -> None:
    """Figures must be non-negative and sane; refunds at most the revenue."""
    for name in FIGURES:
        value = getattr(entry, name)
        if value is not None and (value < 0 or value >= _limit(name)):
            raise InvalidInput("campaign_bad_number", field=name)
    if entry.refunds is not None and entry.refunds > entry.revenue:
        raise InvalidInput("campaign_refunds_over_revenue")
    if entry.last_day is not None and entry.last_day < entry.day:
        raise InvalidInput("campaign_dates", start=entry.day.isoformat(), end=entry.last_day.isoformat())


class _Ledger:
    """A campaign's result rows held in memory while rows are recorded into it: one query however
    many rows a report brings, and the overlap check done against what is already there."""

    def __init__(self, session: Session, campaign: Campaign, entries: Sequence[Entry]) -> None:
        self.session = session
        self.campaign = campaign
        # Only rows that could meet the entries: their sources, over the days they cover.
        first = min((e.day for e in entries), default=date.min)
        last = max((e.until for e in entries), default=date.min)
        rows = session.exec(
            select(CampaignResult).where(
                CampaignResult.campaign_id == campaign.id,
                CampaignResult.team_id == campaign.team_id,
                col(CampaignResult.source).in_(sorted({e.source for e in entries})),
                col(CampaignResult.day) <= last,
                col(CampaignResult.last_day) >= first,
            )
        )
        self.rows: dict[tuple[str, date, date], CampaignResult] = {
            (r.source, r.day, r.last_day): r for r in rows
        }
        self.ranges: dict[str, list[tuple[date, date]]] = {}
        # How the campaign's running totals move (rows, spend, revenue, orders, refunds, refund rows).
        self.moved = [Decimal(0)] * 6
        # How each day's sums move (rows, spend, revenue, orders): daily rows only.
        self.days: dict[date, list[Decimal]] = {}
        for source, first, last in self.rows:
            if first != last:
                self.ranges.setdefault(source, []).append((first, last))

    def replace_contained(self, entry: Entry) -> tuple[str, str] | None:
        """A range that covers every row of its source it overlaps (a longer export of the same
        source, e.g. Nov 1-14 after Nov 1-7) replaces them; returns (old spans, new span)."""
        first, last = entry.day, entry.until
        if first == last:
            return None
        meeting = [
            key
            for key in self.rows
            if key[0] == entry.source
            and key[1] <= last
            and key[2] >= first
            and key != (entry.source, first, last)
        ]
        if not meeting or any(key[1] < first or key[2] > last for key in meeting):
            return None
        for key in meeting:
            row = self.rows.pop(key)
            self._count(row, -1)
            if row in self.session.new:  # recorded earlier in this same batch: never written
                self.session.expunge(row)
            else:
                self.session.delete(row)
            if key[1] != key[2]:
                self.ranges[entry.source].remove((key[1], key[2]))
        self.session.flush()
        old = ", ".join(
            f"{a.isoformat()}..{b.isoformat()}" if a != b else a.isoformat() for _, a, b in sorted(meeting)
        )
        return old, f"{first.isoformat()}..{last.isoformat()}"

    def overlap(self, entry: Entry) -> tuple[date, date] | None:
        """A span of the same source covering some of the entry's days differently: counting both
        would count those days twice."""
        first, last = entry.day, entry.until
        for a, b in self.ranges.get(entry.source, []):
            if a <= last and b >= first and (a, b) != (first, last):
                return a, b
        if first != last:
            day = first
            while day <= last:
                if (entry.source, day, day) in self.rows:
                    return day, day
                day += timedelta(days=1)
        return None

    def _count(self, row: CampaignResult, sign: int) -> None:
        """Count a row into the totals' move (sign 1) or out of it (-1)."""
        moved = self.moved
        moved[0] += sign
        moved[1] += sign * row.spend
        moved[2] += sign * row.revenue
        moved[3] += sign * row.orders
        if row.refunds is not None:
            moved[4] += sign * row.refunds
            moved[5] += sign
        if row.day == row.last_day:
            day = self.days.setdefault(row.day, [Decimal(0)] * 4)
            day[0] += sign
            day[1] += sign * row.spend
            day[2] += sign * row.revenue
            day[3] += sign * row.orders

    def move_totals(self) -> None:
        """Add the rows recorded to the campaign's running totals and to its days' sums, in the
        same transaction. Increments, not recounts: two imports into one campaign at once both count."""
        if any(self.moved):
            self._move_campaign()
        days = {day: moved for day, moved in self.days.items() if any(moved)}
        if days:
            self._move_days(days)
        self.moved = [Decimal(0)] * 6
        self.days = {}

    def _move_campaign(self) -> None:
        rows, spend, revenue, orders, refunds, refund_rows = self.moved
        c = Campaign
        self.session.execute(
            sa.update(c)
            .where(col(c.id) == self.campaign.id)
            .values(
                result_rows=col(c.result_rows) + int(rows),
                spend_total=col(c.spend_total) + spend,
                revenue_total=col(c.revenue_total) + revenue,
                orders_total=col(c.orders_total) + orders,
                refunds_total=col(c.refunds_total) + refunds,
                refund_rows=col(c.refund_rows) + int(refund_rows),
            ),
            execution_options={"synchronize_session": False},
        )
        # The loaded campaign is read again when next used.
        self.session.expire(self.campaign, list(TOTAL_COLUMNS))

    def _move_days(self, days: dict[date, list[Decimal]]) -> None:
        d = CampaignDay
        insert = insert_for(self.session)
        values = [
            dict(
                campaign_id=self.campaign.id,
                day=day,
                team_id=self.campaign.team_id,
                rows=int(rows),
                spend=spend,
                revenue=revenue,
                orders=orders,
            )
            for day, (rows, spend, revenue, orders) in sorted(days.items())
        ]
        for start in range(0, len(values), 500):
            statement = insert(d).values(values[start : start + 500])
            new = statement.excluded
            self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["campaign_id", "day"],
                    set_={
                        "rows": col(d.rows) + new.rows,
                        "spend": col(d.spend) + new.spend,
                        "revenue": col(d.revenue) + new.revenue,
                        "orders": col(d.orders) + new.orders,
                    },
                )
            )
        if any(moved[0] < 0 for moved in days.values()):  # a day whose last row went: no sums left
            self.session.execute(
                sa.delete(d).where(col(d.campaign_id) == self.campaign.id, col(d.rows) <= 0),
                execution_options={"synchronize_session": False},
            )

    def record(self, actor: Actor, entry: Entry, origin: str) -> Logged:
        check_entry(entry)
        entry = rounded(entry)
        replaced = self.replace_contained(entry)
        overlap = self.overlap(entry)
        if overlap is not None:
            raise InvalidInput(
                "campaign_overlap",
                first=overlap[0].isoformat(),
                last=overlap[1].isoformat(),
                source=entry.source,
            )
        key = (entry.source, entry.day, entry.until)
        values = {name: getattr(entry, name) for name in FIGURES}
        row = self.rows.get(key)
        if row is None:
            assert self.campaign.id is not None
            row = CampaignResult(
                team_id=self.campaign.team_id,
                campaign_id=self.campaign.id,
                source=entry.source,
                day=entry.day,
                last_day=entry.until,
                origin=origin,
                logged_by=actor.user_id,
                updated_at=actor.now,
                **values,
            )
            self.session.add(row)
            self._count(row, 1)
            self.rows[key] = row
            if entry.day != entry.until:
                self.ranges.setdefault(entry.source, []).append((entry.day, entry.until))
            if replaced:
                return Logged(self.campaign, entry, "changed", (Diff("span", replaced[0], replaced[1]),))
            return Logged(self.campaign, entry, "created")
        diffs = tuple(
            Diff(name, getattr(row, name), value)
            for name, value in values.items()
            if _differs(getattr(row, name), value)
        )
        if not diffs:
            return Logged(self.campaign, entry, "unchanged")
        self._count(row, -1)
        for diff in diffs:
            setattr(row, diff.name, diff.after)
        self._count(row, 1)
        row.origin, row.logged_by, row.updated_at = origin, actor.user_id, actor.now
        self.session.add(row)
        return Logged(self.campaign, entry, "changed", diffs)


def record_many(
    session: Session, actor: Actor, campaign: Campaign, entries: Sequence[Entry], *, origin: str = "import"
) -> list[Logged | InvalidInput]:
    """Record rows in order (a later row for the same day and source replaces an earlier one); each
    row's outcome, or the refusal that left it out."""
    ledger = _Ledger(session, campaign, entries)
    outcomes: list[Logged | InvalidInput] = []
    for entry in entries:
        try:
            outcomes.append(ledger.record(actor, entry, origin))
        except InvalidInput as exc:
            outcomes.append(exc)
    session.flush()
    ledger.move_totals()
    return outcomes


TOTAL_COLUMNS = (
    "result_rows",
    "spend_total",
    "revenue_total",
    "orders_total",
    "refunds_total",
    "refund_rows",
)


def recount(session: Session, team_id: str | None) -> None:
    """Set the running totals and the days' sums of every campaign of the workspace (of every
    workspace: None) from its result rows: for data written around the ledger (the benchmarks' bulk
    seeds)."""
    r, c = CampaignResult, Campaign
    of_campaign = (col(r.campaign_id) == col(c.id),)

    def summed(figure: Any) -> Any:
        return sa.func.coalesce(sa.select(sa.func.sum(figure)).where(*of_campaign).scalar_subquery(), 0)

    def counted(figure: Any) -> Any:
        return sa.select(sa.func.count(figure)).where(*of_campaign).scalar_subquery()

    session.execute(
        sa.update(c)
        .where(sa.true() if team_id is None else col(c.team_id) == team_id)
        .values(
            result_rows=counted(col(r.id)),
            spend_total=summed(col(r.spend)),
            revenue_total=summed(col(r.revenue)),
            orders_total=summed(col(r.orders)),
            refunds_total=summed(col(r.refunds)),
            refund_rows=counted(col(r.refunds)),
        ),
        execution_options={"synchronize_session": False},
    )
    d = CampaignDay
    mine = sa.true() if team_id is None else col(d.team_id) == team_id
    session.execute(sa.delete(d).where(mine), execution_options={"synchronize_session": False})
    daily = (
        sa.select(
            col(r.campaign_id),
            col(r.day),
            col(r.team_id),
            sa.func.count(),
            sa.func.sum(col(r.spend)),
            sa.func.sum(col(r.revenue)),
            sa.func.sum(col(r.orders)),
        )
        .where(col(r.day) == col(r.last_day), sa.true() if team_id is None else col(r.team_id) == team_id)
        .group_by(col(r.campaign_id), col(r.day), col(r.team_id))
    )
    columns = ["campaign_id", "day", "team_id", "rows", "spend", "revenue", "orders"]
    session.execute(sa.insert(d).from_select(columns, daily))
    session.expire_all()


def record(
    session: Session, actor: Actor, campaign: Campaign, entry: Entry, *, origin: str = "manual"
) -> Logged:
    """Insert or replace the row for (campaign, source, day[..last_day]); says what changed."""
    [outcome] = record_many(session, actor, campaign, [entry], origin=origin)
    if isinstance(outcome, InvalidInput):
        raise outcome
    return outcome


def _differs(before: Any, after: Any) -> bool:
    if before is None or after is None:
        return before is not after
    return Decimal(before) != Decimal(after)


def entry_from(values: dict[str, Any]) -> Entry:
    """An Entry from plain values (what an import keeps for later)."""
    kwargs: dict[str, Any] = {}
    for f in fields(Entry):
        raw = values.get(f.name)
        if raw is None:
            continue
        if f.name in ("day", "last_day"):
            kwargs[f.name] = date.fromisoformat(str(raw))
        elif f.name in ("clicks", "impressions", "sessions", "new_customers"):
            kwargs[f.name] = int(raw)
        elif f.name == "source":
            kwargs[f.name] = str(raw)
        else:
            kwargs[f.name] = Decimal(str(raw))
    return Entry(**kwargs)


def entry_values(entry: Entry) -> dict[str, Any]:
    """Plain values of an Entry (JSON-safe)."""
    out: dict[str, Any] = {}
    for f in fields(Entry):
        value = getattr(entry, f.name)
        if value is None:
            continue
        out[f.name] = value.isoformat() if isinstance(value, date) else str(value)
    return out
