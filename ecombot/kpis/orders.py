"""Orders as shops export them (a generic CSV, Shopify's orders export, Tmall's 订单报表), read with
pandas so that a million rows take seconds. Pure: bytes in, one normalised frame and the lines left
out with their reasons out."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ecombot.campaigns.reports import decode
from ecombot.errors import InvalidInput

if TYPE_CHECKING:  # pandas is imported when a file is read, not when the app starts
    import pandas as pd

OrderLayout = Literal["generic", "shopify", "tmall"]
ORDER_LAYOUTS: tuple[OrderLayout, ...] = ("generic", "shopify", "tmall")
COLUMNS = ("order_id", "customer_id", "created_at", "total", "refunded", "status", "currency", "channel")
HEADER_SEARCH = 30
SKIPS_KEPT = 200

_GENERIC: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "order id", "订单编号", "订单号"),
    "customer_id": ("customer_id", "customer id", "customer", "客户", "买家"),
    "created_at": ("created_at", "created at", "date", "下单时间", "创建时间"),
    "total": ("total", "amount", "金额", "订单金额"),
    "status": ("status", "状态"),
    "refunded": ("refunded_amount", "refunded", "退款金额"),
    "currency": ("currency", "币种"),
    "channel": ("channel", "渠道", "来源"),
}
_SHOPIFY: dict[str, tuple[str, ...]] = {
    "order_id": ("name",),
    "customer_id": ("email",),
    "created_at": ("created at",),
    "total": ("total",),
    "status": ("financial status",),
    "refunded": ("refunded amount",),
    "currency": ("currency",),
    "cancelled": ("cancelled at",),
    "channel": ("source",),
}
_TMALL: dict[str, tuple[str, ...]] = {
    "order_id": ("订单编号",),
    "customer_id": ("买家会员名", "买家昵称"),
    "created_at": ("订单创建时间", "订单付款时间", "下单时间"),
    "total": ("买家实际支付金额", "实付款", "实付金额", "买家应付货款"),
    "status": ("订单状态",),
    "refunded": ("退款金额",),
    "channel": ("店铺名称",),
}
_ALIASES: dict[OrderLayout, dict[str, tuple[str, ...]]] = {
    "generic": _GENERIC,
    "shopify": _SHOPIFY,
    "tmall": _TMALL,
}
_REQUIRED = ("order_id", "created_at", "total")
_STATUS = {
    "paid": "paid",
    "complete": "paid",
    "completed": "paid",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "refunded": "refunded",
    "partially_refunded": "partially_refunded",
    "partially refunded": "partially_refunded",
    "已付款": "paid",
    "已取消": "cancelled",
    "已退款": "refunded",
    "部分退款": "partially_refunded",
}
# Shopify's Financial Status: orders not paid are no sales.
_SHOPIFY_STATUS = {
    "paid": "paid",
    "partially_paid": "paid",
    "refunded": "refunded",
    "partially_refunded": "partially_refunded",
    "voided": "cancelled",
    "pending": "",
    "authorized": "",
    "expired": "",
}
_TMALL_UNPAID = ("等待买家付款",)
# An offset written after a time of day, with or without a space: `10:15:02 +0800`, `10:15+08:00`.
_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([+-]\d{2}:?\d{2}|Z)$")
MONEY_LIMIT = 1e15


@dataclass(frozen=True)
class Skip:
    """A line left out and why (`code` picks `kpis.skip.<code>`)."""

    line: int
    code: str
    part: str = ""


@dataclass
class ParsedOrders:
    """Orders ready to store (one row per order) and the lines left out."""

    layout: OrderLayout
    frame: pd.DataFrame
    skipped: list[Skip] = field(default_factory=list)
    skipped_count: int = 0
    currencies: set[str] = field(default_factory=set)


def _norm(name: object) -> str:
    return " ".join(str(name).replace("\ufeff", "").strip().split()).lower()


def read_sheet(data: bytes, filename: str) -> pd.DataFrame:
    """Every cell as text, no header assumed: CSV/TSV (any of our encodings), XLSX or XLS."""
    import pandas as pd

    name = filename.lower()
    try:
        if data.startswith(b"PK\x03\x04"):
            return pd.read_excel(io.BytesIO(data), header=None, dtype=str, engine="openpyxl").fillna("")
        if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
            return pd.read_excel(io.BytesIO(data), header=None, dtype=str, engine="calamine").fillna("")
    except Exception as exc:
        raise InvalidInput("import_unreadable") from exc
    text = decode(data)
    first = text[: text.find("\n")] if "\n" in text else text
    sep = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return pd.read_csv(
            io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InvalidInput("import_unreadable") from exc


def _header(sheet: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> tuple[int, dict[str, int]] | None:
    for index in range(min(HEADER_SEARCH, len(sheet))):
        names = [_norm(v) for v in sheet.iloc[index].tolist()]
        found: dict[str, int] = {}
        for column, name in enumerate(names):
            for key, options in aliases.items():
                if name in options and key not in found:
                    found[key] = column
        if all(key in found for key in _REQUIRED):
            return index, found
    return None


def detect(sheet: pd.DataFrame) -> OrderLayout | None:
    """The layout whose header appears in the first rows (the most specific first)."""
    for layout in ("shopify", "tmall", "generic"):
        if _header(sheet, _ALIASES[layout]) is not None:
            return layout
    return None


def _money(values: pd.Series) -> pd.Series:
    import pandas as pd

    cleaned = values.astype(str).str.replace(r"[,\s¥￥$€£]|^[A-Z]{2,3}(?=\d)", "", regex=True)
    numbers = pd.to_numeric(cleaned.replace({"": "0", "--": "0", "-": "0"}), errors="coerce")
    # "inf", "nan" and amounts no column can hold are bad values, named by their line.
    return numbers.where(numbers.abs() < MONEY_LIMIT)


def _timestamps(values: pd.Series, tz: str) -> pd.Series:
    """UTC instants: a written offset is honoured (`+0800`), a naive time is in the workspace's zone."""
    import pandas as pd

    # ISO dates and times only (`2026/11/10` too): `11/10/2026` could be either month first or day
    # first, so such a line is named rather than guessed.
    text = values.astype(str).str.strip().str.replace("/", "-", regex=False)
    text = text.str.replace(_OFFSET, r"\1\2", regex=True)
    aware = text.str.contains(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)$", regex=True)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    if aware.any():
        out[aware] = pd.to_datetime(text[aware], errors="coerce", utc=True, format="ISO8601")
    naive = ~aware
    if naive.any():
        local = pd.to_datetime(text[naive], errors="coerce", format="ISO8601")
        out[naive] = local.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward").dt.tz_convert(
            "UTC"
        )
    return out


