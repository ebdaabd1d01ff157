"""Ad-platform reports in the layouts people download them in: Google Ads, Meta Ads Manager, Douyin
巨量千川, and a documented generic CSV. Pure: bytes in, rows (with their line numbers) and the lines
skipped with reasons out. Columns are found by name (English and Chinese aliases), never by position.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ecombot.campaigns.service import Entry
from ecombot.errors import InvalidInput
from ecombot.slack.parsing import ParseError, parse_amount

Layout = Literal["google", "meta", "douyin", "generic"]
LAYOUTS: tuple[Layout, ...] = ("google", "meta", "douyin", "generic")
MAX_ROWS = 50_000
HEADER_SEARCH = 30  # rows of preamble (titles, date ranges) tolerated before the header

# canonical field -> normalised column names, per layout
_ALIASES: dict[Layout, dict[str, tuple[str, ...]]] = {
    "google": {
        "campaign": ("campaign", "广告系列"),
        "day": ("day", "date", "日期", "天"),
        "currency": ("currency code", "currency", "货币代码", "币种"),
        "spend": ("cost", "费用", "花费"),
        "impressions": ("impr.", "impressions", "展示次数"),
        "clicks": ("clicks", "点击次数"),
        "orders": ("conversions", "转化次数", "转化"),
        "revenue": ("conv. value", "conversion value", "转化价值"),
    },
    "meta": {
        "campaign": ("campaign name", "广告系列名称"),
        "day": ("day", "日期", "天"),
        "starts": ("reporting starts", "报告开始日期", "开始日期"),
        "ends": ("reporting ends", "报告结束日期", "结束日期"),
        "spend": ("amount spent", "已花费金额", "花费金额"),
        "impressions": ("impressions", "展示次数"),
        "clicks": ("link clicks", "链接点击量"),
        "orders": ("purchases", "购物次数", "购买次数"),
        "revenue": ("purchases conversion value", "购物转化价值", "购买转化价值"),
    },
    "douyin": {
        "campaign": ("计划名称", "广告计划名称", "推广计划", "计划", "活动名称", "campaign"),
        "day": ("日期", "时间", "date"),
        "spend": ("整体消耗", "消耗"),
        "revenue": ("整体成交金额", "成交金额"),
        "net": ("净成交金额", "整体净成交金额"),
        "orders": ("整体成交订单数", "成交订单数", "整体支付订单数"),
        "impressions": ("展示次数", "整体展示次数"),
        "clicks": ("点击次数", "整体点击次数"),
        "refunds": ("退款金额",),
    },
    "generic": {
        "campaign": ("campaign", "活动", "活动名称"),
        "day": ("date", "day", "日期"),
        "last_day": ("end_date", "end date", "结束日期"),
        "source": ("source", "platform", "渠道", "平台"),
        "currency": ("currency", "币种"),
        "spend": ("spend", "cost", "花费", "消耗"),
        "revenue": ("revenue", "sales", "gmv", "销售额", "成交金额"),
        "orders": ("orders", "conversions", "订单数", "订单"),
        "clicks": ("clicks", "点击", "点击数"),
        "impressions": ("impressions", "展现", "曝光", "展示次数"),
        "sessions": ("sessions", "访客数", "会话", "会话数"),
        "refunds": ("refunds", "退款", "退款金额"),
        "new_customers": ("new_customers", "new customers", "新客", "新客数"),
    },
}
_REQUIRED: dict[Layout, tuple[str, ...]] = {
    "google": ("day", "spend", "revenue", "orders"),
    "meta": ("spend", "revenue", "orders"),
    "douyin": ("day", "spend", "revenue", "orders"),
    "generic": ("day", "spend", "revenue", "orders"),
}
SOURCE_OF: dict[Layout, str] = {"google": "google", "meta": "meta", "douyin": "douyin", "generic": "other"}
_NONE = {"", "--", "-", "—", "–", "n/a", "na", "null", "none"}
# Google writes "Total: Account"; other exports a cell that is only the word. "Total Recall Sale" is a name.
_TOTAL = re.compile(r"^\s*(total\s*:.*|totals?|grand total|总计|合计|汇总|全部|總計|合計)\s*$", re.IGNORECASE)
_META_SPEND = re.compile(r"^(amount spent|已花费金额|花费金额)\s*[(（]\s*([a-z]{3})\s*[)）]$")
_CURRENCY_PREFIX = re.compile(r"^[A-Za-z]{1,3}(?=[$¥￥€£])")
# The currency a symbol in a cell names ("" for ¥, which is yuan or yen: see `yen_or_yuan`).
_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "hk$": "HKD",
    "nt$": "TWD",
    "s$": "SGD",
    "a$": "AUD",
    "c$": "CAD",
    "cn¥": "CNY",
    "rmb": "CNY",
    "jp¥": "JPY",
    "¥": "¥",
    "￥": "¥",
}
YEN_SIGN = "¥"
_SYMBOL_RE = re.compile(r"^\s*(us\$|hk\$|nt\$|s\$|a\$|c\$|cn¥|jp¥|rmb|[$€£¥￥])", re.IGNORECASE)
YEN_OR_YUAN = ("CNY", "JPY")


@dataclass(frozen=True)
class Row:
    """A usable row: its line in the file, the campaign it names, and the figures."""

    line: int
    campaign: str
    entry: Entry
    currency: str = ""


@dataclass(frozen=True)
class Skip:
    """A line left out, and why (`code` picks the message `campaigns.skip.<code>`)."""

    line: int
    code: str
    part: str = ""


@dataclass
class Report:
    """A parsed file."""

    layout: Layout
    rows: list[Row] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    totals_skipped: int = 0
    currency: str = ""  # stated by the file as a whole (Meta's column name)


class _BadCell(ValueError):
    def __init__(self, code: str, part: str) -> None:
        super().__init__(code, part)
        self.code = code
        self.part = part


# -- decoding ----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text of a CSV/TSV download: UTF-8 with or without BOM, UTF-16 (either order), or GB18030."""
    try:
        return _decode(data)
    except UnicodeDecodeError as exc:
        raise InvalidInput("import_encoding") from exc


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    head = data[:400]
    if head and head.count(b"\x00") * 4 >= len(head):
        # UTF-16 without a BOM: ASCII text has a NUL in every other byte.
        return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _outside_quotes(sample: str) -> str:
    """The sample without its quoted parts: a comma in "1,234.00" separates nothing."""
    return re.sub(r'"[^"]*"', "", sample)


