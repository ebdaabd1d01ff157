"""Daily shop figures as they are exported: a generic `date, metric, value` file, or Tmall 生意参谋's
"店铺整体" export (.xls/.xlsx, preamble rows before the header, thousands separators, `%` strings).
Pure: bytes in, (line, day, metric, value) rows and the lines left out out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from ecombot.errors import InvalidInput
from ecombot.kpis.orders import HEADER_SEARCH, Skip, read_sheet

# The figures ecombot understands, each with what people call it.
METRICS: dict[str, tuple[str, ...]] = {
    "sessions": ("sessions", "访客数", "会话"),
    "visitors": ("visitors", "uv"),
    "page_views": ("page_views", "浏览量", "pv"),
    "product_views": ("product_views", "商品访客数", "商品浏览"),
    "add_to_cart": ("add_to_cart", "加购人数", "加购"),
    "checkouts": ("checkouts", "下单买家数", "结算"),
    "paying_buyers": ("paying_buyers", "支付买家数"),
    "shop_sales": ("shop_sales", "支付金额"),
    "shop_refunds": ("shop_refunds", "成功退货退款金额", "退款金额"),
    "registrations": ("registrations", "注册", "新会员"),
}
_BY_NAME = {alias.lower(): metric for metric, aliases in METRICS.items() for alias in aliases}
# Tmall columns that are ratios of the others: recomputed, never imported.
_DERIVED = {"支付转化率", "客单价", "uv价值", "跳失率", "人均浏览量", "平均停留时长"}
_TMALL_DATE = ("统计日期", "日期")
VALUE_LIMIT = Decimal("1e15")


def metric_of(text: str) -> str | None:
    """The metric a name means (`加购人数` → add_to_cart)."""
    return _BY_NAME.get(text.strip().lower())


@dataclass
class ParsedFigures:
    """(line, day, metric, value) rows and the lines left out."""

    layout: str
    rows: list[tuple[int, date, str, Decimal]] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


def _value(text: str) -> Decimal:
    cleaned = re.sub(r"[,\s¥￥$]", "", text)
    if cleaned.endswith("%"):
        return Decimal(cleaned[:-1]) / 100
    value = Decimal(cleaned)
    if not value.is_finite() or value < 0 or value >= VALUE_LIMIT:
        raise InvalidOperation(text)
    return value


def _day(text: str) -> date:
    cleaned = text.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    if re.fullmatch(r"\d{8}", cleaned):
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    year, month, day = cleaned.split("-")
    return date(int(year), int(month), int(day))


def recognises(data: bytes, filename: str) -> bool:
    """Whether a file is daily figures of a known layout."""
    try:
        parse(data, filename)
    except (InvalidInput, ValueError):
        return False
    return True


def parse(data: bytes, filename: str) -> ParsedFigures:
    """The figures of a generic or a Tmall 生意参谋 file."""
    sheet = read_sheet(data, filename)
    for index in range(min(HEADER_SEARCH, len(sheet))):
        names = [str(v).replace("\ufeff", "").strip() for v in sheet.iloc[index].tolist()]
        lowered = [n.lower() for n in names]
        if {"date", "metric", "value"} <= set(lowered) or {"日期", "指标", "数值"} <= set(lowered):
            return _generic(sheet, index, lowered)
        date_column = next((i for i, n in enumerate(names) if n in _TMALL_DATE), None)
        known = {i: metric_of(n) for i, n in enumerate(names) if metric_of(n) and n not in _DERIVED}
        if date_column is not None and known:
            return _wide(sheet, index, date_column, known)
    raise InvalidInput("kpis_figures_no_header")


def _generic(sheet: object, header: int, names: list[str]) -> ParsedFigures:
    import pandas as pd

    assert isinstance(sheet, pd.DataFrame)
    columns = {name: names.index(name) for name in names}
    day_col = columns.get("date", columns.get("日期"))
    metric_col = columns.get("metric", columns.get("指标"))
    value_col = columns.get("value", columns.get("数值"))
    assert day_col is not None and metric_col is not None and value_col is not None
    parsed = ParsedFigures("generic")
    for index in range(header + 1, len(sheet)):
        row = [str(v).strip() for v in sheet.iloc[index].tolist()]
        line = index + 1
        if not any(row):
            continue
        metric = metric_of(row[metric_col])
        if metric is None:
            parsed.skipped.append(Skip(line, "unknown_metric", row[metric_col]))
            continue
        try:
            parsed.rows.append((line, _day(row[day_col]), metric, _value(row[value_col])))
        except (ValueError, InvalidOperation, ArithmeticError):
            parsed.skipped.append(Skip(line, "bad_value", f"{row[day_col]} {row[value_col]}"))
    return parsed


def _wide(sheet: object, header: int, date_column: int, known: dict[int, str | None]) -> ParsedFigures:
    import pandas as pd

    assert isinstance(sheet, pd.DataFrame)
    parsed = ParsedFigures("tmall")
    for index in range(header + 1, len(sheet)):
        row = [str(v).strip() for v in sheet.iloc[index].tolist()]
        line = index + 1
        if not any(row) or row[date_column] in ("", "合计", "总计", "汇总"):
            continue
        try:
            day = _day(row[date_column])
        except (ValueError, IndexError):
            parsed.skipped.append(Skip(line, "bad_date", row[date_column]))
            continue
        for column, metric in known.items():
            assert metric is not None
            cell = row[column] if column < len(row) else ""
            if cell in ("", "-", "--"):
                continue
            try:
                parsed.rows.append((line, day, metric, _value(cell)))
            except (ValueError, InvalidOperation, ArithmeticError):
                parsed.skipped.append(Skip(line, "bad_value", cell))
    return parsed
