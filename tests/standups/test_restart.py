"""A restart in the middle of a standup day (the process dies after claiming prompts, before sending
them; the app restarts while someone is halfway through their DM replies; the delivery worker dies
after Slack took a thread reply) loses nothing and posts nothing twice."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.app import build_runtime
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from ecombot.scheduling.engine import SchedulingEngine
from ecombot.scheduling.models import Delivery
from ecombot.standups.models import StandupAnswer
from tests.standups.support import CHANNEL, from_bot, key_of, prompts, reports, shanghai, thread, utc
from tests.support import SIGNING_SECRET, run_due


def _fire_only(db: Engine, settings: Settings, at: str) -> int:
    """A scheduler pass that claims and queues what is due, then dies before delivering any of it."""
    when = utc("2026-11-24", at)
    rt = build_runtime(settings, engine=db, clock=FixedClock(when))
    report = SchedulingEngine(db, rt.jobs, worker="doomed").run_due(when)
    assert report.errors == []
    return report.fired


def test_a_restart_mid_day_loses_and_duplicates_nothing(
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    settings: Settings,
    clock: FixedClock,
    local_app: LocalApp,
) -> None:
    clock.set(shanghai("2026-11-23", "17:00"))
    assert slack.command("/standup config reminder:off", user="U_DEMO", channel=CHANNEL).status == 200

    # Tuesday 09:30 in Shanghai: the prompts for Demo and Li are claimed and queued, then the
    # process dies before sending them.
    assert _fire_only(db, settings, "01:30") == 2
    assert prompts(fake, "U_DEMO") == prompts(fake, "U_LI") == []

    # After the restart the next pass fires nothing new and delivers what was queued, once each.
    again = run_due(db, settings, fake, utc("2026-11-24", "01:31"))
    assert again.fired == 0
    assert len(prompts(fake, "U_DEMO")) == len(prompts(fake, "U_LI")) == 1

    # Li is halfway through her DM replies when the app restarts.
    clock.set(shanghai("2026-11-24", "09:35"))
    slack.dm("写了商品文案", user="U_LI")
    assert from_bot(fake, "U_LI")[-1]["text"].startswith("*2/3*")
    local_app.close()
    restarted = LocalApp(settings, db, clock)
    try:
        driver = SlackDriver(restarted.url, SIGNING_SECRET, fake, settle=restarted.settle)
        driver.dm("拍摄主图", user="U_LI")
        assert from_bot(fake, "U_LI")[-1]["text"].startswith("*3/3*")
        driver.dm("等待供应商报价", user="U_LI")
        assert "谢谢" in from_bot(fake, "U_LI")[-1]["text"]
    finally:
        restarted.close()
    with Session(db) as s:
        [li] = s.exec(select(StandupAnswer).where(StandupAnswer.user_id == "U_LI")).all()
    assert (li.state, li.via, li.answers) == ("done", "dm", ["写了商品文案", "拍摄主图", "等待供应商报价"])

    # 11:00: the report is claimed and queued, the process dies again; the next pass posts it once.
    assert _fire_only(db, settings, "03:00") == 1
    assert reports(fake) == []
    run_due(db, settings, fake, utc("2026-11-24", "03:01"))
    [report] = reports(fake)
    assert "<@U_LI> 提出：等待供应商报价" in report["blocks"][3]["text"]["text"]
    [li_reply] = thread(fake, report)

    # The delivery worker dies after Slack took Li's thread reply, before it noted so: the next
    # worker finds the reply in the thread and does not post it again.
    with Session(db) as s:
        row = s.exec(select(Delivery).where(Delivery.idempotency_key == key_of(li_reply))).one()
        s.execute(
            sa.update(Delivery)
            .where(sa.column("id") == row.id)
            .values(
                status="sending",
                message_ts="",
                lease_until=utc("2026-11-24", "03:01") - timedelta(minutes=1),
            )
        )
        s.commit()
    run_due(db, settings, fake, utc("2026-11-24", "03:05"))
    assert thread(fake, report) == [li_reply]
    with Session(db) as s:
        row = s.exec(select(Delivery).where(Delivery.idempotency_key == key_of(li_reply))).one()
    assert (row.status, row.message_ts) == ("sent", li_reply["ts"])
    assert len(prompts(fake, "U_DEMO")) == len(prompts(fake, "U_LI")) == 1
    assert len(reports(fake)) == 1
    assert [m for m in fake.messages(CHANNEL) if m.get("bot_id") and "U_LI" in m["text"]] == [li_reply]