def _csv_rows(text: str) -> Iterator[tuple[int, list[Any]]]:
    sample = _outside_quotes("\n".join(text.splitlines()[:HEADER_SEARCH]))
    counts = {d: sample.count(d) for d in ("\t", ",", ";")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("import_unreadable") from exc
    sheet = book.worksheets[0]
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(cells)
    book.close()


def table(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """(line number, cells) of a CSV, TSV or XLSX file."""
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    return _csv_rows(decode(data))


# -- the header --------------------------------------------------------------------------------


def _norm(cell: Any) -> str:
    text = "" if cell is None else str(cell)
    return " ".join(text.replace("\ufeff", "").strip().strip('"').split()).lower()


def _columns(header: Sequence[Any], layout: Layout) -> tuple[dict[str, int], str]:
    """Canonical field -> column index; and a currency stated in a column name (Meta)."""
    aliases = _ALIASES[layout]
    found: dict[str, int] = {}
    currency = ""
    for index, cell in enumerate(header):
        name = _norm(cell)
        meta_spend = _META_SPEND.match(name) if layout == "meta" else None
        if meta_spend:
            found.setdefault("spend", index)
            currency = meta_spend.group(2).upper()
            continue
        for canonical, names in aliases.items():
            if name in names and canonical not in found:
                found[canonical] = index
                break
    return found, currency


def _detect(header: Sequence[Any]) -> Layout | None:
    names = {_norm(c) for c in header}
    if names & {"reporting starts", "报告开始日期"} or any(_META_SPEND.match(n) for n in names):
        return "meta"
    if names & {"整体消耗", "整体成交金额"}:
        return "douyin"
    if ("cost" in names and names & {"conv. value", "impr."}) or ("广告系列" in names and "费用" in names):
        return "google"
    if names & set(_ALIASES["generic"]["spend"]) and names & set(_ALIASES["generic"]["revenue"]):
        return "generic"
    return None


def _missing_columns(layout: Layout, columns: dict[str, int]) -> list[str]:
    missing = [name for name in _REQUIRED[layout] if name not in columns]
    if layout == "meta" and "day" not in columns and not {"starts", "ends"} <= columns.keys():
        missing.append("starts")
    return missing


def _find_header(
    rows: Iterator[tuple[int, list[Any]]], layout: Layout | None
) -> tuple[Layout, int, list[Any]]:
    closest: tuple[Layout, list[str]] | None = None
    for _ in range(HEADER_SEARCH):
        try:
            line, cells = next(rows)
        except StopIteration:
            break
        chosen = layout or _detect(cells)
        if chosen is None:
            continue
        columns, _ = _columns(cells, chosen)
        missing = _missing_columns(chosen, columns)
        if not missing:
            return chosen, line, cells
        if len(columns) >= 2 and (closest is None or len(missing) < len(closest[1])):
            closest = (chosen, missing)
    if closest is not None:
        chosen, missing = closest
        names = ", ".join(_ALIASES[chosen][name][0] for name in missing)
        raise InvalidInput("import_missing_columns", layout=chosen, columns=names)
    raise InvalidInput("import_no_header", layout=layout or "")


# -- values ------------------------------------------------------------------------------------


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _decimal(cell: Any, name: str) -> Decimal | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise _BadCell("bad_number", f"{name}={cell}")
    if isinstance(cell, int | Decimal):
        return Decimal(cell)
    if isinstance(cell, float):
        return Decimal(str(cell))
    text = _text(cell).replace("\u00a0", " ").strip()
    if text.lower() in _NONE:
        return None
    percent = text.endswith("%")
    body = _CURRENCY_PREFIX.sub("", text.rstrip("%").strip()).replace(" ", "")
    try:
        value = parse_amount(body)
    except ParseError:
        raise _BadCell("bad_number", f"{name}={text}") from None
    return value / 100 if percent else value


def _money(cell: Any, name: str, *, required: bool) -> Decimal | None:
    value = _decimal(cell, name)
    if value is None and required:
        # Google writes " --" where a figure is none: none spent, no conversions.
        return Decimal(0) if _text(cell).strip() in _NONE - {""} else _missing(name)
    if value is not None and value < 0:
        raise _BadCell("negative", f"{name}={_text(cell)}")
    return value


def _missing(name: str) -> Decimal:
    raise _BadCell("missing", name)


def _count(cell: Any, name: str) -> int | None:
    value = _money(cell, name, required=False)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise _BadCell("bad_number", f"{name}={_text(cell)}")
    return int(value)


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%b %d, %Y",
    "%a, %b %d, %Y",
    "%B %d, %Y",
    "%d/%m/%Y",
)


def _date(cell: Any, name: str) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    if not text:
        raise _BadCell("missing", name)
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2})?.*$", "", text)
    zh = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", text)
    if zh:
        try:
            return date(int(zh.group(1)), int(zh.group(2)), int(zh.group(3)))
        except ValueError:
            raise _BadCell("bad_date", text) from None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no zone
        except ValueError:
            continue
    raise _BadCell("bad_date", text)


