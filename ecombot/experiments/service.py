"""A/B tests: create, log figures, read where each variant stands, decide. No Slack here.

Who may: any member creates a test and logs its figures; its owner and the ops leads decide it.
The verdict never names a winner before every variant has reached the planned sample.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.experiments import stats
from ecombot.experiments.models import Experiment, ExperimentResult
from ecombot.slack.text import clean
from ecombot.workspaces import service as workspaces

NAME_LIMIT = 80
HYPOTHESIS_LIMIT = 500
MAX_VARIANTS = 6
COUNT_LIMIT = 10**12
METRICS = ("conversion", "revenue_per_visitor")
DEFAULT_PLAN = 1000  # visitors per variant when none is planned and the effect is too small to size
_VARIANT = re.compile(r"[\w\-]{1,40}")


def name_key(name: str) -> str:
    """How names compare: case and surrounding spaces ignored."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Draft:
    """`/abtest new`, parsed."""

    name: str
    hypothesis: str
    metric: str
    variants: tuple[str, ...]
    min_sample: int | None = None
    start: date | None = None
    end: date | None = None
    owner_id: str = ""
    channel_id: str = ""


def find(session: Session, team_id: str, name: str) -> Experiment | None:
    """A test by name (any case)."""
    return session.exec(
        select(Experiment).where(Experiment.team_id == team_id, Experiment.name_key == name_key(name))
    ).first()


def get(session: Session, team_id: str, name: str) -> Experiment:
    """A test by name, or NotFound."""
    found = find(session, team_id, name)
    if found is None:
        raise NotFound("abtest_not_found", name=clean(name)[:NAME_LIMIT])
    return found


def create(session: Session, actor: Actor, draft: Draft) -> Experiment:
    """A new running test."""
    name = " ".join(clean(draft.name).split())
    if not name:
        raise InvalidInput("abtest_name_missing")
    if len(name) > NAME_LIMIT:
        raise InvalidInput("abtest_name_too_long", limit=NAME_LIMIT)
    hypothesis = clean(draft.hypothesis).strip()
    if not hypothesis:
        raise InvalidInput("abtest_hypothesis_missing")
    if len(hypothesis) > HYPOTHESIS_LIMIT:
        raise InvalidInput("abtest_hypothesis_too_long", limit=HYPOTHESIS_LIMIT)
    variants = [v.strip() for v in draft.variants if v.strip()]
    if len(variants) < 2 or len(variants) > MAX_VARIANTS:
        raise InvalidInput("abtest_bad_variants", most=MAX_VARIANTS)
    if len({v.casefold() for v in variants}) != len(variants) or not all(
        _VARIANT.fullmatch(v) for v in variants
    ):
        raise InvalidInput("abtest_bad_variants", most=MAX_VARIANTS)
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", draft.metric):
        raise InvalidInput("abtest_bad_metric", part=draft.metric[:40])
    if draft.start and draft.end and draft.end < draft.start:
        raise InvalidInput("abtest_end_before_start")
    if find(session, actor.team_id, name) is not None:
        raise InvalidInput("abtest_name_taken", name=name)
    owner = draft.owner_id or actor.user_id
    if owner != actor.user_id:
        workspaces.require_person(session, actor, owner)
    experiment = Experiment(
        team_id=actor.team_id,
        name=name,
        name_key=name_key(name),
        hypothesis=hypothesis,
        metric=draft.metric,
        variants=variants,
        min_sample=draft.min_sample,
        start=draft.start or actor.today,
        end=draft.end,
        owner_id=owner,
        channel_id=draft.channel_id,
        created_by=actor.user_id,
        created_at=actor.now,
        updated_at=actor.now,
    )
    session.add(experiment)
    session.flush()
    return experiment


@dataclass(frozen=True)
class Entry:
    """`/abtest log`: one variant's figures for a day, or its running totals up to that day."""

    variant: str
    day: date
    visitors: int
    conversions: int
    revenue: Decimal | None = None
    cumulative: bool = False


def variant_of(experiment: Experiment, text: str) -> str:
    """The variant as the test names it (any case), or InvalidInput naming the known ones."""
    found = next((v for v in experiment.variants if v.casefold() == text.strip().casefold()), None)
    if found is None:
        raise InvalidInput("abtest_unknown_variant", part=text[:40], known=", ".join(experiment.variants))
    return found


