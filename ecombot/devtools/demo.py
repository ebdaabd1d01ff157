"""`ecombot demo`: a scripted tour of the real app on a fresh SQLite database, no Slack account."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

from ecombot import migrations
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
        session = ConsoleSession(demo_settings, out=out)
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
