"""Workspace settings and roles, on a real database session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.clock import FixedClock
from ecombot.config import WorkspaceDefaults
from ecombot.errors import InvalidInput, PermissionDenied
from ecombot.workspaces import service
from ecombot.workspaces.models import Workspace

DEFAULTS = WorkspaceDefaults(
    timezone="Asia/Shanghai", currency="CNY", language="zh-CN", ops_leads=("U_LEAD",)
)


def _setup(session: Session, clock: FixedClock) -> None:
    service.ensure_workspace(session, team_id="T1", defaults=DEFAULTS, now=clock.now(), name="shop")
    service.save_member(
        session,
        team_id="T1",
        profile=service.UserProfile("U_ADMIN", name="boss", is_admin=True),
        now=clock.now(),
    )
    service.save_member(
        session, team_id="T1", profile=service.UserProfile("U_MEMBER", name="m"), now=clock.now()
    )
    session.commit()


def _as(session: Session, clock: FixedClock, user: str) -> Caller:
    """Who `user` is in T1, as every request sees them (role from the database)."""
    caller = service.caller_of(session, "T1", user, clock.now())
    assert caller is not None
    return caller


def test_first_contact_creates_the_workspace_with_the_configured_defaults(
    session: Session, clock: FixedClock
) -> None:
    workspace = service.ensure_workspace(
        session, team_id="T1", defaults=DEFAULTS, now=clock.now(), name="shop"
    )
    session.commit()
    assert (workspace.timezone, workspace.currency, workspace.language) == ("Asia/Shanghai", "CNY", "zh-CN")
    assert workspace.ops_leads == ["U_LEAD"]
    again = service.ensure_workspace(
        session, team_id="T1", defaults=WorkspaceDefaults(timezone="UTC"), now=clock.now()
    )
    assert again.timezone == "Asia/Shanghai"


def test_admin_changes_timezone(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    change = service.change_setting(
        session, _as(session, clock, "U_ADMIN"), key="timezone", value="Europe/Berlin"
    )
    session.commit()
    assert change == service.SettingChange("timezone", "Asia/Shanghai", "Europe/Berlin")
    assert session.get(Workspace, "T1").timezone == "Europe/Berlin"  # type: ignore[union-attr]


def test_ops_lead_from_config_may_change_settings(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    lead = _as(session, clock, "U_LEAD")
    assert lead.is_manager and not lead.known  # a lead by configuration, not met yet
    change = service.change_setting(session, lead, key="currency", value="usd")
    assert change.new == "USD"


def test_setting_the_same_value_changes_nothing(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    change = service.change_setting(session, _as(session, clock, "U_ADMIN"), key="language", value="zh")
    assert change == service.SettingChange("language", "zh-CN", "zh-CN", changed=False)


def test_member_is_refused_and_nothing_changes(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    with pytest.raises(PermissionDenied) as info:
        service.change_setting(
            session, _as(session, clock, "U_MEMBER"), key="timezone", value="Europe/Berlin"
        )
    assert info.value.code == "not_manager"
    session.rollback()
    assert session.get(Workspace, "T1").timezone == "Asia/Shanghai"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("timezone", "Mars/Base", "bad_timezone"),
        ("timezone", "../../etc/passwd", "bad_timezone"),
        ("currency", "dollars", "bad_currency"),
        ("currency", "XYZ", "bad_currency"),
        ("language", "fr", "bad_language"),
        ("colour", "red", "unknown_setting"),
    ],
)
def test_bad_values_are_refused(session: Session, clock: FixedClock, key: str, value: str, code: str) -> None:
    _setup(session, clock)
    with pytest.raises(InvalidInput) as info:
        service.change_setting(session, _as(session, clock, "U_ADMIN"), key=key, value=value)
    assert info.value.code == code


def test_language_accepts_common_spellings(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    admin = _as(session, clock, "U_ADMIN")
    for spelling, expected in (("English", "en"), ("zh", "zh-CN"), ("简体中文", "zh-CN"), ("en-US", "en")):
        change = service.change_setting(session, admin, key="language", value=spelling)
        assert change.new == expected


def test_ops_leads_are_added_and_removed_by_managers_only(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    admin = _as(session, clock, "U_ADMIN")
    with pytest.raises(PermissionDenied):
        service.set_ops_lead(session, _as(session, clock, "U_MEMBER"), user_id="U_MEMBER", lead=True)
    leads = service.set_ops_lead(session, admin, user_id="U_MEMBER", lead=True)
    assert leads == ["U_LEAD", "U_MEMBER"]
    # Adding twice does not duplicate.
    leads = service.set_ops_lead(session, admin, user_id="U_MEMBER", lead=True)
    assert leads == ["U_LEAD", "U_MEMBER"]
    session.flush()
    # Now a lead, the member may change the leads too.
    leads = service.set_ops_lead(session, _as(session, clock, "U_MEMBER"), user_id="U_LEAD", lead=False)
    assert leads == ["U_MEMBER"]
    session.commit()
    assert session.get(Workspace, "T1").ops_leads == ["U_MEMBER"]  # type: ignore[union-attr]
    with pytest.raises(InvalidInput):
        service.set_ops_lead(session, admin, user_id="U_LEAD", lead=False)


def test_a_bot_or_a_deactivated_account_cannot_be_an_ops_lead(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    for profile in (service.UserProfile("U_ROBOT", is_bot=True), service.UserProfile("U_GONE", deleted=True)):
        service.save_member(session, team_id="T1", profile=profile, now=clock.now())
    admin = _as(session, clock, "U_ADMIN")
    for user in ("U_ROBOT", "U_GONE"):
        with pytest.raises(InvalidInput) as info:
            service.set_ops_lead(session, admin, user_id=user, lead=True)
        assert info.value.code == "not_a_person"


def test_caller_of_uses_the_workspace_settings_for_a_member_not_met_yet(
    session: Session, clock: FixedClock
) -> None:
    _setup(session, clock)
    service.save_member(
        session,
        team_id="T1",
        profile=service.UserProfile("U_LI", locale="zh-CN", tz="Europe/Berlin"),
        now=clock.now(),
    )
    li = _as(session, clock, "U_LI")
    assert (li.locale, li.tz, li.known, li.is_manager) == ("zh-CN", "Europe/Berlin", True, False)
    stranger = _as(session, clock, "U_NEW")
    assert (stranger.locale, stranger.tz, stranger.known) == ("zh-CN", "Asia/Shanghai", False)
    assert service.caller_of(session, "T_UNKNOWN", "U_LI", clock.now()) is None


def test_member_freshness_and_locale_kept_when_slack_omits_it(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    member = service.save_member(
        session,
        team_id="T1",
        profile=service.UserProfile("U_LI", locale="zh-CN", tz="Asia/Shanghai"),
        now=clock.now(),
    )
    assert service.member_is_fresh(member, clock.now() + timedelta(hours=23))
    assert not service.member_is_fresh(member, clock.now() + timedelta(hours=25))
    # user_change events carry no locale: keep the one users.info gave.
    member = service.save_member(
        session, team_id="T1", profile=service.UserProfile("U_LI", tz="Europe/Berlin"), now=clock.now()
    )
    assert (member.locale, member.tz) == ("zh-CN", "Europe/Berlin")
