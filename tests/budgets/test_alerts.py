"""Budget alerts through the scheduling engine (`jobs run-due --at`, a new runtime each time, as after
a restart): each threshold fires once, a correction re-arms it, pacing alerts on a synthetic month
with the shrinking tolerance, a festival curve, and a campaign passing its own budget."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.campaigns.models import CampaignResult
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from tests.campaigns.support import from_bot, say, texts
from tests.support import run_due


def shanghai(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


@pytest.fixture(autouse=True)
def english_channel_posts(slack: SlackDriver) -> None:
    """The demo workspace posts in Chinese; these tests read the English (one test reads Chinese)."""
    say(slack, "/ecom settings language en")


def _alerts(fake: FakeSlack, where: str, marker: str) -> list[str]:
    return [texts(m) for m in from_bot(fake, where) if marker in texts(m)]


def test_each_threshold_fires_once_and_a_correction_re_arms_it(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    say(slack, "/budget set marketing 10000 period:2026-11")
    say(slack, "/campaign new Push budget:50000 start:2026-11-01 end:2026-11-30 category:marketing")
    say(slack, "/campaign log Push date:2026-11-20 spend:4000 revenue:9000 orders:9")
    run_due(db, settings, fake, shanghai("2026-11-23T10:00:00"))
    assert _alerts(fake, "C_DEMO", "of its 2026-11 budget") == []
    say(slack, "/campaign log Push date:2026-11-21 spend:1500 revenue:3000 orders:3", user="U_LI")
    for minute in range(3):  # many passes of the scheduler, each a fresh process
        run_due(db, settings, fake, shanghai(f"2026-11-23T10:0{minute + 1}:00"))
    [fifty] = _alerts(fake, "C_DEMO", "of its 2026-11 budget")
    assert (
        "*Marketing* has used 55.0% of its 2026-11 budget: CN¥5,500.00 of CN¥10,000.00 (threshold 50%)"
        in fifty
    )
    assert "<@U_LI> · Push · CN¥1,500.00" in fifty and "<@U_DEMO> · Push · CN¥4,000.00" in fifty
    assert len(_alerts(fake, "U_DEMO", "(threshold 50%)")) == 1  # and the owner by DM
    clock.set(shanghai("2026-11-23T10:30:00"))  # people log after the first alert
    say(slack, "/campaign log Push date:2026-11-22 spend:3000 revenue:3000 orders:3")
    run_due(db, settings, fake, shanghai("2026-11-23T11:00:00"))
    run_due(db, settings, fake, shanghai("2026-11-23T11:01:00"))
    [eighty] = _alerts(fake, "C_DEMO", "(threshold 80%)")
    assert "85.0%" in eighty and "<@U_DEMO> · Push · CN¥3,000.00" in eighty and "<@U_LI>" not in eighty
    # A correction brings spend under 80 %: re-armed, silently; crossing again fires again, once.
    say(slack, "/campaign log Push date:2026-11-22 spend:1000 revenue:3000 orders:3")
    run_due(db, settings, fake, shanghai("2026-11-23T12:00:00"))
    assert len(_alerts(fake, "C_DEMO", "(threshold 80%)")) == 1
    clock.set(shanghai("2026-11-23T12:00:30"))
    say(slack, "/budget spend marketing 2000 date:2026-11-22 note:样品")
    for minute in range(3):
        run_due(db, settings, fake, shanghai(f"2026-11-23T12:0{minute + 1}:00"))
    second = _alerts(fake, "C_DEMO", "(threshold 80%)")
    assert len(second) == 2 and "样品" in second[1]
    assert len(_alerts(fake, "C_DEMO", "(threshold 50%)")) == 1
    # Straight past 100 % says so once (and not 80 % again).
    say(slack, "/budget spend marketing 5000 date:2026-11-22 note:加投")
    run_due(db, settings, fake, shanghai("2026-11-23T13:00:00"))
    run_due(db, settings, fake, shanghai("2026-11-23T13:01:00"))
    assert (
        len(_alerts(fake, "C_DEMO", "(threshold 100%)")) == 1
        and len(_alerts(fake, "C_DEMO", "(threshold 80%)")) == 2
    )


def test_pacing_alerts_on_a_synthetic_month(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    say(slack, "/budget set marketing 31000 period:2026-12")
    say(slack, "/budget set people 31000 period:2026-12")
    say(slack, "/budget set reserve 31000 period:2026-12")  # a reserve pool unspent is no news
    say(slack, "/budget spend marketing 7000 date:2026-12-03")
    # Dec 6, from 10:00 (the morning's imports are in): Dec 1-5 closed. Marketing: 5,000 expected, projected 7,000 × 31 / 5 = 43,400, over
    # the 25 % tolerance (38,750). People: nothing spent, but less than a third of the month is gone.
    run_due(db, settings, fake, shanghai("2026-12-06T00:30:00"))
    assert (
        _alerts(fake, "C_DEMO", "ahead of plan") == []
    )  # checked from 10:00, once the morning's imports are in
    for minute in ("10:30", "10:31", "18:00"):
        run_due(db, settings, fake, shanghai(f"2026-12-06T{minute}:00"))
    [over] = _alerts(fake, "C_DEMO", "ahead of plan")
    assert (
        "CN¥7,000.00 by Dec 5, 2026, CN¥5,000.00 expected. Projected CN¥43,400.00, CN¥12,400.00 over budget"
        in over
    )
    assert "(tolerance 25%" in over and "To land on budget: CN¥923.08 a day for the 26 days left" in over
    # Dec 7: projected 7,000 × 31 / 6 = 36,166.67, inside the tolerance: no alert.
    run_due(db, settings, fake, shanghai("2026-12-07T10:30:00"))
    assert len(_alerts(fake, "C_DEMO", "ahead of plan")) == 1
    # Dec 11 (10 days done, under a third): no underspend yet; Dec 12 (11 days): people is behind.
    run_due(db, settings, fake, shanghai("2026-12-11T10:30:00"))
    assert _alerts(fake, "C_DEMO", "behind plan") == []
    run_due(db, settings, fake, shanghai("2026-12-12T10:30:00"))
    run_due(db, settings, fake, shanghai("2026-12-12T18:00:00"))
    [under] = _alerts(fake, "C_DEMO", "behind plan")
    assert "*People* (2026-12) is spending behind plan: CN¥0.00 by Dec 11, 2026" in under
    assert "CN¥11,000.00 expected" in under
    # Late in the month the tolerance is 5 %: 27,000 by Dec 28 projects 29,892.86 + … over 32,550?
    say(slack, "/budget spend marketing 20500 date:2026-12-20")
    run_due(db, settings, fake, shanghai("2026-12-29T10:30:00"))  # 28 days: 27,500 × 31 / 28 = 30,446.43
    assert len(_alerts(fake, "C_DEMO", "ahead of plan")) == 1
    say(slack, "/budget spend marketing 2000 date:2026-12-29")
    run_due(db, settings, fake, shanghai("2026-12-30T10:30:00"))  # 29 days: 29,500 × 31 / 29 = 31,534.48
    assert len(_alerts(fake, "C_DEMO", "ahead of plan")) == 1  # within 5 % (32,550)
    say(slack, "/budget spend marketing 1500 date:2026-12-30")
    run_due(db, settings, fake, shanghai("2026-12-31T10:30:00"))  # 30 days: 31,000 × 31 / 30 = 32,033.33
    assert len(_alerts(fake, "C_DEMO", "ahead of plan")) == 1
    say(slack, "/budget spend marketing 1000 date:2026-12-30")
    run_due(db, settings, fake, shanghai("2026-12-31T18:00:00"))  # Dec 30 checked already today
    assert len(_alerts(fake, "C_DEMO", "ahead of plan")) == 1


def test_a_festival_curve_decides_when_the_pacing_alert_fires(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    # Last year's Double 11 spent 45 % by the end of its second day (the presale).
    say(slack, "/campaign new D11 2025 budget:100000 start:2025-11-01 end:2025-11-10")
    for day, spend in [
        (1, 5000),
        (2, 40000),
        (3, 2000),
        (4, 2000),
        (5, 3000),
        (6, 3000),
        (7, 5000),
        (8, 5000),
        (9, 5000),
        (10, 30000),
    ]:
        say(slack, f"/campaign log D11 2025 date:2025-11-{day:02d} spend:{spend} revenue:1 orders:1")
    say(slack, "/budget set marketing 100000 period:2026-12-01..2026-12-10")
    say(slack, "/budget set platform 100000 period:2026-12-01..2026-12-10")
    say(slack, '/budget curve marketing like:"D11 2025" period:2026-12-01..2026-12-10')
    say(slack, "/budget spend marketing 44000 date:2026-12-02")
    say(slack, "/budget spend platform 44000 date:2026-12-02")
    run_due(db, settings, fake, shanghai("2026-12-03T10:30:00"))
    alerts = _alerts(fake, "C_DEMO", "ahead of plan")
    # A straight line cries wolf on day 2 (20,000 expected); the curve expects 45,000.
    assert len(alerts) == 1 and "*Platform operations*" in alerts[0]
    status = texts(say(slack, "/budget status 2026-12-01..2026-12-10"))
    assert "curve of D11 2025" in status


def test_a_campaign_passing_its_own_budget_alerts_at_once(slack: SlackDriver, fake: FakeSlack) -> None:
    say(slack, "/campaign new Flash budget:1000")
    say(slack, "/campaign log Flash date:2026-11-20 spend:900 revenue:2000 orders:9")
    assert _alerts(fake, "C_DEMO", "past its budget") == []
    say(slack, "/campaign log Flash date:2026-11-21 spend:200 revenue:500 orders:2")
    [alert] = _alerts(fake, "C_DEMO", "past its budget")
    assert "*Flash* has spent CN¥1,100.00, past its budget of CN¥1,000.00 by CN¥100.00" in alert
    assert len(_alerts(fake, "U_DEMO", "past its budget")) == 1
    say(slack, "/campaign log Flash date:2026-11-22 spend:50 revenue:500 orders:2")
    assert len(_alerts(fake, "C_DEMO", "past its budget")) == 1  # already past: no new alert


def test_spend_logged_by_no_one_still_alerts_and_names_no_one(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    say(slack, "/budget set marketing 10000 period:2026-11")
    say(slack, "/campaign new Push budget:50000 start:2026-11-01 end:2026-11-30 category:marketing")
    say(slack, "/campaign log Push date:2026-11-20 spend:6000 revenue:9000 orders:9")
    with db.begin() as conn:  # as an automated import leaves it: no one logged the row
        conn.execute(sa.update(CampaignResult).values(logged_by=""))
    run_due(db, settings, fake, shanghai("2026-11-23T10:00:00"))
    run_due(db, settings, fake, shanghai("2026-11-23T10:01:00"))
    # `<@>` would make Slack refuse the whole alert (the fake fixture fails the test on a refusal).
    [alert] = _alerts(fake, "C_DEMO", "(threshold 50%)")
    assert "(not recorded who) · Push · CN¥6,000.00" in alert and "<@>" not in alert
