"""`ecombot demo`: a scripted tour of the real app on a fresh SQLite database, no Slack account."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from ecombot import migrations
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.db import make_engine
from ecombot.devtools.console import ConsoleSession

# Each feature adds its part of the tour; lines run exactly as typed at `ecombot console`.
TOUR: tuple[tuple[str, ...], ...] = (
    (
        "# 1. Everything starts with /ecom help: every command, one line each.",
        "/ecom help",
        "# 2. Workspace settings: timezone, currency, language and ops leads (U_DEMO is a workspace admin).",
        "/ecom settings",
        "/ecom settings timezone Europe/Berlin",
        "# The confirmation has an Undo button; click it.",
        "click 1",
        "/ecom settings currency usd",
        "/ecom settings lead add <@U_LI|li.na>",
        "# 3. Bad input never writes anything: the reply names the bad part and shows the usage.",
        "/ecom settings timezone Mars/Olympus_Mons",
        "/ecom nonsense",
        "# 4. Li Na's Slack is in Chinese, so she gets Chinese replies; ops leads may change settings too.",
        "as U_LI",
        "/ecom help",
        "/ecom settings language en",
        "# 5. Sam is a plain member in New York: he can read the settings but not change them.",
        "as U_SAM",
        "/ecom settings",
        "/ecom settings currency EUR",
    ),
    (
        "# 6. Tasks: Monday 09:00 in Shanghai. Record work with owner, date and campaign, in any order.",
        "as U_DEMO",
        '/task add "Double 11 banner" <@U_LI> due:fri #双11 p:high',
        "/task add Coupon rules <@U_LI> due:tomorrow #双11",
        "/task add Final copy check parent:1 due:+2d",
        "/task add Weekly GMV report every:mon",
        "# Li gets a DM in Chinese for each task given to her. The list groups by date:",
        "/task list all",
        "# Closing #1 asks first: its checkpoint #3 is still open.",
        "/task done 1",
        "click 2",
        "/task done 3",
        "/task done 1",
        "# 7. Tuesday 09:00 Shanghai: each owner gets one reminder DM at 09:00 in their own timezone.",
        "run-due 2026-11-24T09:00:00+08:00",
        "# Done with a click, straight from the reminder; doing it again changes nothing.",
        "as U_LI",
        "click 2",
        "/task done 2",
        "# App Home: each person's open tasks by date, and overdue tasks they gave to others.",
        "as U_DEMO",
        "home",
    ),
    (
        "# 8. Standups: the ops lead sets one up for #ops in one line. Everyone in the channel takes part;",
        "# each is asked at 09:30 in their own timezone, and the report comes at 11:00 Shanghai time.",
        "/standup config time:09:30 summary:11:00 reminder:30m",
        "as U_SAM",
        "/standup leave",
        "# 9. Tuesday 09:30 in Shanghai: Demo and Li get the questions by DM (Mia's 09:30 in Berlin is later).",
        "run-due 2026-11-24T09:30:00+08:00",
        "# Li answers by plain DM replies, one question at a time; the bot asks the next one each time.",
        "as U_LI",
        "dm 整理了双十一的复盘数据",
        "dm 和设计确认新品主图",
        "dm 等待供应商的新品报价",
        "# 10. 10:30: one reminder to whoever was asked and has not answered yet.",
        "run-due 2026-11-24T10:30:00+08:00",
        "# 11. 11:00: the report in #ops. Blockers first, each with Track as task; answers in the thread.",
        "run-due 2026-11-24T11:00:00+08:00",
        "# Anyone can turn a blocker into a task for the person who raised it, linked to the report.",
        "click 1",
        "# 12. Demo answers late, in the form: the posted report is brought up to date, marked late.",
        "as U_DEMO",
        "/standup answer",
        'submit q0="Reviewed the Double 11 budget" q1="Brief the agency on the Double 12 banners" q2="none"',
        "# 13. 09:30 in Berlin (16:30 in Shanghai): Mia is asked now; her answers join the report.",
        "run-due 2026-11-24T09:30:00+01:00",
        "as U_MIA",
        "/standup answer",
        'submit q0="Shot the winter lookbook" q1="Retouch the photos" q2="none"',
        "/standup show",
    ),
)


def tour_lines() -> list[str]:
    """Every line of the tour, in order."""
    return [line for section in TOUR for line in section]


def run_demo(settings: Settings, *, database_url: str | None = None, out: TextIO | None = None) -> int:
    """Run the tour on a new demo workspace; returns the exit status."""
    out = out or sys.stdout
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ecombot-demo-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'demo.db'}"
        print(
            "ecombot demo: the real app, a local Slack fake, and a demo workspace “Demo Shop” "
            f"(database {url}).\nNo Slack account and no network are used.\n",
            file=out,
        )
        demo_settings = settings.with_database(url)
        engine = make_engine(demo_settings.database)
        migrations.upgrade(engine)
        engine.dispose()
        # A fixed Monday 09:00 in Shanghai, so that every run of the tour shows the same dates.
        clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        session = ConsoleSession(demo_settings, out=out, clock=clock)
        try:
            for line in tour_lines():
                session.handle(line)
        finally:
            session.close()
    print(
        f"\nDemo finished in {time.monotonic() - started:.1f}s. Try it yourself: `ecombot console`.",
        file=out,
    )
    return 0
