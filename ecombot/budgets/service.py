"""Budgets: categories, lines per category and period, spend, reallocation, alert settings and
festival curves; every change written to the audit log. No Slack here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.budgets import pacing
from ecombot.budgets.models import BudgetCategory, BudgetLine, BudgetLog, BudgetSettings, BudgetSpend
from ecombot.budgets.periods import Period, month_of
from ecombot.campaigns import service as campaigns
from ecombot.campaigns import spending
from ecombot.db import insert_missing
from ecombot.errors import InvalidInput, NotFound, PermissionDenied

MONEY_LIMIT = Decimal("1e15")
NAME_LIMIT = 60
NOTE_LIMIT = 200
DEFAULT_THRESHOLDS = (50, 80, 100)
MAX_THRESHOLDS = 6
# key, English name, Chinese name, the reserve pool
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, bool], ...] = (
    ("platform", "Platform operations", "平台运营", False),
    ("marketing", "Marketing", "市场营销", False),
    ("technology", "Technology", "技术维护", False),
    ("people", "People", "人力资源", False),
    ("reserve", "Reserve pool", "专项费用池", True),
)
_DEFAULT_NAMES = {key: (en, zh) for key, en, zh, _ in DEFAULT_CATEGORIES}


# -- categories ----------------------------------------------------------------------------------


def ensure_categories(session: Session, team_id: str) -> None:
    """The five default categories, made once per workspace."""
    existing = set(session.exec(select(BudgetCategory.key).where(BudgetCategory.team_id == team_id)))
    for position, (key, _, _, reserve) in enumerate(DEFAULT_CATEGORIES):
        if key not in existing:
            insert_missing(
                session,
                BudgetCategory,
                ("team_id", "key"),
                team_id=team_id,
                key=key,
                name="",
                reserve=reserve,
                position=position,
            )


def categories(session: Session, team_id: str) -> list[BudgetCategory]:
    """The workspace's categories in their order (made on first use)."""
    rows = list(
        session.exec(
            select(BudgetCategory)
            .where(BudgetCategory.team_id == team_id)
            .order_by(col(BudgetCategory.position))
        )
    )
    return rows or _defaults(team_id)


def _defaults(team_id: str) -> list[BudgetCategory]:
    return [
        BudgetCategory(team_id=team_id, key=key, name="", reserve=reserve, position=i)
        for i, (key, _, _, reserve) in enumerate(DEFAULT_CATEGORIES)
    ]


def categories_of(session: Session, team_ids: Sequence[str]) -> dict[str, list[BudgetCategory]]:
    """`categories` of several workspaces, in one query (the alert ticks' pass over all of them)."""
    out: dict[str, list[BudgetCategory]] = {team: [] for team in team_ids}
    for chunk in _chunks(team_ids):
        query = (
            select(BudgetCategory)
            .where(col(BudgetCategory.team_id).in_(chunk))
            .order_by(col(BudgetCategory.team_id), col(BudgetCategory.position))
        )
        for category in session.exec(query):
            out[category.team_id].append(category)
    return {team: found or _defaults(team) for team, found in out.items()}


def _chunks(team_ids: Sequence[str], size: int = 1000) -> list[list[str]]:
    wanted = sorted(set(team_ids))
    return [wanted[i : i + size] for i in range(0, len(wanted), size)]


def names_of(category: BudgetCategory) -> set[str]:
    """Every name that means this category (casefolded): its key, its default names, its own."""
    names = {category.key.casefold()}
    names.update(n.casefold() for n in _DEFAULT_NAMES.get(category.key, ()))
    if category.name:
        names.add(category.name.casefold())
    return names


def label(category: BudgetCategory, locale: str) -> str:
    """Its name for a reader: the team's own name, else the default in the reader's language."""
    if category.name:
        return category.name
    en, zh = _DEFAULT_NAMES.get(category.key, (category.key, category.key))
    return zh if locale.startswith("zh") else en


def resolve(session: Session, team_id: str, text: str) -> BudgetCategory:
    """The category a typed name means; InvalidInput naming it and listing the known ones."""
    wanted = " ".join(text.split()).casefold()
    known = categories(session, team_id)
    for category in known:
        if wanted in names_of(category):
            return category
    raise InvalidInput("budget_unknown_category", part=text, known=", ".join(c.key for c in known))


