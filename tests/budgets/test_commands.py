"""`/budget` end to end through the fake Slack: lines, spend from campaigns and by hand, moves with
the audit log, status with its chart by DM, categories, alerts, curves, refusals and bad input."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.budgets.models import BudgetLine, BudgetLog, BudgetSpend
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.scheduling.models import Delivery
from tests.campaigns.support import from_bot, say, texts
from tests.support import run_due


def _lines(db: Engine) -> list[BudgetLine]:
    with Session(db) as s:
        return list(s.exec(select(BudgetLine)))


def _log(db: Engine) -> list[BudgetLog]:
    with Session(db) as s:
        return list(s.exec(select(BudgetLog).order_by(BudgetLog.id)))  # type: ignore[arg-type]


def test_a_line_counts_campaign_spend_and_spend_by_hand(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    reply = texts(say(slack, "/budget set marketing 30000 period:2026-11"))
    assert "*Marketing* budget for 2026-11: CN¥30,000.00" in reply and "<#C_DEMO>" in reply
    say(slack, "/campaign new 双11 budget:20000 start:2026-11-01 end:2026-11-30 category:市场营销")
    say(slack, "/campaign log 双11 date:2026-11-10 spend:9000 revenue:30000 orders:100")
    say(slack, '/budget spend marketing 3,000 date:2026-11-12 note:"KOL 达人费"')
    say(slack, "/budget refund marketing 500 date:2026-11-13")
    status = texts(say(slack, "/budget status"))
    # Spent 9,000 + 3,000 − 500 = 11,500 of 30,000; 22 of 30 days done: 22,000 expected, pace 0.52,
    # projected 11,500 × 30 / 22 = 15,681.82, 14,318.18 under.
    assert "CN¥11,500.00 of CN¥30,000.00 (38.3%) · CN¥18,500.00 left" in status
    assert (
        "Expected by today CN¥22,000.00 · pace 0.52x · projected CN¥15,681.82 (CN¥14,318.18 under)" in status
    )
    # The chart comes by DM, as a PNG uploaded to the person's DM. The request only queued its figures:
    # the delivery worker drew it, so drawing never holds up anyone's ack.
    [upload] = [c for c in fake.calls_to("files.completeUploadExternal") if c.ok]
    assert upload.args["channel_id"].startswith("D")
    [file] = upload.args["files"]
    assert fake.uploads[file["id"]].startswith(b"\x89PNG")
    with Session(db) as session:
        [queued] = [d.payload["upload"] for d in session.exec(select(Delivery)) if "upload" in d.payload]
    assert "content" not in queued and queued["bars"]["labels"] == ["Marketing 2026-11"]
    assert [log.action for log in _log(db)] == ["set", "spend", "refund"]
    # Asking again with nothing changed answers again, but the same chart is in the DMs already.
    assert "CN¥11,500.00 of CN¥30,000.00" in texts(say(slack, "/budget status"))
    assert len([c for c in fake.calls_to("files.completeUploadExternal") if c.ok]) == 1
    # Once the figures change, the new chart comes.
    say(slack, "/budget spend marketing 100 date:2026-11-14")
    assert "CN¥11,600.00 of CN¥30,000.00" in texts(say(slack, "/budget status"))
    assert len([c for c in fake.calls_to("files.completeUploadExternal") if c.ok]) == 2


def test_moves_are_logged_and_refused_beyond_what_is_left(slack: SlackDriver, db: Engine) -> None:
    say(slack, "/budget set reserve 10000")
    say(slack, "/budget set marketing 5000")
    say(slack, "/budget spend 专项费用池 2000")
    too_big = texts(say(slack, "/budget move 8001 from:reserve to:marketing"))
    assert "reserve has only 8,000.00 CNY left to move" in too_big
    assert {line.category: line.amount for line in _lines(db)} == {
        "reserve": Decimal(10000),
        "marketing": Decimal(5000),
    }
    moved = texts(say(slack, "/budget move 8000 from:reserve to:marketing 双12 加投"))
    assert (
        "CN¥10,000.00 → CN¥2,000.00" in moved
        and "CN¥5,000.00 → CN¥13,000.00" in moved
        and "双12 加投" in moved
    )
    amounts = {line.category: line.amount for line in _lines(db)}
    assert amounts == {"reserve": Decimal(2000), "marketing": Decimal(13000)}
    log = texts(say(slack, "/budget log"))
    assert "moved into Marketing: CN¥5,000.00 → CN¥13,000.00 (双12 加投)" in log
    assert "moved out of Reserve pool: CN¥10,000.00 → CN¥2,000.00" in log
    assert [e.action for e in _log(db)][-2:] == ["move_out", "move_in"]
    assert "set Reserve pool" not in texts(say(slack, "/budget log marketing"))


def test_only_admins_and_ops_leads_change_budgets_and_owners_record_spend(
    slack: SlackDriver, db: Engine
) -> None:
    refused = texts(say(slack, "/budget set marketing 100", user="U_SAM"))
    assert "Only workspace admins and ops leads" in refused and _lines(db) == []
    say(slack, "/budget set marketing 1000 owner:<@U_SAM>")
    say(slack, "/budget set people 1000")
    assert "Recorded" in texts(say(slack, "/budget spend marketing 100", user="U_SAM"))
    assert "line's owner" in texts(say(slack, "/budget spend people 100", user="U_SAM"))
    assert "Only workspace admins" in texts(
        say(slack, "/budget move 10 from:marketing to:people", user="U_SAM")
    )
    with Session(db) as s:
        assert [row.amount for row in s.exec(select(BudgetSpend))] == [Decimal(100)]


def test_bad_input_names_the_bad_part_and_writes_nothing(slack: SlackDriver, db: Engine) -> None:
    for line, part in [
        ("/budget set marketing -5", "-5"),
        ("/budget set marketing lots", "lots"),
        ("/budget set rockets 100", "rockets"),
        ("/budget set marketing 100 period:someday", "someday"),
        ("/budget set marketing 100 period:2026-13", "2026-13"),
        ("/budget alerts 50,eighty", "50,eighty"),
        ("/budget alerts 0,80", "1 and 500"),
        ("/budget move 10 from:marketing", "to:"),
        ("/budget curve marketing", "like:"),
        ("/budget refund marketing 10", "cannot exceed"),
    ]:
        assert part in texts(say(slack, line)), line
    assert _lines(db) == [] and _log(db) == []


def test_categories_rename_and_chinese(slack: SlackDriver, db: Engine) -> None:
    listed = texts(say(slack, "/budget categories", user="U_LI"))
    assert "平台运营" in listed and "专项费用池" in listed
    renamed = texts(say(slack, "/budget categories rename marketing 品牌营销"))
    assert "品牌营销" in renamed
    say(slack, "/budget 设置 品牌营销 2万 期间:2026-12")
    [line] = _lines(db)
    assert (line.category, line.amount, line.start.isoformat()) == ("marketing", Decimal(20000), "2026-12-01")
    status = texts(say(slack, "/budget 状态 2026-12", user="U_LI"))
    assert "品牌营销" in status and "¥20,000.00" in status


def test_alert_settings_and_curves(slack: SlackDriver, db: Engine) -> None:
    assert "50%, 80%, 100%" in texts(say(slack, "/budget alerts"))
    assert "60%, 90%" in texts(say(slack, "/budget alerts 90,60 channel:<#C_PRIV|leads>"))
    say(slack, "/campaign new Double 11 2025 budget:100 start:2025-11-01 end:2025-11-11 category:marketing")
    say(slack, "/campaign log Double 11 2025 date:2025-11-02 spend:80 revenue:100 orders:1")
    say(slack, "/campaign log Double 11 2025 date:2025-11-11 spend:20 revenue:100 orders:1")
    say(slack, "/budget set marketing 1000")
    reply = texts(say(slack, '/budget curve marketing like:"Double 11 2025"'))
    # Day for day over the campaign's own dates (Nov 1-11): nothing on the 1st, 80 % by the 2nd.
    assert "follows the spend curve of *Double 11 2025* (11 days)" in reply
    [line] = _lines(db)
    assert line.curve_campaign == "Double 11 2025" and line.curve[:3] == ["0.000000", "0.800000", "0.800000"]
    assert "back to a straight line" in texts(say(slack, "/budget curve marketing off"))
    assert _lines(db)[0].curve == []


def test_alerts_speak_the_channel_s_language_and_the_owner_s(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    say(slack, "/budget set 人力资源 1000 owner:<@U_DEMO>")  # the workspace writes Chinese
    say(slack, "/budget spend people 850 note:外包")
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-23T10:00:00+08:00"))
    [channel] = [texts(m) for m in from_bot(fake, "C_DEMO") if "阈值 80%" in texts(m)]
    assert "*人力资源* 2026-11 预算已使用 85.0%" in channel and "外包" in channel
    [dm] = [texts(m) for m in from_bot(fake, "U_DEMO") if "threshold 80%" in texts(m)]
    assert "*People* has used 85.0% of its 2026-11 budget" in dm


def test_app_home_shows_lines_near_or_over_their_thresholds(slack: SlackDriver, fake: FakeSlack) -> None:
    say(slack, "/budget set marketing 1000 owner:<@U_SAM>")
    say(slack, "/budget set people 1000")
    say(slack, "/budget spend marketing 600")  # 60 %: past the lowest threshold (50 %)
    say(slack, "/budget spend people 100")  # 10 %
    for user in ("U_SAM", "U_LI"):
        slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    sam = texts(fake.home_views["U_SAM"])
    assert (
        "Budgets near or over their thresholds" in sam
        and "*Marketing* · 2026-11 · CN¥600.00 of CN¥1,000.00 (60.0%)" in sam
    )
    assert "People" not in sam
    assert "预算" not in texts(fake.home_views["U_LI"])  # Li is neither an ops lead nor an owner


def test_campaigns_keep_counting_against_a_renamed_category_and_typos_are_refused(
    slack: SlackDriver, db: Engine
) -> None:
    say(slack, "/budget set marketing 10000")
    say(slack, "/budget categories rename marketing Growth")
    say(slack, "/campaign new Spring budget:5000 category:Growth")
    say(slack, "/campaign log Spring date:2026-11-20 spend:4000 revenue:9000 orders:9")
    say(slack, "/budget categories rename marketing Brand")
    assert "CN¥4,000.00 of CN¥10,000.00" in texts(say(slack, "/budget status"))
    refused = texts(say(slack, "/campaign new Typo budget:100 category:markting"))
    assert "There is no budget category markting" in refused


def test_alerts_go_where_the_workspace_says_unless_a_line_names_its_own_channel(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    say(slack, "/ecom settings language en")
    say(slack, "/budget set marketing 1000")  # set in #ops
    say(slack, "/budget set people 1000 channel:<#C_DEMO|ops>")
    say(slack, "/budget alerts 50 channel:<#C_PRIV|leads>")
    say(slack, "/budget spend marketing 600")
    say(slack, "/budget spend people 600")
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-23T10:00:00+08:00"))
    assert [t for t in map(texts, from_bot(fake, "C_PRIV")) if "Marketing" in t]
    assert not [t for t in map(texts, from_bot(fake, "C_PRIV")) if "People" in t]
    assert [t for t in map(texts, from_bot(fake, "C_DEMO")) if "*People* has used" in t]
    assert not [t for t in map(texts, from_bot(fake, "C_DEMO")) if "*Marketing* has used" in t]


def test_a_quarter_s_reserve_pool_feeds_a_month_s_line(slack: SlackDriver, db: Engine) -> None:
    say(slack, "/budget set reserve 90000 period:2026-Q4")
    say(slack, "/budget set marketing 10000 period:2026-11")
    moved = texts(say(slack, "/budget move 5000 from:reserve to:marketing"))
    assert "CN¥90,000.00 → CN¥85,000.00" in moved and "CN¥10,000.00 → CN¥15,000.00" in moved
    say(slack, "/budget set marketing 2000 period:2026-11 owner:<@U_LI>")
    assert "owner <@U_DEMO> → <@U_LI>" in texts(say(slack, "/budget log"))