# -- rows --------------------------------------------------------------------------------------


def _cell(cells: Sequence[Any], columns: dict[str, int], name: str) -> Any:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else None


def _row(
    layout: Layout, cells: Sequence[Any], columns: dict[str, int], line: int, campaign: str, source: str
) -> Row:
    def get(name: str) -> Any:
        return _cell(cells, columns, name)

    name = campaign or _text(get("campaign"))
    if not name:
        raise _BadCell("missing", "campaign")
    if layout == "meta":
        day = _date(get("day"), "day") if "day" in columns else _date(get("starts"), "reporting starts")
        last = day if "day" in columns else _date(get("ends"), "reporting ends")
    else:
        day = _date(get("day"), "day")
        last = _date(get("last_day"), "end_date") if _text(get("last_day")) else day
    if last < day:
        raise _BadCell("bad_range", f"{day.isoformat()}..{last.isoformat()}")
    spend = _money(get("spend"), "spend", required=True)
    revenue = _money(get("revenue"), "revenue", required=True)
    orders = _money(get("orders"), "orders", required=True)
    refunds = _money(get("refunds"), "refunds", required=False)
    if layout == "douyin" and "net" in columns and refunds is None:
        net = _money(get("net"), "净成交金额", required=False)
        if net is not None and revenue is not None:
            refunds = max(Decimal(0), revenue - net)
    assert spend is not None and revenue is not None and orders is not None
    if layout == "generic" and "source" in columns and _text(get("source")):
        from ecombot.campaigns import sources

        found = sources.find(_text(get("source")))
        if found is None:
            raise _BadCell("bad_source", _text(get("source")))
        source = found
    entry = Entry(
        day=day,
        last_day=last if last != day else None,
        source=source,
        spend=spend,
        revenue=revenue,
        orders=orders,
        clicks=_count(get("clicks"), "clicks"),
        impressions=_count(get("impressions"), "impressions"),
        sessions=_count(get("sessions"), "sessions"),
        refunds=refunds,
        new_customers=_count(get("new_customers"), "new_customers"),
    )
    if entry.refunds is not None and entry.refunds > entry.revenue:
        raise _BadCell("refunds_over_revenue", str(entry.refunds))
    return Row(
        line,
        name[:80],
        entry,
        _text(get("currency")).upper() or _symbol_currency(get("spend"), get("revenue")),
    )


