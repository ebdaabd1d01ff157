"""The campaigns service on a real database: rows replace each other per (day, source), spans that
would count days twice are refused, imports keep rows for campaigns not created yet."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from ecombot.actor import Actor
from ecombot.campaigns import importing, ledger, metrics, service
from ecombot.campaigns.models import Campaign, CampaignDay, CampaignResult
from ecombot.campaigns.service import Entry
from ecombot.errors import InvalidInput, NotFound, PermissionDenied

D = Decimal
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def lead(team: str = "T_DEMO") -> Actor:
    return Actor(team_id=team, user_id="U_DEMO", now=NOW, tz="Asia/Shanghai", is_manager=True)


def entry(day: int, source: str = "meta", last: int | None = None, spend: int = 10) -> Entry:
    return Entry(
        day=date(2026, 11, day),
        last_day=date(2026, 11, last) if last else None,
        source=source,
        spend=D(spend),
        revenue=D(30),
        orders=D(1),
    )


def test_spans_that_would_count_days_twice_are_refused(session: Session, workspace: str) -> None:
    campaign = service.create(session, lead(), service.Draft(name="Spans", budget=D(100), currency="CNY"))
    service.record(session, lead(), campaign, entry(1, last=7))
    with pytest.raises(InvalidInput) as daily_inside:
        service.record(session, lead(), campaign, entry(3))
    assert (
        daily_inside.value.code == "campaign_overlap" and daily_inside.value.params["first"] == "2026-11-01"
    )
    with pytest.raises(InvalidInput):
        service.record(session, lead(), campaign, entry(5, last=9))
    # Another source, a day outside, and the same span again are all fine.
    assert service.record(session, lead(), campaign, entry(3, source="google")).outcome == "created"
    assert service.record(session, lead(), campaign, entry(8)).outcome == "created"
    assert service.record(session, lead(), campaign, entry(1, last=7, spend=12)).outcome == "changed"
    with pytest.raises(InvalidInput):
        service.record(session, lead(), campaign, entry(6, last=8))  # would cover the daily 8th
    assert service.summary(session, campaign, date(2026, 11, 23)).totals.spend == D(12 + 10 + 10)


def test_a_file_giving_the_same_day_twice_keeps_the_later_row(session: Session, workspace: str) -> None:
    campaign = service.create(session, lead(), service.Draft(name="Twice", budget=D(100), currency="CNY"))
    outcomes = service.record_many(
        session, lead(), campaign, [entry(2, spend=5), entry(2, spend=9), entry(3)]
    )
    assert [o.outcome for o in outcomes if not isinstance(o, InvalidInput)] == [
        "created",
        "changed",
        "created",
    ]
    assert service.summary(session, campaign, date(2026, 11, 23)).totals.spend == D(19)


def test_rows_for_an_unknown_campaign_wait_for_it(session: Session, workspace: str) -> None:
    report = b"date,campaign,source,spend,revenue,orders\n2026-11-02,Later,jd,10,40,2\n2026-11-03,Later,jd,20,60,3\n"
    done = importing.run(session, lead(), report, "r.csv", currency="CNY")
    assert done.unknown == {"Later": 2} and done.recorded == 0 and done.import_id is not None
    later = service.create(session, lead(), service.Draft(name="later", budget=D(100), currency="CNY"))
    applied = importing.apply_pending(session, lead(), done.import_id, later)
    assert (applied.recorded, applied.skipped) == (2, 0)
    assert service.summary(session, later, date(2026, 11, 23)).totals.revenue == D(100)
    # Once: the rows left the import.
    assert importing.apply_pending(session, lead(), done.import_id, later).recorded == 0
    # Another workspace cannot reach the import.
    with pytest.raises(NotFound):
        importing.apply_pending(session, lead("T_OTHER"), done.import_id, later)


def test_names_are_unique_per_workspace_whatever_their_case(session: Session, workspace: str) -> None:
    service.create(session, lead(), service.Draft(name="Double  11", budget=D(1), currency="CNY"))
    with pytest.raises(InvalidInput) as taken:
        service.create(session, lead(), service.Draft(name="double 11", budget=D(1), currency="CNY"))
    assert taken.value.code == "campaign_exists"
    member = Actor(team_id="T_DEMO", user_id="U_SAM", now=NOW)
    with pytest.raises(PermissionDenied):
        service.edit(session, member, "DOUBLE 11", {"budget": D(5)})
    with pytest.raises(NotFound):
        service.get(session, "T_OTHER", "Double 11")


def test_a_longer_export_of_the_same_source_replaces_the_shorter_one(
    session: Session, workspace: str
) -> None:
    campaign = service.create(
        session, lead(), service.Draft(name="Meta weeks", budget=D(100), currency="CNY")
    )
    service.record(session, lead(), campaign, entry(1, last=7, spend=70))
    longer = service.record(session, lead(), campaign, entry(1, last=14, spend=140))
    assert longer.outcome == "changed" and longer.diffs[0].before == "2026-11-01..2026-11-07"
    summary = service.summary(session, campaign, date(2026, 11, 23))
    assert summary.totals.spend == D(140) and summary.ranges == 1


def test_figures_are_kept_to_the_cent_so_the_same_import_changes_nothing(
    session: Session, workspace: str
) -> None:
    report = b"date,campaign,source,spend,revenue,orders\n2026-11-02,Cents,jd,100.125,500.005,2\n"
    service.create(session, lead(), service.Draft(name="Cents", budget=D(1000), currency="CNY"))
    first = importing.run(session, lead(), report, "r.csv", currency="CNY")
    again = importing.run(session, lead(), report, "r.csv", currency="CNY")
    assert (first.created, again.unchanged, again.changed) == (1, 1, 0)
    campaign = service.get(session, "T_DEMO", "Cents")
    assert service.summary(session, campaign, date(2026, 11, 23)).totals.spend == D("100.13")


def test_rows_split_by_device_are_added_together(session: Session, workspace: str) -> None:
    report = (
        b"Campaign,Day,Device,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value\n"
        b"Split,2026-11-01,Mobile,CNY,100,1000,50,2,500\n"
        b"Split,2026-11-01,Desktop,CNY,50,500,20,1,300\n"
    )
    service.create(session, lead(), service.Draft(name="Split", budget=D(1000), currency="CNY"))
    done = importing.run(session, lead(), report, "g.csv", currency="CNY")
    assert (done.created, done.combined) == (1, 1)
    totals = service.summary(session, service.get(session, "T_DEMO", "Split"), date(2026, 11, 23)).totals
    assert (totals.spend, totals.revenue, totals.orders, totals.count("clicks")) == (D(150), D(800), D(3), 70)


def test_dollars_in_a_yuan_workspace_are_refused_and_yen_signs_are_not(
    session: Session, workspace: str
) -> None:
    service.create(session, lead(), service.Draft(name="X", budget=D(1000), currency="CNY"))
    dollars = b"date,campaign,spend,revenue,orders\n2026-11-01,X,$100.00,$300.00,3\n"
    with pytest.raises(InvalidInput) as refused:
        importing.run(session, lead(), dollars, "d.csv", currency="CNY")
    assert refused.value.code == "import_currency_rows" and refused.value.params["lines"] == "2"
    yuan = "date,campaign,spend,revenue,orders\n2026-11-01,X,¥100,¥300,3\n".encode()
    assert importing.run(session, lead(), yuan, "y.csv", currency="CNY").created == 1


def test_the_refund_rate_counts_only_rows_that_gave_refunds() -> None:
    from ecombot.campaigns import metrics

    rows = [
        Entry(
            day=date(2026, 11, 1), source="tmall", spend=D(1), revenue=D(4000), orders=D(1), refunds=D(400)
        ),
        Entry(day=date(2026, 11, 1), source="google", spend=D(1), revenue=D(500), orders=D(1)),
    ]
    assert metrics.total(rows).refund_rate == D("0.1")


def test_a_campaign_recorded_after_it_ended_waits_to_be_closed(session: Session, workspace: str) -> None:
    late = service.create(
        session,
        lead(),
        service.Draft(
            name="Last month", budget=D(100), currency="CNY", start=date(2026, 10, 1), end=date(2026, 10, 31)
        ),
    )
    on_time = service.create(
        session,
        lead(),
        service.Draft(
            name="This week", budget=D(100), currency="CNY", start=date(2026, 11, 20), end=date(2026, 11, 23)
        ),
    )
    tomorrow = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert service.due_for_evaluation(session, tomorrow, lambda team: "Asia/Shanghai") == [on_time]
    service.close(session, lead(), "Last month")
    assert late in service.due_for_evaluation(session, tomorrow, lambda team: "Asia/Shanghai")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(1, 20),  # day
            st.sampled_from([0, 0, 0, 3]),  # 0: a daily row; else a range of that many more days
            st.sampled_from(["tmall", "douyin", "google"]),
            st.decimals(0, 99999, places=2),  # spend
            st.decimals(0, 99999, places=2),  # revenue
            st.integers(0, 500),  # orders
            st.one_of(st.none(), st.integers(0, 10**6)),  # clicks
            st.one_of(st.none(), st.integers(0, 10**7)),  # impressions
            st.one_of(st.none(), st.integers(0, 10**5)),  # sessions
            st.one_of(st.none(), st.decimals(0, 999, places=2)),  # refunds
            st.one_of(st.none(), st.integers(0, 50)),  # new customers
        ),
        max_size=30,
    )
)
def test_the_summary_summed_by_the_database_equals_the_sum_of_its_rows(
    session: Session, workspace: str, rows: list[tuple[Any, ...]]
) -> None:
    session.execute(sa.delete(CampaignResult))
    session.execute(sa.delete(Campaign))
    campaign = service.create(
        session, lead(), service.Draft(name="Sums", budget=D(50000), currency="CNY", start=date(2026, 11, 1))
    )
    seen: set[tuple[str, date, date]] = set()
    for day, more, source, spend, revenue, orders, clicks, impressions, sessions, refunds, new in rows:
        first = date(2026, 11, day)
        last = date(2026, 11, day + more)
        if (source, first, last) in seen:
            continue
        seen.add((source, first, last))
        session.add(
            CampaignResult(
                team_id="T_DEMO",
                campaign_id=campaign.id,
                source=source,
                day=first,
                last_day=last,
                spend=spend,
                revenue=revenue,
                orders=D(orders),
                clicks=clicks,
                impressions=impressions,
                sessions=sessions,
                refunds=refunds,
                new_customers=new,
                updated_at=NOW,
            )
        )
    session.flush()
    today = date(2026, 11, 23)
    by_db = service.summary(session, campaign, today)
    by_rows = service.summarize(campaign, service.figures_of(session, campaign), today)

    def shown(totals: metrics.Totals) -> tuple[Any, ...]:
        ratios = (totals.roas, totals.cpa, totals.aov, totals.ctr, totals.cpc, totals.cpm, totals.cvr)
        counts = tuple(totals.count(name) for name in ("clicks", "impressions", "sessions"))
        fields = (totals.rows, totals.spend, totals.revenue, totals.orders, totals.refunds)
        return (*fields, totals.new_customers, totals.refund_rate, *ratios, *counts, sorted(totals.given))

    assert shown(by_db.totals) == shown(by_rows.totals)
    assert list(by_db.sources) == list(by_rows.sources)  # the order sources first appear in
    assert [shown(t) for t in by_db.sources.values()] == [shown(t) for t in by_rows.sources.values()]
    assert list(by_db.days) == list(by_rows.days)
    assert [shown(t) for t in by_db.days.values()] == [shown(t) for t in by_rows.days.values()]
    assert (by_db.ranges, by_db.pacing, by_db.best_day is None) == (
        by_rows.ranges,
        by_rows.pacing,
        by_rows.best_day is None,
    )
    if by_db.best_day is not None and by_rows.best_day is not None and by_db.worst_day and by_rows.worst_day:
        assert (by_db.best_day[0], by_db.worst_day[0]) == (by_rows.best_day[0], by_rows.worst_day[0])
    card = service.summary(session, campaign, today, full_days=False)  # what /campaign show reads
    assert shown(card.totals) == shown(by_rows.totals)

    def brief(days: dict[date, metrics.Totals]) -> list[tuple[Any, ...]]:
        return [(d, t.rows, t.spend, t.revenue, t.orders, t.roas) for d, t in days.items()]

    # The card reads only the best and worst day, picked by the database: the same days, with the
    # same figures as those days summed row by row.
    assert card.days == {}
    assert (card.best_day is None, card.worst_day is None) == (
        by_rows.best_day is None,
        by_rows.worst_day is None,
    )
    if card.best_day is not None and card.worst_day is not None:
        assert by_rows.best_day is not None and by_rows.worst_day is not None
        assert (card.best_day[0], card.worst_day[0]) == (by_rows.best_day[0], by_rows.worst_day[0])
        assert brief(dict([card.best_day, card.worst_day])) == brief(
            dict([by_rows.best_day, by_rows.worst_day])
        )


def running_totals(session: Session, campaign: Campaign) -> tuple[Any, ...]:
    """What a list shows (the totals kept on the campaign), read again from the database."""
    session.expire_all()
    fresh = session.get(Campaign, campaign.id)
    assert fresh is not None
    t = service.totals_of([fresh])[fresh.id or 0]
    return (t.rows, t.spend, t.revenue, t.orders, t.refunds if "refunds" in t.given else None)


def kept_days(session: Session, campaign: Campaign) -> list[tuple[Any, ...]]:
    """The days' sums the ledger keeps (what budgets and KPIs read)."""
    d = CampaignDay
    return [
        tuple(row)
        for row in session.execute(
            sa.select(d.day, d.rows, d.spend, d.revenue, d.orders)
            .where(d.campaign_id == campaign.id, d.team_id == campaign.team_id)
            .order_by(d.day)
        )
    ]


