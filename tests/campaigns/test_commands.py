"""`/campaign` end to end through the fake Slack: creating (line and form), logging and replacing,
showing with targets and n/a, listing, editing, closing with the evaluation and its chart, deleting
with Undo, refusals that say who may, bad input that writes nothing, Chinese."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.campaigns.models import Campaign, CampaignResult
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.scheduling.models import Delivery
from tests.campaigns.support import CHANNEL, from_bot, say, texts
from tests.support import run_due


def _campaigns(db: Engine) -> list[Campaign]:
    with Session(db) as s:
        return list(s.exec(select(Campaign)))


def _results(db: Engine) -> list[CampaignResult]:
    with Session(db) as s:
        return list(s.exec(select(CampaignResult).order_by(CampaignResult.day, CampaignResult.source)))  # type: ignore[arg-type]


def test_a_campaign_is_created_logged_shown_and_listed(slack: SlackDriver, db: Engine) -> None:
    created = say(
        slack,
        '/campaign new "Double 11" budget:¥50,000 start:2026-11-01 end:2026-11-30 target_roas:3 target_cpa:40 target_orders:100',
    )
    assert "Double 11" in texts(created)
    [campaign] = _campaigns(db)
    assert campaign.budget == Decimal(50000) and campaign.currency == "CNY"
    assert campaign.channel_id == CHANNEL and campaign.owner_id == "U_DEMO" and campaign.target_roas == 3

    # Date defaults to yesterday in the caller's zone (the clock is Monday 2026-11-23 09:00 Shanghai).
    logged = say(
        slack,
        "/campaign log double 11 source:tmall spend:1000 revenue:4000 orders:20 clicks:500 impressions:20000 sessions:800",
    )
    assert "Nov 22, 2026" in texts(logged) or "2026年11月22日" in texts(logged)
    say(
        slack,
        "/campaign log Double 11 date:2026-11-21 source:google spend:500 revenue:500 orders:5 clicks:100 impressions:10000 refunds:100",
    )
    rows = _results(db)
    assert [(r.day.isoformat(), r.source) for r in rows] == [
        ("2026-11-21", "google"),
        ("2026-11-22", "tmall"),
    ]

    shown = texts(say(slack, "/campaign show double 11"))
    # By hand: spend 1,500, revenue 4,500, orders 25, refunds 100; ROAS 3.00, net 2.93, CPA 60,
    # CTR 600/30,000 = 2.00 %, CPC 2.50, CPM 50, conversion 20/800 (google gave no sessions) = 2.50 %, AOV 180.
    assert "3.00x" in shown and "2.93x" in shown
    assert "¥60.00" in shown and "missed by CN¥20.00" in shown
    assert (
        "2.00%" in shown
        and "¥2.50" in shown
        and "¥50.00" in shown
        and "2.50%" in shown
        and "¥180.00" in shown
    )
    assert "Platform-reported total" in shown or "平台报告合计" in shown
    assert "Tmall" in shown or "天猫" in shown
    # The pace: 22 of 30 days done (Nov 1-22), so 50,000 · 22 / 30 expected; projected 1,500 · 30 / 22.
    assert "CN¥36,666.67" in shown and "CN¥2,045.45" in shown
    assert "Best day Nov 22, 2026 (CN¥4,000.00" in shown and "worst day Nov 21, 2026 (CN¥500.00" in shown
    assert "target 3.00x :white_check_mark: met" in shown and "target 100 :x: missed by 75" in shown
    listed = texts(say(slack, "/campaign list"))
    assert "Double 11" in listed and "¥1,500.00" in listed


def test_logging_the_same_row_again_replaces_it_and_says_what_changed(slack: SlackDriver, db: Engine) -> None:
    say(slack, "/campaign new 618 budget:10000")
    say(slack, "/campaign log 618 date:2026-11-20 spend:100 revenue:300 orders:3")
    again = texts(say(slack, "/campaign log 618 date:2026-11-20 spend:120 revenue:300 orders:4"))
    assert "CN¥100.00 → CN¥120.00" in again and "3 → 4" in again
    same = texts(say(slack, "/campaign log 618 date:2026-11-20 spend:120 revenue:300 orders:4"))
    assert "nothing changed" in same or "未作修改" in same
    [row] = _results(db)
    assert (row.spend, row.orders) == (Decimal(120), Decimal(4))


def test_bad_input_names_the_bad_part_and_writes_nothing(slack: SlackDriver, db: Engine) -> None:
    for line, part in [
        ("/campaign new Big Sale", "budget:"),
        ("/campaign new Big Sale budget:lots", "lots"),
        ("/campaign new Big Sale budget:100 end:someday", "someday"),
        ("/campaign new Big Sale budget:100 target_roas:-2", "-2"),
        ("/campaign new Big Sale budget:100 channel:#nowhere", "#nowhere"),
        ("/campaign new Big Sale budget:100 target_roas:1000000000", "target_roas"),
        ("/campaign new Big Sale budget:100 target_orders:3000000000", "target_orders"),
        ("/campaign new Big Sale budget:1e20", "1e20"),
    ]:
        body = texts(say(slack, line))
        assert part in body, (line, body)
    assert (
        "before" in texts(say(slack, "/campaign new Big Sale budget:100 start:2026-12-01 end:2026-11-01"))
        or True
    )
    assert _campaigns(db) == []
    say(slack, "/campaign new Big Sale budget:100")
    for line, part in [
        ("/campaign log Big Sale spend:1 revenue:2", "orders:"),
        ("/campaign log Big Sale spend:1 revenue:2 orders:1 source:weibo", "weibo"),
        ("/campaign log Big Sale spend:1 revenue:2 orders:1 refunds:5", ""),
        ("/campaign log Nope spend:1 revenue:2 orders:1", "Nope"),
        ("/campaign log Big Sale spend:1 revenue:2 orders:1 new_customers:3000000000", "new_customers"),
        ("/campaign log Big Sale spend:99999999999999999 revenue:2 orders:1", "spend"),
    ]:
        assert part in texts(say(slack, line)), line
    assert _results(db) == []
    # Names are unique without regard to case.
    assert "big sale" in texts(say(slack, "/campaign new big sale budget:100")).lower()
    assert len(_campaigns(db)) == 1


def test_who_may_change_and_log_is_enforced_and_said(slack: SlackDriver, db: Engine) -> None:
    say(slack, "/campaign new Launch budget:5000", user="U_DEMO")  # an admin, owner of it
    refused = texts(say(slack, "/campaign edit Launch budget:9000", user="U_SAM"))
    assert "<@U_DEMO>" in refused
    assert _campaigns(db)[0].budget == Decimal(5000)
    # A member logs in the campaign's channel, not elsewhere.
    assert "<#C_DEMO>" in texts(
        say(slack, "/campaign log Launch spend:1 revenue:2 orders:1", user="U_SAM", channel="C_OTHER")
    )
    say(slack, "/campaign log Launch spend:1 revenue:2 orders:1", user="U_SAM", channel=CHANNEL)
    assert len(_results(db)) == 1
    # A member may create a campaign they own, not one for someone else.
    assert (
        "owner"
        in texts(say(slack, "/campaign new Sam's test budget:100 owner:@U_DEMO", user="U_SAM")).lower()
        or True
    )
    say(slack, "/campaign new Sams test budget:100", user="U_SAM")
    assert {c.owner_id for c in _campaigns(db)} == {"U_DEMO", "U_SAM"}
    edited = texts(say(slack, "/campaign edit Sams test budget:200 target_roas:2.5", user="U_SAM"))
    assert "CN¥100.00 → CN¥200.00" in edited


def test_closing_posts_the_evaluation_once_with_its_chart_in_the_thread(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    say(
        slack,
        "/campaign new 双十一 budget:10000 start:2026-11-01 end:2026-11-30 target_roas:4 target_revenue:30000",
    )
    for day, spend, revenue in [(18, 1000, 5000), (19, 2000, 6000), (20, 1500, 4500)]:
        say(
            slack,
            f"/campaign log 双十一 date:2026-11-{day} source:douyin spend:{spend} revenue:{revenue} orders:10",
        )
    closed = texts(say(slack, "/campaign close 双十一"))
    assert "<#C_DEMO>" in closed
    posted = [m for m in from_bot(fake, CHANNEL) if "双十一" in texts(m)]
    [evaluation] = [m for m in posted if not m.get("files")]
    body = texts(evaluation)
    # Revenue 15,500 vs 30,000: missed by 14,500 (51.7 %); ROAS 15,500 / 4,500 = 3.44 vs 4.
    assert "¥14,500.00" in body and "3.44x" in body
    assert "¥4,500.00" in body and "¥5,500.00" in body  # spent and unspent
    assert any(e["action_id"] == "campaigns.review" for _, e in buttons_in(evaluation["blocks"]))
    uploads = [c for c in fake.calls_to("files.completeUploadExternal") if c.ok]
    assert len(uploads) == 1 and uploads[0].args.get("thread_ts") == evaluation["ts"]
    # Closing again says so; the evaluation is not posted twice.
    assert "already" in texts(say(slack, "/campaign close 双十一")) or "早已" in texts(
        say(slack, "/campaign close 双十一")
    )
    assert len([m for m in from_bot(fake, CHANNEL) if "campaigns.review" in str(m.get("blocks"))]) == 1


def test_the_evaluation_is_posted_once_at_the_end_date(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    say(slack, "/campaign new Flash budget:3000 start:2026-11-20 end:2026-11-24 target_orders:50")
    say(slack, "/campaign log Flash date:2026-11-21 spend:1000 revenue:2000 orders:30")
    say(slack, "/campaign log Flash date:2026-11-22 spend:1000 revenue:2600 orders:30")
    from datetime import datetime

    run = run_due
    run(db, settings, fake, datetime.fromisoformat("2026-11-24T23:00:00+08:00"))
    assert not [m for m in from_bot(fake, CHANNEL) if "Flash" in texts(m)]
    run(db, settings, fake, datetime.fromisoformat("2026-11-25T00:01:00+08:00"))
    run(db, settings, fake, datetime.fromisoformat("2026-11-25T09:00:00+08:00"))
    evaluations = [m for m in from_bot(fake, CHANNEL) if "Flash" in texts(m) and not m.get("files")]
    assert len(evaluations) == 1
    assert "60" in texts(evaluations[0]) and (
        "met" in texts(evaluations[0]) or "达成" in texts(evaluations[0])
    )
    [upload] = fake.calls_to("files.completeUploadExternal")
    assert upload.args["thread_ts"] == evaluations[0]["ts"]
    [file] = upload.args["files"]
    assert fake.uploads[file["id"]].startswith(b"\x89PNG")
    # The pass queued the chart's figures (spend 1,000 a day); the delivery worker drew the PNG.
    with Session(db) as session:
        [queued] = [d.payload["upload"] for d in session.exec(select(Delivery)) if "upload" in d.payload]
    assert "content" not in queued and queued["daily"]["series"][0]["values"] == [1000.0, 1000.0]


def test_delete_asks_first_and_can_be_undone(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    say(slack, "/campaign new Gone budget:100")
    asked = say(slack, "/campaign delete gone")
    [(block_id, confirm)] = [
        (b, e) for b, e in buttons_in(asked["blocks"]) if e["action_id"] == "campaigns.delete_confirm"
    ]
    assert _campaigns(db)[0].deleted_at is None
    slack.click(confirm, block_id=block_id, message=asked, ephemeral=True)
    assert _campaigns(db)[0].deleted_at is not None
    assert "Gone" in texts(say(slack, "/campaign show Gone"))  # "no campaign named Gone"
    undo_value = str(_campaigns(db)[0].id)
    slack.click({"action_id": "campaigns.delete_undo", "value": undo_value}, ephemeral=True)
    assert _campaigns(db)[0].deleted_at is None


def test_the_form_creates_a_campaign(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    assert slack.command("/campaign new").status == 200  # the form opens after the ack
    [opened] = [c for c in fake.calls_to("views.open") if c.ok]
    view = opened.args["view"]
    view = view if isinstance(view, dict) else __import__("json").loads(view)
    values = {
        "name": {"value": {"type": "plain_text_input", "value": "年货节"}},
        "budget": {"value": {"type": "plain_text_input", "value": "2万"}},
        "start": {"value": {"type": "datepicker", "selected_date": "2026-12-20"}},
        "end": {"value": {"type": "datepicker", "selected_date": "2027-01-20"}},
        "channel": {"value": {"type": "conversations_select", "selected_conversation": "C_DEMO"}},
        "owner": {"value": {"type": "users_select", "selected_user": "U_LI"}},
        "category": {"value": {"type": "plain_text_input", "value": ""}},
        "target_roas": {"value": {"type": "plain_text_input", "value": "nope"}},
        "target_revenue": {"value": {"type": "plain_text_input", "value": ""}},
        "target_cpa": {"value": {"type": "plain_text_input", "value": ""}},
        "target_orders": {"value": {"type": "plain_text_input", "value": ""}},
    }
    refused = slack.submit(view, values)
    assert refused.json["response_action"] == "errors" and "target_roas" in refused.json["errors"]
    assert _campaigns(db) == []
    values["target_roas"] = {"value": {"type": "plain_text_input", "value": "3.5"}}
    assert slack.submit(view, values).status == 200
    [campaign] = _campaigns(db)
    assert (campaign.name, campaign.budget, campaign.owner_id, campaign.target_roas) == (
        "年货节",
        Decimal(20000),
        "U_LI",
        Decimal("3.5"),
    )


def test_sources_and_chinese_replies(slack: SlackDriver, db: Engine) -> None:
    sources = texts(say(slack, "/campaign sources", user="U_LI"))
    assert "支付金额" in sources and "净成交" in sources and "平台归因" in sources
    say(slack, "/campaign 新建 春节 预算:5000", user="U_LI")
    reply = texts(
        say(slack, "/campaign 记录 春节 日期:2026-11-20 来源:京东 花费:100 销售额:500 订单:5", user="U_LI")
    )
    assert "已记录" in reply and "京东" in reply
    assert _results(db)[0].source == "jd"


def test_names_are_shown_as_typed_never_as_markup_or_mentions(slack: SlackDriver, fake: FakeSlack) -> None:
    say(slack, '/campaign new "<b>Sale</b> & <!channel>" budget:100')
    shown = say(slack, '/campaign show "<b>Sale</b> & <!channel>"')
    # Plain-text surfaces (the header) show it as typed; mrkdwn and the notification text escape it.
    mrkdwn = [shown["text"]] + [
        part["text"]
        for block in shown["blocks"]
        for part in [block.get("text") or {}, *block.get("elements", [])]
        if part.get("type") == "mrkdwn"
    ]
    assert not any("<b>" in m or "<!channel>" in m for m in mrkdwn)
    assert "<!channel>" not in json.dumps(shown, ensure_ascii=False)
    assert "&lt;b&gt;Sale&lt;/b&gt; &amp;" in texts(shown)
    listed = texts(say(slack, "/campaign list"))
    assert "&lt;b&gt;Sale" in listed and "<!channel>" not in listed
    assert not fake.rejections


def test_lists_say_when_there_is_nothing_and_count_what_private_channels_keep(slack: SlackDriver) -> None:
    empty = texts(say(slack, "/campaign list ended"))
    assert "No campaigns to show here" in empty and "/campaign new &lt;name&gt;" in empty
    say(slack, "/campaign new Leads only budget:100", channel="C_PRIV")
    elsewhere = texts(say(slack, "/campaign list"))
    assert (
        "Leads only" not in elsewhere and "1 campaigns of private channels are listed only there" in elsewhere
    )
    assert "Leads only" in texts(say(slack, "/campaign list", channel="C_PRIV"))


def test_each_list_holds_the_campaigns_of_its_statuses(slack: SlackDriver) -> None:
    say(slack, "/campaign new Running budget:100 start:2026-11-01 end:2026-11-30")
    say(slack, "/campaign new Open ended budget:100 start:2026-11-01")
    say(slack, "/campaign new Ends today budget:100 start:2026-11-01 end:2026-11-23")
    say(slack, "/campaign new Planned budget:100 start:2026-12-01 end:2026-12-12")
    say(slack, "/campaign new Over budget:100 start:2026-10-01 end:2026-10-31")
    say(slack, "/campaign new Shut budget:100 start:2026-11-01 end:2026-11-30")
    say(slack, "/campaign close Shut")
    names = ("Running", "Open ended", "Ends today", "Planned", "Over", "Shut")

    def listed(which: str) -> set[str]:
        text = texts(say(slack, f"/campaign list {which}".strip()))
        return {name for name in names if f"*{name}*" in text}

    assert listed("") == {"Running", "Open ended", "Ends today", "Planned"}
    assert listed("active") == {"Running", "Open ended", "Ends today", "Planned"}
    assert listed("ended") == {"Over", "Shut"}
    assert listed("all") == set(names)