def log(
    session: Session, actor: Actor, experiment: Experiment, entry: Entry
) -> tuple[ExperimentResult, bool]:
    """Record (or replace) a variant's figures; returns the row and whether it replaced one."""
    if experiment.status != "running":
        raise InvalidInput("abtest_decided", name=experiment.name)
    variant = variant_of(experiment, entry.variant)
    if not 0 <= entry.conversions <= entry.visitors <= COUNT_LIMIT:
        raise InvalidInput("abtest_bad_counts")
    if entry.revenue is not None and not Decimal(0) <= entry.revenue < Decimal("1e15"):
        raise InvalidInput("abtest_bad_counts")
    if entry.day > actor.today:
        raise InvalidInput("abtest_future_day")
    row = session.exec(
        select(ExperimentResult).where(
            ExperimentResult.experiment_id == experiment.id,
            ExperimentResult.variant == variant,
            ExperimentResult.day == entry.day,
            ExperimentResult.cumulative == entry.cumulative,
        )
    ).first()
    replaced = row is not None
    if row is None:
        assert experiment.id is not None
        row = ExperimentResult(
            experiment_id=experiment.id,
            team_id=experiment.team_id,
            variant=variant,
            day=entry.day,
            cumulative=entry.cumulative,
            visitors=0,
            conversions=0,
            logged_at=actor.now,
        )
    row.visitors, row.conversions, row.revenue = entry.visitors, entry.conversions, entry.revenue
    row.logged_by, row.logged_at = actor.user_id, actor.now
    session.add(row)
    session.flush()
    return row, replaced


@dataclass
class Totals:
    """A variant's figures so far."""

    visitors: int = 0
    conversions: int = 0
    revenue: Decimal = field(default_factory=lambda: Decimal(0))
    has_revenue: bool = False

    @property
    def rate(self) -> float | None:
        """Conversion rate."""
        return stats.rate(self.conversions, self.visitors)

    @property
    def revenue_per_visitor(self) -> Decimal | None:
        """Revenue / visitors."""
        return (
            (self.revenue / self.visitors).quantize(Decimal("0.01"))
            if self.visitors and self.has_revenue
            else None
        )


def totals(session: Session, experiment: Experiment) -> dict[str, Totals]:
    """Each variant's figures: its latest running totals, plus the daily figures logged after them
    (or the sum of its daily figures when it has no totals)."""
    rows = list(
        session.exec(
            select(ExperimentResult)
            .where(ExperimentResult.experiment_id == experiment.id)
            .order_by(col(ExperimentResult.day))
        )
    )
    out: dict[str, Totals] = {}
    for variant in experiment.variants:
        mine = [r for r in rows if r.variant == variant]
        cumulative = [r for r in mine if r.cumulative]
        base = cumulative[-1] if cumulative else None
        counted = ([base] if base is not None else []) + [
            r for r in mine if not r.cumulative and (base is None or r.day > base.day)
        ]
        total = Totals()
        for r in counted:
            total.visitors += r.visitors
            total.conversions += r.conversions
            if r.revenue is not None:
                total.revenue += r.revenue
                total.has_revenue = True
        out[variant] = total
    return out


@dataclass(frozen=True)
class Comparison:
    """A variant against the control."""

    variant: str
    uplift: float | None
    interval: stats.Interval | None
    p_value: float | None  # the pairwise z-test


@dataclass(frozen=True)
class Reading:
    """Where a test stands: the figures, the tests, the planned and needed samples, the verdict."""

    experiment: Experiment
    totals: dict[str, Totals]
    intervals: dict[str, stats.Interval | None]
    comparisons: list[Comparison]
    test: str  # z | chi2 | ""
    statistic: float | None
    p_value: float | None
    needed: int | None  # per variant, to detect the observed difference with 80 % power
    planned: int  # per variant, before any verdict
    verdict: str  # waiting | winner | loser | no_difference | no_data
    leader: str = ""  # the variant the verdict is about
    more: int = 0  # visitors per variant still to come before a verdict