def rename(session: Session, actor: Actor, text: str, new_name: str) -> tuple[BudgetCategory, str]:
    """Give a category the team's own name (admins and ops leads); returns it and its old name."""
    require_manager(actor)
    ensure_categories(session, actor.team_id)
    category = resolve(session, actor.team_id, text)
    clean = " ".join(new_name.split())
    if not clean or len(clean) > NAME_LIMIT:
        raise InvalidInput("budget_bad_name", limit=NAME_LIMIT)
    for other in categories(session, actor.team_id):
        if other.key != category.key and clean.casefold() in names_of(other):
            raise InvalidInput("budget_name_taken", name=clean)
    before = category.name or _DEFAULT_NAMES.get(category.key, (category.key,))[0]
    category.name = clean
    session.add(category)
    _log(session, actor, "rename", category=category.key, before=before, after=clean)
    return category, before


# -- permissions ---------------------------------------------------------------------------------


def require_manager(actor: Actor) -> None:
    """Budgets, thresholds, moves and curves: admins and ops leads."""
    if not actor.is_manager:
        raise PermissionDenied("budget_managers_only")


# -- lines ---------------------------------------------------------------------------------------


def _log(
    session: Session,
    actor: Actor,
    action: str,
    *,
    category: str = "",
    line: BudgetLine | None = None,
    before: str = "",
    after: str = "",
    reason: str = "",
) -> None:
    session.add(
        BudgetLog(
            team_id=actor.team_id,
            line_id=line.id if line is not None else None,
            category=category or (line.category if line is not None else ""),
            action=action,
            before=before[:200],
            after=after[:200],
            reason=reason[:200],
            user_id=actor.user_id,
            at=actor.now,
        )
    )


def _check_amount(amount: Decimal, *, zero: bool = False) -> None:
    if amount < 0 or (amount == 0 and not zero) or amount >= MONEY_LIMIT:
        raise InvalidInput("budget_bad_amount")


def find_line(session: Session, team_id: str, category: str, period: Period) -> BudgetLine | None:
    """The line of a category for exactly this period."""
    return session.exec(
        select(BudgetLine).where(
            BudgetLine.team_id == team_id,
            BudgetLine.category == category,
            BudgetLine.start == period.start,
            BudgetLine.end == period.end,
        )
    ).first()


def line_on(session: Session, team_id: str, category: str, day: date) -> BudgetLine | None:
    """The line of a category whose period holds the day (the shortest, when periods nest)."""
    rows = session.exec(
        select(BudgetLine).where(
            BudgetLine.team_id == team_id,
            BudgetLine.category == category,
            col(BudgetLine.start) <= day,
            col(BudgetLine.end) >= day,
        )
    ).all()
    return min(rows, key=lambda r: (r.end - r.start, r.id or 0), default=None)


def get_line(session: Session, team_id: str, line_id: int) -> BudgetLine:
    """A line by id within the workspace."""
    line = session.get(BudgetLine, line_id)
    if line is None or line.team_id != team_id:
        raise NotFound("budget_line_gone")
    return line


@dataclass(frozen=True)
class LineDraft:
    """`/budget set …` as typed."""

    category: str
    amount: Decimal
    period: Period
    currency: str
    owner_id: str = ""
    channel_id: str = ""  # given with `channel:`
    set_in: str = ""  # the channel the command came from


def alert_channel(line: BudgetLine, settings: BudgetSettings) -> str:
    """Where a line's alerts go: its own `channel:`, else the workspace's alert channel, else the
    channel where it was set."""
    return line.channel_id or settings.channel_id or line.set_in


def set_line(session: Session, actor: Actor, draft: LineDraft) -> tuple[BudgetLine, Decimal | None]:
    """Create or change a category's budget for a period; returns the line and its amount before."""
    require_manager(actor)
    _check_amount(draft.amount, zero=True)
    if draft.owner_id and draft.owner_id == actor.bot_user_id:
        raise InvalidInput("budget_owner_bot")
    ensure_categories(session, actor.team_id)
    category = resolve(session, actor.team_id, draft.category)
    line = find_line(session, actor.team_id, category.key, draft.period)
    before: Decimal | None = None
    if line is None:
        line = BudgetLine(
            team_id=actor.team_id,
            category=category.key,
            start=draft.period.start,
            end=draft.period.end,
            amount=draft.amount,
            currency=draft.currency,
            owner_id=draft.owner_id or actor.user_id,
            channel_id=draft.channel_id,
            set_in=draft.set_in,
            created_by=actor.user_id,
            created_at=actor.now,
            updated_at=actor.now,
        )
    else:
        before = line.amount
        line.amount = draft.amount
        if draft.owner_id and draft.owner_id != line.owner_id:
            _log(session, actor, "owner", line=line, before=line.owner_id, after=draft.owner_id)
            line.owner_id = draft.owner_id
        if draft.channel_id and draft.channel_id != line.channel_id:
            _log(session, actor, "channel", line=line, before=line.channel_id, after=draft.channel_id)
            line.channel_id = draft.channel_id
        line.updated_at = actor.now
    session.add(line)
    session.flush()
    _log(
        session,
        actor,
        "set",
        line=line,
        before="" if before is None else str(before),
        after=str(draft.amount),
        reason=draft.period.label,
    )
    return line, before


