"""`ecombot demo`: one operating week of a six-person e-commerce team, played through the real app and
the local Slack fake, day by day, in English or Chinese.

Before the week the team's data is seeded through the app itself (settings, 90 days of orders and
traffic and the Double 11 campaign's platform reports dropped in a DM, budgets, targets, tasks, the
standup, the retro schedule, a risk register and an A/B test). Then the clock moves through Monday
Nov 30 to Sunday Dec 6, 2026 with the scheduling engine (`run-due`): whatever the app posts at each
moment is printed with whom it reached.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from ecombot import migrations
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.db import make_engine
from ecombot.devtools.console import ConsoleSession
from ecombot.devtools.demo_shop import CAMPAIGN, TEAM, WEEK_START, write_files
from ecombot.devtools.fakeslack import FakeSlack

SHANGHAI = ZoneInfo("Asia/Shanghai")
Say = tuple[str, str]  # narration: (English, Chinese)
Step = str | Say  # a console line, "@HH:MM" (run what is due then, Shanghai time), or narration

# Before the week (Sunday Nov 29, 20:00): what the team set up, through the app. Printed as a summary.
SETUP: tuple[str, ...] = (
    "as U_DEMO",
    "/ecom settings language {lang}",
    "/ecom settings lead add <@U_DEMO|chen.jie>",
    "/ecom settings lead add <@U_LI|li.na>",
    "/ecom settings lead add <@U_WEI|wang.wei>",
    "as U_WEI",
    "share {files}/orders-90-days.csv",
    "share {files}/traffic-90-days.csv",
    "as U_DEMO",
    "/kpi target gmv +20% vs:previous",
    "/kpi target conversion_rate 2.5%",
    "/kpi digest daily",
    "/kpi digest weekly",
    "/kpi digest monthly",
    f"/campaign new {CAMPAIGN} budget:30万 start:2026-11-01 end:2026-11-30 target_roas:4 target_revenue:120万 "
    "target_cpa:60 category:marketing owner:<@U_LI|li.na>",
    "/campaign new 双12预热 budget:6万 start:2026-12-01 end:2026-12-12 target_roas:3.5 category:marketing "
    "owner:<@U_LI|li.na>",
    "as U_LI",
    f"share {{files}}/tmall-{CAMPAIGN}.csv",
    f"share {{files}}/千川-{CAMPAIGN}.csv",
    "share {files}/google-ads-double11.csv",
    "as U_DEMO",
    "/budget set marketing 35万 period:2026-11",
    "/budget set marketing 10万 period:2026-12",
    "/budget set platform 2万 period:2026-12 owner:<@U_WEI|wang.wei>",
    "/budget set reserve 3万 period:2026-12",
    "/task add 双12 主图定稿 <@U_MIA|mia> due:2026-12-02 #双12预热 p:high",
    "/task add 详情页文案 <@U_LI|li.na> due:2026-12-01 #双12预热",
    "/task add 双12 仓库备货盘点 <@U_WEI|wang.wei> due:2026-12-03 #双12预热",
    "/task add 核对快递面单 parent:3 <@U_WEI|wang.wei> due:2026-12-02",
    "/task add 售后话术更新 <@U_FANG|zhou.fang> due:2026-11-27",
    "/task add Weekly GMV report <@U_SAM|sam> due:2026-11-30 every:mon",
    "/standup config time:09:30 summary:11:00 reminder:30m",
    "/retro schedule fri 16:00 close:fri 18:00",
    "/risk add 店铺违规扣分 category:platform likelihood:4 impact:5 owner:<@U_LI|li.na> review:weekly "
    'plan:"Appeal within 24h; keep the compliance checklist current"',
    "/risk add Payment gateway outage category:payment likelihood:2 impact:5 owner:<@U_DEMO|chen.jie> "
    'plan:"Switch to the backup PSP"',
    "as U_SAM",
    '/abtest new 主图测试 hypothesis:"A lifestyle photo converts better than the white background" '
    "variants:白底,场景 min_sample:2000",
    "/abtest log 主图测试 白底 visitors:900 conversions:52 date:2026-11-29",
    "/abtest log 主图测试 场景 visitors:900 conversions:63 date:2026-11-29",
)


# 09:30 in Berlin, then 09:00 and 09:30 in New York: Mia's and Sam's questions (and Sam's reminder).
EVENING: tuple[Step, ...] = (
    (
        "16:30 and 22:30 · the questions reach Berlin, then New York.",
        "16:30 与 22:30 · 站会问题发往柏林，然后是纽约。",
    ),
    "@16:30",
    "@22:00",
    "@22:30",
)


def _answers(user: str, yesterday: str, today: str, blockers: str) -> tuple[str, ...]:
    """A standup answered by DM replies, one question at a time."""
    return (f"as {user}", f"dm {yesterday}", f"dm {today}", f"dm {blockers}")


WEEK: tuple[tuple[int, Say, tuple[Step, ...]], ...] = (
    (
        0,
        ("Monday, Nov 30: the week starts", "11月30日 周一：一周开始"),
        (
            (
                "09:00 · each person's task reminder, and the daily and weekly KPI digests in #ops.",
                "09:00 · 每人的任务提醒，以及 #ops 的 KPI 日报和周报。",
            ),
            "@09:00",
            (
                "09:30 · the standup questions, by DM, to everyone in Shanghai and Shenzhen.",
                "09:30 · 站会问题通过私信发给上海和深圳的同事。",
            ),
            "@09:30",
            (
                "Li and Wang Wei answer by plain DM replies; Chen uses the form.",
                "李娜和王伟直接回复私信；陈杰用表单作答。",
            ),
            "as U_LI",
            "dm 双11数据复盘完成",
            "dm 双12预热活动上线",
            "dm none",
            "as U_WEI",
            "dm 盘点深圳仓库存",
            "dm 双12备货",
            "dm 等快递公司确认双12的揽收时间",
            "as U_DEMO",
            "/standup answer",
            'submit q0="Closed November\'s books" q1="Plan the Double 12 budget" q2="none"',
            (
                "10:00 · November's marketing line is checked against its thresholds.",
                "10:00 · 检查11月营销预算是否达到阈值。",
            ),
            "@10:00",
            ("10:30 · a reminder to whoever has not answered yet.", "10:30 · 提醒还没回答的人。"),
            "@10:30",
            (
                "11:00 · the standup report in #ops, blockers first; Chen tracks Wei's blocker as a task.",
                "11:00 · #ops 的站会汇总，阻碍在前；陈杰把王伟的阻碍转为任务。",
            ),
            "@11:00",
            "click standups.track",
            (
                "16:30 · 09:30 in Berlin: Mia's questions; her answers join the posted report.",
                "16:30 · 柏林时间 09:30：Mia 收到站会问题，她的回答补进已发布的汇总。",
            ),
            "@16:30",
            "as U_MIA",
            "dm Finished the Double 12 key visual drafts",
            "dm Final banner for Tmall",
            "dm none",
            (
                "22:00 and 22:30 · 09:00 and 09:30 in New York: Sam's task reminder, then his questions.",
                "22:00 与 22:30 · 纽约时间 09:00 和 09:30：Sam 的任务提醒，然后是站会问题。",
            ),
            "@22:00",
            "@22:30",
            "as U_SAM",
            "dm Weekly GMV report",
            "dm A/B test read-out for the main image",
            "dm none",
        ),
    ),
    (
        1,
        ("Tuesday, Dec 1: the campaign ends, the month closes", "12月1日 周二：活动结束，月度结算"),
        (
            (
                "00:01 · the last day is over: Li logs its figures on each platform by hand (yesterday by default).",
                "00:01 · 最后一天结束：李娜手动记录各平台的数据（默认记为昨天）。",
            ),
            "@00:01",
            "as U_LI",
            f"/campaign log {CAMPAIGN} source:tmall spend:5500 revenue:20800 orders:101 clicks:5000",
            f"/campaign log {CAMPAIGN} source:douyin spend:3400 revenue:12100 orders:60 clicks:3000",
            f"/campaign log {CAMPAIGN} source:google spend:1400 revenue:5100 orders:22 clicks:1200",
            (
                "00:05 · the Double 11 campaign ended yesterday: its evaluation, once, chart in the thread.",
                "00:05 · 双11大促昨天结束：活动评估只发一次，图表在消息串里。",
            ),
            "@00:05",
            (
                "08:30 · Wang Wei drops yesterday's shop exports in his DM with the bot.",
                "08:30 · 王伟把昨天的店铺导出文件发给机器人。",
            ),
            "as U_WEI",
            "share {files}/orders-2026-11-30.csv",
            "share {files}/traffic-2026-11-30.csv",
            (
                "09:00 · the daily digest and November's monthly report, each with its chart.",
                "09:00 · KPI 日报和11月月报，各带图表。",
            ),
            "@09:00",
            "@09:30",
            "as U_LI",
            "dm 双11活动评估",
            "dm 双12预热素材",
            "dm none",
            "as U_FANG",
            "dm 处理双11售后工单",
            "dm 更新售后话术",
            "dm none",
            "as U_DEMO",
            '/budget spend platform 9000 date:2026-12-01 note:"双12 店铺装修"',
            "@10:00",
            "@10:30",
            "@11:00",
            *EVENING,
        ),
    ),
    (
        2,
        ("Wednesday, Dec 2: the money goes too fast", "12月2日 周三：花钱太快"),
        (
            (
                "08:30 · yesterday's exports, and Li logs the Double 12 warm-up's first day.",
                "08:30 · 昨天的导出文件；李娜记录双12预热第一天的数据。",
            ),
            "as U_WEI",
            "share {files}/orders-2026-12-01.csv",
            "share {files}/traffic-2026-12-01.csv",
            "as U_LI",
            "/campaign log 双12预热 date:2026-12-01 source:tmall spend:9800 revenue:30100 orders:150",
            "/campaign log 双12预热 date:2026-12-01 source:douyin spend:6200 revenue:17800 orders:90",
            "@09:00",
            "@09:30",
            (
                "10:00 · December's marketing line: at this pace it runs out long before the month ends.",
                "10:00 · 12月营销预算：按这个速度，月底前早就花完了。",
            ),
            "@10:00",
            (
                "Chen moves money from the reserve pool; the audit log keeps who, when, before and after.",
                "陈杰从储备金调拨预算；审计日志记录谁、何时、调整前后。",
            ),
            "as U_DEMO",
            "/budget move 2万 from:reserve to:marketing 双12 加投",
            *_answers("U_LI", "双12预热上线", "优化抖音直播间投放", "none"),
            *_answers("U_WEI", "双12备货", "和快递公司确认揽收时间", "none"),
            "/task done 4",
            "@11:00",
            (
                "16:00 · Mia's reminder: her key visual is due today. Done, from the DM.",
                "16:00 · Mia 的提醒：主图今天到期。她在私信里直接点完成。",
            ),
            "@16:00",
            "as U_MIA",
            "click tasks.done",
            "@16:30",
            "@22:00",
            "@22:30",
        ),
    ),
    (
        3,
        ("Thursday, Dec 3: the payment outage", "12月3日 周四：支付故障"),
        (
            "as U_WEI",
            "share {files}/orders-2026-12-02.csv",
            "share {files}/traffic-2026-12-02.csv",
            "as U_LI",
            "/campaign log 双12预热 date:2026-12-02 source:tmall spend:8900 revenue:29300 orders:141",
            "/campaign log 双12预热 date:2026-12-02 source:douyin spend:5600 revenue:17100 orders:84",
            "@09:00",
            "@09:30",
            *_answers("U_LI", "调整抖音出价", "准备双12直播脚本", "none"),
            (
                "Customer service sees it first: payments fail on Tmall and Douyin.",
                "客服最先发现：天猫和抖音的支付失败。",
            ),
            "as U_FANG",
            "dm 回复支付失败的投诉",
            "dm 整理投诉清单",
            "dm 天猫和抖音店铺支付一直失败，顾客在投诉",
            "as U_DEMO",
            '/budget spend platform 8000 date:2026-12-03 note:"直播间场地"',
            (
                "10:00 · the platform line passes 80 % of its budget: #ops and its owner are told.",
                "10:00 · 平台预算超过80%：通知 #ops 和负责人。",
            ),
            "@10:00",
            "@11:00",
            "/risk show R2",
            *EVENING,
        ),
    ),
    (
        4,
        ("Friday, Dec 4: the anomaly and the retro", "12月4日 周五：异常与复盘"),
        (
            "as U_WEI",
            "share {files}/orders-2026-12-03.csv",
            "share {files}/traffic-2026-12-03.csv",
            "as U_LI",
            "/campaign log 双12预热 date:2026-12-03 source:tmall spend:7400 revenue:12100 orders:60",
            "/campaign log 双12预热 date:2026-12-03 source:douyin spend:4800 revenue:7300 orders:35",
            "@09:00",
            "@09:30",
            *_answers("U_FANG", "处理支付失败的投诉", "给受影响的顾客发补偿券", "none"),
            *_answers("U_WEI", "双12备货完成", "安排周末发货", "none"),
            (
                "10:00 · an anomaly alert: on Thursday only the JD shop sold.",
                "10:00 · 异常提醒：周四只有京东店有成交。",
            ),
            "@10:00",
            "@11:00",
            (
                "16:00 · the weekly retro opens with the week's evidence, gathered from every domain.",
                "16:00 · 每周复盘开始，附上从各模块汇总的本周证据。",
            ),
            "@16:00",
            "as U_LI",
            "click retros.add_well",
            f'submit text="{CAMPAIGN} beat its ROAS and CPA targets"',
            "as U_FANG",
            "click retros.add_improve",
            'submit text="Customers told us about the payment outage before we saw it"',
            "as U_DEMO",
            "click retros.add_action",
            'submit text="An hourly order-count alert per shop" owner=U_SAM check="orders>=100"',
            "click retros.add_action",
            'submit text="Bundle offers to lift the basket size" owner=U_LI check="aov>=230"',
            "as U_MIA",
            "click retros.vote",
            (
                "18:00 · the retro closes: the summary in its thread, each action item a task, a DM to each owner.",
                "18:00 · 复盘结束：总结在消息串里，每个行动项变成任务，并私信通知负责人。",
            ),
            "@18:00",
            "@22:00",
            "@22:30",
        ),
    ),
    (
        5,
        ("Saturday, Dec 5: the A/B test reaches its sample", "12月5日 周六：A/B 测试达到样本量"),
        (
            "as U_SAM",
            "/abtest log 主图测试 白底 visitors:2400 conversions:144 as:total date:2026-12-04",
            "/abtest log 主图测试 场景 visitors:2400 conversions:190 as:total date:2026-12-04",
            "/abtest show 主图测试",
            "as U_DEMO",
            '/abtest decide 主图测试 场景 reason:"Roll out the lifestyle photo to all SKUs"',
        ),
    ),
    (
        6,
        ("Sunday, Dec 6: the ops lead's dashboard", "12月6日 周日：运营负责人的看板"),
        (
            ("Chen opens the bot's App Home: the team's dashboard.", "陈杰打开机器人的主页：团队看板。"),
            "as U_DEMO",
            "home",
            "/budget status",
            "/scorecard team week",
        ),
    ),
)


def _directory(lang: str) -> object:
    def setup(fake: FakeSlack) -> None:
        for person in TEAM:
            chinese = (lang == "zh-CN" and person.tz == "Asia/Shanghai") or person.zh_in_english_demo
            fake.add_user(
                person.user_id,
                name=person.handle,
                real_name=person.real_name,
                tz=person.tz,
                locale="zh-CN" if chinese else "en-US",
                is_admin=person.user_id == "U_DEMO",
                is_owner=person.user_id == "U_DEMO",
            )
        fake.add_channel("C_DEMO", name="ops", members=[p.user_id for p in TEAM])

    return setup


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _say(session: ConsoleSession, text: str) -> None:
    session.handle("# " + text)


def _setup(session: ConsoleSession, files: Path, lang: str, out: TextIO) -> None:
    """The team's set-up, through the app, printed as a short summary (refusals fail the demo)."""
    captured = io.StringIO()
    session.out = captured
    try:
        for line in SETUP:
            session.handle(line.replace("{files}", str(files)).replace("{lang}", lang))
        session.handle("as U_DEMO")
    finally:
        session.out = out
    log = captured.getvalue()
    if ":no_entry:" in log or "⛔" in log or "Slack refused" in log:
        raise RuntimeError("the demo's set-up was refused:\n" + log)
    orders = f"{len((files / 'orders-90-days.csv').read_text(encoding='utf-8').splitlines()) - 1:,}"
    if lang == "zh-CN":
        lines = [
            "演示店铺与团队（周日 11月29日 20:00 之前，通过应用本身完成设置）：",
            *(f"  • {p.name_zh}（{p.role_zh}，{p.tz}）" for p in TEAM),
            f"  • 90 天的订单（{orders} 笔）和流量，通过私信导入；GMV 与转化率目标；#ops 的日报、周报、月报",
            f"  • {CAMPAIGN}：11月1日–30日，天猫、抖音（巨量千川）和 Google Ads 的每日数据；双12预热从12月1日开始",
            "  • 11月和12月的预算（营销、平台、储备金）、任务与检查点、#ops 站会、周五复盘、风险登记和一个 A/B 测试",
        ]
    else:
        lines = [
            "The demo shop and its team (set up through the app itself before Sunday Nov 29, 20:00):",
            *(f"  • {p.real_name} ({p.role_en}, {p.tz})" for p in TEAM),
            f"  • 90 days of orders ({orders}) and traffic imported by DM; GMV and conversion targets; "
            "daily, weekly and monthly digests in #ops",
            f"  • {CAMPAIGN} (Double 11), Nov 1-30, daily results from Tmall, Douyin (巨量千川) and Google Ads; "
            "the Double 12 warm-up starts Dec 1",
            "  • budget lines for November and December (marketing, platform, reserve), tasks and checkpoints, "
            "the #ops standup, a Friday retro, a risk register and an A/B test",
        ]
    for line in lines:
        print(line, file=out)


