"""The demo's shop and team: six people in three timezones, 90 days of orders and traffic, and the
Double 11 campaign's daily results on Tmall, Douyin and Google Ads, all made with a fixed seed.

The files are written as the platforms export them, so the demo imports them through the app's own
importers (a DM with the bot), exactly as a team would.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# The week the demo plays: Monday Nov 30 to Sunday Dec 6, 2026 (Shanghai time).
WEEK_START = date(2026, 11, 30)
HISTORY_START = WEEK_START - timedelta(days=90)  # Sep 1
# Thursday Dec 3: the payment provider of the Tmall and Douyin shops fails for the day (the anomaly).
OUTAGE = date(2026, 12, 3)
DOUBLE_11 = date(2026, 11, 11)
CAMPAIGN = "双11大促"
SHANGHAI = "Asia/Shanghai"  # the office, and the Shenzhen warehouse (same zone)


@dataclass(frozen=True)
class Person:
    """A member of the demo team, as Slack's directory describes them."""

    user_id: str
    handle: str
    real_name: str
    name_zh: str
    tz: str
    role_en: str
    role_zh: str
    zh_in_english_demo: bool  # their Slack is in Chinese even when the demo plays in English


TEAM: tuple[Person, ...] = (
    Person(
        "U_DEMO", "chen.jie", "Chen Jie", "陈杰", SHANGHAI, "ops lead, Shanghai", "运营负责人，上海", False
    ),
    Person("U_LI", "li.na", "Li Na", "李娜", SHANGHAI, "campaign planner, Shanghai", "活动策划，上海", True),
    Person(
        "U_WEI",
        "wang.wei",
        "Wang Wei",
        "王伟",
        SHANGHAI,
        "merchandising, Shenzhen warehouse",
        "商品与仓储，深圳仓",
        True,
    ),
    Person(
        "U_FANG",
        "zhou.fang",
        "Zhou Fang",
        "周芳",
        SHANGHAI,
        "customer service, Shanghai",
        "客服，上海",
        False,
    ),
    Person(
        "U_MIA",
        "mia",
        "Mia Weber",
        "Mia Weber",
        "Europe/Berlin",
        "EU shops & design, Berlin",
        "欧洲站与设计，柏林",
        False,
    ),
    Person(
        "U_SAM",
        "sam",
        "Sam Carter",
        "Sam Carter",
        "America/New_York",
        "data analyst, New York",
        "数据分析，纽约",
        False,
    ),
)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _order_count(day: date, rng: random.Random) -> int:
    """Weekly seasonality (quiet Sundays, busy Fridays), slow growth, and the Double 11 peak."""
    base = {4: 128, 5: 118, 6: 82}.get(day.weekday(), 108)
    count = int(base * (1 + (day - HISTORY_START).days / 450)) + rng.randint(-7, 7)
    if day == DOUBLE_11:
        count *= 4
    elif date(2026, 11, 1) <= day <= date(2026, 11, 12):
        count = int(count * 1.6)
    return count


def shop_days(seed: int = 11) -> dict[date, tuple[list[str], list[str]]]:
    """Each day's order lines and traffic lines, from Sep 1 to the end of the demo week."""
    rng = random.Random(seed)
    out: dict[date, tuple[list[str], list[str]]] = {}
    number = 0
    for day in _days(HISTORY_START, WEEK_START + timedelta(days=6)):
        orders: list[str] = []
        for _ in range(_order_count(day, rng)):
            channel = rng.choice(("tmall", "tmall", "douyin", "jd"))
            if day == OUTAGE and channel != "jd":
                continue
            number += 1
            status = rng.choices(("paid", "refunded", "cancelled"), weights=(92, 5, 3))[0]
            total = rng.randint(60, 420)
            at = f"{day.isoformat()} {rng.randint(8, 23):02d}:{rng.randint(0, 59):02d}"
            refunded = total if status == "refunded" else 0
            orders.append(
                f"D{number:06d},c{rng.randint(1, 3000)},{at},{total}.00,{status},{refunded},{channel}"
            )
        sessions = len(orders) * 37 + rng.randint(0, 300)
        traffic = [
            f"{day.isoformat()},sessions,{sessions}",
            f"{day.isoformat()},product_views,{int(sessions * 0.42)}",
            f"{day.isoformat()},add_to_cart,{int(sessions * 0.09)}",
            f"{day.isoformat()},checkouts,{int(sessions * 0.04)}",
        ]
        out[day] = (orders, traffic)
    return out