def lines_in(
    session: Session,
    team_id: str,
    period: Period | None,
    today: date,
    known: Sequence[BudgetCategory] | None = None,
) -> list[BudgetLine]:
    """Lines of a period (every line overlapping it), or those running today, in category order
    (`known`: the workspace's categories, when the caller has read them already)."""
    query = select(BudgetLine).where(BudgetLine.team_id == team_id)
    if period is None:
        query = query.where(col(BudgetLine.start) <= today, col(BudgetLine.end) >= today)
    else:
        query = query.where(col(BudgetLine.start) <= period.end, col(BudgetLine.end) >= period.start)
    order = {c.key: c.position for c in (known if known is not None else categories(session, team_id))}
    return sorted(
        session.exec(query).all(), key=lambda line: (order.get(line.category, 99), line.start, line.end)
    )


def manual_spend(session: Session, team_id: str, category: str, start: date, end: date) -> Decimal:
    """Spend recorded with `/budget spend` (less refunds) over [start, end]."""
    total = session.execute(
        sa.select(sa.func.sum(col(BudgetSpend.amount))).where(
            col(BudgetSpend.team_id) == team_id,
            col(BudgetSpend.category) == category,
            col(BudgetSpend.day) >= start,
            col(BudgetSpend.day) <= end,
        )
    ).scalar()
    return Decimal(total) if total is not None else Decimal(0)


def manual_by_category_of(
    session: Session, team_ids: Sequence[str], start: date, end: date
) -> dict[str, dict[str, Decimal]]:
    """`manual_by_category` of several workspaces over the same days, in one query."""
    out: dict[str, dict[str, Decimal]] = {team: {} for team in team_ids}
    for chunk in _chunks(team_ids):
        rows = session.execute(
            sa.select(
                col(BudgetSpend.team_id), col(BudgetSpend.category), sa.func.sum(col(BudgetSpend.amount))
            )
            .where(
                col(BudgetSpend.team_id).in_(chunk),
                col(BudgetSpend.day) >= start,
                col(BudgetSpend.day) <= end,
            )
            .group_by(col(BudgetSpend.team_id), col(BudgetSpend.category))
        )
        for team, category, total in rows:
            out[str(team)][str(category)] = Decimal(total)
    return out


def manual_by_category(session: Session, team_id: str, start: date, end: date) -> dict[str, Decimal]:
    """`/budget spend` less refunds per category over [start, end], in one query."""
    rows = session.execute(
        sa.select(col(BudgetSpend.category), sa.func.sum(col(BudgetSpend.amount)))
        .where(
            col(BudgetSpend.team_id) == team_id, col(BudgetSpend.day) >= start, col(BudgetSpend.day) <= end
        )
        .group_by(col(BudgetSpend.category))
    )
    return {str(category): Decimal(total) for category, total in rows}


def spent(
    session: Session,
    line: BudgetLine,
    by_campaigns: dict[str, Decimal] | None = None,
    names: set[str] | None = None,
    by_hand: dict[str, Decimal] | None = None,
) -> Decimal:
    """What a line has spent: its category's campaign spend plus spend recorded against it."""
    if by_campaigns is None:
        by_campaigns = spending.spend_by_category(session, line.team_id, line.start, line.end)
    if names is None:
        category = next((c for c in categories(session, line.team_id) if c.key == line.category), None)
        names = names_of(category) if category is not None else {line.category}
    from_campaigns = sum((amount for name, amount in by_campaigns.items() if name in names), Decimal(0))
    if by_hand is not None:
        return from_campaigns + by_hand.get(line.category, Decimal(0))
    return from_campaigns + manual_spend(session, line.team_id, line.category, line.start, line.end)


def pace_of(session: Session, line: BudgetLine, today: date, spent_now: Decimal | None = None) -> pacing.Pace:
    """The line's pace by `today` (completed days), along its curve when it has one."""
    period = Period(line.start, line.end)
    return pacing.Pace(
        budget=line.amount,
        spent=spent(session, line) if spent_now is None else spent_now,
        done=period.done(today),
        days=period.days,
        curve=tuple(Decimal(x) for x in line.curve),
    )


@dataclass(frozen=True)
class LineStatus:
    """A line, its category and where it stands."""

    line: BudgetLine
    category: BudgetCategory
    pace: pacing.Pace


