"""A workspace at work, made through the real app: what the operations tests back up, restore, park
and delete. Every domain writes rows, so a table left out by a backup or a deletion shows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot import migrations
from ecombot.devtools.driver import SlackDriver

LI = "<@U_LI|li.na>"

COMMANDS = (
    ("/task add Poster for 12.12 {li} due:fri", "U_DEMO"),
    ("/task add Check the stock due:tomorrow", "U_SAM"),
    ("/task done 2", "U_SAM"),
    ("/ecom settings lead add {li}", "U_DEMO"),
    (
        '/standup config time:09:30 summary:11:00 days:mon-fri questions:"Yesterday?|Today?|!Blockers?"',
        "U_DEMO",
    ),
    ("/standup join", "U_LI"),
    ('/standup holiday 2026-12-24..2026-12-25 "Christmas"', "U_DEMO"),
    ("/standup vacation 2026-12-01..2026-12-03", "U_SAM"),
    ("/campaign new Double12 budget:50000 start:2026-11-20 end:2026-12-12 category:marketing", "U_DEMO"),
    ("/campaign log Double12 date:2026-11-22 spend:1000 revenue:4000 orders:20", "U_DEMO"),
    ("/budget set marketing 20000 period:2026-11", "U_DEMO"),
    ('/budget spend marketing 500 date:2026-11-22 note:"KOL fee"', "U_DEMO"),
    ("/budget alerts 50,80,100", "U_DEMO"),
    ("/kpi target gmv 100000 period:2026-11", "U_DEMO"),
    ("/kpi log sessions 1200 date:2026-11-22", "U_DEMO"),
    ("/kpi digest daily", "U_DEMO"),
    ("/retro schedule fri 16:00", "U_DEMO"),
    ("/retro now", "U_DEMO"),
    (
        '/risk add Payment outage category:payment likelihood:3 impact:4 review:weekly plan:"switch PSP"',
        "U_DEMO",
    ),
    ('/risk drill 1 result:"switched in 20 minutes"', "U_DEMO"),
    ('/abtest new hero hypothesis:"a bigger photo sells" metric:conversion variants:A,B', "U_DEMO"),
    ("/abtest log hero A visitors:1000 conversions:50 date:2026-11-22", "U_DEMO"),
    ("/abtest log hero B visitors:1000 conversions:65 date:2026-11-22", "U_DEMO"),
    ("/scorecard target {li} tasks_done 5", "U_DEMO"),
    ("/scorecard schedule monthly on", "U_DEMO"),
)

# Tables each domain's commands above must have written to (checked, so the tests mean something).
WRITTEN = (
    "workspaces",
    "members",
    "counters",
    "tasks",
    "standups",
    "standup_members",
    "standup_holidays",
    "standup_away",
    "campaigns",
    "campaign_results",
    "budget_lines",
    "budget_spend",
    "budget_settings",
    "kpi_targets",
    "kpi_daily_metrics",
    "retro_schedules",
    "retros",
    "risks",
    "risk_events",
    "experiments",
    "experiment_results",
    "scorecard_targets",
    "scorecard_settings",
    "schedules",
    "deliveries",
    "processed_events",
)


def use_the_app(slack: SlackDriver) -> None:
    """Run every command of COMMANDS in the driver's workspace, and open App Home; each must work."""
    for line, user in COMMANDS:
        result = slack.command(line.format(li=LI), user=user)
        assert result.status == 200, (line, result.text)
        reply: Any = result.json if result.text.startswith("{") else {}
        text = str(reply.get("text", "")) if isinstance(reply, dict) else ""
        assert "Usage" not in text and "用法" not in text and "Only" not in text, (line, text)
    assert slack.event({"type": "app_home_opened", "user": "U_SAM", "tab": "home"}).status == 200


def rows_by_table(engine: Engine, team_id: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ecombot table (of one workspace when `team_id` is given), sorted."""
    from ecombot.workspaces.removal import owned_by

    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in migrations.target_metadata().sorted_tables:
            query = sa.select(table)
            if team_id is not None:
                owned = owned_by(table, team_id)
                if owned is None:
                    continue
                query = query.where(owned)
            found[table.name] = sorted(map(tuple, conn.execute(query).all()), key=repr)
    return found


def counts_by_table(engine: Engine, team_id: str) -> dict[str, int]:
    """How many rows of the workspace each table holds."""
    return {name: len(rows) for name, rows in rows_by_table(engine, team_id).items()}