ORDERS_HEADER = "order_id,customer_id,created_at,total,status,refunded_amount,channel"
TRAFFIC_HEADER = "date,metric,value"


def _figures(day: date, rng: random.Random, scale: float) -> tuple[int, int, int, int, int]:
    """(spend, revenue, orders, clicks, impressions) of one platform's day of the campaign."""
    boost = 3.2 if day == DOUBLE_11 else 1.8 if day <= DOUBLE_11 else 1.0
    if day == date(2026, 11, 10):
        boost = 2.4
    spend = int(1850 * scale * boost * rng.uniform(0.9, 1.1))
    roas = rng.uniform(3.4, 4.6) * (1.15 if day == DOUBLE_11 else 1.0)
    revenue = int(spend * roas)
    orders = max(1, revenue // rng.randint(180, 230))
    clicks = int(spend / rng.uniform(0.9, 1.3))
    return spend, revenue, orders, clicks, clicks * rng.randint(28, 40)


def campaign_reports(last: date, seed: int = 1111) -> dict[str, bytes]:
    """The Double 11 campaign's results from Nov 1 to `last`, as each platform exports them."""
    rng = random.Random(seed)
    tmall = ["date,campaign,source,spend,revenue,orders,clicks,impressions,sessions"]
    douyin = ["日期,计划名称,整体消耗,整体成交金额,整体成交订单数,整体支付ROI,展示次数,点击次数"]
    google = [
        "Campaign report",
        f'"November 1, 2026 - {last.strftime("%B")} {last.day}, 2026"',
        "Day,Campaign,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value",
    ]
    totals = [0, 0, 0]
    for day in _days(date(2026, 11, 1), last):
        s, r, o, c, i = _figures(day, rng, 2.0)
        tmall.append(f"{day.isoformat()},{CAMPAIGN},tmall,{s},{r},{o},{c},{i},{int(c * 1.3)}")
        s, r, o, c, i = _figures(day, rng, 1.2)
        douyin.append(f'{day.isoformat()},{CAMPAIGN},"{s:,}.00","{r:,}.00",{o},{r / s:.2f},{i},{c}')
        totals = [totals[0] + s, totals[1] + r, totals[2] + o]
        s, r, o, c, i = _figures(day, rng, 0.5)
        google.append(f"{day.isoformat()},{CAMPAIGN},CNY,{s}.00,{i},{c},{o}.00,{r}.00")
    douyin.append(f'合计,,"{totals[0]:,}.00","{totals[1]:,}.00",{totals[2]},,,')
    return {
        "tmall-双11大促.csv": ("\n".join(tmall) + "\n").encode("utf-8"),
        "千川-双11大促.csv": ("\n".join(douyin) + "\n").encode("gb18030"),
        "google-ads-double11.csv": ("\n".join(google) + "\n").encode("utf-8"),
    }


def write_files(folder: Path) -> dict[str, Path]:
    """Every file the demo imports: the history before the week, then one export per day of it."""
    days = shop_days()
    paths: dict[str, Path] = {}

    def write(name: str, data: bytes) -> None:
        paths[name] = folder / name
        paths[name].write_bytes(data)

    history = [d for d in days if d < WEEK_START]
    write(
        "orders-90-days.csv", "\n".join([ORDERS_HEADER, *(o for d in history for o in days[d][0])]).encode()
    )
    write(
        "traffic-90-days.csv", "\n".join([TRAFFIC_HEADER, *(x for d in history for x in days[d][1])]).encode()
    )
    for day in _days(WEEK_START, WEEK_START + timedelta(days=5)):
        orders, traffic = days[day]
        write(f"orders-{day.isoformat()}.csv", "\n".join([ORDERS_HEADER, *orders]).encode())
        write(f"traffic-{day.isoformat()}.csv", "\n".join([TRAFFIC_HEADER, *traffic]).encode())
    for name, data in campaign_reports(WEEK_START - timedelta(days=1)).items():
        write(name, data)
    return paths