def summed_days(session: Session, campaign: Campaign) -> list[tuple[Any, ...]]:
    """The same sums from the daily result rows."""
    r = CampaignResult
    return [
        tuple(row)
        for row in session.execute(
            sa.select(
                r.day, sa.func.count(), sa.func.sum(r.spend), sa.func.sum(r.revenue), sa.func.sum(r.orders)
            )
            .where(r.campaign_id == campaign.id, r.day == r.last_day)
            .group_by(r.day)
            .order_by(r.day)
        )
    ]


def summed_totals(session: Session, campaign: Campaign) -> tuple[Any, ...]:
    """The same figures summed from every result row."""
    t = service.summary(session, campaign, date(2026, 11, 23)).totals
    return (t.rows, t.spend, t.revenue, t.orders, t.refunds if "refunds" in t.given else None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.integers(0, 1),  # which campaign
                st.integers(1, 12),  # first day
                st.sampled_from([0, 0, 0, 2, 6]),  # more days: a range row
                st.sampled_from(["meta", "google", "jd"]),
                st.decimals(0, 9999, places=3),  # spend (rounded to the cent when stored)
                st.one_of(st.none(), st.decimals(0, 99, places=2)),  # refunds
            ),
            min_size=1,
            max_size=6,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_totals_a_list_shows_follow_every_record_change_and_replacement(
    session: Session, workspace: str, batches: list[list[tuple[Any, ...]]]
) -> None:
    session.execute(sa.delete(CampaignResult))
    session.execute(sa.delete(Campaign))
    pair = [
        service.create(session, lead(), service.Draft(name=name, budget=D(9000), currency="CNY"))
        for name in ("Kept A", "Kept B")
    ]
    for batch in batches:  # each batch as one import: refused rows (double-counted days) change nothing
        for which in (0, 1):
            entries = [
                Entry(
                    day=date(2026, 11, day),
                    last_day=date(2026, 11, day + more) if more else None,
                    source=source,
                    spend=spend,
                    revenue=spend * 3,
                    orders=D(2),
                    refunds=refunds,
                )
                for chosen, day, more, source, spend, refunds in batch
                if chosen == which
            ]
            if entries:
                service.record_many(session, lead(), pair[which], entries)
        for campaign in pair:
            assert running_totals(session, campaign) == summed_totals(session, campaign)
            assert kept_days(session, campaign) == summed_days(session, campaign)


