"""Anomaly alerts, after each day closes (from 10:00 the next morning, workspace time, when the day's
imports are in): a robust z-score of the day against the same weekday of the last 8 weeks
(median/MAD), flagged at |z| ≥ 3.5 with a minimum volume. Festival days (11.11, 12.12, 618, 38 女王节
and the workspace's own campaigns' days) are compared with the same day last year instead: the
expected 双11 surge is not an anomaly, a flat 尾款 day is. Consecutive anomalous days of one metric are
one ongoing alert, updated; after a week-long shift the baseline becomes the last two weeks, so a new
level stops firing."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.campaigns.models import Campaign
from ecombot.kpis import views
from ecombot.kpis.models import DailyMetric, KpiAnomaly, Order
from ecombot.scheduling import uploads
from ecombot.scheduling.service import Firing, Outgoing, claimed
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_number, fmt_percent, t
from ecombot.slack.text import esc
from ecombot.workspaces.models import Workspace

CHECK_HOUR = 10
THRESHOLD = 3.5
WEEKS = 8
MAD_SCALE = 1.4826  # MAD × this estimates the standard deviation of normal data
# The least "normal" volume a metric needs before a change means anything.
MIN_VOLUME = {"gmv": 1000.0, "orders": 20.0, "sessions": 200.0}
METRICS = tuple(MIN_VOLUME)
FESTIVALS = ((11, 11), (12, 12), (6, 18), (3, 8))  # 双11, 双12, 618, 38 女王节
FESTIVAL_FACTOR = 2.0  # a festival day off by more than this factor from last year's is anomalous
SHIFT_DAYS = 7
MIN_SCALE = 0.05


@dataclass(frozen=True)
class Finding:
    """An anomalous day of one metric."""

    metric: str
    day: date
    value: float
    normal: float
    z: float | None  # None for a festival day (compared with last year)
    festival: bool
    history: list[tuple[date, float]]  # what "normal" was made of
    channel: str = ""  # the channel (or source) that moved most


def daily_series(session: Session, team_id: str, metric: str, first: date, last: date) -> dict[date, float]:
    """A metric per day (days without data are absent)."""
    if metric in ("gmv", "orders"):
        value = sa.func.sum(col(Order.total)) if metric == "gmv" else sa.func.count()
        rows = session.execute(
            sa.select(col(Order.day), value)
            .where(
                col(Order.team_id) == team_id,
                col(Order.day) >= first,
                col(Order.day) <= last,
                col(Order.status) != "cancelled",
            )
            .group_by(col(Order.day))
        )
    else:
        rows = session.execute(
            sa.select(col(DailyMetric.day), col(DailyMetric.value)).where(
                col(DailyMetric.team_id) == team_id,
                col(DailyMetric.metric) == metric,
                col(DailyMetric.day) >= first,
                col(DailyMetric.day) <= last,
            )
        )
    series = {day: float(v) for day, v in rows}
    if metric in ("gmv", "orders") and series:
        # From the first day with orders on, a day without any is a day of 0 (an outage), not a gap.
        day = min(series)
        while day <= last:
            series.setdefault(day, 0.0)
            day += timedelta(days=1)
    return series


def fixed_festivals(year: int) -> set[date]:
    """The promotion days every shop knows: 双11, 双12, 618, 38 女王节 (the 7th and the 8th)."""
    return {date(year, month, day) for month, day in FESTIVALS} | {date(year, 3, 7)}


def festival_days(session: Session, team_id: str, year: int) -> set[date]:
    """Known promotion days of a year and the days of the workspace's campaigns in it."""
    days = fixed_festivals(year)
    campaigns = session.exec(
        select(Campaign).where(
            Campaign.team_id == team_id,
            col(Campaign.deleted_at).is_(None),
            col(Campaign.start) <= date(year, 12, 31),
            sa.or_(col(Campaign.end).is_(None), col(Campaign.end) >= date(year, 1, 1)),
        )
    ).all()
    for campaign in campaigns:
        if campaign.end is None or (campaign.end - campaign.start).days > 31:
            continue  # an open-ended or long campaign is the business as usual, not a festival
        day = campaign.start
        while day <= campaign.end:
            if day.year == year:
                days.add(day)
            day += timedelta(days=1)
    return days


