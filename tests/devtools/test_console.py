"""The console and the demo: the real app, driven from a terminal, with no Slack account."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from ecombot import migrations
from ecombot.config import Settings
from ecombot.db import make_engine
from ecombot.devtools.console import modal_values, run_console
from ecombot.devtools.demo import run_demo, tour_lines


def test_console_script_renders_replies_and_clicks_buttons(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = Settings().with_database(f"sqlite:///{tmp_path / 'console.db'}")
    engine = make_engine(settings.database)
    migrations.upgrade(engine)
    engine.dispose()
    script = [
        "/ecom settings timezone Europe/Berlin",
        "click 1",
        "as U_LI",
        "/ecom help",
        "click 9",
        "quit",
        "/ecom help",  # never runs: the script stopped at quit
    ]
    assert run_console(settings, script=script, out=out) == 0
    text = out.getvalue()
    assert "✅ Timezone changed from *Asia/Shanghai* to *Europe/Berlin*." in text
    assert "[1 Undo]" in text
    assert "Undone: Timezone is *Asia/Shanghai* again." in text
    assert "ecombot 命令" in text
    assert "Nothing to click as [9]" in text
    assert text.count("ecombot 命令") == 1


def test_modal_values_are_what_slack_would_send_for_typed_fields() -> None:
    view = {
        "type": "modal",
        "id": "V1",
        "callback_id": "x",
        "title": {"type": "plain_text", "text": "t"},
        "blocks": [
            {
                "type": "input",
                "block_id": "title",
                "label": {"type": "plain_text", "text": "Title"},
                "element": {"type": "plain_text_input", "action_id": "value", "initial_value": "old"},
            },
            {
                "type": "input",
                "block_id": "due",
                "label": {"type": "plain_text", "text": "Due"},
                "element": {"type": "datepicker", "action_id": "date"},
            },
        ],
    }
    values = modal_values(view, {"Title": "New banner", "date": "2026-11-27"})
    assert values == {
        "title": {"value": {"type": "plain_text_input", "value": "New banner"}},
        "due": {"date": {"type": "datepicker", "selected_date": "2026-11-27"}},
    }
    untouched = modal_values(view, {})
    assert untouched["title"]["value"]["value"] == "old"


def test_demo_tour_runs_every_step_without_errors() -> None:
    out = io.StringIO()
    assert run_demo(Settings(), out=out) == 0
    text = out.getvalue()
    for line in tour_lines():
        if line.startswith("share "):
            assert f"/reports/{Path(line).name}" in text
        elif not line.startswith("#"):
            assert f"> {line}" in text
    assert "ecombot commands" in text and "ecombot 命令" in text
    assert "`Mars/Olympus_Mons` is not a timezone" in text
    assert "`nonsense` is not a subcommand I know." in text
    assert "Only workspace admins and ops leads can change this." in text
    # The standup day: prompts at two local times, DM replies, a reminder, the report with blockers
    # first, a blocker tracked as a task, a late answer by form, and one from Berlin after the report.
    standup = text[text.index("8. Standups") : text.index("14. Campaigns")]
    assert (
        standup.count("message · DM to @demo\n│ 🌅") == 1 and standup.count("message · DM to @mia\n│ 🌅") == 1
    )
    assert standup.index("DM to @demo\n│ 🌅") < standup.index("run-due 2026-11-24T09:30:00+01:00")
    assert standup.index("run-due 2026-11-24T09:30:00+01:00") < standup.index("DM to @mia\n│ 🌅")
    assert (
        "*3/3* Anything blocking you?" in standup
        and "⏰ The #ops standup report goes out at 11:00" in standup
    )
    assert "#ops · 1 of 3 answered · blockers: 1" in standup
    assert standup.index("🚧 *Blockers*") < standup.index("Each person's answers are in the thread.")
    assert "已将 @li.na 的阻碍转为任务" in standup
    assert "*@demo* (late)" in standup and "#ops · 3 of 3 answered" in standup
    # The campaign week: Tmall logged by hand, Douyin's 千川 export imported by DM, the evaluation with
    # its chart saved as a PNG file the demo names at the end.
    campaign = text[text.index("14. Campaigns") :]
    assert "Replaced Tmall for Nov 24, 2026 in *双12预热*: revenue CN¥22,900.00 → CN¥23,400.00" in campaign
    assert "*千川-双12预热.csv* (巨量千川): 7 new, 0 replaced, 0 unchanged." in campaign
    assert "1 total rows skipped" in campaign
    assert "• Douyin Qianchuan: spend CN¥25,700.00 · revenue CN¥84,500.00 · ROAS 3.29x" in campaign
    assert "■ Campaign evaluation: 双12预热" in campaign
    assert "CN¥2,000.00 over budget" in campaign and "✅ met (+CN¥33,500.00)" in campaign
    # Budgets: a line past 80 % (one alert), a pacing alert, a move from the reserve pool, the log.
    budgets = text[text.index("18. Budgets") :]
    assert budgets.count("🚨 *Marketing* has used 83.8% of its 2026-11 budget") == 2  # #ops and the owner
    assert "• @demo · 双12预热 · CN¥62,000.00" in budgets and "• @demo · KOL 达人费 · CN¥5,000.00" in budgets
    assert "*Platform operations* (2026-11) is spending behind plan" in budgets
    assert "*平台运营*（2026-11）花费慢于计划" in budgets  # Li, the line's owner, reads Chinese
    assert "Reserve pool* (2026-11) is spending behind plan" not in budgets
    assert "Moved CN¥10,000.00 from *Reserve pool* (CN¥30,000.00 → CN¥20,000.00)" in budgets
    assert "moved into Marketing: CN¥80,000.00 → CN¥90,000.00 (双12 加投)" in budgets
    # KPIs: 90 days imported by DM, targets, the funnel, then the daily digest, the monthly report and
    # the anomaly of Nov 30, each with its chart.
    kpis = text[text.index("21. KPIs") :]
    assert "*orders-90-days.csv* (generic): 10658 orders from Sep 2, 2026 to Nov 30, 2026" in kpis
    assert "360 daily figures" in kpis and "weakest step" in kpis
    assert "■ Daily KPIs · Nov 30, 2026" in kpis and "■ Monthly report · 2026-11" in kpis
    assert "*Orders* on Nov 30, 2026 was 31, 74% below normal (122" in kpis and "z = −14.9" in kpis
    # Retros: the Friday prompt with the week's evidence, entries from three people, a vote, the close
    # into tasks with DMs, and next Friday's prompt opening with them and what the numbers say.
    retros = text[text.index("23. Retros") :]
    first = retros[retros.index("■ Weekly retro · Nov 28, 2026") :]
    assert "🚨 Anomaly: *Orders* unusually low (Nov 30, 2026)" in first
    assert "• Too many manual exports for the weekly report — @sam" in first
    assert "Vote counted for “Monday's Tmall and Douyin outage" in retros
    assert "*Retro summary*" in retros and "— @sam — *1 vote*" in retros
    assert "在 #ops 的复盘中，你负责这个行动项" in retros  # Li's DM, in Chinese, with a Done button
    follow_up = retros[retros.index("■ Weekly retro · Dec 5, 2026") :]
    assert follow_up.index("Action items from earlier retros") < follow_up.index("[1 Went well]")
    assert "the numbers say not yet: 300, wanted Orders ≥ 400" in follow_up
    assert (
        "done on time" in follow_up and "the numbers say it worked: CN¥240.00 (AOV ≥ CN¥230.00)" in follow_up
    )
    # Risks, an A/B test and scorecards: the register with its heat summary, Li's review DM in Chinese
    # answered with a click, a drill; a test that waits for its sample, then a verdict and a decision
    # posted to #ops; the monthly scorecard by DM and the team's lines.
    risks = text[text.index("28. Risks") : text.index("30. A/B test")]
    assert "`R1` *店铺违规扣分* · score 🔴 20 (4×5)" in risks and "I5   ·  1  ·  1  ·" in risks
    assert "🔍 请进行 R1 的每周复查" in risks and "R1 已复查：仍然有效" in risks
    assert "drill: on Dec 14, 2026 — Backup PSP took over in 4 minutes" in risks
    abtest = text[text.index("30. A/B test") : text.index("31. Scorecards")]
    assert "*Not enough data yet: about 1,200 more visitors per variant (planned 2,000)." in abtest
    assert "*场景 converts 32% better than 白底 (±28%), p = 0.009*" in abtest
    assert abtest.count("message · #ops\n│ ■ A/B test: 主图测试") == 1
    cards = text[text.index("31. Scorecards") :]
    assert "■ 绩效卡 · 2026年12月1日 – 2026年12月31日" in cards and "按时完成 1" in cards
    assert "■ Team scorecards · Dec 1, 2026 – Dec 31, 2026" in cards
    assert "skipped missed slot" not in text
    saved = re.search(r"Charts the bot posted, as PNG files: (\S+)", text)
    # the evaluation, the budgets, daily digests, the monthly reports, three anomalies
    assert saved is not None and len(list(Path(saved.group(1)).glob("*.png"))) == 11
    assert "Slack refused" not in text
    assert "HTTP 5" not in text and "went wrong" not in text and "Traceback" not in text


def test_ecombot_demo_command_finishes_quickly_with_no_input(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "ecombot", "demo"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 60
    assert "Demo finished" in result.stdout
    assert result.stderr == ""
    assert not (tmp_path / "ecombot.db").exists()
