"""The pure rules of retros: checks parsed and judged, openings and closings in the workspace's week."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecombot.errors import InvalidInput
from ecombot.retros import checks, schedules
from ecombot.retros.models import RetroSchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "metric", "op", "value"),
    [
        ("conversion_rate>=3%", "conversion_rate", ">=", Decimal("0.03")),
        ("metric:conversion_rate>=3%", "conversion_rate", ">=", Decimal("0.03")),
        ("conversion_rate ≥ 3", "conversion_rate", ">=", Decimal("0.03")),
        ("conversion_rate>=0.025", "conversion_rate", ">=", Decimal("0.025")),
        ("refund_rate<=5%", "refund_rate", "<=", Decimal("0.05")),
        ("aov>=¥150", "aov", ">=", Decimal(150)),
        ("gmv>1.2万", "gmv", ">", Decimal(12000)),
        ("roas>=3.5x", "roas", ">=", Decimal("3.5")),
        ("CPA<80", "cpa", "<", Decimal(80)),
    ],
)
def test_checks_are_read_like_people_write_them(text: str, metric: str, op: str, value: Decimal) -> None:
    assert checks.parse(text) == checks.Check(metric, op, value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("happiness>=3", "retro_check_unknown_kpi"),
        ("gmv>=lots", "retro_bad_check_value"),
        ("gmv=100", "retro_bad_check"),
        ("gmv>=-5", "retro_bad_check_value"),
        ("just do it", "retro_bad_check"),
    ],
)
def test_bad_checks_are_named(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        checks.parse(text)
    assert caught.value.code == code


@given(st.text(max_size=60))
def test_any_text_is_a_check_or_a_clear_refusal(text: str) -> None:
    try:
        check = checks.parse(text)
    except InvalidInput as exc:
        assert exc.code.startswith("retro_")
        return
    assert check is None or (check.value >= 0 and check.op in (">=", "<=", ">", "<"))


def test_holds_compares_as_written() -> None:
    check = checks.Check("conversion_rate", ">=", Decimal("0.03"))
    assert checks.holds(check, Decimal("0.03")) and not checks.holds(check, Decimal("0.0299"))
    assert checks.holds(checks.Check("cpa", "<", Decimal(80)), Decimal("79.99"))


def _schedule(weekday: int = 4, at: str = "16:00") -> RetroSchedule:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    return RetroSchedule(
        team_id="T", channel_id="C", weekday=weekday, time=at, created_at=now, updated_at=now
    )


def test_the_next_opening_and_the_close_after_it() -> None:
    schedule = _schedule()
    monday = datetime(2026, 11, 23, 9, tzinfo=SHANGHAI)
    opening = schedules.next_open(schedule, monday, SHANGHAI)
    assert opening == datetime(2026, 11, 27, 16, tzinfo=SHANGHAI)
    assert schedules.next_open(schedule, opening, SHANGHAI) == datetime(2026, 12, 4, 16, tzinfo=SHANGHAI)
    closes = schedules.close_after(0, time(10), opening, SHANGHAI)
    assert closes == datetime(2026, 11, 30, 10, tzinfo=SHANGHAI)
    # Closing on the opening day later that day, and a week later at the same time.
    assert schedules.close_after(4, time(18), opening, SHANGHAI) == datetime(
        2026, 11, 27, 18, tzinfo=SHANGHAI
    )
    assert schedules.close_after(4, time(16), opening, SHANGHAI) == datetime(2026, 12, 4, 16, tzinfo=SHANGHAI)


def test_an_action_item_is_on_time_by_the_workspaces_calendar() -> None:
    from datetime import date

    from ecombot.retros.actions import ActionItem
    from ecombot.retros.models import Retro, RetroEntry
    from ecombot.tasks.models import Task

    now = datetime(2026, 11, 25, 20, tzinfo=UTC)  # Nov 26, 04:00 in Shanghai
    task = Task(
        team_id="T", number=1, title="x", owner_id="U", creator_id="U", due_date=date(2026, 11, 25),
        status="done", done_at=now, created_at=now, updated_at=now,
    )  # fmt: skip
    entry = RetroEntry(retro_id=1, team_id="T", kind="action", text="x", nonce="n", created_at=now)
    retro = Retro(
        team_id="T", channel_id="C", first_day=date(2026, 11, 20), last_day=date(2026, 11, 27),
        opened_at=now, closes_at=now,
    )  # fmt: skip
    assert ActionItem(entry, retro, task, "UTC").status(date(2026, 11, 27)) == "done"
    assert ActionItem(entry, retro, task, "Asia/Shanghai").status(date(2026, 11, 27)) == "late"
