"""Orders and daily figures in the layouts shops export: generic with bad lines, Shopify's line items
with order fields on the first row only, Tmall's 订单报表, a 生意参谋 export with preamble rows; a
re-import changes nothing, an overlapping one updates; through the CLI and a DM."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.actor import Actor
from ecombot.budgets.periods import month_of
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.errors import InvalidInput
from ecombot.kpis import compute, figures, orders, service
from ecombot.kpis.models import DailyMetric, Order
from tests.campaigns.support import from_bot, say, texts
from tests.support import cli_env

GENERIC = (
    "order_id,customer_id,created_at,total,status,refunded_amount,channel\n"
    "A1,c1,2026-11-01 00:10,100.00,paid,0,tmall\n"  # 00:10 Shanghai: November, though October in UTC
    'A2,c2,2026-11-02T10:00:00+00:00,"1,250.50",partially_refunded,250.50,web\n'
    "A3,c1,2026-11-03,80,cancelled,0,web\n"
    "A4,,yesterday-ish,10,paid,0,web\n"
    "A5,c3,2026-11-04,-5,paid,0,web\n"
    "A6,c3,2026-11-05,50,shipped,0,web\n"
)


def lead() -> Actor:
    from datetime import UTC, datetime

    return Actor(
        team_id="T_DEMO",
        user_id="U_DEMO",
        now=datetime(2026, 11, 23, 1, tzinfo=UTC),
        tz="Asia/Shanghai",
        is_manager=True,
    )


def test_generic_orders_with_bad_lines_named(session: Session, workspace: str) -> None:
    done = service.import_orders(
        session, lead(), GENERIC.encode(), "orders.csv", currency="CNY", workspace_tz="Asia/Shanghai"
    )
    assert (done.rows, done.new, done.updated) == (3, 3, 0)
    assert [(s.line, s.code) for s in done.skipped] == [(5, "bad_date"), (6, "bad_number"), (7, "bad_status")]
    rows = {o.order_id: o for o in session.exec(select(Order))}
    assert rows["A1"].day == date(2026, 11, 1) and rows["A2"].refunded == Decimal("250.50")
    assert compute.compute(session, "T_DEMO", month_of(date(2026, 11, 1)))["gmv"] == Decimal("1350.50")
    # The same file again changes nothing; a newer export of an order updates it, never twice.
    again = service.import_orders(
        session, lead(), GENERIC.encode(), "orders.csv", currency="CNY", workspace_tz="Asia/Shanghai"
    )
    assert (again.new, again.updated) == (0, 3)
    newer = "order_id,customer_id,created_at,total,status\nA1,c1,2026-11-01 00:10,100.00,refunded\n"
    service.import_orders(
        session, lead(), newer.encode(), "update.csv", currency="CNY", workspace_tz="Asia/Shanghai"
    )
    assert len(list(session.exec(select(Order)))) == 3
    assert next(o for o in session.exec(select(Order)) if o.order_id == "A1").status == "refunded"


def test_shopify_orders_take_order_fields_from_the_first_row(session: Session, workspace: str) -> None:
    export = (
        "Name,Email,Financial Status,Paid at,Currency,Subtotal,Total,Refunded Amount,Created at,Cancelled at,Lineitem name\n"
        "#1001,a@shop.com,paid,,CNY,280,300.00,0,2026-11-10 10:15:02 +0800,,Shirt\n"
        "#1001,,,,,,,,,,Socks\n"
        "#1002,B@shop.com,refunded,,CNY,50,50.00,50.00,2026-11-11 09:00:00 +0800,,Hat\n"
        "#1003,c@shop.com,paid,,CNY,9,9.00,0,2026-11-11 09:00:00 +0800,2026-11-11 10:00:00 +0800,Cap\n"
        "#1004,d@shop.com,pending,,CNY,9,9.00,0,2026-11-12 09:00:00 +0800,,Pin\n"
    )
    parsed = orders.parse(export.encode(), "orders_export.csv", tz="Asia/Shanghai")
    assert parsed.layout == "shopify"
    frame = parsed.frame.set_index("order_id")
    assert list(frame.index) == ["#1001", "#1002", "#1003"]
    assert frame.loc["#1001", "total"] == 300 and frame.loc["#1001", "customer_id"] == "a@shop.com"
    assert frame.loc["#1002", "status"] == "refunded" and frame.loc["#1002", "customer_id"] == "b@shop.com"
    assert frame.loc["#1003", "status"] == "cancelled"  # Cancelled at is set
    assert [(s.line, s.code) for s in parsed.skipped] == [(6, "unpaid")]
    assert str(frame.loc["#1001", "created_at"]) == "2026-11-10 02:15:02+00:00"


def test_tmall_orders_and_a_currency_mismatch(session: Session, workspace: str) -> None:
    export = (
        "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,退款金额\n"
        "T1,小王,199.00,交易成功,2026-11-11 00:01:02,0\n"
        "T2,小李,99.00,交易关闭,2026-11-11 00:02:00,99.00\n"
        "T3,小王,50.00,等待买家付款,2026-11-11 00:03:00,0\n"
        "T4,小张,300.00,卖家已发货，等待买家确认,2026-11-11 10:00:00,100.00\n"
    ).encode("gb18030")
    done = service.import_orders(
        session, lead(), export, "订单报表.csv", currency="CNY", workspace_tz="Asia/Shanghai"
    )
    statuses = {o.order_id: o.status for o in session.exec(select(Order))}
    assert statuses == {"T1": "paid", "T2": "refunded", "T4": "partially_refunded"}
    assert [s.code for s in done.skipped] == ["unpaid"]
    usd = b"order_id,customer_id,created_at,total,status,currency\nU1,c,2026-11-01,5,paid,USD\n"
    with pytest.raises(InvalidInput) as refused:
        service.import_orders(session, lead(), usd, "usd.csv", currency="CNY", workspace_tz="Asia/Shanghai")
    assert refused.value.code == "import_currency" and refused.value.params["currency"] == "USD"


def test_a_tmall_shop_export_with_preamble_rows(session: Session, workspace: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["生意参谋 · 店铺整体"])
    sheet.append(["统计时间：2026-11-01 ~ 2026-11-02"])
    sheet.append([])
    sheet.append(
        [
            "统计日期",
            "访客数",
            "浏览量",
            "商品访客数",
            "加购人数",
            "支付买家数",
            "支付金额",
            "支付转化率",
            "客单价",
        ]
    )
    sheet.append(["2026-11-01", "12,345", "45,678", "8,001", "1,200", "300", "¥45,000.00", "2.43%", "150.00"])
    sheet.append(["2026-11-02", "10,000", "40,000", "7,000", "1,000", "--", "38,000", "2.10%", "126.67"])
    out = io.BytesIO()
    book.save(out)
    parsed = figures.parse(out.getvalue(), "店铺整体.xlsx")
    assert parsed.layout == "tmall"
    got = {(day.isoformat(), metric): value for _, day, metric, value in parsed.rows}
    assert got[("2026-11-01", "sessions")] == Decimal(12345) and got[
        ("2026-11-01", "add_to_cart")
    ] == Decimal(1200)
    assert got[("2026-11-01", "shop_sales")] == Decimal(45000) and ("2026-11-02", "paying_buyers") not in got
    assert not any(metric == "conversion" for _, metric in got)  # ratios are recomputed, not imported
    done = service.import_figures(session, lead(), out.getvalue(), "店铺整体.xlsx")
    assert done.first == date(2026, 11, 1) and "sessions" in done.metrics
    again = service.import_figures(session, lead(), out.getvalue(), "店铺整体.xlsx")
    assert again.rows == done.rows
    assert len(list(session.exec(select(DailyMetric)))) == done.rows


def test_the_cli_and_a_dm_import_orders(
    slack: SlackDriver, fake: FakeSlack, db: Engine, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(GENERIC, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ecombot", "import", "orders", str(path), "--team", "T_DEMO"],
        env=cli_env(database_url, fake.api_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "3 orders from 2026-11-01 to 2026-11-03: 3 new, 0 already there" in result.stdout
    assert "line 5: not a date: yesterday-ish" in result.stdout
    slack.share_file("orders.csv", GENERIC.encode("utf-16"))
    done = texts(from_bot(fake, "U_DEMO")[-1])
    assert "3 orders" in done and "0 new, 3 already there" in done and "line 7" in done
    say(slack, "/ecom settings language en")
    metrics = "date,metric,value\n2026-11-01,sessions,1000\n2026-11-01,加购人数,80\n2026-11-02,bounces,5\n"
    slack.share_file("traffic.csv", metrics.encode())
    reply = texts(from_bot(fake, "U_DEMO")[-1])
    assert "2 daily figures" in reply and "unknown figure bounces" in reply
    slack.share_file("orders.csv", GENERIC.encode(), user="U_SAM")  # a member
    assert "Only workspace admins and ops leads can import orders" in texts(from_bot(fake, "U_SAM")[-1])
    slack.share_file("notes.csv", b"hello,world\n1,2\n")
    assert "not a file I can import" in texts(from_bot(fake, "U_DEMO")[-1])
    with Session(db) as s:
        assert len(list(s.exec(select(Order)))) == 3


def test_odd_files_and_values_are_named_not_imported(session: Session, workspace: str) -> None:
    odd = (
        "order_id,customer_id,created_at,total,status\n"
        "B1,c1,11/10/2026,10,paid\n"  # month or day first? not guessed
        "B2,c1,2026-11-10,inf,paid\n"
        "B3,c1,2026-11-10,99999999999999999,paid\n"
        "B4,c2,2026-11-10 10:15:02 +0800,50,refunded\n"  # refunded, no amount: all of it
    )
    done = service.import_orders(
        session, lead(), odd.encode(), "odd.csv", currency="CNY", workspace_tz="Asia/Shanghai"
    )
    assert [(s.line, s.code) for s in done.skipped] == [(2, "bad_date"), (3, "bad_number"), (4, "bad_number")]
    [b4] = list(session.exec(select(Order)))
    assert b4.refunded == Decimal(50) and b4.day == date(2026, 11, 10)
    with pytest.raises(InvalidInput) as refused:
        service.import_orders(
            session,
            lead(),
            b"\xd0\xcf\x11\xe0 not really excel",
            "x.xls",
            currency="CNY",
            workspace_tz="Asia/Shanghai",
        )
    assert refused.value.code == "import_unreadable"


def test_a_buyer_changed_on_re_import_leaves_no_stale_first_order(session: Session, workspace: str) -> None:
    first = b"order_id,customer_id,created_at,total,status\nA1,c1,2026-11-01,100,paid\n"
    service.import_orders(session, lead(), first, "a.csv", currency="CNY", workspace_tz="Asia/Shanghai")
    service.import_orders(
        session, lead(), first.replace(b"c1", b"c9"), "b.csv", currency="CNY", workspace_tz="Asia/Shanghai"
    )
    figures = compute.compute(session, "T_DEMO", month_of(date(2026, 11, 1)))
    assert (figures["customers"], figures["new_customers"]) == (Decimal(1), Decimal(1))
