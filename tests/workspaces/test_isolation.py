"""Isolation: two workspaces with the same people (user ids), the same channel name, and the same
campaign, budget category, risk, experiment and scorecard names, each with its own figures and
titles. Every read path of each (the read commands, App Home, and everything the app sends to Slack
while answering them) shows its own data and never the other's. The counts are printed."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.fakeslack.model import Call
from ecombot.devtools.local import LocalApp
from tests.support import (
    BOT_TOKEN,
    SIGNING_SECRET,
    cli_env,
    run_due,
    run_ecombot,
    shown_in,
    table_snapshot,
    texts_in,
)
from tests.workspaces.support import READS

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


# What each workspace adds for the scheduled and file paths: digests to its channel, alert
# thresholds, a campaign that ends within the week (its evaluation), a task due in it (reminders).
SCHEDULED = (
    "/kpi digest daily channel:<#{channel}|ops> at:09:00",
    "/kpi digest weekly channel:<#{channel}|ops> at:09:00 day:mon",
    "/kpi digest monthly channel:<#{channel}|ops> at:09:00",
    "/budget alerts 50,80,100 channel:<#{channel}|ops>",
    "/campaign new Flash budget:{n}4{n}00 start:2026-11-20 end:2026-11-24 category:marketing",
    "/campaign log Flash date:2026-11-23 spend:{n}4{n}0 revenue:{n}7{n}7{n} orders:{n}2",
    "/task add Call {mark} {li} due:2026-11-24",
    '/risk add Returns {mark} category:supply likelihood:2 impact:3 review:weekly plan:"refund {mark}"',
    "/scorecard schedule monthly on",
)


# What each kind of scheduled message says (in English or Chinese: each person's own language).
SCHEDULED_KINDS = {
    "task reminder": ("overdue", "逾期"),
    "standup prompt": ("Standup for", "的站会（"),
    "standup report": ("Standup ·", "站会 ·"),
    "daily digest": ("Daily KPIs", "每日数据"),
    "weekly digest": ("Weekly KPIs", "每周数据"),
    "monthly report": ("Monthly KPIs", "数据月报"),
    "anomaly alert": (":rotating_light:",),
    "budget threshold alert": ("has used", "预算已使用"),
    "budget pacing": ("spending ahead of plan", "花费快于计划"),
    "campaign evaluation": ("Campaign evaluation", "活动评估"),
    "retro summary": ("Retro summary", "复盘总结"),
    "risk review": ("weekly review of", "每周复查"),
    "scorecard": ("scorecard", "计分卡"),
}


def _orders_csv(team: str) -> str:
    """Eight weeks of orders, about 20 a day, then a collapse on 2026-11-22 (an anomaly alert), in a
    sales channel named after the workspace's secret word; each workspace its own order amounts."""
    from datetime import date, timedelta

    mark, n, _ = WORKSPACES[team]
    lines = ["order_id,customer_id,created_at,total,status,channel"]
    day = date(2026, 9, 27)
    number = 0
    while day <= date(2026, 11, 22):
        count = 2 if day == date(2026, 11, 22) else 20 + day.day % 3
        for _ in range(count):
            number += 1
            lines.append(
                f"O{number},c{number % 40},{day.isoformat()}T10:00:00+08:00,{n}{n}.{n}0,paid,{mark}-shop"
            )
        day += timedelta(days=1)
    return "\n".join(lines) + "\n"


