"""`ecombot import abtest FILE`: A/B test figures from a CSV (`test, date, variant, visitors,
conversions[, revenue][, kind]`, kind `daily` or `total`), all in one transaction: a bad line is
named and nothing is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session

from ecombot.actor import Actor
from ecombot.errors import DomainError, InvalidInput
from ecombot.experiments import service

REQUIRED = ("test", "date", "variant", "visitors", "conversions")


@dataclass(frozen=True)
class Imported:
    """How many rows were recorded (new or replacing a day), for which tests."""

    rows: int
    replaced: int
    tests: list[str]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("abtest_import_unreadable")


def run(session: Session, actor: Actor, data: bytes, default_test: str = "") -> Imported:
    """Record every row, or none (InvalidInput naming the line that cannot be used)."""
    reader = csv.DictReader(io.StringIO(_decode(data)))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header and not (c == "test" and default_test)]
    if missing:
        raise InvalidInput("abtest_import_columns", columns=", ".join(missing))
    rows = replaced = 0
    tests: list[str] = []
    for number, raw in enumerate(reader, start=2):
        line = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        try:
            experiment = service.get(session, actor.team_id, line.get("test") or default_test)
            kind = line.get("kind", "daily").lower() or "daily"
            if kind not in ("daily", "total"):
                raise InvalidInput("abtest_import_kind", part=kind)
            entry = service.Entry(
                variant=line["variant"],
                day=date.fromisoformat(line["date"]),
                visitors=int(line["visitors"]),
                conversions=int(line["conversions"]),
                revenue=Decimal(line["revenue"].replace(",", "")) if line.get("revenue") else None,
                cumulative=kind == "total",
            )
            _, again = service.log(session, actor, experiment, entry)
        except (ValueError, InvalidOperation, KeyError):
            raise InvalidInput("abtest_import_line", line=number) from None
        except DomainError as exc:
            raise InvalidInput("abtest_import_line", line=number) from exc
        rows += 1
        replaced += int(again)
        if experiment.name not in tests:
            tests.append(experiment.name)
    return Imported(rows, replaced, tests)