def parse(data: bytes, filename: str, *, tz: str, layout: OrderLayout | None = None) -> ParsedOrders:
    """One row per order, normalised; lines that cannot be read are listed with their reasons."""
    import pandas as pd

    sheet = read_sheet(data, filename)
    chosen = layout or detect(sheet)
    found = _header(sheet, _ALIASES[chosen]) if chosen is not None else None
    if chosen is None or found is None:
        raise InvalidInput("kpis_orders_no_header")
    header, columns = found
    body = sheet.iloc[header + 1 :]
    body = body[(body != "").any(axis=1)]
    frame = pd.DataFrame({key: body[column].astype(str).str.strip() for key, column in columns.items()})
    frame["line"] = body.index.to_numpy() + 1
    if chosen == "shopify":
        # One row per line item; the order's own fields are on its first row only.
        frame = frame.groupby("order_id", sort=False, as_index=False).first()
    skipped: list[Skip] = []

    def drop(mask: pd.Series, code: str, part: pd.Series | None = None) -> None:
        nonlocal frame
        if mask.any():
            bad = frame[mask]
            parts = part[mask] if part is not None else pd.Series("", index=bad.index)
            skipped.extend(
                Skip(int(line), code, str(p)[:60]) for line, p in zip(bad["line"], parts, strict=True)
            )
            frame = frame[~mask]

    drop(frame["order_id"] == "", "missing", pd.Series("order_id", index=frame.index))
    frame["created_at"] = _timestamps(frame["created_at"], tz)
    drop(frame["created_at"].isna(), "bad_date", sheet_values(body, columns, "created_at", frame))
    frame["total_value"] = _money(frame["total"])
    drop(frame["total_value"].isna() | (frame["total_value"] < 0), "bad_number", frame["total"])
    refunded = frame["refunded"] if "refunded" in frame else pd.Series("0", index=frame.index)
    frame["refunded_value"] = _money(refunded)
    drop(frame["refunded_value"].isna() | (frame["refunded_value"] < 0), "bad_number", refunded)
    frame["status"] = _statuses(chosen, frame)
    drop(frame["status"] == "", "unpaid", frame.get("status_raw", pd.Series("", index=frame.index)))
    drop(frame["status"] == "?", "bad_status", frame.get("status_raw", pd.Series("", index=frame.index)))
    # A refunded order whose file gives no refunded amount had its whole total refunded.
    whole = (frame["status"] == "refunded") & (frame["refunded_value"] == 0)
    frame.loc[whole, "refunded_value"] = frame.loc[whole, "total_value"]
    duplicated = frame["order_id"].duplicated(keep="last")
    drop(duplicated, "duplicate", frame["order_id"])
    currencies = set(frame["currency"].str.upper().unique()) - {""} if "currency" in frame else set()
    out = pd.DataFrame(
        {
            "order_id": frame["order_id"].str.slice(0, 64),
            "customer_id": _text_column(frame, "customer_id").str.lower().str.slice(0, 128),
            "created_at": frame["created_at"],
            "total": frame["total_value"].round(2),
            "refunded": frame["refunded_value"].round(2),
            "status": frame["status"],
            "currency": _text_column(frame, "currency").str.upper().str.slice(0, 3),
            "channel": _text_column(frame, "channel").str.slice(0, 40),
            "line": frame["line"],
        }
    )
    skipped.sort(key=lambda s: s.line)
    return ParsedOrders(chosen, out, skipped[:SKIPS_KEPT], len(skipped), currencies)