def test_the_migrations_fill_the_totals_and_days_of_results_recorded_before_them(tmp_path: Any) -> None:
    from ecombot import migrations
    from ecombot.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrations.upgrade(engine, "0021")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO workspaces (team_id, name, timezone, language, currency, ops_leads, created_at, updated_at) VALUES ('T_OLD', 'Old', 'UTC', 'en', 'CNY', '[]', :now, :now)"
            ),
            {"now": NOW},
        )
        for n, name in enumerate(("Old A", "Old B", "Empty"), start=1):
            conn.execute(
                sa.text(
                    "INSERT INTO campaigns (id, team_id, name, name_key, currency, budget, start, channel_id,"
                    " private, owner_id, category, created_by, closed_by, created_at, updated_at)"
                    " VALUES (:id, 'T_OLD', :name, :key, 'CNY', 100, '2026-11-01', '', 0, 'U_A', '', 'U_A', '', :now, :now)"
                ),
                {"id": n, "name": name, "key": name.lower(), "now": NOW},
            )
        for campaign_id, day, spend, refunds in (
            (1, 1, "10.50", None),
            (1, 2, "4.25", "1.00"),
            (2, 1, "7", None),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO campaign_results (team_id, campaign_id, source, day, last_day, spend, revenue,"
                    " orders, refunds, origin, logged_by, updated_at)"
                    " VALUES ('T_OLD', :c, 'jd', :d, :d, :s, 30, 2, :r, 'manual', 'U_A', :now)"
                ),
                {"c": campaign_id, "d": date(2026, 11, day), "s": spend, "r": refunds, "now": NOW},
            )
    migrations.upgrade(engine)
    with Session(engine) as s:
        kept = {c.name: c for c in s.exec(sa.select(Campaign)).scalars()}  # type: ignore[call-overload]
        a, b, empty = (service.totals_of([kept[n]]) for n in ("Old A", "Old B", "Empty"))
        assert (a[1].rows, a[1].spend, a[1].revenue, a[1].orders, a[1].refunds, a[1].given) == (
            2,
            D("14.75"),
            D(60),
            D(4),
            D(1),
            {"refunds"},
        )
        assert (b[2].rows, b[2].spend, b[2].given) == (1, D(7), set())
        assert (empty[3].rows, empty[3].spend) == (0, D(0))
        d = CampaignDay
        days = s.execute(
            sa.select(d.campaign_id, d.day, d.rows, d.spend).order_by(d.campaign_id, d.day)
        ).all()
        assert [tuple(row) for row in days] == [
            (1, date(2026, 11, 1), 1, D("10.50")),
            (1, date(2026, 11, 2), 1, D("4.25")),
            (2, date(2026, 11, 1), 1, D(7)),
        ]
    engine.dispose()