def read(session: Session, experiment: Experiment) -> Reading:
    """The figures and the statistics, and an honest verdict: none before the planned sample."""
    figures = totals(session, experiment)
    control = experiment.variants[0]
    c = figures[control]
    intervals = {v: stats.wilson(t.conversions, t.visitors) for v, t in figures.items()}
    comparisons = []
    for variant in experiment.variants[1:]:
        t = figures[variant]
        lift = stats.uplift(c.conversions, c.visitors, t.conversions, t.visitors)
        z = stats.z_test(c.conversions, c.visitors, t.conversions, t.visitors)
        comparisons.append(
            Comparison(variant, lift[0] if lift else None, lift[1] if lift else None, z[1] if z else None)
        )
    if len(experiment.variants) == 2:
        z = stats.z_test(
            c.conversions,
            c.visitors,
            figures[experiment.variants[1]].conversions,
            figures[experiment.variants[1]].visitors,
        )
        test, statistic, p_value = ("z", z[0], z[1]) if z else ("", None, None)
    else:
        chi = stats.chi_square([(t.conversions, t.visitors) for t in figures.values()])
        test, statistic, p_value = ("chi2", chi[0], chi[1]) if chi else ("", None, None)
    # The needed sample for the largest observed difference from the control.
    best = max(
        (cmp for cmp in comparisons if cmp.uplift is not None),
        key=lambda cmp: abs(cmp.uplift or 0),
        default=None,
    )
    needed = None
    if best is not None and c.rate is not None:
        needed = stats.sample_needed(c.rate, figures[best.variant].rate or 0)
    planned = experiment.min_sample or needed or DEFAULT_PLAN
    fewest = min(t.visitors for t in figures.values())
    reading = Reading(
        experiment, figures, intervals, comparisons, test, statistic, p_value, needed, planned, ""
    )
    if fewest == 0:
        return _with(reading, "no_data", more=planned)
    if fewest < planned:
        return _with(reading, "waiting", more=planned - fewest)
    # Enough data: a winner only when the overall test and the pairwise one (Bonferroni over the
    # comparisons with the control) both say the difference is real.
    threshold = stats.ALPHA / max(1, len(comparisons))
    significant = [
        cmp
        for cmp in comparisons
        if cmp.p_value is not None and cmp.p_value < threshold and cmp.uplift is not None
    ]
    if p_value is None or p_value >= stats.ALPHA or not significant:
        return _with(reading, "no_difference")
    winner = max(significant, key=lambda cmp: cmp.uplift or 0)
    if (winner.uplift or 0) > 0:
        return _with(reading, "winner", leader=winner.variant)
    return _with(reading, "loser", leader=min(significant, key=lambda cmp: cmp.uplift or 0).variant)


def _with(reading: Reading, verdict: str, *, leader: str = "", more: int = 0) -> Reading:
    from dataclasses import replace

    return replace(reading, verdict=verdict, leader=leader, more=more)


def decide(session: Session, actor: Actor, name: str, variant: str, reason: str) -> Experiment:
    """Record the decision (a variant, or `none`), once; the owner or an ops lead."""
    experiment = get(session, actor.team_id, name)
    if not (actor.is_manager or actor.user_id == experiment.owner_id):
        raise PermissionDenied("abtest_decide_forbidden", owner=experiment.owner_id)
    if experiment.status == "decided":
        raise InvalidInput("abtest_decided", name=experiment.name)
    chosen = (
        "none" if variant.strip().casefold() in ("none", "无", "都不") else variant_of(experiment, variant)
    )
    reason = clean(reason).strip()
    if not reason:
        raise InvalidInput("abtest_reason_missing")
    experiment.status, experiment.decision, experiment.reason = "decided", chosen, reason[:HYPOTHESIS_LIMIT]
    experiment.decided_by, experiment.decided_at, experiment.updated_at = actor.user_id, actor.now, actor.now
    session.add(experiment)
    return experiment


def listing(session: Session, team_id: str) -> list[Experiment]:
    """Running tests first, then decided ones, the newest first."""
    rows = session.exec(
        select(Experiment).where(Experiment.team_id == team_id).order_by(col(Experiment.id).desc()).limit(200)
    )
    return sorted(rows, key=lambda e: e.status != "running")