def _text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column, or an empty one when the file has none."""
    import pandas as pd

    return frame[name].astype(str) if name in frame else pd.Series("", index=frame.index, dtype=str)


def sheet_values(body: pd.DataFrame, columns: dict[str, int], key: str, frame: pd.DataFrame) -> pd.Series:
    """The raw cell of a column for the rows still in `frame` (to name a bad value)."""
    import pandas as pd

    raw = body[columns[key]].astype(str)
    raw.index = body.index.to_numpy() + 1
    return pd.Series(raw.reindex(frame["line"]).to_numpy(), index=frame.index)


def _statuses(layout: OrderLayout, frame: pd.DataFrame) -> pd.Series:
    """paid | cancelled | refunded | partially_refunded; "" for an order never paid, "?" unknown."""
    import pandas as pd

    raw = (
        frame["status"].astype(str).str.strip() if "status" in frame else pd.Series("paid", index=frame.index)
    )
    frame["status_raw"] = raw
    total, refunded = frame["total_value"], frame["refunded_value"]
    if layout == "shopify":
        status = raw.str.lower().map(_SHOPIFY_STATUS).fillna("?")
        if "cancelled" in frame:
            status = status.where(frame["cancelled"].astype(str).str.strip() == "", "cancelled")
        return status
    if layout == "tmall":
        status = pd.Series("paid", index=frame.index)
        status = status.where(~raw.isin(_TMALL_UNPAID), "")
        closed = raw.str.contains("交易关闭")
        status = status.where(~closed, "cancelled")
        status = status.where(~(closed & (refunded > 0)), "refunded")
        status = status.where(
            ~((status == "paid") & (refunded > 0) & (refunded < total)), "partially_refunded"
        )
        return status.where(~((status == "paid") & (refunded >= total) & (total > 0)), "refunded")
    return raw.str.lower().map(_STATUS).fillna("?")
