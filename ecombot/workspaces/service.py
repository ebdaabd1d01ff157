"""Workspaces and members: creation on first contact, settings, roles."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from ecombot.actor import Actor, Caller
from ecombot.config import WorkspaceDefaults, validate_currency, validate_language, validate_timezone
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.scheduling import service as scheduling
from ecombot.slack.i18n import normalize_locale
from ecombot.slack.text import USER_MENTION
from ecombot.workspaces.models import Member, Workspace

log = logging.getLogger(__name__)

# users.info is asked again after this long; `user_change` events refresh sooner.
MEMBER_TTL = timedelta(hours=24)
SETTING_KEYS = ("timezone", "currency", "language")


@dataclass(frozen=True)
class UserProfile:
    """The parts of a Slack user the bot keeps."""

    user_id: str
    name: str = ""
    tz: str | None = None
    locale: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class SettingChange:
    """One setting changed from `old` to `new`."""

    key: str
    old: str
    new: str
    changed: bool = True


def ensure_workspace(
    session: Session,
    *,
    team_id: str,
    defaults: WorkspaceDefaults,
    now: datetime,
    name: str = "",
    installed: bool = True,
) -> Workspace:
    """The workspace row, created with the configured defaults on first contact. Slack talks to us only
    from a workspace that has the app, so one that had uninstalled it is reinstated (`installed=False`
    for the uninstall events themselves)."""
    workspace = session.get(Workspace, team_id)
    if workspace is not None:
        if installed and workspace.uninstalled_at is not None:
            reinstate(session, workspace, now=now)
        if name and not workspace.name:
            workspace.name = name
            workspace.updated_at = now
            session.add(workspace)
        return workspace
    workspace = Workspace(
        team_id=team_id,
        name=name,
        timezone=defaults.timezone,
        currency=defaults.currency,
        language=defaults.language,
        ops_leads=list(defaults.ops_leads),
        created_at=now,
        updated_at=now,
    )
    session.add(workspace)
    session.flush()
    return workspace


def mark_uninstalled(session: Session, *, team_id: str, now: datetime) -> int:
    """The app was uninstalled (or its bot token revoked): the scheduler skips the workspace from now
    on, its waiting deliveries are parked, its data is kept. Returns how many deliveries were parked."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        return 0
    if workspace.uninstalled_at is None:
        workspace.uninstalled_at = now
        workspace.updated_at = now
        session.add(workspace)
        log.info("workspace %s uninstalled the app: schedules stop, deliveries parked", team_id)
    session.flush()
    return scheduling.park_deliveries(session, team_id, now=now)


def reinstate(session: Session, workspace: Workspace, *, now: datetime) -> int:
    """The app is installed again: schedules resume at their next slot, and the deliveries parked
    in the last day (the longest a missed slot may still run) are queued again; older ones stay
    parked for `ecombot jobs retry`. Returns how many were queued."""
    workspace.uninstalled_at = None
    workspace.updated_at = now
    session.add(workspace)
    session.flush()
    log.info("workspace %s installed the app again", workspace.team_id)
    return scheduling.unpark_deliveries(
        session, workspace.team_id, now=now, since=now - scheduling.ALERT_GRACE
    )


def uninstalled_read(session: Session, team_id: str) -> bool:
    """True when `people_of` found, in this session, that the workspace had uninstalled the app."""
    return team_id in session.info.get(_UNINSTALLED, ())