def play_week(session: ConsoleSession, files: Path, lang: str, out: TextIO) -> None:
    """Set the team up, then play Monday to Sunday."""
    _setup(session, files, lang, out)
    for offset, title, steps in WEEK:
        day = WEEK_START + timedelta(days=offset)
        rule = "═" * 72
        print(f"\n{rule}\n  {title[1] if lang == 'zh-CN' else title[0]}\n{rule}", file=out)
        if isinstance(session.clock, FixedClock):
            session.clock.set(_at(day, "08:00"))
        for step in steps:
            if isinstance(step, tuple):
                _say(session, step[1] if lang == "zh-CN" else step[0])
            elif step.startswith("@"):
                session.handle(f"run-due {_at(day, step[1:]).isoformat()}")
            else:
                session.handle(step.replace("{files}", str(files)))


def received(fake: FakeSlack) -> Counter[str]:
    """How many messages each person (by DM) and channel received from the bot."""
    counts: Counter[str] = Counter()
    for call in fake.calls:
        if call.ok and call.method in ("chat.postMessage", "files.completeUploadExternal"):
            target = str(call.args.get("channel") or call.args.get("channel_id") or "")
            counts[target.removeprefix("D_")] += 1
    return counts


def run_week(
    settings: Settings,
    *,
    lang: str = "en",
    interactive: bool = False,
    database_url: str | None = None,
    out: TextIO | None = None,
) -> int:
    """The week's demo on a new SQLite database; with `interactive`, a console on its data afterwards."""
    out = out or sys.stdout
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ecombot-demo-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'demo.db'}"
        intro = (
            "ecombot demo：真实的应用、本地的 Slack 模拟和一个演示工作区，演示一个运营团队的一周。不使用 Slack 账号和网络。"
            if lang == "zh-CN"
            else "ecombot demo: the real app, a local Slack fake, and one operating week of a demo team. "
            "No Slack account and no network are used."
        )
        print(intro + "\n", file=out)
        demo_settings = settings.with_database(url)
        engine = make_engine(demo_settings.database)
        migrations.upgrade(engine)
        engine.dispose()
        clock = FixedClock(_at(WEEK_START - timedelta(days=1), "20:00"))
        files = Path(tmp) / "files"
        files.mkdir()
        write_files(files)
        charts = Path(tempfile.mkdtemp(prefix="ecombot-demo-charts-"))
        session = ConsoleSession(
            demo_settings,
            out=out,
            clock=clock,
            files_dir=charts,
            lang=lang,
            people=[p.user_id for p in TEAM],
            directory=_directory(lang),  # type: ignore[arg-type]
        )
        try:
            play_week(session, files, lang, out)
            _summary(session, lang, out)
            saved = sorted(charts.glob("*.png"))
            print(
                (
                    f"\n图表（PNG 文件）：{charts}（{len(saved)} 个）"
                    if lang == "zh-CN"
                    else f"\nCharts the bot posted, as PNG files: {charts} ({len(saved)} files)"
                ),
                file=out,
            )
            seconds = time.monotonic() - started
            print(
                f"演示用时 {seconds:.1f} 秒。" if lang == "zh-CN" else f"Demo finished in {seconds:.1f}s.",
                file=out,
            )
            if interactive:
                _interact(session, lang, out)
        finally:
            session.close()
    return 0


def _summary(session: ConsoleSession, lang: str, out: TextIO) -> None:
    counts = received(session.fake)
    names = {p.user_id: p.name_zh if lang == "zh-CN" else p.real_name for p in TEAM}
    print(
        "\n"
        + (
            "本周每个人和频道收到的消息："
            if lang == "zh-CN"
            else "What each person and channel received this week:"
        ),
        file=out,
    )
    for target, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        who = names.get(target.removeprefix("D_"), "#ops" if target == "C_DEMO" else target)
        print(f"  {who:<12} {count}", file=out)


def _interact(session: ConsoleSession, lang: str, out: TextIO, lines: Sequence[str] | None = None) -> None:
    """The console on the demo's data: the clock stays at the end of the week."""
    print(
        "\n"
        + (
            "现在由你操作（输入 help 查看用法，quit 退出）。"
            if lang == "zh-CN"
            else "Your turn: the console on the demo's data (type `help`, `quit` to leave)."
        ),
        file=out,
    )
    while True:
        try:
            line = input(f"{session.user}@{session.channel}> ")
        except EOFError:
            break
        if not session.handle(line, echo=False):
            break
