"""An action item's check (`metric:conversion_rate>=3%`): any KPI of the KPI domain, a comparison and
a value, read from the KPI data at the next retro over the days since the action was agreed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session

from ecombot.budgets.periods import Period
from ecombot.errors import InvalidInput
from ecombot.kpis import compute
from ecombot.kpis import service as kpis
from ecombot.slack.parsing import ParseError, parse_amount

_CHECK = re.compile(r"\s*(?:metric\s*[:：]\s*)?([a-z_]+)\s*(>=|<=|≥|≤|>|<)\s*(\S+)\s*", re.IGNORECASE)
_OPS = {"≥": ">=", "≤": "<="}


@dataclass(frozen=True)
class Check:
    """A KPI, how it compares, and the value it should reach."""

    metric: str
    op: str  # >= | <= | > | <
    value: Decimal


@dataclass(frozen=True)
class Outcome:
    """What the numbers say about a check over a period: the value, and whether it holds."""

    check: Check
    period: Period | None  # None: no full day since the action was agreed
    value: Decimal | None
    holds: bool | None  # None: too early, or no data


def parse(text: str) -> Check | None:
    """`conversion_rate>=3%` (optionally after `metric:`); None for an empty text; InvalidInput naming
    the problem otherwise. Rates take `3%` or `0.03`; amounts take the usual forms (`¥1.2万`)."""
    if not text.strip():
        return None
    found = _CHECK.fullmatch(text)
    if found is None:
        raise InvalidInput("retro_bad_check", part=text.strip()[:80])
    metric, op, raw = found.group(1).lower(), _OPS.get(found.group(2), found.group(2)), found.group(3)
    kind = compute.KPIS.get(metric)
    if kind is None:
        raise InvalidInput("retro_check_unknown_kpi", part=metric[:40], known=", ".join(compute.KPIS))
    try:
        if kind == "rate":
            value = Decimal(raw.rstrip("%").replace(",", "")) / (100 if raw.endswith("%") else 1)
            if not raw.endswith("%") and value > 1:
                value /= 100  # conversion_rate>=3 means 3 %
        elif kind == "ratio":
            value = Decimal(raw.rstrip("xX"))
        else:
            value = parse_amount(raw)
    except (InvalidOperation, ParseError, ValueError):
        raise InvalidInput("retro_bad_check_value", part=raw[:40]) from None
    if not value.is_finite() or value < 0 or value > Decimal("1e15"):
        raise InvalidInput("retro_bad_check_value", part=raw[:40])
    return Check(metric, op, value)


def holds(check: Check, value: Decimal) -> bool:
    """Whether `value` satisfies the check."""
    if check.op == ">=":
        return value >= check.value
    if check.op == "<=":
        return value <= check.value
    if check.op == ">":
        return value > check.value
    return value < check.value


def evaluate(session: Session, team_id: str, check: Check, since: date, until: date) -> Outcome:
    """The check over the days from `since` to `until` (the days since the retro, to yesterday)."""
    if since > until:
        return Outcome(check, None, None, None)
    period = Period(since, until)
    value = kpis.value_over(session, team_id, check.metric, period)
    return Outcome(check, period, value, None if value is None else holds(check, value))