def test_no_scheduled_or_file_path_of_one_workspace_shows_the_others_data(
    drivers: dict[str, SlackDriver],
    fake: FakeSlack,
    db: Engine,
    settings: Settings,
    database_url: str,
    tmp_path: Path,
) -> None:
    """Imports, exports (by DM and by the CLI), the alert a command raises, and a week and a day of
    the scheduler (reminders, standup prompts and reports, digests with charts, anomaly alerts, the
    campaign's evaluation, retros, risk reviews, scorecards, the monthly report), each workspace with
    its own bot token as OAuth installs have: none shows the other's data or posts into its channel."""
    env = cli_env(database_url, fake.api_url)
    checked: Counter[str] = Counter()
    own_seen: Counter[str] = Counter()

    def check(team_id: str, path: str, shown: str, channels: set[str] = frozenset()) -> None:
        other = next(t for t in WORKSPACES if t != team_id)
        leaked = [mark for mark in _marks(other) if mark in shown]
        assert leaked == [], f"{team_id} {path} showed {other}'s {leaked}: {shown[:800]}"
        assert WORKSPACES[other][2] not in channels, f"{team_id} {path} posted into {other}'s channel"
        checked[path] += 1
        own_seen[path] += any(mark in shown for mark in _marks(team_id))

    def seen_in(calls: list[Call], uploads: dict[str, bytes]) -> tuple[str, set[str]]:
        texts, channels = [], set()
        for call in calls:
            texts.append(shown_in(call.args))
            channels.add(str(call.args.get("channel") or call.args.get("channel_id") or ""))
            for entry in call.args.get("files") or []:
                data = uploads.get(str(entry.get("id")), b"")
                if not data.startswith(b"\x89PNG"):  # a chart is checked by its title and alt text
                    texts.append(data.decode("utf-8"))
        return "\n".join(texts), channels

    for team_id, driver in drivers.items():
        mark, n, channel = WORKSPACES[team_id]
        for line in SCHEDULED:
            result = driver.command(
                line.format(mark=mark, n=n, li=LI, channel=channel), user="U_DEMO", channel=channel
            )
            assert result.status == 200 and "Usage" not in result.text, (team_id, line, result.text)
        # Import: the CLI, into this workspace only.
        orders = tmp_path / f"orders-{team_id}.csv"
        orders.write_text(_orders_csv(team_id), encoding="utf-8")
        done = run_ecombot(["import", "orders", str(orders), "--team", team_id], env, tmp_path)
        assert done.returncode == 0, done.stderr
        check(team_id, "import", done.stdout + done.stderr)
        # The spend that crosses the budget: the scheduler's threshold alert below.
        result = driver.command(f"/budget spend marketing {n}9{n}00 date:2026-11-23", channel=channel)
        assert result.status == 200 and ":no_entry:" not in result.text, result.text
    # Each import landed in its own workspace only: the same order ids, each workspace its own rows.
    with db.connect() as conn:
        stored = dict(
            conn.execute(sa.text("SELECT team_id, count(*) FROM kpi_orders GROUP BY team_id")).all()
        )
    assert stored == {t: _orders_csv(t).count("\n") - 1 for t in WORKSPACES}, stored

    # A week and a day of the scheduler, hour by hour, each workspace delivered with its own token;
    # on the first morning U_DEMO answers both standup prompts by DM (each in its own words).
    before = len(fake.calls)
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    while at <= datetime(2026, 12, 1, 20, 0, tzinfo=UTC):
        run_due(db, settings, fake, at, token_for=lambda team: f"xoxb-{team}")
        if at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC):
            for team_id, driver in drivers.items():
                mark = WORKSPACES[team_id][0]
                answered = len(fake.calls)
                for answer in (f"Shipped {mark}", f"Ads {mark}", "none"):
                    assert driver.dm(answer).status == 200
                shown, channels = seen_in(fake.calls[answered:], fake.uploads)
                check(team_id, "standup answers by DM", shown, channels)
        at += timedelta(hours=1)
    scheduled = [c for c in fake.calls[before:] if c.token != BOT_TOKEN]
    assert {c.token for c in scheduled} == {"xoxb-T_DEMO", "xoxb-T_OTHER"}, {c.token for c in scheduled}
    uploads = fake.uploads
    for team_id in WORKSPACES:
        for call in [c for c in scheduled if c.token == f"xoxb-{team_id}"]:
            shown, channels = seen_in([call], uploads)
            check(team_id, f"scheduled {call.method}", shown, channels)
    posted = {
        t: sum(c.token == f"xoxb-{t}" and c.method == "chat.postMessage" for c in scheduled)
        for t in WORKSPACES
    }
    assert min(posted.values()) >= 20, posted
    # The data each showed was its own: digests, alerts, reports and files named its figures.
    assert own_seen["scheduled chat.postMessage"] >= 10, own_seen
    # Every kind of scheduled work ran for both workspaces, each in its own channel and DMs.
    for team_id in WORKSPACES:
        texts = [
            texts_in(c.args)
            for c in scheduled
            if c.token == f"xoxb-{team_id}" and c.method == "chat.postMessage"
        ]
        missing = [
            kind
            for kind, words in SCHEDULED_KINDS.items()
            if not any(any(w in t for w in words) for t in texts)
        ]
        assert missing == [], (team_id, missing)
    # Exports, after the week: by the CLI and by DM (the file the DM carries).
    for team_id, driver in drivers.items():
        _, _, channel = WORKSPACES[team_id]
        for kind in ("kpis", "standups"):
            made = run_ecombot(
                ["export", kind, "--team", team_id, "--from", "2026-11-01", "--to", "2026-11-30"],
                env,
                tmp_path,
            )
            assert made.returncode == 0, made.stderr
            check(team_id, f"export {kind} (CLI)", made.stdout)
        for line in (
            "/kpi export 2026-11",
            "/standup export 2026-11-01..2026-11-30",
            "/kpi digest now weekly",
        ):
            exported = len(fake.calls)
            result = driver.command(line, user="U_DEMO", channel=channel)
            assert result.status == 200, (team_id, line)
            shown, channels = seen_in(fake.calls[exported:], fake.uploads)
            check(team_id, line.split(" 2026")[0], result.text + shown, channels)
    assert own_seen["export standups (CLI)"] == own_seen["/standup export"] == 2, own_seen
    assert own_seen["export kpis (CLI)"] == own_seen["/kpi export"] == 2, own_seen
    # Asked in the same second by the same user id in both, each workspace got its own digest.
    assert own_seen["/kpi digest now weekly"] == 2, own_seen
    print(
        f"\nisolation, scheduled and file paths: {sum(checked.values())} outputs checked in 2 workspaces "
        f"({dict(checked)}), {sum(own_seen.values())} showed their own data, 0 leaks"
    )


