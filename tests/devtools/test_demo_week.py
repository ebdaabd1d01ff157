"""`ecombot demo`: one operating week of the demo team, in English and in Chinese, names every part of
the week, day by day, with no refusal, error or Slack rejection anywhere."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from ecombot.config import Settings
from ecombot.devtools.demo_shop import OUTAGE, TEAM, WEEK_START, shop_days
from ecombot.devtools.demo_week import run_week


def _play(lang: str) -> tuple[str, float]:
    out = io.StringIO()
    started = time.monotonic()
    assert run_week(Settings(), lang=lang, out=out) == 0
    return out.getvalue(), time.monotonic() - started


def _day(text: str, title: str, following: str | None) -> str:
    start = text.index(title)
    return text[start : text.index(following, start)] if following else text[start:]


def _clean(text: str) -> None:
    for bad in ("Traceback", "Slack refused", "HTTP 5", "went wrong", "⛔", "skipped missed slot"):
        assert bad not in text, bad
    saved = re.search(r"(?:Charts the bot posted, as PNG files|图表（PNG 文件）)[：:]\s*(/\S+?)[（ ]", text)
    assert saved is not None
    charts = list(Path(saved.group(1)).glob("*.png"))
    # 2 digests on Monday, the evaluation, 2 on Tuesday (daily and monthly), 3 daily digests, three anomaly
    # charts on Friday, and the budget chart on Sunday.
    assert len(charts) == 12
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in charts)


def test_the_demo_week_in_english_names_every_part_of_it() -> None:
    text, seconds = _play("en")
    assert seconds < 60
    _clean(text)
    days = [
        "Monday, Nov 30",
        "Tuesday, Dec 1",
        "Wednesday, Dec 2",
        "Thursday, Dec 3",
        "Friday, Dec 4",
        "Saturday, Dec 5",
        "Sunday, Dec 6",
    ]
    # The team: six people in three timezones, and the seeded data.
    for person in TEAM:
        assert f"• {person.real_name} ({person.role_en}, {person.tz})" in text
    history = sum(len(orders) for day, (orders, _) in shop_days().items() if day < WEEK_START)
    assert f"90 days of orders ({history:,})" in text
    monday, tuesday, wednesday, thursday, friday, saturday, sunday = (
        _day(text, title, following) for title, following in zip(days, [*days[1:], None], strict=True)
    )
    # Monday: task reminders by DM in each reader's language, the daily and weekly digests with charts,
    # standup prompts at each person's own 09:30 (Shanghai, then Berlin, then New York), the report with
    # its blocker tracked as a task, and a budget threshold alert.
    assert "message · DM to @zhou.fang\n│ ■ Your tasks for Nov 30, 2026" in monday
    assert "message · DM to @li.na\n│ ■ 2026年11月30日 的任务" in monday
    assert "■ Daily KPIs · Nov 29, 2026" in monday and "■ Weekly KPIs · 2026-W48" in monday
    assert "[file shared in #ops: GMV, last 8 weeks, with its target]" in monday
    assert (
        monday.index("DM to @chen.jie\n│ 🌅")
        < monday.index("DM to @mia\n│ 🌅")
        < monday.index("DM to @sam\n│ 🌅")
    )
    assert "■ Standup · Nov 30, 2026" in monday and "🚧 *Blockers*" in monday
    assert "Blocker of @wang.wei tracked as task #7." in monday
    assert "🚨 *Marketing* has used 77.6% of its 2026-11 budget" in monday
    assert "🔍 请进行 R1 的每周复查" in monday  # Li's risk review, in her language
    # Tuesday: the last day logged, the campaign's evaluation with its chart, the monthly report.
    assert "■ Campaign evaluation: 双11大促" in tuesday
    assert (
        "• Google Ads: spend" in tuesday
        and "• Douyin Qianchuan: spend" in tuesday
        and "• Tmall: spend" in tuesday
    )
    assert "❌ missed" in tuesday and "✅ met" in tuesday
    assert "■ Monthly report · 2026-11" in tuesday
    # Wednesday: the pacing alert (December's marketing money runs out early), a move from the reserve.
    assert "📈 *Marketing* (2026-12) is spending ahead of plan" in wednesday
    assert "Moved CN¥20,000.00 from *Reserve pool*" in wednesday
    assert "✅ #1 *双12 主图定稿* is done." in wednesday  # Mia, from her reminder
    assert "#4 *核对快递面单*" in wednesday  # Wang Wei closes the checkpoint of his stock count (#3)
    # Thursday: the platform line passes 80 %, customer service reports the payment outage.
    assert "🚨 *Platform operations* has used 85.0% of its 2026-12 budget" in thursday
    assert "@zhou.fang: 天猫和抖音店铺支付一直失败" in thursday
    # Friday: the anomaly (only the JD shop sold on Thursday), the retro with the week's evidence, its
    # entries, a vote, and the close: the action items become tasks with a DM to each owner.
    assert f"🚨 *Orders* on {OUTAGE.strftime('%b')} {OUTAGE.day}, 2026 was 37, 70% below normal" in friday
    retro = friday[friday.index("■ Weekly retro") :]
    assert "🚨 Anomaly: *Orders* unusually low (Dec 3, 2026)" in retro
    assert "🏁 Campaign *双11大促* ended" in retro and "💸 Budget *Platform operations*" in retro
    assert "*Retro summary*" in retro and "— @zhou.fang — *1 vote*" in retro
    assert "message · DM to @sam\n│ From the retro in #ops, you own this action item" in retro
    assert "message · DM to @li.na\n│ 在 #ops 的复盘中，你负责这个行动项" in retro
    # The weekend: the A/B test's verdict and decision posted to #ops; the ops lead's App Home.
    assert "*场景 converts 32% better than 白底 (±28%), p = 0.009*" in saturday
    assert "message · #ops\n│ ■ A/B test: 主图测试" in saturday
    home = sunday[sunday.index("App Home of @chen.jie") :]
    for heading in (
        "■ Standups",
        "■ Active campaigns",
        "■ Budgets near or over",
        "■ High risks",
        "■ Coming up",
    ):
        assert heading in home
    assert "*Overdue across the team* (4)" in home and "#3` *双12 仓库备货盘点*" in home
    # The README's sample is this run's output, line for line.
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    sample = readme.split("<!-- sample:start -->\n```\n", 1)[1].split("```\n<!-- sample:end -->", 1)[0]
    assert sample.count("\n") > 10
    for line in sample.splitlines():
        assert line in text, line
    # What each person received, and the time it took.
    assert "What each person and channel received this week:" in text
    assert re.search(r"Demo finished in \d+\.\ds\.", text)


def test_the_demo_week_in_chinese_names_every_part_of_it() -> None:
    text, seconds = _play("zh-CN")
    assert seconds < 60
    _clean(text)
    for person in TEAM:
        assert f"• {person.name_zh}（{person.role_zh}，{person.tz}）" in text
    for title in (
        "11月30日 周一",
        "12月1日 周二",
        "12月2日 周三",
        "12月3日 周四",
        "12月4日 周五",
        "12月5日 周六",
        "12月6日 周日",
    ):
        assert title in text
    for part in (
        "消息 · 私信给 @chen.jie\n│ 🌅 #ops 的站会（2026年11月30日）",  # the ops lead reads Chinese here
        "■ 每日数据 · 2026年11月29日",
        "■ 每周数据 · 2026-W48",
        "■ 站会 · 2026年11月30日",
        "■ 活动评估：双11大促",
        "■ 数据月报 · 2026-11",
        "📈 *市场营销*（2026-12）花费快于计划",
        "🚨 *平台运营* 2026-12 预算已使用 85.0%",
        "■ 每周复盘 · 2026年11月28日 至 2026年12月4日",
        "*复盘总结*",
        "在 #ops 的复盘中，你负责这个行动项",
        "主页： @chen.jie",
        "■ 即将发送",
        "本周每个人和频道收到的消息：",
    ):
        assert part in text, part
    # Mia and Sam use Slack in English: their messages stay English in the Chinese demo.
    assert "DM to" not in text and "私信给 @mia\n│ 🌅 Standup for #ops" in text
    assert re.search(r"演示用时 \d+\.\d 秒。", text)


def test_the_demo_week_is_the_same_every_run() -> None:
    first, _ = _play("en")
    second, _ = _play("en")
    strip = re.compile(r"/tmp/\S+|\d+\.\ds|\d+\.\d 秒|p\d{13,}")
    assert strip.sub("", first) == strip.sub("", second)


def test_interactive_leaves_you_in_the_console_on_the_demo_data(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    result = subprocess.run(
        [sys.executable, "-m", "ecombot", "demo", "--interactive"],
        cwd=tmp_path,
        env=env,
        input="/task list all\nquit\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    after = result.stdout[result.stdout.index("Your turn: the console on the demo's data") :]
    # The week's tasks are there: the retro's action items and the tracked blocker among them.
    assert "An hourly order-count alert per shop" in after and "等快递公司确认双12的揽收时间" in after
    assert result.stderr == ""