def status(session: Session, team_id: str, period: Period | None, today: date) -> list[LineStatus]:
    """Every line of the period (or running today) with its pace; campaign spend read once per span."""
    known = categories(session, team_id)
    return statuses_of(session, team_id, lines_in(session, team_id, period, today, known), today, known)


def statuses_of(
    session: Session,
    team_id: str,
    lines: Sequence[BudgetLine],
    today: date,
    known: Sequence[BudgetCategory] | None = None,
    by_hand: Mapping[tuple[date, date], dict[str, Decimal]] | None = None,
) -> list[LineStatus]:
    """Lines with their pace; campaign spend and spend by hand read once per period, not per line
    (`by_hand`: the spend by hand of some periods, read already for many workspaces at once)."""
    by_key = {c.key: c for c in (known if known is not None else categories(session, team_id))}
    spans: dict[tuple[date, date], tuple[dict[str, Decimal], dict[str, Decimal]]] = {}
    out: list[LineStatus] = []
    for line in lines:
        span = (line.start, line.end)
        if span not in spans:
            given = (by_hand or {}).get(span)
            spans[span] = (
                spending.spend_by_category(session, team_id, line.start, line.end),
                given if given is not None else manual_by_category(session, team_id, line.start, line.end),
            )
        category = by_key.get(line.category)
        if category is None:
            continue
        by_campaigns, manual = spans[span]
        pace = pace_of(session, line, today, spent(session, line, by_campaigns, names_of(category), manual))
        out.append(LineStatus(line, category, pace))
    return out


# -- spend ---------------------------------------------------------------------------------------


def record_spend(
    session: Session, actor: Actor, text: str, amount: Decimal, day: date, note: str, *, refund: bool = False
) -> tuple[BudgetLine | None, BudgetSpend]:
    """Spend outside campaigns (or a refund of it) against the category's line for that day. Admins,
    ops leads, and the line's owner; a refund never takes the recorded spend below zero."""
    _check_amount(amount)
    if len(note) > NOTE_LIMIT:
        raise InvalidInput("budget_note_long", limit=NOTE_LIMIT)
    ensure_categories(session, actor.team_id)
    category = resolve(session, actor.team_id, text)
    line = line_on(session, actor.team_id, category.key, day)
    if not actor.is_manager and (line is None or line.owner_id != actor.user_id):
        raise PermissionDenied("budget_spend_owner", owner=line.owner_id if line is not None else "")
    if refund:
        first, last = (line.start, line.end) if line is not None else (month_of(day).start, month_of(day).end)
        recorded = manual_spend(session, actor.team_id, category.key, first, last)
        if amount > recorded:
            raise InvalidInput("budget_refund_too_big", recorded=f"{recorded:,.2f}")
    row = BudgetSpend(
        team_id=actor.team_id,
        category=category.key,
        day=day,
        amount=-amount if refund else amount,
        note=note,
        user_id=actor.user_id,
        created_at=actor.now,
    )
    session.add(row)
    _log(
        session,
        actor,
        "refund" if refund else "spend",
        category=category.key,
        line=line,
        after=str(row.amount),
        reason=f"{day.isoformat()} {note}".strip(),
    )
    return line, row


# -- moves ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moved:
    """A reallocation: both lines after it, and the amounts before."""

    source: BudgetLine
    target: BudgetLine
    amount: Decimal
    source_before: Decimal
    target_before: Decimal


def move(
    session: Session,
    actor: Actor,
    amount: Decimal,
    source_text: str,
    target_text: str,
    reason: str,
    period: Period | None,
) -> Moved:
    """Move budget between two lines of the same period; refused beyond what the source has left."""
    require_manager(actor)
    _check_amount(amount)
    ensure_categories(session, actor.team_id)
    source_cat = resolve(session, actor.team_id, source_text)
    target_cat = resolve(session, actor.team_id, target_text)
    if source_cat.key == target_cat.key:
        raise InvalidInput("budget_move_same")
    day = period.start if period is not None else actor.today

    def line_of(key: str) -> BudgetLine | None:
        exact = find_line(session, actor.team_id, key, period) if period is not None else None
        return exact or line_on(session, actor.team_id, key, day)

    # Each side is its category's line for the day (a quarter's reserve pool feeds a month's line).
    source, target = line_of(source_cat.key), line_of(target_cat.key)
    if source is None:
        raise InvalidInput("budget_no_line", category=source_cat.key)
    if target is None:
        raise InvalidInput("budget_no_line", category=target_cat.key)
    left = source.amount - spent(session, source)
    if amount > left:
        raise InvalidInput(
            "budget_move_too_big",
            available=f"{max(Decimal(0), left):,.2f}",
            currency=source.currency,
            category=source_cat.key,
        )
    moved = Moved(source, target, amount, source.amount, target.amount)
    source.amount -= amount
    target.amount += amount
    source.updated_at = target.updated_at = actor.now
    session.add(source)
    session.add(target)
    _log(
        session,
        actor,
        "move_out",
        line=source,
        before=str(moved.source_before),
        after=str(source.amount),
        reason=reason,
    )
    _log(
        session,
        actor,
        "move_in",
        line=target,
        before=str(moved.target_before),
        after=str(target.amount),
        reason=reason,
    )
    return moved


