"""The campaigns section of App Home, the chart's Chinese glyphs, and a chart the outbox uploads
into a thread exactly once, even when the worker died after the upload."""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import sqlalchemy as sa
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from ecombot import charts
from ecombot.clock import OffsetClock
from ecombot.db import session_scope
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.scheduling.delivery import DeliveryWorker, WorkerSettings
from ecombot.scheduling.service import Outgoing, enqueue_many, upload_payload
from tests.campaigns.support import say, texts


def test_app_home_shows_active_campaigns_against_budget_and_target(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    say(slack, "/campaign new 双十二 budget:10000 start:2026-11-20 end:2026-12-12 target_roas:3")
    say(slack, "/campaign log 双十二 date:2026-11-21 spend:2000 revenue:5000 orders:10")
    say(slack, "/campaign new Leads secret budget:500 start:2026-11-20", channel="C_PRIV")
    say(slack, "/campaign new Next year budget:500 start:2027-01-01")  # planned, not active
    slack.event({"type": "app_home_opened", "user": "U_SAM", "tab": "home"})
    home = texts(fake.home_views["U_SAM"])
    assert "Active campaigns" in home
    assert "*双十二* · spend CN¥2,000.00 of CN¥10,000.00 (20.0%) · ROAS 2.50x (target 3.00x)" in home
    assert "Leads secret" not in home  # a private channel's campaign stays in it
    assert "Next year" not in home


def test_charts_draw_chinese_without_missing_glyphs() -> None:
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(5)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = charts.daily(
            "双十一：每日花费、销售额与 ROAS",
            days,
            [
                charts.Series("花费", [1.0, 2, 3, 4, 5], kind="bar"),
                charts.Series("销售额", [3.0, 4, 5, 6, None]),
            ],
            note="销售额为各平台报告口径",
        )
    assert png.startswith(b"\x89PNG")
    assert "CJK" in charts.font_family()


def test_an_upload_in_a_thread_is_sent_once_even_when_the_worker_died_after_sending(
    fake: FakeSlack, db: Engine, workspace: str
) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    parent = Outgoing("C_DEMO", {"text": "Campaign evaluation"}, "eval:1")
    chart = Outgoing(
        "C_DEMO",
        upload_payload("campaign-1-trend.png", b"\x89PNG chart", title="Trend"),
        "eval:1:chart",
        thread_of="eval:1",
    )
    with session_scope(db) as s:
        enqueue_many(s, [(workspace, parent), (workspace, chart)], now=now)

    def worker() -> DeliveryWorker:
        return DeliveryWorker(
            db,
            OffsetClock(now),
            lambda team: WebClient(token="xoxb-test", base_url=fake.api_url),
            worker="w",
            settings=WorkerSettings(channel_interval=0.0, poll_interval=0.02),
        )

    first = worker()
    try:
        assert first.drain(timeout=10).failed == 0
    finally:
        first.close()
    [posted] = [m for m in fake.messages("C_DEMO") if m.get("text") == "Campaign evaluation"]
    uploads = fake.calls_to("files.completeUploadExternal")
    assert len(uploads) == 1 and uploads[0].args["thread_ts"] == posted["ts"]
    # A worker that died before recording the upload: the next one finds it in the thread by name.
    with session_scope(db) as s:
        s.execute(
            sa.text(
                "UPDATE deliveries SET status = 'pending', verify_before_send = :v WHERE idempotency_key = :k"
            ),
            {"v": True, "k": "eval:1:chart"},
        )
    second = worker()
    try:
        assert second.drain(timeout=10).failed == 0
    finally:
        second.close()
    assert len(fake.calls_to("files.completeUploadExternal")) == 1


def test_a_dollar_sign_in_a_name_is_drawn_as_itself() -> None:
    png = charts.daily(
        "$$$ Sale $_$", [date(2026, 11, 1), date(2026, 11, 2)], [charts.Series("$ spend", [1.0, 2.0])]
    )
    assert png.startswith(b"\x89PNG")
