"""`ecombot demo`: a scripted tour of the real app on a fresh SQLite database, no Slack account."""

from __future__ import annotations

import logging
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from ecombot import migrations
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.db import make_engine
from ecombot.devtools.console import ConsoleSession

# (day, spend, revenue, orders, clicks, impressions, sessions, refunds) of Tmall in the demo's campaign
TMALL_WEEK = (
    (18, 4200, 16800, 140, 5200, 180000, 6100, 700),
    (19, 4500, 17900, 151, 5600, 190000, 6400, 800),
    (20, 4800, 18600, 160, 5900, 201000, 6800, 900),
    (21, 5200, 21400, 176, 6300, 215000, 7200, 1100),
    (22, 5600, 24800, 199, 6900, 230000, 7900, 1300),
    (23, 5900, 26100, 210, 7300, 240000, 8300, 1400),
    (24, 6100, 22900, 188, 7500, 248000, 8600, 1200),
)
QIANCHUAN_REPORT = """日期,计划名称,整体消耗,整体成交金额,整体成交订单数,整体支付ROI,净成交金额,净成交ROI,展示次数,点击次数
2026-11-18,双12预热,"3,100.00","9,300.00",78,3.00,"8,600.00",2.77,120000,3300
2026-11-19,双12预热,"3,300.00","10,100.00",84,3.06,"9,300.00",2.82,126000,3500
2026-11-20,双12预热,"3,500.00","11,900.00",95,3.40,"11,000.00",3.14,131000,3800
2026-11-21,双12预热,"3,600.00","9,800.00",80,2.72,"9,100.00",2.53,133000,3600
2026-11-22,双12预热,"3,900.00","14,200.00",112,3.64,"13,100.00",3.36,140000,4200
2026-11-23,双12预热,"4,100.00","15,800.00",121,3.85,"14,500.00",3.54,146000,4500
2026-11-24,双12预热,"4,200.00","13,400.00",104,3.19,"12,300.00",2.93,150000,4400
合计,,"25,700.00","84,500.00",674,3.29,"77,900.00",3.03,946000,27300
"""

