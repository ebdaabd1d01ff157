"""Ad reports as the platforms write them: Google Ads (title lines, `--`, Total rows, UTF-16 TSV),
Meta (currency in the column name, no daily breakdown), 巨量千川 in GB18030, generic CSV and XLSX."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from ecombot.campaigns import reports
from ecombot.errors import InvalidInput

GOOGLE = (
    "Campaign report\n"
    '"November 1, 2026 - November 3, 2026"\n'
    "Campaign,Day,Currency code,Cost,Impr.,Clicks,CTR,Conversions,Conv. value\n"
    'Double 11,2026-11-01,CNY,"15,000.00","120,000","3,000",2.50%,150.00,"45,000.00"\n'
    "Double 11,2026-11-02,CNY,¥900.50,8000,200,2.50%, --, --\n"
    "Double 11,2026-11-03,CNY,oops,8000,200,2.50%,3,90\n"
    'Total: Account,,CNY,"15,900.50","136,000","3,400",2.50%,150.00,"45,000.00"\n'
    'Total: Campaigns,,CNY,"15,900.50","136,000","3,400",2.50%,150.00,"45,000.00"\n'
)


def test_google_ads_csv_with_title_lines_placeholders_and_total_rows() -> None:
    report = reports.parse(GOOGLE.encode("utf-8"))
    assert report.layout == "google"
    first, second = report.rows
    assert first.line == 4 and first.campaign == "Double 11" and first.currency == "CNY"
    assert first.entry.source == "google"
    assert first.entry.spend == Decimal("15000") and first.entry.revenue == Decimal("45000")
    assert (
        first.entry.orders == Decimal(150)
        and first.entry.impressions == 120_000
        and first.entry.clicks == 3000
    )
    # " --" is none: nothing converted that day.
    assert second.entry.spend == Decimal("900.5") and second.entry.revenue == 0 and second.entry.orders == 0
    assert report.skipped == [reports.Skip(6, "bad_number", "spend=oops")]
    assert report.totals_skipped == 2


def test_google_ads_utf16_tab_separated_download() -> None:
    tsv = GOOGLE.replace(",", "\t").replace('"15\t000.00"', "15000").replace('"120\t000"', "120000")
    tsv = tsv.replace('"3\t000"', "3000").replace('"45\t000.00"', "45000")
    report = reports.parse(tsv.encode("utf-16"))
    assert report.layout == "google"
    assert [r.line for r in report.rows] == [4, 5]
    assert report.rows[0].entry.revenue == Decimal(45000)


def test_meta_export_without_a_daily_breakdown_is_one_row_for_its_whole_range() -> None:
    meta = (
        "Reporting starts,Reporting ends,Campaign name,Amount spent (CNY),Impressions,Link clicks,"
        "Purchases,Purchases conversion value\n"
        "2026-11-01,2026-11-11,双十一 Meta,3200.5,50000,1200,40,9600\n"
        "2026-11-05,2026-11-05,新品首发,100,1000,20,1,300\n"
    )
    report = reports.parse(("\ufeff" + meta).encode("utf-8"))
    assert report.layout == "meta" and report.currency == "CNY"
    whole, one_day = report.rows
    assert whole.entry.day == date(2026, 11, 1) and whole.entry.last_day == date(2026, 11, 11)
    assert whole.entry.spend == Decimal("3200.5") and whole.entry.clicks == 1200 and whole.entry.orders == 40
    assert one_day.entry.last_day is None and one_day.entry.source == "meta"


def test_douyin_qianchuan_gb18030_net_revenue_becomes_refunds() -> None:
    text = (
        "日期,计划名称,整体消耗,整体成交金额,整体成交订单数,整体支付ROI,净成交金额,净成交ROI,展示次数,点击次数\n"
        '2026-11-10,双十一直播,"1,000.00","5,000.00",50,5.00,"4,500.00",4.50,20000,800\n'
        "2026/11/11,双十一直播,2000,12000,100,6.00,,,,\n"
    )
    report = reports.parse(text.encode("gb18030"))
    assert report.layout == "douyin"
    first, second = report.rows
    assert first.campaign == "双十一直播" and first.entry.source == "douyin"
    assert first.entry.refunds == Decimal(500)  # 整体成交 5,000 − 净成交 4,500
    assert second.entry.day == date(2026, 11, 11) and second.entry.refunds is None


def test_generic_csv_with_sources_and_bad_rows_named_by_line() -> None:
    text = (
        "date,campaign,source,spend,revenue,orders,sessions,refunds\n"
        "2026-11-01,618,天猫,100,500,5,400,20\n"
        "2026-11-01,618,weibo,100,500,5,400,0\n"
        "not a date,618,jd,1,2,3,4,0\n"
        "2026-11-02,618,jd,1,2,3,4,9\n"
        "2026-11-02,618,jd,-5,2,3,4,0\n"
    )
    report = reports.parse(text.encode("utf-8"))
    assert report.layout == "generic"
    assert [(r.line, r.entry.source) for r in report.rows] == [(2, "tmall")]
    assert [(s.line, s.code) for s in report.skipped] == [
        (3, "bad_source"),
        (4, "bad_date"),
        (5, "refunds_over_revenue"),
        (6, "negative"),
    ]


def test_xlsx_generic_report() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["活动投放日报"])
    sheet.append(["日期", "活动", "平台", "花费", "销售额", "订单数"])
    sheet.append([date(2026, 11, 1), "年货节", "京东", 1000, 4200.5, 30])
    out = io.BytesIO()
    book.save(out)
    report = reports.parse(out.getvalue())
    [row] = report.rows
    assert row.line == 3 and row.campaign == "年货节" and row.entry.source == "jd"
    assert row.entry.revenue == Decimal("4200.5")


def test_a_file_that_is_no_report_is_refused_as_a_whole() -> None:
    with pytest.raises(InvalidInput) as refused:
        reports.parse(b"name,email\nli,li@example.com\n")
    assert refused.value.code == "import_no_header"
    with pytest.raises(InvalidInput) as refused:
        reports.parse(b"day,spend,revenue,orders\n2026-11-01,1,2,3\n")
    assert refused.value.code == "import_no_campaign_column"
    # The same file with the campaign named on the command line is fine.
    assert (
        reports.parse(b"day,spend,revenue,orders\n2026-11-01,1,2,3\n", campaign="618").rows[0].campaign
        == "618"
    )


def test_bytes_in_no_known_encoding_are_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        reports.parse(b"campaign,day,spend\n\xff\xff\xff,1,2\n")
    assert refused.value.code == "import_encoding"
    with pytest.raises(InvalidInput):
        reports.parse(b"\xff\xfe" + b"a\x00,\x00" + b"\x00")  # a UTF-16 BOM and then truncated text


def test_total_rows_are_google_totals_not_names_starting_with_total() -> None:
    text = (
        "Campaign,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value\n"
        "Total Recall Sale,2026-11-01,CNY,10,100,5,1,30\n"
        "Total: Search,,CNY,10,100,5,1,30\n"
        "Total,,CNY,10,100,5,1,30\n"
    )
    report = reports.parse(text.encode())
    assert [r.campaign for r in report.rows] == ["Total Recall Sale"] and report.totals_skipped == 2


def test_utf16_tab_separated_with_grouped_numbers_in_quotes() -> None:
    text = (
        "Campaign\tDay\tCurrency code\tCost\tImpr.\tClicks\tConversions\tConv. value\n"
        'Big\t2026-11-01\tCNY\t"1,234,567.00"\t"12,345,678"\t"1,234"\t"1,000.00"\t"9,876,543.21"\n'
    )
    [row] = reports.parse(text.encode("utf-16")).rows
    assert row.entry.spend == Decimal("1234567") and row.entry.impressions == 12_345_678


def test_a_chinese_google_ads_export_is_recognised() -> None:
    text = "广告系列,天,货币代码,费用,展示次数,点击次数,转化次数,转化价值\n双11,2026-11-01,CNY,100,1000,50,2,600\n"
    report = reports.parse(text.encode("utf-8-sig"))
    assert report.layout == "google" and report.rows[0].entry.revenue == Decimal(600)


def test_a_currency_symbol_in_a_cell_names_the_currency() -> None:
    text = "date,campaign,spend,revenue,orders\n2026-11-01,X,$100.00,$300.00,3\n2026-11-02,X,¥100,¥300,3\n"
    first, second = reports.parse(text.encode()).rows
    assert (first.currency, second.currency) == ("USD", "¥")


def test_a_report_missing_a_required_column_names_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        reports.parse("日期,计划名称,整体消耗,整体成交金额\n2026-11-01,x,1,2\n".encode("gb18030"))
    assert refused.value.code == "import_missing_columns"
    assert refused.value.params["columns"] == "整体成交订单数"