def _team_rows(engine: Engine, team_id: str) -> set[tuple[str, str]]:
    """Every row that names the workspace, by table (as text: some columns hold JSON)."""
    return {
        (table, repr(row)) for table, rows in table_snapshot(engine).items() for row in rows if team_id in row
    }


def test_no_button_of_one_workspace_reaches_the_others_data_when_clicked_in_it(
    drivers: dict[str, SlackDriver], fake: FakeSlack, db: Engine
) -> None:
    """Every button and menu T_DEMO's people were shown (read replies and App Home), clicked by the
    same people in T_OTHER, where its values name T_DEMO's records: none shows T_DEMO's data, and
    none changes a row of T_DEMO."""
    demo, other = drivers["T_DEMO"], drivers["T_OTHER"]
    shown: list[tuple[dict[str, object], str, dict[str, object], str]] = []  # (source, kind, element, user)
    for user in ("U_DEMO", "U_LI"):
        for line in READS:
            result = demo.command(line, user=user, channel="C_DEMO")
            reply = json.loads(result.text) if result.text.startswith("{") else {}
            shown += [
                (reply, "reply", {**el, "block_id": b}, user) for b, el in buttons_in(reply.get("blocks", []))
            ]
        for line in (
            "/task add Extra DEMOSECRET due:fri",
            '/budget spend marketing 5 note:"x"',
            "/task done 2",
            "/ecom settings lead add <@U_SAM>",
            "/campaign delete Double12",  # Delete / Keep: T_DEMO's campaign, clicked in T_OTHER
        ):
            result = demo.command(line, user=user, channel="C_DEMO")  # replies with Undo, Edit, …
            reply = json.loads(result.text) if result.text.startswith("{") else {}
            shown += [
                (reply, "reply", {**el, "block_id": b}, user) for b, el in buttons_in(reply.get("blocks", []))
            ]
        assert demo.event({"type": "app_home_opened", "user": user, "tab": "home"}).status == 200
        home = fake.home_views[user]
        shown += [(home, "home", {**el, "block_id": b}, user) for b, el in buttons_in(home.get("blocks", []))]
    # What the bot posted in T_DEMO's channel (retro prompt, standup and campaign messages, …).
    for message in fake.messages("C_DEMO"):
        shown += [
            (message, "channel", {**el, "block_id": b}, "U_DEMO")
            for b, el in buttons_in(message.get("blocks", []))
        ]
    clickable = []
    for source, kind, element, user in shown:
        if element.get("type") == "static_select" and element.get("options"):
            element = {**element, "selected_option": element["options"][0]}  # type: ignore[index]
        if element.get("type") in ("button", "static_select", "overflow"):
            if element.get("type") == "overflow":
                element = {**element, "selected_option": element["options"][0]}  # type: ignore[index]
            clickable.append((source, kind, element, user))
    assert len({str(e.get("action_id")) for _, _, e, _ in clickable}) >= 8, clickable
    before = _team_rows(db, "T_DEMO")
    foreign = _marks("T_DEMO")
    for source, kind, element, user in clickable:
        calls_before = len(fake.calls)
        # The view or message as Slack would send it in T_OTHER (its own ids), with T_DEMO's values.
        if kind == "home":
            view = {**source, "team_id": "T_OTHER", "app_installed_team_id": "T_OTHER"}
            result = other.click(element, user=user, channel="", view=view)
        elif kind == "channel":
            result = other.click(element, user=user, channel="C_OTHER", message={**source, "team": "T_OTHER"})
        else:
            result = other.click(element, user=user, channel="C_OTHER", message=source, ephemeral=True)
        assert result.status == 200, (element.get("action_id"), result.text)
        seen = "\n".join((result.text, *(texts_in(c.args) for c in fake.calls[calls_before:])))
        leaked = [mark for mark in foreign if mark in seen]
        assert leaked == [], (
            f"{element.get('action_id')} clicked in T_OTHER showed T_DEMO's {leaked}: {seen[:800]}"
        )
    changed = before ^ _team_rows(db, "T_DEMO")
    assert changed == set(), sorted(changed)[:5]
    print(
        f"\nisolation, buttons: {len(clickable)} of T_DEMO's buttons and menus "
        f"({len({str(e.get('action_id')) for _, _, e, _ in clickable})} kinds) clicked in T_OTHER: "
        "0 showed its data, 0 of its rows changed"
    )