# Li's review DM on Dec 14 comes after the day's other posts; its "Still valid" is this button.
REVIEW_BUTTON = 9

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
    (
        "# 14. Campaigns: the Double 12 warm-up ran Nov 18-24 on Tmall and Douyin, ¥60,000 budget, with targets.",
        "as U_DEMO",
        "/ecom settings currency CNY",
        "/campaign new 双12预热 budget:6万 start:2026-11-18 end:2026-11-24 target_roas:3.5 target_revenue:20万 "
        "target_cpa:90 category:marketing",
        "# Tmall's figures are logged by hand, one day (and one source) per line; the date defaults to yesterday.",
        *(
            f"/campaign log 双12预热 date:2026-11-{day} source:tmall spend:{spend} revenue:{revenue} orders:{orders} "
            f"clicks:{clicks} impressions:{impressions} sessions:{sessions} refunds:{refunds}"
            for day, spend, revenue, orders, clicks, impressions, sessions, refunds in TMALL_WEEK
        ),
        "# Logging a day again replaces it and says what changed.",
        "/campaign log 双12预热 date:2026-11-24 source:tmall spend:6100 revenue:23400 orders:192 clicks:7500 "
        "impressions:248000 sessions:8600 refunds:1200",
        "# 15. Douyin's week comes as the 巨量千川 export (GB18030, with its 合计 row), dropped in a DM to the bot.",
        "share {files}/千川-双12预热.csv",
        "# 16. The campaign: spend against budget with the pace, every ratio against its target, per source.",
        "/campaign show 双12预热",
        "/campaign sources",
        "# 17. Wednesday 00:05 in Shanghai, the day after the end date: the evaluation, once, chart in its thread.",
        "run-due 2026-11-25T00:05:00+08:00",
    ),
    (
        "# 18. Budgets: November's lines per category. The campaign above counts against marketing.",
        "/budget set marketing 8万 period:2026-11",
        "/budget set platform 3万 period:2026-11 owner:<@U_LI|li.na>",
        "/budget set reserve 3万 period:2026-11",
        '/budget spend marketing 5000 date:2026-11-20 note:"KOL 达人费"',
        "/budget spend platform 2000 date:2026-11-10 note:店铺装修",
        "# 19. Wednesday 10:00: marketing has passed 80 % of its budget (one alert, with who spent what);",
        "# platform has spent far less than expected after most of the month (a pacing alert, to Li too).",
        "run-due 2026-11-25T10:00:00+08:00",
        "# 20. The ops lead moves money from the reserve pool; the audit log keeps who, when, before and after.",
        "/budget move 1万 from:reserve to:marketing 双12 加投",
        "/budget status",
        "/budget log",
    ),
    (
        "# 21. KPIs: 90 days of the shop's orders and traffic, dropped in a DM (a generic orders CSV and a",
        "# daily-figures file), a GMV target of +20 % on October, and the daily digest in #ops.",
        "share {files}/orders-90-days.csv",
        "share {files}/traffic-90-days.csv",
        "/kpi target gmv +20% vs:previous",
        "/kpi target conversion_rate 2.5%",
        "/kpi digest daily",
        "/kpi digest monthly",
        "/kpi show month",
        "/kpi funnel",
        "# 22. Tuesday Dec 1, 10:00: the daily digest (Nov 30 against Nov 23) with its chart, the monthly",
        "# report for November, and an anomaly: on Monday only the JD shop sold (Tmall and Douyin were down).",
        "run-due 2026-12-01T10:00:00+08:00",
    ),
    (
        "# 23. Retros (复盘): the ops lead schedules #ops's weekly retro: Friday 16:00, closing Monday 10:00,",
        "# 3 votes each on what to improve.",
        "as U_DEMO",
        "/retro schedule fri 16:00",
        "# 24. Friday Dec 4, 16:00: the prompt. No earlier action items yet; then the week's evidence, gathered",
        "# from the other domains: Monday's anomaly (only the JD shop sold) and the overdue tasks.",
        "run-due 2026-12-04T16:00:00+08:00",
        "# Everyone in #ops adds to it with its buttons; each entry shows in the message at once.",
        "as U_LI",
        "click 1",
        'submit text="双12预热 ROAS 3.3x: the Douyin livestreams carried it"',
        "as U_SAM",
        "click 2",
        'submit text="Monday\'s Tmall and Douyin outage went unnoticed until noon"',
        "click 2",
        'submit text="Too many manual exports for the weekly report"',
        "# An action item has an owner, a date (the next retro by default) and a check against any KPI.",
        "as U_DEMO",
        "click 3",
        'submit text="Bundle offers to lift the basket size" owner=U_LI check="aov>=230"',
        "click 3",
        'submit text="An order-count alert per shop, checked hourly" owner=U_SAM check="orders>=400"',
        "# 25. Votes on what to improve: a button per entry, at most 3 each, hidden until the close.",
        "click 4",
        "as U_MIA",
        "/retro actions all",
        "# 26. Monday 10:00: the retro closes. The summary goes in its thread (to improve sorted by votes), each",
        "# action item becomes a task due at the next retro, and each owner gets a DM with a Done button.",
        "run-due 2026-12-07T10:00:00+08:00",
        "# Li finishes hers on Wednesday; the week's orders come in.",
        "as U_LI",
        "/retro actions",
        "/task done 8",
        "as U_DEMO",
        "share {files}/orders-dec-8-10.csv",
        "# 27. Friday Dec 11, 16:00: the next prompt opens with last week's action items, and for each check",
        "# what the numbers say (AOV CN¥240 ≥ CN¥230: it worked; 300 orders < 400: not yet).",
        "run-due 2026-12-11T16:00:00+08:00",
        "/retro history",
    ),
    (
        "# 28. Risks (风险控制): the register, scored by likelihood × impact, with a heat summary.",
        "/risk add 店铺违规扣分 category:platform likelihood:4 impact:5 owner:<@U_LI|li.na> review:weekly "
        'plan:"Appeal within 24h; keep the compliance checklist current"',
        '/risk add Payment gateway outage category:payment likelihood:2 impact:5 plan:"Switch to the backup PSP"',
        "/risk add Supplier price rise category:supply likelihood:3 impact:3",
        "/risk list",
        "# 29. Monday Dec 14, 10:00: Li is asked to review her weekly risk, in her own timezone and language.",
        "run-due 2026-12-14T10:00:00+08:00",
        "as U_LI",
        "click {review}",
        "# The payment plan is drilled; the register keeps every change.",
        "as U_DEMO",
        '/risk drill R2 2026-12-14 result:"Backup PSP took over in 4 minutes"',
        "/risk show R2",
        "# 30. A/B test (A/B测试): two main images, 2,000 visitors per variant planned.",
        '/abtest new 主图测试 hypothesis:"A lifestyle photo converts better than the white background" '
        "variants:白底,场景 min_sample:2000",
        "/abtest log 主图测试 白底 visitors:800 conversions:48 date:2026-12-12",
        "/abtest log 主图测试 场景 visitors:800 conversions:60 date:2026-12-12",
        "# Peeking after one day: B looks better, but no winner is called before the planned sample.",
        "/abtest show 主图测试",
        "/abtest log 主图测试 白底 visitors:2400 conversions:144 as:total date:2026-12-14",
        "/abtest log 主图测试 场景 visitors:2400 conversions:190 as:total date:2026-12-14",
        "/abtest show 主图测试",
        '/abtest decide 主图测试 场景 reason:"Roll out the lifestyle photo to all SKUs"',
        "# 31. Scorecards (绩效考核): each member gets last month's card on the 1st, at 10:00 their time.",
        "/scorecard schedule monthly on",
        "run-due 2027-01-01T10:00:00+08:00",
        "/scorecard team last-month",
    ),
)