def _robust(values: list[float]) -> tuple[float, float]:
    """(median, scale): the scale is MAD × 1.4826, at least 5 % of the median."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    # A very regular history would make a trivial change look extreme: the scale is at least
    # MIN_SCALE of the median (and 1).
    return median, max(mad * MAD_SCALE, abs(median) * MIN_SCALE, 1.0)


def _against_weekdays(
    series: dict[date, float], day: date
) -> tuple[float, float, float, list[tuple[date, float]]] | None:
    """(z, median, scale, history) of a day against the same weekday of the 8 weeks before it."""
    if day not in series:
        return None
    history = [
        (d, series[d]) for d in (day - timedelta(days=7 * k) for k in range(1, WEEKS + 1)) if d in series
    ]
    if len(history) < 4:
        return None
    median, scale = _robust([v for _, v in history])
    return (series[day] - median) / scale, median, scale, history


def check_day(session: Session, team_id: str, metric: str, day: date) -> Finding | None:
    """The day's finding for one metric, or None when it is normal (or there is too little to tell)."""
    series = daily_series(session, team_id, metric, day - timedelta(days=7 * WEEKS + 400), day)
    if day not in series:
        return None
    value = series[day]
    only_down = False
    if day in festival_days(session, team_id, day.year):
        try:
            before: date | None = day.replace(year=day.year - 1)
        except ValueError:
            before = None
        if before is not None and before in series and series[before] >= MIN_VOLUME[metric]:
            normal = series[before]
            ratio = value / normal if normal else float("inf")
            if 1 / FESTIVAL_FACTOR <= ratio <= FESTIVAL_FACTOR:
                return None
            return Finding(metric, day, value, normal, None, True, [(before, normal)])
        if day in fixed_festivals(day.year):
            return None  # a 双11 with no 双11 of last year to compare with: its surge is expected
        # A day of the workspace's own campaign with nothing a year before: the weekdays judge it,
        # and only a fall is news (a campaign is meant to lift sales).
        only_down = True
    found = _against_weekdays(series, day)
    if found is None:
        return None
    z, median, scale, history = found
    recent = [_against_weekdays(series, day - timedelta(days=k)) for k in range(1, SHIFT_DAYS + 1)]
    if all(r is not None and abs(r[0]) >= THRESHOLD and r[0] * z > 0 for r in recent):
        # A week off in one direction is a new level, not a week of anomalies: normal becomes the
        # weekday's usual value times that new level (the week's own ratio to its usual values).
        level = statistics.median(
            series[day - timedelta(days=k)] / r[1]
            for k, r in enumerate(recent, start=1)
            if r is not None and r[1]
        )
        median = median * level
        scale = max(scale * level, abs(median) * MIN_SCALE, 1.0)
        z = (value - median) / scale
    if median < MIN_VOLUME[metric] and value < MIN_VOLUME[metric]:
        return None
    if abs(z) < THRESHOLD or (only_down and z > 0):
        return None
    return Finding(metric, day, value, median, z, False, history)


def top_channel(session: Session, team_id: str, finding: Finding) -> str:
    """The order channel whose day moved most against its own same-weekday median (orders metrics)."""
    if finding.metric not in ("gmv", "orders"):
        return ""
    days = [finding.day] + [d for d, _ in finding.history]
    value = sa.func.sum(col(Order.total)) if finding.metric == "gmv" else sa.func.count()
    rows = session.execute(
        sa.select(col(Order.channel), col(Order.day), value)
        .where(
            col(Order.team_id) == team_id,
            col(Order.day).in_(days),
            col(Order.status) != "cancelled",
            col(Order.channel) != "",
        )
        .group_by(col(Order.channel), col(Order.day))
    )
    per: dict[str, dict[date, float]] = {}
    for channel, day, amount in rows:
        per.setdefault(str(channel), {})[day] = float(amount)
    moves = []
    for channel, values in per.items():
        history = [values.get(d, 0.0) for d, _ in finding.history]
        moves.append((values.get(finding.day, 0.0) - statistics.median(history or [0.0]), channel))
    if not moves:
        return ""
    moves.sort(key=lambda m: abs(m[0]), reverse=True)
    return moves[0][1]