def _symbol_currency(*cells: Any) -> str:
    """The currency a symbol in the cells names (`$1,200` is USD), or ""."""
    for cell in cells:
        if isinstance(cell, str):
            found = _SYMBOL_RE.match(cell)
            if found:
                return _SYMBOLS[found.group(1).lower()]
    return ""


def parse(data: bytes, *, layout: Layout | None = None, campaign: str = "", source: str = "") -> Report:
    """Every row of an ad report; rows that cannot be read are listed with their line and reason."""
    try:
        rows = table(data)
        found, header_line, header = _find_header(rows, layout)
    except UnicodeDecodeError as exc:
        raise InvalidInput("import_encoding") from exc
    except csv.Error as exc:
        raise InvalidInput("import_unreadable") from exc
    columns, currency = _columns(header, found)
    if not campaign and "campaign" not in columns:
        raise InvalidInput("import_no_campaign_column")
    report = Report(found, currency=currency)
    row_source = source or SOURCE_OF[found]
    try:
        for line, cells in rows:
            if not any(_text(c) for c in cells):
                continue
            first = next(_text(c) for c in cells if _text(c))
            if _TOTAL.match(first):
                report.totals_skipped += 1
                continue
            if len(report.rows) + len(report.skipped) >= MAX_ROWS:
                raise InvalidInput("import_too_big", limit=MAX_ROWS)
            try:
                report.rows.append(_row(found, cells, columns, line, campaign, row_source))
            except _BadCell as bad:
                report.skipped.append(Skip(line, bad.code, bad.part))
            except (InvalidOperation, ValueError) as exc:
                report.skipped.append(Skip(line, "bad_number", str(exc)[:60]))
    except csv.Error as exc:
        raise InvalidInput("import_unreadable") from exc
    del header_line
    return report


def recognises(data: bytes, filename: str = "") -> bool:
    """Whether a file looks like an ad report of a known layout (its header is in the first rows)."""
    try:
        _find_header(table(data), None)
    except (InvalidInput, UnicodeDecodeError, csv.Error):
        return False
    return True
