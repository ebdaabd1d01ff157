"""Isolation: two workspaces with the same people (user ids), the same channel name, and the same
campaign, budget category, risk, experiment and scorecard names, each with its own figures and
titles. Every read path of each (the read commands, App Home, and everything the app sends to Slack
while answering them) shows its own data and never the other's. The counts are printed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine

from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from tests.support import SIGNING_SECRET, texts_in

LI = "<@U_LI>"

# Each workspace's own words and numbers: `{mark}` is the workspace's secret word, `{n}` a digit
# that makes every amount its own (1 for T_DEMO, 7 for T_OTHER).
WRITES = (
    ("/task add Poster {mark} {li} due:fri", "U_DEMO"),
    ("/task add Stock check {mark} due:tomorrow", "U_SAM"),
    ("/ecom settings lead add {li}", "U_DEMO"),
    (
        '/standup config time:09:30 summary:11:00 days:mon-fri questions:"Done {mark}?|Today?|!Blockers?"',
        "U_DEMO",
    ),
    ("/standup join", "U_LI"),
    (
        "/campaign new Double12 budget:{n}{n}{n}00 start:2026-11-20 end:2026-12-12 category:marketing",
        "U_DEMO",
    ),
    ("/campaign log Double12 date:2026-11-22 spend:{n}{n}{n}{n} revenue:{n}3{n}3{n} orders:{n}{n}", "U_DEMO"),
    ("/budget set marketing {n}8{n}65 period:2026-11", "U_DEMO"),
    ('/budget spend marketing {n}32 date:2026-11-22 note:"fee {mark}"', "U_DEMO"),
    ("/kpi target gmv {n}5{n}5{n}5 period:2026-11", "U_DEMO"),
    ("/kpi log sessions {n}6{n}2 date:2026-11-22", "U_DEMO"),
    ('/risk add Outage {mark} category:payment likelihood:3 impact:4 plan:"switch {mark}"', "U_DEMO"),
    ('/abtest new hero hypothesis:"{mark} sells" metric:conversion variants:A,B', "U_DEMO"),
    ("/abtest log hero A visitors:{n}9{n}9 conversions:{n}{n}", "U_DEMO"),
    ("/retro now", "U_DEMO"),
    ("/scorecard target {li} tasks_done {n}", "U_DEMO"),
)

READS = (
    "/task list all",
    "/task list mine",
    "/task list @U_LI",
    "/task show 1",
    "/task show 2",
    "/ecom settings",
    "/standup show",
    "/standup report 2026-11-01..2026-11-30",
    "/standup stats",
    "/campaign list all",
    "/campaign show Double12",
    "/campaign sources",
    "/budget status 2026-11",
    "/budget log marketing 2026-11",
    "/budget categories",
    "/kpi show 2026-11",
    "/kpi funnel 2026-11",
    "/kpi targets",
    "/retro actions all",
    "/retro history",
    "/risk list all",
    "/risk show 1",
    "/abtest list",
    "/abtest show hero",
    "/scorecard team 2026-11",
    "/scorecard",
)

WORKSPACES = {"T_DEMO": ("DEMOSECRET", "1", "C_DEMO"), "T_OTHER": ("OTHERSECRET", "7", "C_OTHER")}


def _marks(team: str) -> tuple[str, ...]:
    """What only `team`'s data can show: its secret word and its amounts (both number formats)."""
    mark, n, _ = WORKSPACES[team]
    amounts = [f"{n}{n}{n}{n}", f"{n}3{n}3{n}", f"{n}8{n}65", f"{n}5{n}5{n}5", f"{n}6{n}2", f"{n}9{n}9"]
    grouped = [f"{int(a):,}" for a in amounts]
    return (mark, *amounts, *grouped)


@pytest.fixture
def drivers(local_app: LocalApp, fake: FakeSlack, slack: SlackDriver, team: str) -> dict[str, SlackDriver]:
    # The same channel name in both workspaces, with the same people in it.
    fake.add_channel("C_OTHER", name="ops", members=("U_DEMO", "U_LI", "U_SAM", "U_MIA"))
    other = SlackDriver(local_app.url, SIGNING_SECRET, fake, team_id="T_OTHER", settle=local_app.settle)
    found = {"T_DEMO": slack, "T_OTHER": other}
    for team_id, driver in found.items():
        mark, n, channel = WORKSPACES[team_id]
        for line, user in WRITES:
            result = driver.command(line.format(mark=mark, n=n, li=LI), user=user, channel=channel)
            assert result.status == 200, (team_id, line, result.text)
            text = texts_in(json.loads(result.text)) if result.text.startswith("{") else ""
            assert not any(w in text for w in ("Usage", "用法", ":no_entry:")), (team_id, line, text)
    return found


def test_no_read_path_of_one_workspace_shows_the_others_data(
    drivers: dict[str, SlackDriver], fake: FakeSlack, db: Engine
) -> None:
    checked = 0
    own_seen = {"T_DEMO": 0, "T_OTHER": 0}
    for team_id, driver in drivers.items():
        other = next(t for t in WORKSPACES if t != team_id)
        _, _, channel = WORKSPACES[team_id]
        foreign = _marks(other)
        for line in READS:
            for user in ("U_DEMO", "U_LI"):
                calls_before = len(fake.calls)
                result = driver.command(line, user=user, channel=channel)
                assert result.status == 200, (team_id, line)
                seen = (result.text, *(texts_in(call.args) for call in fake.calls[calls_before:]))
                shown = "\n".join(seen)
                leaked = [mark for mark in foreign if mark in shown]
                assert leaked == [], f"{team_id} {user} `{line}` showed {other}'s {leaked}: {shown[:800]}"
                own_seen[team_id] += any(mark in shown for mark in _marks(team_id))
                checked += 1
        for user in ("U_DEMO", "U_LI", "U_SAM"):
            calls_before = len(fake.calls)
            assert driver.event({"type": "app_home_opened", "user": user, "tab": "home"}).status == 200
            shown = "\n".join(texts_in(call.args) for call in fake.calls[calls_before:])
            assert [mark for mark in foreign if mark in shown] == [], f"{team_id} {user} Home: {shown[:800]}"
            own_seen[team_id] += any(mark in shown for mark in _marks(team_id))
            checked += 1
    # The reads showed data (their own), so the absence of the other's means something.
    assert min(own_seen.values()) >= 20, own_seen
    print(
        f"\nisolation: {checked} read paths checked in 2 workspaces, {sum(own_seen.values())} showed their own data, 0 leaks"
    )