def alert_message(finding: Finding, days: int, currency: str, locale: str) -> bk.Message:
    """How far off, what normal was, the top contributing channel; and how many days it has lasted."""
    name = views.name_of(finding.metric, locale)

    def shown(value: float) -> str:
        if finding.metric == "gmv":
            return views.value_of("gmv", Decimal(str(round(value, 2))), currency, locale)
        return fmt_number(Decimal(str(round(value, 2))), locale, 0)

    change = (finding.value - finding.normal) / finding.normal if finding.normal else 0.0
    direction = "up" if finding.value > finding.normal else "down"
    params = {
        "name": name,
        "day": fmt_date(finding.day, locale),
        "value": shown(finding.value),
        "normal": shown(finding.normal),
        "change": fmt_percent(Decimal(str(abs(change))), locale, 0),
    }
    if finding.festival:
        text = t(locale, f"kpis.anomaly_festival_{direction}", **params)
    else:
        text = t(
            locale,
            f"kpis.anomaly_{direction}",
            z=("−" if (finding.z or 0) < 0 else "+")
            + fmt_number(Decimal(str(abs(finding.z or 0))), locale, 1),
            **params,
        )
    lines = [text]
    if finding.channel:
        lines.append(t(locale, "kpis.anomaly_channel", channel=esc(finding.channel)))
    if days > 1:
        lines.append(t(locale, "kpis.anomaly_ongoing", days=days))
    lines.append(t(locale, "kpis.anomaly_how"))
    return bk.message(text, [bk.section("\n".join(lines[:-1])), bk.context(lines[-1])])


def chart_spec(finding: Finding, locale: str) -> dict[str, Any]:
    """The day against what "normal" was made of, as `charts.daily_spec`: the delivery worker draws
    it when it posts it (drawing in the tick cost about 0.1 s an alert)."""
    from ecombot import charts

    points = sorted([*finding.history, (finding.day, finding.value)])
    name = views.name_of(finding.metric, locale)
    return charts.daily_spec(
        t(locale, "kpis.anomaly_chart", name=name, day=finding.day.isoformat()),
        [d for d, _ in points],
        [
            charts.Series(name, [v for _, v in points], kind="bar"),
            charts.Series(t(locale, "kpis.anomaly_normal"), [finding.normal] * len(points), dashed=True),
        ],
        labels=[d.strftime("%m-%d") for d, _ in points],
    )


CATCH_UP_DAYS = 3  # a day whose data comes late is still checked when it arrives
# Workspaces whose days are checked in one scheduler pass: each costs about 30 statements, and at
# 1,000 workspaces checking every one at 10:00 took a PostgreSQL pass 18 s of its 60 s slot beside
# the 10:00 work of the other ticks. The rest are checked in the next passes, a minute apart.
WORKSPACES_PER_PASS = 250


def find_anomalies(session: Session, now: datetime) -> list[Firing]:
    """The scheduler's tick: each metric of each closed day, checked once its data is in."""
    firings: list[Firing] = []
    checked = 0
    # Every workspace (a small table); the shop data is looked at only for those due and with data.
    for workspace in session.exec(select(Workspace).order_by(col(Workspace.team_id))).all():
        if checked >= WORKSPACES_PER_PASS:
            break  # the next pass goes on from here: what was checked is claimed
        team_id = workspace.team_id
        zone = ZoneInfo(workspace.timezone)
        local = now.astimezone(zone)
        if local.hour < CHECK_HOUR:
            continue
        channel = ""
        worked = False
        for back in range(CATCH_UP_DAYS, 0, -1):
            day = local.date() - timedelta(days=back)
            slot = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
            keys = {metric: f"kpis.anomalies:{team_id}:{metric}:{day.isoformat()}" for metric in METRICS}
            done = claimed(session, list(keys.values()), slot)
            for metric in METRICS:
                if keys[metric] in done or not _ready(session, team_id, metric, day):
                    continue
                messages: list[Outgoing] = []
                finding = check_day(session, team_id, metric, day)
                channel = channel or _alert_channel(session, team_id)
                if finding is not None and channel:
                    finding = Finding(
                        **{**finding.__dict__, "channel": top_channel(session, team_id, finding)}
                    )
                    messages = _alert(
                        session, team_id, channel, finding, workspace.language, workspace.currency, now
                    )
                firings.append(Firing(keys[metric], slot, team_id, messages))
                worked = True
        checked += worked
    return firings


