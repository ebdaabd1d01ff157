"""Permissions, as a matrix: every command that changes budgets, targets, digests, schedules,
settings, campaigns, risks, experiments, scorecards or someone else's record, tried by a plain
member, the record's owner, an ops lead and a workspace admin.

Each cell runs in a workspace of its own, set up the same way (U_LI made an ops lead by the admin,
the record made by or for its owner), so one cell's change cannot decide another's. A refused cell
must say so and change no row of its workspace; an allowed one must be answered without a refusal
and change something. The expected cells follow the README's rules ("admins and ops leads", "the
owner, the creator and ops leads"). The counts are printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from tests.support import SIGNING_SECRET
from tests.workspaces.activity import rows_by_table

ROLES = {"member": "U_MIA", "owner": "U_SAM", "lead": "U_LI", "admin": "U_DEMO"}
SAM = "<@U_SAM>"
MANAGERS = frozenset({"lead", "admin"})
OWNERS = frozenset({"owner", "lead", "admin"})
REFUSALS = (":no_entry:", "Usage: ", "用法：")


@dataclass(frozen=True)
class Case:
    line: str  # the attempt; empty: only the button
    allowed: frozenset[str]
    setup: tuple[tuple[str, str], ...] = field(default=())  # (line, role), before the attempt
    # A button the role then clicks: in the attempt's reply (a confirmation), or, without a line,
    # in the last setup reply (the card its owner got).
    button: str = ""


CASES = {
    "budget set": Case("/budget set marketing 5000 period:2026-11", MANAGERS),
    "budget alerts": Case("/budget alerts 50,80", MANAGERS),
    "budget move": Case(
        "/budget move 100 from:marketing to:platform period:2026-11",
        MANAGERS,
        (
            ("/budget set marketing 5000 period:2026-11", "admin"),
            ("/budget set platform 1000 period:2026-11", "admin"),
        ),
    ),
    "budget spend (line owner)": Case(
        "/budget spend marketing 100 date:2026-11-20",
        OWNERS,
        ((f"/budget set marketing 5000 period:2026-11 owner:{SAM}", "admin"),),
    ),
    "kpi target": Case("/kpi target gmv 100000 period:2026-11", MANAGERS),
    "kpi digest": Case("/kpi digest daily", MANAGERS),
    "settings timezone": Case("/ecom settings timezone Asia/Tokyo", MANAGERS),
    "settings lead add": Case("/ecom settings lead add <@U_MIA>", MANAGERS),
    "standup config": Case(
        "/standup config time:10:00", MANAGERS, (("/standup config time:09:30", "admin"),)
    ),
    "standup pause": Case("/standup pause", MANAGERS, (("/standup config time:09:30", "admin"),)),
    "retro schedule": Case("/retro schedule fri 16:00", MANAGERS),
    "campaign edit": Case(
        "/campaign edit Double12 budget:9000",
        OWNERS,
        ((f"/campaign new Double12 budget:5000 owner:{SAM}", "admin"),),
    ),
    "campaign close": Case(
        "/campaign close Double12", OWNERS, ((f"/campaign new Double12 budget:5000 owner:{SAM}", "admin"),)
    ),
    "risk update": Case("/risk update 1 impact:5", OWNERS, (("/risk add Outage", "owner"),)),
    "risk status": Case("/risk status 1 mitigated", OWNERS, (("/risk add Outage", "owner"),)),
    "task done": Case("/task done 1", OWNERS, (("/task add Poster", "owner"),)),
    "task due": Case("/task due 1 2026-12-01", OWNERS, (("/task add Poster", "owner"),)),
    "task assign": Case("/task assign 1 <@U_MIA>", OWNERS, (("/task add Poster", "owner"),)),
    "task delete + confirm button": Case(
        "/task delete 1", OWNERS, (("/task add Poster", "owner"),), button="tasks.delete_confirm"
    ),
    "task done button": Case("", OWNERS, (("/task add Poster", "owner"),), button="tasks.done"),
    "task snooze button": Case(
        "", OWNERS, (("/task add Poster due:2026-11-20", "owner"),), button="tasks.snooze"
    ),
    "campaign delete + confirm button": Case(
        "/campaign delete Double12",
        OWNERS,
        ((f"/campaign new Double12 budget:5000 owner:{SAM}", "admin"),),
        button="campaigns.delete_confirm",
    ),
    "abtest decide": Case(
        '/abtest decide hero A reason:"bigger"',
        OWNERS,
        (('/abtest new hero hypothesis:"a bigger photo sells" metric:conversion variants:A,B', "owner"),),
    ),
    "scorecard target": Case(f"/scorecard target {SAM} tasks_done 5", MANAGERS),
    "scorecard schedule": Case("/scorecard schedule monthly on", MANAGERS),
}


def _text(result: Any) -> str:
    if not result.text.startswith("{"):
        return result.text
    reply = json.loads(result.text)
    return json.dumps(reply, ensure_ascii=False)


@pytest.mark.parametrize("name", list(CASES))
def test_permission_matrix(name: str, local_app: LocalApp, fake: FakeSlack, db: Engine, team: str) -> None:
    case = CASES[name]
    cells: dict[str, str] = {}
    for n, (role, user) in enumerate(ROLES.items()):
        team_id = f"T_P{abs(hash(name)) % 10_000}{n}"
        driver = SlackDriver(local_app.url, SIGNING_SECRET, fake, team_id=team_id, settle=local_app.settle)
        for person in ROLES.values():  # met first: the bot learns who is an admin after a first request
            assert driver.command("/ecom help", user=person).status == 200
        setup = (("/ecom settings lead add <@U_LI>", "admin"), *case.setup)
        last: Any = None
        for line, who in setup:
            last = driver.command(line, user=ROLES[who])
            assert last.status == 200 and not any(r in _text(last) for r in REFUSALS), (
                name,
                line,
                _text(last),
            )
        before = rows_by_table(db, team_id)
        posts = len(fake.response_url_posts) + len(fake.calls)
        text = ""
        if case.line:
            result = driver.command(case.line, user=user)
            assert result.status == 200, (name, role, result.text)
            text = _text(result)
            last = result
        refused = any(r in text for r in REFUSALS)
        if case.button and not refused:
            reply = json.loads(last.text) if last.text.startswith("{") else {}
            found = [
                (block, e)
                for block, e in buttons_in(reply.get("blocks") or [])
                if e["action_id"] == case.button
            ]
            assert found, f"{name}: no {case.button} button in {_text(last)[:300]}"
            block_id, element = found[0]
            clicked = driver.click(element, user=user, block_id=block_id, ephemeral=True)
            assert clicked.status == 200, (name, role, clicked.text)
            answers = (
                fake.response_url_posts[-1:] if len(fake.response_url_posts) + len(fake.calls) > posts else []
            )
            text = json.dumps(answers, ensure_ascii=False)
        changed = rows_by_table(db, team_id) != before
        if role in case.allowed:
            assert not refused and changed, f"{name}: the {role} was refused or nothing changed: {text[:400]}"
            cells[role] = "allowed"
        else:
            assert not changed, f"{name}: the {role} is not allowed, but rows changed: {text[:400]}"
            assert refused or (case.button and text != "[]"), f"{name}: the {role} was not told: {text[:400]}"
            cells[role] = "refused"
    print(f"\n{name}: " + ", ".join(f"{role} {verdict}" for role, verdict in cells.items()))
