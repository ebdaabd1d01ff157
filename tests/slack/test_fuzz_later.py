"""Adversarial text shown later: every field people type into (task titles, spend notes, risk titles
and plans, standup answers, retro entries, A/B hypotheses, and the sales channels of an imported
orders file) is filled with pings, hidden links, mentions, escapes, markup, RTL and formulas; then a
week of the scheduler runs (reminders, standup reports, digests, anomaly, threshold and pacing alerts,
the retro summary, risk reviews, scorecards) and everything is exported (CSV by DM and by the CLI).
Nothing the app sent to Slack pings anyone or hides a link, and no exported cell is a formula. The
counts are printed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from tests.retros.support import add as add_retro_entry
from tests.slack.test_fuzz_commands import HIDDEN, PING
from tests.support import cli_env, run_due, run_ecombot, shown_in

# The texts that could do harm where they are shown later (the others are refused or inert).
TEXTS = (
    "<!channel> <!here> <!everyone>",
    "<!subteam^S0001|@design> ping",
    "<https://evil.example|the brief>",
    "<mailto:ceo@evil.example|ceo>",
    "<@U_NOBODY> <@U_LI|li> <@ <@U_LI",
    "&lt;!channel&gt; &amp;amp; &lt;b&gt;",
    "*bold* _it_ ~s~ `code` > quoted",
    "\u202eevil\u202c \u200bzero-width",
    '=HYPERLINK("https://evil.example","x") +1 -1 @SUM(A1)',
)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.slow
def test_typed_text_shown_later_in_digests_reports_alerts_and_exports_never_pings_or_hides_a_link(
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    settings: Settings,
    clock: FixedClock,
    team: str,
    database_url: str,
    tmp_path: Path,
) -> None:
    setup = (
        "/standup config time:09:30 summary:11:00 days:mon-fri reminder:off",
        "/kpi digest daily channel:<#C_DEMO|ops> at:09:00",
        "/kpi digest weekly channel:<#C_DEMO|ops> at:09:00 day:mon",
        "/budget set marketing 1000 period:2026-11",
        "/budget alerts 50,80,100 channel:<#C_DEMO|ops>",
        "/scorecard schedule monthly on",
        "/retro now",
    )
    for line in setup:
        reply = slack.command(line, user="U_DEMO")
        assert reply.status == 200 and ":no_entry:" not in reply.text, (line, reply.text)
    assert slack.command("/standup join", user="U_LI").status == 200
    stored = 0
    for i, text in enumerate(TEXTS):
        flat = text.replace('"', "'")
        for line in (
            f"/task add {text} <@U_LI> due:2026-11-2{4 + i % 3}",
            f'/budget spend marketing {60 + i} date:2026-11-23 note:"{flat}"',
            f'/risk add {text} category:data likelihood:2 impact:2 review:weekly plan:"{flat}"',
            f'/abtest new t{i} hypothesis:"{flat}" metric:conversion variants:A,B',
        ):
            reply = slack.command(line, user="U_DEMO")
            assert reply.status == 200, line
            stored += ":no_entry:" not in reply.text and "Usage" not in reply.text
        add_retro_entry(slack, fake, "well" if i % 2 else "improve", text, user="U_LI", channel="C_DEMO")
        stored += 1
    assert stored >= 4 * len(TEXTS), stored  # the records hold the texts (nothing was refused)
    # The orders file: its sales channels are named with the same texts (shown by anomaly alerts).
    rows = ["order_id,customer_id,created_at,total,status,channel"]
    day, n = date(2026, 9, 27), 0
    while day <= date(2026, 11, 22):
        for _ in range(2 if day == date(2026, 11, 22) else 20):
            n += 1
            channel = TEXTS[n % len(TEXTS)].replace(",", " ").replace('"', "'")
            rows.append(f'O{n},c{n % 40},{day.isoformat()}T10:00:00+08:00,50,paid,"{channel}"')
        day += timedelta(days=1)
    orders = tmp_path / "orders.csv"
    orders.write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = cli_env(database_url, fake.api_url)
    imported = run_ecombot(["import", "orders", str(orders), "--team", team], env, tmp_path)
    assert imported.returncode == 0, imported.stderr

    # A week of the scheduler; on Monday morning Li answers the standup with the texts.
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    while at <= datetime(2026, 12, 1, 12, 0, tzinfo=UTC):
        run_due(db, settings, fake, at)
        if at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC):
            clock.set(at)
            for text in (TEXTS[0], TEXTS[2], TEXTS[-1]):  # the last a formula
                assert slack.dm(text, user="U_LI").status == 200
        at += timedelta(hours=1)
    assert slack.command("/retro close", user="U_DEMO").status == 200

    # Exports: by DM and by the CLI.
    for line in ("/kpi export 2026-11", "/standup export 2026-11-01..2026-11-30"):
        assert slack.command(line, user="U_DEMO").status == 200
    exported = [data.decode("utf-8") for data in fake.uploads.values() if not data.startswith(b"\x89PNG")]
    for kind in ("kpis", "standups"):
        made = run_ecombot(
            ["export", kind, "--team", team, "--from", "2026-11-01", "--to", "2026-11-30"], env, tmp_path
        )
        assert made.returncode == 0, made.stderr
        exported.append(made.stdout)
    formulas = [cell for text in exported for cell in _cells(text) if cell[:1] in ("=", "+", "-", "@")]
    assert formulas == [], formulas[:5]
    assert any("HYPERLINK" in text for text in exported)  # the answers are in the export, disarmed

    # Everything the app sent to Slack, from the first command to the exports.
    kinds = {"digest": 0, "alert": 0, "report": 0, "review": 0}
    for call in fake.calls:
        shown = shown_in(call.args)
        assert not PING.search(shown), f"{call.method} to {call.args.get('channel')} pinged: {shown[:600]}"
        assert not HIDDEN.search(shown), f"{call.method} hid a link: {shown[:600]}"
        kinds["digest"] += "每日数据" in shown or "Daily KPIs" in shown
        kinds["alert"] += ":rotating_light:" in shown
        kinds["report"] += "站会 ·" in shown or "Standup ·" in shown
        kinds["review"] += "weekly review of" in shown
    assert min(kinds.values()) >= 1, kinds
    print(
        f"\nfuzz, shown later: {len(TEXTS)} texts in {stored} records and an orders file; "
        f"{len(fake.calls)} Slack calls ({kinds}) and {len(exported)} exports: 0 pings, 0 hidden links, "
        "0 formulas"
    )
