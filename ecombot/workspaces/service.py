"""Workspaces and members: creation on first contact, settings, roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from ecombot.config import WorkspaceDefaults, validate_currency, validate_language, validate_timezone
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.workspaces.models import Member, Workspace

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


def ensure_workspace(
    session: Session, *, team_id: str, defaults: WorkspaceDefaults, now: datetime, name: str = ""
) -> Workspace:
    """The workspace row, created with the configured defaults on first contact."""
    workspace = session.get(Workspace, team_id)
    if workspace is not None:
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


def get_workspace(session: Session, team_id: str) -> Workspace:
    """The workspace, or NotFound."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        raise NotFound("workspace_unknown", team_id=team_id)
    return workspace


def get_member(session: Session, team_id: str, user_id: str) -> Member | None:
    """What we know of a user in this workspace, if anything."""
    return session.get(Member, (team_id, user_id))


def member_is_fresh(member: Member | None, now: datetime) -> bool:
    """True when the member row is recent enough to skip asking Slack."""
    return member is not None and now - member.refreshed_at < MEMBER_TTL


def save_member(session: Session, *, team_id: str, profile: UserProfile, now: datetime) -> Member:
    """Insert or refresh a member from a Slack profile; a missing locale keeps the one we had."""
    member = session.get(Member, (team_id, profile.user_id))
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


def is_manager(workspace: Workspace, member: Member | None, user_id: str) -> bool:
    """Workspace admins, owners and configured ops leads may change settings, budgets and schedules."""
    if user_id in workspace.ops_leads:
        return True
    return member is not None and (member.is_admin or member.is_owner)


def _require_manager(session: Session, workspace: Workspace, actor_id: str) -> None:
    if not is_manager(workspace, get_member(session, workspace.team_id, actor_id), actor_id):
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


def change_setting(
    session: Session, *, team_id: str, actor_id: str, key: str, value: str, now: datetime
) -> SettingChange:
    """Change timezone, currency or language; only managers may."""
    workspace = get_workspace(session, team_id)
    _require_manager(session, workspace, actor_id)
    new = validate_setting(key, value)
    old = str(getattr(workspace, key))
    setattr(workspace, key, new)
    workspace.updated_at = now
    session.add(workspace)
    return SettingChange(key=key, old=old, new=new)


def set_ops_lead(
    session: Session, *, team_id: str, actor_id: str, user_id: str, lead: bool, now: datetime
) -> list[str]:
    """Make `user_id` an ops lead (or not); returns the new list. Only managers may."""
    workspace = get_workspace(session, team_id)
    _require_manager(session, workspace, actor_id)
    leads = [u for u in workspace.ops_leads if u != user_id]
    if lead:
        leads.append(user_id)
    elif user_id not in workspace.ops_leads:
        raise InvalidInput("not_ops_lead", user=user_id)
    workspace.ops_leads = leads
    workspace.updated_at = now
    session.add(workspace)
    return leads