def _ready(session: Session, team_id: str, metric: str, day: date) -> bool:
    """Whether a day's data is in: orders of that day or a later one (after weeks of orders before
    it: a day with none is then an outage), or the figure itself for that day."""
    if metric in ("gmv", "orders"):
        later = session.execute(
            sa.select(sa.literal(1)).where(col(Order.team_id) == team_id, col(Order.day) >= day).limit(1)
        ).first()
        return later is not None and _has_data(session, team_id, day - timedelta(days=1))
    found = session.execute(
        sa.select(sa.literal(1))
        .where(
            col(DailyMetric.team_id) == team_id,
            col(DailyMetric.metric) == metric,
            col(DailyMetric.day) == day,
        )
        .limit(1)
    ).first()
    return found is not None


def _has_data(session: Session, team_id: str, day: date) -> bool:
    """Whether the workspace has any orders or figures for the day (an index lookup)."""
    orders = session.execute(
        sa.select(sa.literal(1)).where(col(Order.team_id) == team_id, col(Order.day) == day).limit(1)
    ).first()
    if orders is not None:
        return True
    figures = session.execute(
        sa.select(sa.literal(1))
        .where(col(DailyMetric.team_id) == team_id, col(DailyMetric.day) == day)
        .limit(1)
    ).first()
    return figures is not None


def _alert_channel(session: Session, team_id: str) -> str:
    """Where anomaly alerts go: the daily digest's channel, else the weekly's, else the monthly's."""
    from ecombot.scheduling import service as scheduling

    schedules = {s.kind: s for s in scheduling.list_schedules(session, team_id=team_id) if s.enabled}
    for kind in ("kpis.daily_digest", "kpis.weekly_digest", "kpis.monthly_digest"):
        if kind in schedules and schedules[kind].target:
            return schedules[kind].target
    return ""


def _alert(
    session: Session,
    team_id: str,
    channel: str,
    finding: Finding,
    language: str,
    currency: str,
    now: datetime,
) -> list[Outgoing]:
    """A new alert, or the update of the one still going for this metric (yesterday was anomalous too)."""
    direction = "up" if finding.value > finding.normal else "down"
    ongoing = session.exec(
        select(KpiAnomaly).where(
            KpiAnomaly.team_id == team_id,
            KpiAnomaly.metric == finding.metric,
            KpiAnomaly.last_day == finding.day - timedelta(days=1),
            KpiAnomaly.direction == direction,
        )
    ).first()
    if ongoing is not None:
        ongoing.last_day, ongoing.days = finding.day, ongoing.days + 1
        session.add(ongoing)
        message = alert_message(finding, ongoing.days, currency, language)
        return [Outgoing(channel, dict(message), f"{ongoing.key}:day{ongoing.days}", update_of=ongoing.key)]
    key = f"kpis.anomaly:{team_id}:{finding.metric}:{finding.day.isoformat()}"
    session.add(
        KpiAnomaly(
            team_id=team_id,
            metric=finding.metric,
            first_day=finding.day,
            last_day=finding.day,
            days=1,
            direction=direction,
            key=key,
            created_at=now,
        )
    )
    message = alert_message(finding, 1, currency, language)
    spec = chart_spec(finding, language)
    shown = (
        views.name_of(finding.metric, language)
        if finding.metric != "sessions"
        else t(language, "kpis.step.sessions")
    )
    title = t(language, "kpis.anomaly_chart", name=shown, day=finding.day.isoformat())
    return [
        Outgoing(channel, dict(message), key),
        Outgoing(
            channel,
            uploads.daily_payload(
                f"anomaly-{finding.metric}-{finding.day}.png", spec, title=title, alt_text=title
            ),
            f"{key}:chart",
            thread_of=key,
        ),
    ]
