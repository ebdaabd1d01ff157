"""The risk register through the real app and the fake Slack: scores and their order, the heat
summary, history, permissions, review DMs on each owner's cadence and timezone, the unanswered review
flagged to the ops leads once, drills and their staleness, App Home for leads."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.risks.models import Risk, RiskEvent
from tests.campaigns.support import from_bot, say, texts
from tests.support import run_due


@pytest.fixture(autouse=True)
def english_channel_posts(slack: SlackDriver) -> None:
    say(slack, "/ecom settings language en")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _id(s: Session, number: int) -> int:
    """The row id of R<number> (ids differ between databases; numbers do not)."""
    risk_id = s.exec(select(Risk).where(Risk.number == number)).one().id
    assert risk_id is not None
    return risk_id


def _counts(db: Engine) -> tuple[int, int]:
    with Session(db) as s:
        return (
            int(s.execute(sa.select(sa.func.count()).select_from(Risk)).scalar_one()),
            int(s.execute(sa.select(sa.func.count()).select_from(RiskEvent)).scalar_one()),
        )


def test_risks_are_numbered_scored_listed_by_score_and_keep_their_history(
    slack: SlackDriver, db: Engine
) -> None:
    added = texts(
        say(
            slack,
            '/risk add Payment gateway outage category:payment likelihood:2 impact:5 plan:"Switch to the backup PSP"',
        )
    )
    assert "Added R1" in added and "score" in added and "10 (2×5)" in added
    say(slack, "/risk add 店铺违规扣分 category:平台 likelihood:4 impact:5 owner:<@U_LI|li.na> review:weekly")
    say(slack, "/risk add Logo too close to a brand's category:ip likelihood:1 impact:2", user="U_SAM")
    listed = texts(say(slack, "/risk list"))
    order = [listed.index(r) for r in ("`R2`", "`R1`", "`R3`")]
    assert order == sorted(order)  # 20, 10, 2
    assert "20 (4×5)" in listed and "Platform rules" in listed
    # The heat summary: one risk in each of (L4,I5), (L2,I5), (L1,I2).
    heat = listed[listed.index("I = impact") :]
    assert "I5   ·  1  ·  1  ·" in heat and "I2   1  ·  ·  ·  ·" in heat
    assert "`R1`" in listed[listed.index("Plans not drilled in 180 days") :]
    assert "`R3`" in texts(say(slack, "/risk list <@U_SAM|sam>")) and "`R1`" not in texts(
        say(slack, "/risk list <@U_SAM|sam>")
    )
    assert "`R3`" in texts(say(slack, "/risk list ip"))
    # Changes and statuses, each kept.
    changed = texts(say(slack, "/risk update R1 impact:4 owner:<@U_SAM|sam>"))
    assert "impact 5 → 4" in changed and "owner <@U_DEMO> → <@U_SAM>" in changed
    assert "nothing changed" in texts(say(slack, "/risk update R1 impact:4"))
    assert "R1 is mitigated now (was open)" in texts(
        say(slack, "/risk status R1 mitigated backup PSP live", user="U_SAM")
    )
    assert "`R1`" not in texts(say(slack, "/risk list")) and "`R1`" in texts(say(slack, "/risk list all"))
    card = texts(say(slack, "/risk show r1"))
    assert "Switch to the backup PSP" in card and "History" in card
    assert card.index("status: open → mitigated — backup PSP live") < card.index("changed: impact 5 → 4")
    with Session(db) as s:
        kinds = [
            e.kind
            for e in s.exec(select(RiskEvent).where(RiskEvent.risk_id == _id(s, 1)).order_by(RiskEvent.id))
        ]
    assert kinds == ["created", "updated", "status"]


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("/risk add likelihood:3", "Something is missing: &lt;title&gt;"),
        ("/risk add Fire likelihood:6", "`likelihood:6` is not a whole number in range"),
        ("/risk add Fire impact:0", "`impact:0` is not a whole number in range"),
        ("/risk add Fire category:weather", "`category:weather` is not a category"),
        ("/risk add Fire review:daily", "`review:daily` should be `weekly` or `monthly`"),
        ("/risk add Fire owner:bob", "`owner:bob` is not a user mention"),
        ("/risk add Fire likelihood:2 likelihood:3", "`likelihood:3` is given twice"),
        ("/risk show X9", "`X9` is not a risk id"),
        ("/risk show R99", "There is no risk R99 here"),
        ("/risk status R1 solved", "`solved` is not a status"),
        ("/risk update R1", "Something is missing: key:value"),
        ("/risk drill R1 someday", "`someday` is not a date"),
        ("/risk drill R1 2027-01-01", "once it happened"),
        ("/risk list everything", "`everything`: list `open`"),
    ],
)
def test_bad_input_names_the_bad_part_and_writes_nothing(
    slack: SlackDriver, db: Engine, line: str, named: str
) -> None:
    say(slack, "/risk add Payment gateway outage")
    before = _counts(db)
    reply = texts(say(slack, line))
    assert named in reply, reply
    assert _counts(db) == before


def test_status_and_changes_are_for_the_owner_and_leads(slack: SlackDriver, db: Engine) -> None:
    say(slack, "/risk add Supplier bankrupt category:supply owner:<@U_LI|li.na>", user="U_SAM")
    assert "Only R1's owner (<@U_LI>) and ops leads" in texts(
        say(slack, "/risk status R1 closed", user="U_MIA")
    )
    assert "Only R1's owner (<@U_LI>), whoever added it" in texts(
        say(slack, "/risk update R1 impact:5", user="U_MIA")
    )
    assert "impact 3 → 5" in texts(say(slack, "/risk update R1 impact:5", user="U_SAM"))  # who added it
    assert "closed now" in texts(say(slack, "/risk status R1 closed", user="U_DEMO"))  # an admin
    assert _counts(db)[1] == 3


def test_reviews_come_on_each_owners_cadence_and_an_unanswered_one_is_flagged_once(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    say(
        slack,
        "/risk add Listing takedown category:platform likelihood:4 impact:4 owner:<@U_MIA|mia> review:weekly",
    )
    say(
        slack,
        "/risk add Card fraud spike category:payment likelihood:3 impact:5 owner:<@U_SAM|sam> review:monthly",
    )

    def reviews(user: str) -> list[dict[str, object]]:
        return [m for m in from_bot(fake, user) if "review of R" in texts(m)]

    # Monday Nov 23, 10:00 in Berlin: Mia's weekly review. Sam's monthly one waits for December's first Monday.
    run_due(db, settings, fake, _at("2026-11-23T09:59:00+01:00"))
    assert reviews("U_MIA") == []
    run_due(db, settings, fake, _at("2026-11-23T10:00:00+01:00"))
    run_due(db, settings, fake, _at("2026-11-23T10:05:00+01:00"))
    [ask] = reviews("U_MIA")
    assert "weekly review of R1" in texts(ask) and reviews("U_SAM") == []
    [(block_id, valid)] = [
        (b, e) for b, e in buttons_in(ask["blocks"]) if e["action_id"] == "risks.review_valid"
    ]
    clock.set(_at("2026-11-23T11:00:00+01:00"))
    slack.click(valid, user="U_MIA", channel="D_U_MIA", message=ask, block_id=block_id)
    slack.click(valid, user="U_MIA", channel="D_U_MIA", message=ask, block_id=block_id)  # a double click
    with Session(db) as s:
        assert [e.kind for e in s.exec(select(RiskEvent).where(RiskEvent.risk_id == _id(s, 1)))].count(
            "reviewed"
        ) == 1
    run_due(db, settings, fake, _at("2026-11-26T10:00:00+01:00"))  # answered: no flag
    assert not [m for m in from_bot(fake, "U_DEMO") if "has not been reviewed" in texts(m)]
    # Monday Nov 30: asked again, and this time nobody answers.
    run_due(db, settings, fake, _at("2026-11-30T10:00:00+01:00"))
    assert len(reviews("U_MIA")) == 2 and reviews("U_SAM") == []
    run_due(db, settings, fake, _at("2026-12-03T09:59:00+01:00"))
    assert not [m for m in from_bot(fake, "U_DEMO") if "has not been reviewed" in texts(m)]
    run_due(db, settings, fake, _at("2026-12-03T10:00:00+01:00"))
    run_due(db, settings, fake, _at("2026-12-03T11:00:00+01:00"))
    [flag] = [m for m in from_bot(fake, "U_DEMO") if "has not been reviewed" in texts(m)]
    assert "R1 has not been reviewed by <@U_MIA>" in texts(flag)
    slack.event({"type": "app_home_opened", "user": "U_DEMO", "tab": "home"})
    home = texts(fake.home_views["U_DEMO"])
    assert "High risks" in home and "`R1`" in home and "Reviews left unanswered: `R1`" in home
    # Monday Dec 7, 10:00 in New York: the first Monday of December, Sam's monthly review.
    run_due(db, settings, fake, _at("2026-12-07T10:00:00-05:00"))
    [sam] = reviews("U_SAM")
    assert "monthly review of R2" in texts(sam)
    clock.set(_at("2026-12-07T11:00:00-05:00"))
    [(block_id, mitigated)] = [
        (b, e) for b, e in buttons_in(sam["blocks"]) if e["action_id"] == "risks.review_mitigated"
    ]
    slack.click(mitigated, user="U_SAM", channel="D_U_SAM", message=sam, block_id=block_id)
    with Session(db) as s:
        assert s.exec(select(Risk).where(Risk.number == 2)).one().status == "mitigated"


def test_the_update_button_opens_the_form_and_saving_counts_as_the_review(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    from ecombot.devtools.console import modal_values

    say(slack, "/risk add Customs delays category:supply likelihood:3 impact:3 review:weekly")
    run_due(db, settings, fake, _at("2026-11-30T10:00:00+08:00"))
    [ask] = [m for m in from_bot(fake, "U_DEMO") if "review of R1" in texts(m)]
    [(block_id, update)] = [
        (b, e) for b, e in buttons_in(ask["blocks"]) if e["action_id"] == "risks.review_update"
    ]
    clock.set(_at("2026-11-30T15:00:00+08:00"))
    slack.click(update, user="U_DEMO", channel="D_U_DEMO", message=ask, block_id=block_id)
    view = [v for v in fake.views.values() if v["type"] == "modal"][-1]
    result = slack.submit(
        view, modal_values(view, {"impact": "4", "plan": "Pre-clear with the broker"}), user="U_DEMO"
    )
    assert result.status == 200
    with Session(db) as s:
        risk = s.exec(select(Risk)).one()
        assert (risk.impact, risk.plan) == (4, "Pre-clear with the broker")
        assert risk.last_reviewed_at is not None and risk.review_asked_at is not None
        assert risk.last_reviewed_at >= risk.review_asked_at
    run_due(db, settings, fake, _at("2026-12-03T10:00:00+08:00"))
    assert not [m for m in from_bot(fake, "U_DEMO") if "has not been reviewed" in texts(m)]


def test_the_add_form_when_no_text_is_given(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    from ecombot.devtools.console import modal_values

    assert slack.command("/risk add", user="U_DEMO", channel="C_DEMO").status == 200
    view = [v for v in fake.views.values() if v["type"] == "modal"][-1]
    values = modal_values(
        view, {"title": "Warehouse flood", "category": "supply", "likelihood": "2", "impact": "5"}
    )
    assert slack.submit(view, values, user="U_DEMO").status == 200
    with Session(db) as s:
        risk = s.exec(select(Risk)).one()
    assert (risk.number, risk.title, risk.category, risk.score, risk.owner_id) == (
        1,
        "Warehouse flood",
        "supply",
        10,
        "U_DEMO",
    )


def test_drills_keep_plans_fresh_and_stale_ones_reach_the_retro(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    say(slack, '/risk add Double 11 traffic spike likelihood:4 impact:4 plan:"Scale the CDN, queue orders"')
    say(slack, '/risk add Supplier delay likelihood:3 impact:3 plan:"Second supplier on standby"')
    stale = texts(say(slack, "/risk list"))
    assert "Plans not drilled in 180 days: `R1`, `R2`" in stale
    assert "on Nov 20, 2026 recorded" in texts(
        say(slack, '/risk drill R1 2026-11-20 result:"queue held 3x load"')
    )
    say(slack, "/risk drill R2 2026-04-01")  # more than 180 days ago
    assert "Plans not drilled in 180 days: `R2`" in texts(say(slack, "/risk list"))
    assert "Last drill: Nov 20, 2026 (3 days ago)" in texts(say(slack, "/risk show R1"))
    say(slack, "/retro now")
    prompt = [m for m in from_bot(fake, "C_DEMO") if "retros.add_well" in str(m.get("blocks"))][-1]
    body = texts(prompt)
    assert "Contingency plans not drilled in 180 days: `R2` Supplier delay" in body and "`R1`" not in body
