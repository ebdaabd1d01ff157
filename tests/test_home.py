"""App Home as the team's dashboard: every domain's section, within Slack's 100 blocks however much
data there is, with "more" hints to the full lists; checked by the fake's Block Kit rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.actor import Actor
from ecombot.campaigns import service as campaigns
from ecombot.clock import FixedClock
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.tasks import service as tasks
from tests.campaigns.support import say, texts


def _open_home(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    fake.clear()
    result = slack.event({"type": "app_home_opened", "user": user, "channel": f"D_{user}", "tab": "home"})
    assert result.status == 200
    view = fake.home_views.get(user)
    assert view is not None, f"no Home published for {user}"
    assert len(view["blocks"]) <= 100
    return view


def _headers(view: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


def test_a_new_workspace_home_shows_the_empty_state_and_how_to_start(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    say(slack, "/ecom help", user="U_SAM")  # the workspace exists; nothing else does
    view = _open_home(slack, fake, "U_SAM")
    assert _headers(view) == ["Your tasks"]
    assert "No open tasks" in texts(view) or "no open tasks" in texts(view).lower()
    assert "Coming up" not in texts(view)
    li = _open_home(slack, fake, "U_LI")
    assert _headers(li) == ["我的任务"]


CATEGORIES = ("platform", "marketing", "technology", "people", "reserve")


def _seed_large_workspace(db: Engine, clock: FixedClock, slack: SlackDriver) -> None:
    """Hundreds of tasks and campaigns, a standup, a digest, a retro, budgets, risks and targets."""
    for line in (
        "/standup config time:09:30 summary:11:00",
        "/kpi digest daily",
        "/kpi target gmv 100000",
        "/retro schedule fri 16:00",
        "/scorecard schedule monthly on",
        *(f"/budget set {c} 1000 period:2026-11" for c in CATEGORIES),
        *(f"/budget spend {c} 950 date:2026-11-20" for c in CATEGORIES),
        *(f"/risk add Risk number {n} category:platform likelihood:4 impact:5" for n in range(25)),
    ):
        reply = say(slack, line)
        assert ":no_entry:" not in texts(reply), (line, texts(reply))
    now = clock.now()
    boss = Actor(team_id="T_DEMO", user_id="U_DEMO", now=now, tz="Asia/Shanghai", is_manager=True)
    with Session(db) as session:
        for n in range(300):
            due = date(2026, 11, 10) + timedelta(days=n % 40)
            tasks.add_task(session, boss, tasks.TaskDraft(f"Own task {n}", "U_DEMO", due_date=due))
            tasks.add_task(
                session, boss, tasks.TaskDraft(f"Late task {n}", "U_LI", due_date=date(2026, 11, 1))
            )
        for n in range(200):
            draft = campaigns.Draft(
                name=f"Campaign {n}",
                budget=Decimal(10000 + n),
                currency="CNY",
                start=date(2026, 11, 1),
                end=date(2026, 12, 31),
                owner_id="U_DEMO" if n % 2 else "U_LI",
                target_roas=Decimal("3"),
            )
            campaigns.create(session, boss, draft)
        session.commit()


def test_a_large_workspace_home_fits_in_100_blocks_with_every_section_and_more_hints(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    _seed_large_workspace(db, clock, slack)

    view = _open_home(slack, fake, "U_DEMO")  # an admin: the team's view too
    text = texts(view)
    assert _headers(view) == [
        "Your tasks",
        "Standups",
        "This month's KPIs",
        "Active campaigns",
        "Budgets near or over their thresholds",
        "High risks",
        "Coming up",
    ]
    # Each list is cut with a pointer to its full list.
    assert "more: `/task list`" in text
    assert "*Overdue across the team* (300)" in text and "more: `/task list overdue`" in text
    assert "more: `/campaign list`" in text
    assert "Risk number" in text
    # Coming up: the standup questions and report, tomorrow's digest, Friday's retro, soonest first.
    coming = view["blocks"][-1]["text"]["text"]
    lines = coming.splitlines()
    assert lines[0].startswith("*Mon, Nov 23, 09:30*") or lines[0].startswith("*Mon, Nov 23, 11:00*")
    assert any("Standup report in <#C_DEMO>" in line for line in lines)
    assert any("Daily KPI digest in <#C_DEMO>" in line for line in lines)
    assert any(
        line.startswith("*Fri, Nov 27, 16:00*") and "Weekly retro opens in <#C_DEMO>" in line
        for line in lines
    )

    # A plain member: their own things, no team-wide lists.
    sam = _open_home(slack, fake, "U_SAM")
    assert "High risks" not in _headers(sam)
    assert "Overdue across the team" not in texts(sam)

    # Li reads it in Chinese, with her own tasks and the next posts in her language.
    li = _open_home(slack, fake, "U_LI")
    assert "我的任务" in _headers(li) and "即将发送" in _headers(li)
    assert "站会汇总" in texts(li)