def tour_lines(files: Path | None = None) -> list[str]:
    """Every line of the tour, in order (`{files}` is the folder of the demo's sample reports)."""
    folder = str(files or Path(tempfile.gettempdir()))
    return [
        line.replace("{files}", folder).replace("{review}", str(REVIEW_BUTTON))
        for section in TOUR
        for line in section
    ]


def write_sample_reports(folder: Path) -> None:
    """The files the tour imports, as the platforms export them (made with a fixed seed)."""
    (folder / "千川-双12预热.csv").write_bytes(QIANCHUAN_REPORT.encode("gb18030"))
    orders, traffic = shop_history()
    (folder / "orders-90-days.csv").write_text(orders, encoding="utf-8")
    (folder / "traffic-90-days.csv").write_text(traffic, encoding="utf-8")
    december = ["order_id,customer_id,created_at,total,status,refunded_amount,channel"]
    for day in (8, 9, 10):
        december += [f"X{day}{n:03d},c{n},2026-12-{day:02d} 14:00,240.00,paid,0,tmall" for n in range(100)]
    (folder / "orders-dec-8-10.csv").write_text("\n".join(december) + "\n", encoding="utf-8")


def shop_history(seed: int = 11) -> tuple[str, str]:
    """90 days of orders (Sep 2 - Nov 30, 2026) and daily traffic for the demo shop: quieter Sundays,
    a 双11 spike, and on Monday Nov 30 an outage of the Douyin shop (an anomaly)."""
    rng = random.Random(seed)
    orders = ["order_id,customer_id,created_at,total,status,refunded_amount,channel"]
    traffic = ["date,metric,value"]
    day = date(2026, 9, 2)
    number = 0
    while day <= date(2026, 11, 30):
        count = 70 if day.weekday() == 6 else 110
        count = int(count * (1 + (day - date(2026, 9, 2)).days / 400)) + rng.randint(-8, 8)
        if day == date(2026, 11, 11):
            count *= 4
        outage = day == date(2026, 11, 30)
        made = 0
        for _ in range(count):
            channel = rng.choice(("tmall", "tmall", "douyin", "jd"))
            if outage and channel != "jd":
                continue
            made += 1
            number += 1
            status = rng.choices(("paid", "refunded", "cancelled"), weights=(92, 5, 3))[0]
            total = rng.randint(60, 400)
            at = f"{day.isoformat()} {rng.randint(8, 23):02d}:{rng.randint(0, 59):02d}"
            refunded = total if status == "refunded" else 0
            orders.append(
                f"D{number:06d},c{rng.randint(1, 2500)},{at},{total}.00,{status},{refunded},{channel}"
            )
        sessions = made * 38 + rng.randint(0, 300)
        traffic += [
            f"{day.isoformat()},sessions,{sessions}",
            f"{day.isoformat()},product_views,{int(sessions * 0.42)}",
            f"{day.isoformat()},add_to_cart,{int(sessions * 0.09)}",
            f"{day.isoformat()},checkouts,{int(sessions * 0.04)}",
        ]
        day += timedelta(days=1)
    return "\n".join(orders) + "\n", "\n".join(traffic) + "\n"


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
        reports = Path(tmp) / "reports"
        reports.mkdir()
        write_sample_reports(reports)
        charts = Path(tempfile.mkdtemp(prefix="ecombot-demo-charts-"))
        # The tour jumps days ahead: the scheduler rightly skips slots older than their grace, which
        # is an operator's warning, not part of the story.
        logging.getLogger("ecombot.scheduling.engine").setLevel(logging.ERROR)
        session = ConsoleSession(demo_settings, out=out, clock=clock, files_dir=charts)
        try:
            for line in tour_lines(reports):
                session.handle(line)
        finally:
            session.close()
    saved = sorted(charts.iterdir())
    if saved:
        print(f"\nCharts the bot posted, as PNG files: {charts}", file=out)
    else:
        charts.rmdir()
    print(
        f"\nDemo finished in {time.monotonic() - started:.1f}s. Try it yourself: `ecombot console`.",
        file=out,
    )
    return 0