def test_a_file_whose_range_covers_a_day_it_gave_earlier_keeps_the_range(
    session: Session, workspace: str
) -> None:
    campaign = service.create(session, lead(), service.Draft(name="One file", budget=D(500), currency="CNY"))
    outcomes = service.record_many(session, lead(), campaign, [entry(2, spend=5), entry(1, last=7, spend=70)])
    assert [o.outcome for o in outcomes if not isinstance(o, InvalidInput)] == ["created", "changed"]
    assert running_totals(session, campaign) == summed_totals(session, campaign)
    assert summed_totals(session, campaign)[:2] == (1, D(70))


def test_a_recount_sets_the_totals_from_the_rows_in_one_workspace_or_all(
    session: Session, workspace: str
) -> None:
    campaign = service.create(session, lead(), service.Draft(name="Recount", budget=D(500), currency="CNY"))
    service.record_many(session, lead(), campaign, [entry(2, spend=5), entry(3, spend=8)])
    expected = summed_totals(session, campaign)
    for team in ("T_DEMO", None):
        session.execute(sa.update(Campaign).values(result_rows=99, spend_total=D(1), refund_rows=3))
        session.execute(sa.update(CampaignDay).values(spend=D(0)))
        ledger.recount(session, team)
        assert running_totals(session, campaign) == expected == (2, D(13), D(60), D(2), None)
        assert kept_days(session, campaign) == summed_days(session, campaign) != []
