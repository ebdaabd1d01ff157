"""Anomaly alerts on synthetic series: a real anomaly is found, a normal weekday dip is not, a
festival surge like last year's is not (a flat 尾款 day is), three anomalous days in a row are one
alert updated in place, and a lasting level shift stops firing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.kpis import anomalies
from ecombot.kpis.models import Order
from ecombot.scheduling.models import Delivery
from tests.campaigns.support import from_bot, say, texts
from tests.support import run_due


def _orders(db: Engine, per_day: dict[date, int], channel_of: dict[date, str] | None = None) -> None:
    """`count` orders of 100 on each day (Sundays are quieter by design of the caller)."""
    with Session(db) as s:
        n = 0
        for day, count in per_day.items():
            at = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
            for _ in range(count):
                channel = (channel_of or {}).get(day, "tmall") if n % 2 else "douyin"
                s.add(
                    Order(
                        team_id="T_DEMO",
                        order_id=f"O{n}",
                        customer_id=f"c{n % 50}",
                        created_at=at,
                        day=day,
                        total=Decimal(100),
                        status="paid",
                        channel=channel,
                    )
                )
                n += 1
        s.commit()


def _normal_year(seed: int = 3) -> dict[date, int]:
    """A year of days: about 100 orders, 60 on Sundays, a little noise; 双11 last year was 400."""
    rng = random.Random(seed)
    days: dict[date, int] = {}
    day = date(2025, 9, 1)
    while day <= date(2026, 11, 30):
        base = 60 if day.weekday() == 6 else 100
        days[day] = base + rng.randint(-6, 6)
        day += timedelta(days=1)
    days[date(2025, 11, 11)] = 400
    return days


def test_an_anomaly_is_found_and_normal_days_are_not(slack: SlackDriver, db: Engine) -> None:
    days = _normal_year()
    days[date(2026, 11, 18)] = 30  # a Wednesday collapse
    days[date(2026, 11, 11)] = 380  # 双11 like last year's: expected
    _orders(db, days)
    with Session(db) as s:
        found = anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 18))
        assert found is not None and found.z is not None and found.z < -3.5 and 90 <= found.normal <= 110
        assert (
            anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 22)) is None
        )  # a quiet Sunday is normal
        assert anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 17)) is None
        assert anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 11)) is None  # the surge is expected


def test_a_flat_festival_day_is_an_anomaly(db: Engine, workspace: str) -> None:
    days = _normal_year()
    days[date(2026, 11, 11)] = 105  # an ordinary day where last year's 双11 had 400
    _orders(db, days)
    with Session(db) as s:
        found = anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 11))
    assert found is not None and found.festival and found.normal == 400


def test_three_anomalous_days_are_one_alert_and_a_new_level_stops_firing(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    days = _normal_year()
    for offset in range(14):  # from Nov 16: a lasting fall to a third
        day = date(2026, 11, 16) + timedelta(days=offset)
        days[day] = days[day] // 3
    _orders(db, days)
    say(slack, "/ecom settings language en")
    say(slack, "/kpi digest daily")  # alerts go to the digest's channel
    for offset in range(3):  # Nov 17, 18, 19 at 10:30 check Nov 16, 17, 18
        run_due(db, settings, fake, datetime.fromisoformat(f"2026-11-{17 + offset}T10:30:00+08:00"))
    alerts = [m for m in from_bot(fake, "C_DEMO") if "below normal" in texts(m) and "*Orders*" in texts(m)]
    assert len(alerts) == 1  # one alert, updated
    updates = [c for c in fake.calls_to("chat.update") if c.ok and "Ongoing: 3 days in a row." in str(c.args)]
    assert updates
    assert "Moved most:" in texts(alerts[0])
    # A week and more later the lower level is the new normal: no more alert for it.
    for day in range(20, 31):
        run_due(db, settings, fake, datetime.fromisoformat(f"2026-11-{day}T10:30:00+08:00"))
    latest = [c for c in fake.calls_to("chat.update") if c.ok and "Orders" in str(c.args)]
    lasted = max(int(str(c.args).split("Ongoing: ")[1].split(" days")[0]) for c in latest)
    assert lasted < 14  # it stopped before the shift's 14 days were over
    assert (
        len([m for m in from_bot(fake, "C_DEMO") if "below normal" in texts(m) and "*Orders*" in texts(m)])
        == 1
    )


def test_a_day_without_any_order_is_an_outage_not_a_gap(db: Engine, workspace: str) -> None:
    days = _normal_year()
    days[date(2026, 11, 18)] = 0
    _orders(db, {day: count for day, count in days.items() if count})
    with Session(db) as s:
        found = anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 18))
    assert found is not None and found.value == 0 and found.normal >= 90


def test_a_day_is_checked_once_its_orders_are_in_and_an_outage_is_reported(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    days = _normal_year()
    days = {d: c for d, c in days.items() if d <= date(2026, 11, 18)}  # orders imported up to the 18th
    _orders(db, days)
    say(slack, "/ecom settings language en")
    say(slack, "/kpi digest daily")
    say(slack, "/kpi log sessions 5000 date:2026-11-19")  # traffic is in, the 19th's orders are not
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-20T10:05:00+08:00"))
    assert not [m for m in from_bot(fake, "C_DEMO") if "*Orders* on Nov 19" in texts(m)]
    # The 20th's orders arrive: the 19th had none at all, an outage, now reported.
    with Session(db) as s:
        at = datetime(2026, 11, 20, 4, tzinfo=UTC)
        s.add(
            Order(
                team_id="T_DEMO",
                order_id="LATE",
                customer_id="x",
                created_at=at,
                day=date(2026, 11, 20),
                total=Decimal(100),
                status="paid",
            )
        )
        s.commit()
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-20T11:05:00+08:00"))
    [outage] = [m for m in from_bot(fake, "C_DEMO") if "*Orders* on Nov 19" in texts(m)]
    assert "was 0, 100% below normal" in texts(outage)


def test_a_campaign_day_without_last_year_is_judged_by_the_weekdays_and_only_a_fall_counts(
    slack: SlackDriver, db: Engine
) -> None:
    days = {d: c for d, c in _normal_year().items() if d >= date(2026, 6, 1)}
    days[date(2026, 11, 25)] = 10
    days[date(2026, 11, 26)] = 400
    _orders(db, days)
    say(slack, "/campaign new Meta retargeting budget:1000 start:2026-11-20 end:2026-12-05")
    with Session(db) as s:
        fall = anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 25))
        rise = anomalies.check_day(s, "T_DEMO", "orders", date(2026, 11, 26))
    assert fall is not None and fall.z is not None and fall.z < 0 and not fall.festival
    assert rise is None  # a campaign is meant to lift sales


def test_the_alert_waits_for_a_later_pass_past_the_passs_share_and_its_chart_is_drawn_when_sent(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = _normal_year()
    days[date(2026, 11, 18)] = 30  # a Wednesday collapse, checked on the 19th
    _orders(db, days)
    say(slack, "/ecom settings language en")
    say(slack, "/kpi digest daily")

    def alerts() -> list[dict[str, object]]:
        return [m for m in from_bot(fake, "C_DEMO") if "below normal" in texts(m) and "*Orders*" in texts(m)]

    # A pass whose share of workspaces is used up leaves them to the next one: nothing is lost.
    monkeypatch.setattr(anomalies, "WORKSPACES_PER_PASS", 0)
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-19T10:30:00+08:00"))
    assert alerts() == []
    monkeypatch.setattr(anomalies, "WORKSPACES_PER_PASS", 1)
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-19T10:31:00+08:00"))
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-19T10:32:00+08:00"))
    [alert] = alerts()
    # The tick queued the chart's figures; the delivery worker drew the PNG, in the alert's thread.
    uploads = [c for c in fake.calls_to("files.completeUploadExternal") if c.ok]
    [upload] = [c for c in uploads if c.args["thread_ts"] == alert["ts"]]
    [file] = upload.args["files"]
    assert fake.uploads[file["id"]].startswith(b"\x89PNG")
    with Session(db) as s:
        queued = [d.payload["upload"] for d in s.exec(select(Delivery)) if "upload" in d.payload]
    orders = [q for q in queued if q["filename"] == "anomaly-orders-2026-11-18.png"]
    assert len(orders) == 1 and "content" not in orders[0]
    assert orders[0]["daily"]["series"][0]["values"][-1] == 30
