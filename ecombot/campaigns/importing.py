"""Applying an ad report: each row to its campaign (replacing, never adding twice), rows for campaigns
that do not exist yet kept until someone creates them, one currency only."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from ecombot import metrics
from ecombot.actor import Actor
from ecombot.campaigns import reports, service
from ecombot.campaigns.models import Campaign, CampaignImport
from ecombot.errors import InvalidInput, NotFound

MAX_BYTES = 20 * 1024 * 1024
UNKNOWN_SHOWN = 5


@dataclass
class Imported:
    """What an import did."""

    filename: str
    layout: str
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: list[reports.Skip] = field(default_factory=list)
    totals_skipped: int = 0
    unknown: dict[str, int] = field(default_factory=dict)  # campaign name -> rows waiting for it
    campaigns: list[str] = field(default_factory=list)
    import_id: int | None = None
    before: datetime | None = None  # the same file was imported then
    combined: int = 0  # rows added to another of the same campaign, source and day
    over_budget: list[tuple[Campaign, Decimal]] = field(default_factory=list)  # spend passed the budget

    @property
    def recorded(self) -> int:
        """Rows now in the campaigns' results (new, changed or already equal)."""
        return self.created + self.changed + self.unchanged


def _plus(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else a + b


def combine(rows: list[reports.Row]) -> tuple[list[reports.Row], int]:
    """Rows of one campaign, source and span added together: a report split by device or network
    (or several ad campaigns imported into one with `--campaign`) gives one figure per day."""
    merged: dict[tuple[str, str, date, date], reports.Row] = {}
    combined = 0
    for row in rows:
        entry = row.entry
        key = (service.name_key(row.campaign), entry.source, entry.day, entry.until)
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = row
            continue
        combined += 1
        total = {name: _plus(getattr(earlier.entry, name), getattr(entry, name)) for name in service.FIGURES}
        merged[key] = replace(
            earlier, entry=replace(earlier.entry, **total), currency=earlier.currency or row.currency
        )
    return list(merged.values()), combined


def _check_currency(report: reports.Report, currency: str) -> None:
    stated = {report.currency} if report.currency else set()
    stated |= {row.currency for row in report.rows if row.currency}
    if report.layout == "douyin" and not stated:
        stated = {"CNY"}  # 巨量千川 bills in yuan only

    def fits(code: str) -> bool:
        # "¥" alone is yuan or yen: the workspace's currency says which.
        return code == currency or (code == reports.YEN_SIGN and currency in reports.YEN_OR_YUAN)

    other = sorted(c for c in stated if not fits(c))
    if other:
        lines = [row.line for row in report.rows if row.currency and not fits(row.currency)][:5]
        if lines:
            raise InvalidInput(
                "import_currency_rows",
                currency=", ".join(other),
                expected=currency,
                lines=", ".join(str(n) for n in lines),
            )
        raise InvalidInput("import_currency", currency=", ".join(other), expected=currency)


def run(
    session: Session,
    actor: Actor,
    data: bytes,
    filename: str,
    *,
    currency: str,
    layout: reports.Layout | None = None,
    campaign: str = "",
    may_log: Callable[[Campaign], bool] = lambda c: True,
) -> Imported:
    """Parse and apply a report; nothing is written when the file as a whole cannot be used."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("import_too_big_bytes", limit=MAX_BYTES // (1024 * 1024))
    if campaign:
        service.get(session, actor.team_id, campaign)
    report = reports.parse(data, layout=layout, campaign=campaign)
    _check_currency(report, currency)
    sha = hashlib.sha256(data).hexdigest()
    earlier = session.exec(
        select(CampaignImport.created_at)
        .where(CampaignImport.team_id == actor.team_id, CampaignImport.sha256 == sha)
        .order_by(col(CampaignImport.id))
    ).first()
    done = Imported(
        filename, report.layout, skipped=list(report.skipped), totals_skipped=report.totals_skipped
    )
    done.before = earlier
    pending: dict[str, list[dict[str, Any]]] = {}
    found: dict[str, Campaign | None] = {}
    batches: dict[str, list[reports.Row]] = {}
    rows, done.combined = combine(report.rows)
    for row in rows:
        key = service.name_key(row.campaign)
        if key not in found:
            found[key] = service.find(session, actor.team_id, row.campaign)
        target = found[key]
        if target is None:
            pending.setdefault(row.campaign, []).append({"line": row.line, **service.entry_values(row.entry)})
        elif not may_log(target):
            done.skipped.append(reports.Skip(row.line, "not_allowed", target.name))
        else:
            batches.setdefault(key, []).append(row)
    touched: list[str] = []
    for key, rows in batches.items():
        target = found[key]
        assert target is not None
        before = service.spend_total(session, target)
        outcomes = service.record_many(session, actor, target, [r.entry for r in rows], origin="import")
        for row, outcome in zip(rows, outcomes, strict=True):
            if isinstance(outcome, InvalidInput):
                part = str(outcome.params.get("first", "")) if outcome.code == "campaign_overlap" else ""
                done.skipped.append(reports.Skip(row.line, outcome.code.removeprefix("campaign_"), part))
            else:
                setattr(done, outcome.outcome, getattr(done, outcome.outcome) + 1)
        if any(not isinstance(o, InvalidInput) for o in outcomes):
            touched.append(target.name)
            after = service.spend_total(session, target)
            if service.crossed_budget(target, before, after):
                done.over_budget.append((target, after))
    done.skipped.sort(key=lambda s: s.line)
    done.unknown = {name: len(rows) for name, rows in pending.items()}
    done.campaigns = sorted(touched)
    record = CampaignImport(
        team_id=actor.team_id,
        filename=filename[:200],
        sha256=sha,
        layout=report.layout,
        imported_by=actor.user_id,
        counts={
            "created": done.created,
            "changed": done.changed,
            "unchanged": done.unchanged,
            "skipped": len(done.skipped),
        },
        pending=pending,
        created_at=actor.now,
    )
    session.add(record)
    session.flush()
    done.import_id = record.id
    metrics.count_import("ads", done.recorded, len(done.skipped))
    return done


@dataclass(frozen=True)
class Applied:
    """Rows an import kept for a campaign, recorded once it exists."""

    recorded: int
    skipped: int
    over_budget: Decimal | None = None  # the campaign's spend, when these rows took it past its budget


def apply_pending(session: Session, actor: Actor, import_id: int, campaign: Campaign) -> Applied:
    """Record the rows an import kept for this campaign's name (once: they leave the import)."""
    record = session.get(CampaignImport, import_id)
    if record is None or record.team_id != actor.team_id:
        raise NotFound("campaign_import_gone")
    pending = dict(record.pending)
    key = service.name_key(campaign.name)
    names = [name for name in pending if service.name_key(name) == key]
    entries = [service.entry_from(values) for name in names for values in pending.pop(name)]
    before = service.spend_total(session, campaign)
    outcomes = service.record_many(session, actor, campaign, entries, origin="import")
    skipped = sum(1 for o in outcomes if isinstance(o, InvalidInput))
    recorded = len(outcomes) - skipped
    after = service.spend_total(session, campaign)
    record.pending = pending
    session.add(record)
    return Applied(recorded, skipped, after if service.crossed_budget(campaign, before, after) else None)


def pending_names(session: Session, team_id: str, import_id: int) -> list[str]:
    """Campaign names an import still holds rows for."""
    record = session.get(CampaignImport, import_id)
    if record is None or record.team_id != team_id:
        return []
    return sorted(record.pending)
