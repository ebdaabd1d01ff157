"""Workspace settings and roles, on a real database session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

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
        session, team_id="T1", actor_id="U_ADMIN", key="timezone", value="Europe/Berlin", now=clock.now()
    )
    session.commit()
    assert change == service.SettingChange("timezone", "Asia/Shanghai", "Europe/Berlin")
    assert session.get(Workspace, "T1").timezone == "Europe/Berlin"  # type: ignore[union-attr]


def test_ops_lead_from_config_may_change_settings(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    change = service.change_setting(
        session, team_id="T1", actor_id="U_LEAD", key="currency", value="usd", now=clock.now()
    )
    assert change.new == "USD"


def test_member_is_refused_and_nothing_changes(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    with pytest.raises(PermissionDenied) as info:
        service.change_setting(
            session, team_id="T1", actor_id="U_MEMBER", key="timezone", value="Europe/Berlin", now=clock.now()
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
        service.change_setting(
            session, team_id="T1", actor_id="U_ADMIN", key=key, value=value, now=clock.now()
        )
    assert info.value.code == code


def test_language_accepts_common_spellings(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    for spelling, expected in (("English", "en"), ("zh", "zh-CN"), ("简体中文", "zh-CN"), ("en-US", "en")):
        change = service.change_setting(
            session, team_id="T1", actor_id="U_ADMIN", key="language", value=spelling, now=clock.now()
        )
        assert change.new == expected


def test_ops_leads_are_added_and_removed_by_managers_only(session: Session, clock: FixedClock) -> None:
    _setup(session, clock)
    leads = service.set_ops_lead(
        session, team_id="T1", actor_id="U_ADMIN", user_id="U_MEMBER", lead=True, now=clock.now()
    )
    assert leads == ["U_LEAD", "U_MEMBER"]
    # Adding twice does not duplicate.
    leads = service.set_ops_lead(
        session, team_id="T1", actor_id="U_ADMIN", user_id="U_MEMBER", lead=True, now=clock.now()
    )
    assert leads == ["U_LEAD", "U_MEMBER"]
    leads = service.set_ops_lead(
        session, team_id="T1", actor_id="U_MEMBER", user_id="U_LEAD", lead=False, now=clock.now()
    )
    assert leads == ["U_MEMBER"]
    session.commit()
    assert session.get(Workspace, "T1").ops_leads == ["U_MEMBER"]  # type: ignore[union-attr]
    with pytest.raises(InvalidInput):
        service.set_ops_lead(
            session, team_id="T1", actor_id="U_ADMIN", user_id="U_LEAD", lead=False, now=clock.now()
        )


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