def get_workspace(session: Session, team_id: str) -> Workspace:
    """The workspace, or NotFound."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        raise NotFound("workspace_unknown", team_id=team_id)
    return workspace


def get_workspaces(session: Session, team_ids: Iterable[str]) -> dict[str, Workspace]:
    """These workspaces, in one query (a tick's pass over many): `get_workspace` then finds them in the
    session without another."""
    wanted = sorted(set(team_ids))
    found: dict[str, Workspace] = {}
    for start in range(0, len(wanted), 1000):
        query = select(Workspace).where(col(Workspace.team_id).in_(wanted[start : start + 1000]))
        found.update((w.team_id, w) for w in session.exec(query))
    return found


# What a request has learnt about members (the caller, a new owner) stays in its session, so their
# row is not read twice: whether they are a person, and whether they have opened their App Home.
_MET = "ecombot_members_met"


@dataclass(frozen=True)
class MemberFacts:
    """The few facts about a member that checks after `caller_of` need."""

    is_bot: bool
    deleted: bool
    home_seen: bool


def _met(session: Session) -> dict[tuple[str, str], MemberFacts | None]:
    met: dict[tuple[str, str], MemberFacts | None] = session.info.setdefault(_MET, {})
    return met


def _forget(session: Session, team_id: str, user_id: str) -> None:
    """A member row is about to change: what this session had read of it no longer holds."""
    _met(session).pop((team_id, user_id), None)
    session.info.get(_CALLERS, {}).pop((team_id, user_id), None)


def _forget_everyone(session: Session) -> None:
    """The workspace's settings or roles changed: every caller read in this session is out of date."""
    session.info.pop(_CALLERS, None)


def get_member(session: Session, team_id: str, user_id: str) -> Member | None:
    """What we know of a user in this workspace, if anything."""
    return session.get(Member, (team_id, user_id))


def member_is_fresh(member: Member | None, now: datetime) -> bool:
    """True when the member row is recent enough to skip asking Slack."""
    return member is not None and now - member.refreshed_at < MEMBER_TTL


def save_member(session: Session, *, team_id: str, profile: UserProfile, now: datetime) -> Member:
    """Insert or refresh a member from a Slack profile; a missing locale keeps the one we had."""
    _forget(session, team_id, profile.user_id)
    member = get_member(session, team_id, profile.user_id)
    if member is None:
        member = Member(team_id=team_id, user_id=profile.user_id, refreshed_at=now)
    member.name = profile.name
    member.tz = profile.tz or member.tz
    member.locale = profile.locale or member.locale
    member.is_admin = profile.is_admin
    member.is_owner = profile.is_owner
    member.is_bot = profile.is_bot
    member.deleted = profile.deleted
    member.refreshed_at = now
    session.add(member)
    session.flush()
    return member


# Built once, and read as plain columns: this runs on every request. One query gives the workspace and
# every member asked for (the caller, and whoever the request names: a new owner, a new lead).
_W = Workspace.__table__  # type: ignore[attr-defined]
_M = Member.__table__  # type: ignore[attr-defined]
_PEOPLE_COLUMNS = (
    _W.c.timezone,
    _W.c.language,
    _W.c.currency,
    _W.c.ops_leads,
    _W.c.uninstalled_at,
    _M.c.user_id.label("member"),
    _M.c.name,
    _M.c.tz,
    _M.c.locale,
    _M.c.is_admin,
    _M.c.is_owner,
    _M.c.is_bot,
    _M.c.deleted,
    _M.c.refreshed_at,
    _M.c.home_seen_at,
)


def _people_query(members: sa.ColumnElement[bool]) -> sa.Select[Any]:
    on = sa.and_(_M.c.team_id == _W.c.team_id, members)
    return (
        sa.select(*_PEOPLE_COLUMNS)
        .select_from(_W.outerjoin(_M, on))
        .where(_W.c.team_id == sa.bindparam("team_id"))
    )


_PEOPLE_QUERY = _people_query(_M.c.user_id.in_(sa.bindparam("user_ids", expanding=True)))
# Most requests name only the caller: the same query without the list, whose SQL is rendered again
# for every execution.
_PERSON_QUERY = _people_query(_M.c.user_id == sa.bindparam("user_id"))
_CALLERS = "ecombot_callers"
_UNINSTALLED = "ecombot_uninstalled"


def people_of(
    session: Session, team_id: str, user_ids: Iterable[str], now: datetime, *, bot_user_id: str = ""
) -> dict[str, Caller]:
    """Who each of `user_ids` is in this workspace (language, timezone, role), from the database alone,
    in one query; a member not met yet gets the workspace's settings. Empty when the workspace is
    unknown. What is read here stays in the session for `caller_of`, `require_person` and
    `home_viewers`."""
    wanted = sorted(set(user_ids) - {""})
    if not wanted:
        return {}
    if len(wanted) == 1:
        rows = session.execute(_PERSON_QUERY, {"team_id": team_id, "user_id": wanted[0]}).all()
    else:
        rows = session.execute(_PEOPLE_QUERY, {"team_id": team_id, "user_ids": wanted}).all()
    if not rows:
        return {}
    by_member = {row.member: row for row in rows if row.member is not None}
    workspace = rows[0]
    if workspace.uninstalled_at is not None:
        session.info.setdefault(_UNINSTALLED, set()).add(team_id)
    met, known_callers = _met(session), session.info.setdefault(_CALLERS, {})
    people = {}
    for user_id in wanted:
        row = by_member.get(user_id)
        met[(team_id, user_id)] = (
            MemberFacts(bool(row.is_bot), bool(row.deleted), row.home_seen_at is not None) if row else None
        )
        people[user_id] = known_callers[(team_id, user_id)] = Caller(
            team_id=team_id,
            user_id=user_id,
            now=now,
            tz=(row.tz if row else None) or workspace.timezone,
            is_manager=user_id in (workspace.ops_leads or []) or bool(row and (row.is_admin or row.is_owner)),
            bot_user_id=bot_user_id,
            locale=normalize_locale(row.locale if row else None) or workspace.language,
            workspace_tz=workspace.timezone,
            workspace_language=workspace.language,
            currency=workspace.currency,
            name=(row.name if row else "") or "",
            known=row is not None,
            fresh=row is not None and now - row.refreshed_at < MEMBER_TTL,
        )
    return people


def caller_of(
    session: Session, team_id: str, user_id: str, now: datetime, *, bot_user_id: str = ""
) -> Caller | None:
    """`people_of` for one person (read again only if this session has not read them yet)."""
    cached: Caller | None = session.info.get(_CALLERS, {}).get((team_id, user_id))
    if cached is not None:
        return cached if cached.bot_user_id == bot_user_id else replace(cached, bot_user_id=bot_user_id)
    return people_of(session, team_id, [user_id], now, bot_user_id=bot_user_id).get(user_id)


def callers_of(session: Session, team_id: str, user_ids: Iterable[str], now: datetime) -> dict[str, Caller]:
    """`people_of` for jobs writing to many members, each in their language."""
    return people_of(session, team_id, user_ids, now)


def _zone_names_query() -> sa.CompoundSelect[tuple[str]]:
    """Members' zones a zone at a time: the first name, then again and again the next one after it,
    each a step along ix_members_tz (as many steps as there are zones, not members); then the
    workspaces' own zones."""
    zones = sa.select(sa.func.min(_M.c.tz).label("tz")).where(_M.c.tz > "").cte("zones", recursive=True)
    following = sa.select(sa.func.min(_M.c.tz)).where(_M.c.tz > zones.c.tz).scalar_subquery()
    zones = zones.union_all(sa.select(following).where(zones.c.tz.is_not(None)))
    return sa.union(sa.select(zones.c.tz).where(zones.c.tz.is_not(None)), sa.select(_W.c.timezone).distinct())


_ZONE_NAMES = _zone_names_query()


def zone_names(session: Session) -> list[str]:
    """Every zone (by name, as stored) a member or a workspace is in: a few names, from which the
    scheduler's ticks work out whose local time has come."""
    return sorted({str(name) for (name,) in session.execute(_ZONE_NAMES)})


def zone_name_of(
    team_id: sa.ColumnElement[str] | Mapped[str], user_id: sa.ColumnElement[str] | Mapped[str]
) -> sa.ColumnElement[str]:
    """In SQL, the zone (by name) of member `user_id` of `team_id`: theirs when known, else their
    workspace's; for ticks that select the people whose local time has come."""
    own = (
        sa.select(sa.func.nullif(_M.c.tz, ""))
        .where(_M.c.team_id == team_id, _M.c.user_id == user_id)
        .scalar_subquery()
    )
    workspace = sa.select(_W.c.timezone).where(_W.c.team_id == team_id).scalar_subquery()
    return sa.func.coalesce(own, workspace)


def member_names(session: Session, team_id: str) -> dict[str, str]:
    """Every known member's name (for exports)."""
    query = select(Member.user_id, Member.name).where(Member.team_id == team_id)
    return {user: name for user, name in session.exec(query) if name}


def names_of(session: Session, team_id: str, text: str) -> dict[str, str]:
    """The names of the members mentioned in `text` (`<@U123>`), for showing it as plain text."""
    ids = sorted(set(USER_MENTION.findall(text)))
    if not ids:
        return {}
    query = select(Member).where(Member.team_id == team_id, col(Member.user_id).in_(ids))
    return {m.user_id: m.name for m in session.exec(query) if m.name}


_HOME_VIEWERS = select(Member.user_id).where(
    col(Member.team_id) == sa.bindparam("team_id"),
    col(Member.user_id).in_(sa.bindparam("user_ids", expanding=True)),
    col(Member.home_seen_at).is_not(None),
)


def home_viewers(session: Session, team_id: str, user_ids: list[str]) -> set[str]:
    """Those of `user_ids` who have opened their App Home at least once (members this session has
    read already are not read again)."""
    met = _met(session)
    known = {u: met[(team_id, u)] for u in user_ids if (team_id, u) in met}
    seen = {u for u, facts in known.items() if facts is not None and facts.home_seen}
    rest = [u for u in user_ids if u not in known]
    if rest:
        seen |= set(session.exec(_HOME_VIEWERS, params={"team_id": team_id, "user_ids": rest}))
    return seen


def mark_home_seen(session: Session, *, team_id: str, user_id: str, now: datetime) -> None:
    """Remember that this member opened their App Home (a member not met yet gets a row)."""
    _forget(session, team_id, user_id)
    member = get_member(session, team_id, user_id)
    if member is None:
        # refreshed_at in the past: the row is only a placeholder until users.info answers.
        member = Member(team_id=team_id, user_id=user_id, refreshed_at=now - MEMBER_TTL * 2)
    if member.home_seen_at is None:
        member.home_seen_at = now
        session.add(member)


def require_person(session: Session, actor: Actor, user_id: str) -> None:
    """InvalidInput unless `user_id` may own work: not the bot, not a known bot or deactivated account."""
    met = _met(session)
    if (actor.team_id, user_id) in met:
        facts = met[(actor.team_id, user_id)]
    else:
        member = get_member(session, actor.team_id, user_id)
        facts = (
            MemberFacts(member.is_bot, member.deleted, member.home_seen_at is not None) if member else None
        )
    if user_id == actor.bot_user_id or (facts is not None and (facts.is_bot or facts.deleted)):
        raise InvalidInput("not_a_person", user=user_id)


def _require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise PermissionDenied("not_manager")


def validate_setting(key: str, value: str) -> str:
    """The normalized value of a workspace setting, or InvalidInput naming the problem."""
    validators = {
        "timezone": validate_timezone,
        "currency": validate_currency,
        "language": validate_language,
    }
    if key not in validators:
        raise InvalidInput("unknown_setting", key=key)
    try:
        return validators[key](value)
    except ValueError:
        raise InvalidInput(f"bad_{key}", value=value) from None


def change_setting(session: Session, actor: Actor, *, key: str, value: str) -> SettingChange:
    """Change timezone, currency or language; only managers may. Setting the same value changes nothing."""
    _require_manager(actor)
    workspace = get_workspace(session, actor.team_id)
    new = validate_setting(key, value)
    old = str(getattr(workspace, key))
    if new == old:
        return SettingChange(key=key, old=old, new=new, changed=False)
    setattr(workspace, key, new)
    workspace.updated_at = actor.now
    session.add(workspace)
    _forget_everyone(session)
    return SettingChange(key=key, old=old, new=new)


def set_ops_lead(session: Session, actor: Actor, *, user_id: str, lead: bool) -> list[str]:
    """Make `user_id` an ops lead (or not); returns the new list. Only managers may."""
    _require_manager(actor)
    workspace = get_workspace(session, actor.team_id)
    if lead:
        require_person(session, actor, user_id)
    leads = [u for u in workspace.ops_leads if u != user_id]
    if lead:
        leads.append(user_id)
    elif user_id not in workspace.ops_leads:
        raise InvalidInput("not_ops_lead", user=user_id)
    workspace.ops_leads = leads
    workspace.updated_at = actor.now
    session.add(workspace)
    _forget_everyone(session)
    return leads


def managers(session: Session, team_id: str) -> list[str]:
    """Who manages the workspace: its ops leads, then its admins and owners (people, not bots)."""
    workspace = get_workspace(session, team_id)
    admins = session.exec(
        select(Member.user_id).where(
            Member.team_id == team_id,
            sa.or_(col(Member.is_admin), col(Member.is_owner)),
            col(Member.is_bot).is_(False),
            col(Member.deleted).is_(False),
        )
    ).all()
    return list(dict.fromkeys([*(workspace.ops_leads or []), *sorted(admins)]))


def people(session: Session, team_id: str) -> list[str]:
    """The workspace's people (members met, not bots, not deactivated), by id."""
    rows = session.exec(
        select(Member.user_id).where(
            Member.team_id == team_id, col(Member.is_bot).is_(False), col(Member.deleted).is_(False)
        )
    )
    return sorted(rows)