# -- the log -------------------------------------------------------------------------------------


def log_entries(
    session: Session, team_id: str, category: str | None, period: Period | None, *, limit: int = 30
) -> list[BudgetLog]:
    """The audit log, newest first, of a category and/or the lines of a period."""
    query = select(BudgetLog).where(BudgetLog.team_id == team_id)
    if category:
        query = query.where(BudgetLog.category == category)
    if period is not None:
        ids = [line.id for line in lines_in(session, team_id, period, period.start) if line.id is not None]
        query = query.where(col(BudgetLog.line_id).in_(ids))
    return list(session.exec(query.order_by(col(BudgetLog.at).desc(), col(BudgetLog.id).desc()).limit(limit)))


# -- alerts and curves -----------------------------------------------------------------------------


def settings_for(session: Session, team_ids: Sequence[str]) -> dict[str, BudgetSettings]:
    """`settings_of` several workspaces, in one query."""
    found: dict[str, BudgetSettings] = {}
    for chunk in _chunks(team_ids):
        found.update(
            (s.team_id, s)
            for s in session.exec(select(BudgetSettings).where(col(BudgetSettings.team_id).in_(chunk)))
        )
    return {
        team: found.get(team)
        or BudgetSettings(team_id=team, thresholds=list(DEFAULT_THRESHOLDS), channel_id="")
        for team in team_ids
    }


def settings_of(session: Session, team_id: str) -> BudgetSettings:
    """The workspace's alert settings (the defaults until set)."""
    found = session.get(BudgetSettings, team_id)
    return found or BudgetSettings(team_id=team_id, thresholds=list(DEFAULT_THRESHOLDS), channel_id="")


def set_alerts(session: Session, actor: Actor, thresholds: Sequence[int], channel: str) -> BudgetSettings:
    """Thresholds in percent (ascending, 1..500) and optionally the channel alerts go to."""
    require_manager(actor)
    chosen = sorted(set(thresholds))
    if not chosen or len(chosen) > MAX_THRESHOLDS or any(not 0 < t <= 500 for t in chosen):
        raise InvalidInput("budget_bad_thresholds", most=MAX_THRESHOLDS)
    settings = session.get(BudgetSettings, actor.team_id)
    before = ",".join(str(t) for t in settings_of(session, actor.team_id).thresholds)
    if settings is None:
        settings = BudgetSettings(team_id=actor.team_id, thresholds=chosen, channel_id=channel)
    else:
        settings.thresholds = chosen
        if channel:
            settings.channel_id = channel
    session.add(settings)
    _log(session, actor, "alerts", before=before, after=",".join(str(t) for t in chosen), reason=channel)
    return settings


def set_curve(
    session: Session, actor: Actor, text: str, campaign_name: str | None, period: Period | None
) -> tuple[BudgetLine, int]:
    """Make a line follow an earlier campaign's daily spend (None: back to a straight line); returns
    the line and how many days the curve has."""
    require_manager(actor)
    ensure_categories(session, actor.team_id)
    category = resolve(session, actor.team_id, text)
    line = (
        find_line(session, actor.team_id, category.key, period)
        if period is not None
        else line_on(session, actor.team_id, category.key, actor.today)
    )
    if line is None:
        raise InvalidInput("budget_no_line", category=category.key)
    before = line.curve_campaign
    if campaign_name is None:
        line.curve, line.curve_campaign = [], ""
    else:
        reference = campaigns.get(session, actor.team_id, campaign_name)
        shares = pacing.cumulative_shares(spending.daily_spend(session, reference))
        if not shares:
            raise InvalidInput("budget_curve_empty", name=reference.name)
        line.curve = [str(s.quantize(Decimal("0.000001"))) for s in shares]
        line.curve_campaign = reference.name
    line.updated_at = actor.now
    session.add(line)
    _log(session, actor, "curve", line=line, before=before, after=line.curve_campaign)
    return line, len(line.curve)
