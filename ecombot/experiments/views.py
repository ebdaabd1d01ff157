"""A/B test messages: the reading (rates with intervals, uplift, the test, the sample still needed,
the verdict in plain words), the log reply, the decision post, the list. User text escaped here."""

from __future__ import annotations

from collections.abc import Sequence

from ecombot.experiments import messages as _messages  # noqa: F401 - registers the strings
from ecombot.experiments import stats
from ecombot.experiments.models import Experiment, ExperimentResult
from ecombot.experiments.service import Reading
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, t
from ecombot.slack.text import esc, mention


def name_of(experiment: Experiment) -> str:
    """The test's name, escaped."""
    return esc(experiment.name)


def _pct(value: float | None, locale: str, digits: int = 2) -> str:
    return t(locale, "common.na") if value is None else fmt_percent(value, locale, digits)


def _signed(value: float, locale: str) -> str:
    return ("+" if value >= 0 else "−") + fmt_percent(abs(value), locale, 1)


def _p(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "&lt; 0.001" if value < 0.001 else f"{value:.3f}"


def metric_name(experiment: Experiment, locale: str) -> str:
    """Conversion rate / revenue per visitor / the custom metric's name."""
    if experiment.metric in ("conversion", "revenue_per_visitor"):
        return t(locale, f"abtests.metric.{experiment.metric}")
    return esc(experiment.metric)


def verdict_text(reading: Reading, locale: str) -> str:
    """The plain verdict: never a winner before the planned sample."""
    experiment = reading.experiment
    if reading.verdict in ("waiting", "no_data"):
        return t(
            locale,
            "abtests.verdict_waiting",
            more=fmt_number(reading.more, locale),
            planned=fmt_number(reading.planned, locale),
        )
    if reading.verdict == "no_difference":
        return t(locale, "abtests.verdict_none", p=_p(reading.p_value))
    cmp = next(c for c in reading.comparisons if c.variant == reading.leader)
    assert cmp.uplift is not None
    spread = (cmp.interval.high - cmp.interval.low) / 2 if cmp.interval is not None else 0.0
    return t(
        locale,
        "abtests.verdict_better" if reading.verdict == "winner" else "abtests.verdict_worse",
        variant=esc(reading.leader),
        control=esc(experiment.variants[0]),
        uplift=fmt_percent(abs(cmp.uplift), locale, 0),
        spread=fmt_percent(spread, locale, 0),
        p=_p(cmp.p_value),
    )


def reading_message(reading: Reading, currency: str, locale: str) -> bk.Message:
    """`/abtest show`."""
    experiment = reading.experiment
    control = experiment.variants[0]
    lines = [t(locale, "abtests.hypothesis", text=esc(experiment.hypothesis))]
    lines.append(
        t(
            locale,
            "abtests.setup",
            metric=metric_name(experiment, locale),
            control=esc(control),
            planned=fmt_number(reading.planned, locale),
            owner=mention(experiment.owner_id),
        )
    )
    rows: list[str] = []
    by_variant = {c.variant: c for c in reading.comparisons}
    for variant in experiment.variants:
        total = reading.totals[variant]
        interval = reading.intervals[variant]
        line = t(
            locale,
            "abtests.variant_line",
            variant=esc(variant),
            rate=_pct(total.rate, locale),
            low=_pct(interval.low if interval else None, locale),
            high=_pct(interval.high if interval else None, locale),
            conversions=fmt_number(total.conversions, locale),
            visitors=fmt_number(total.visitors, locale),
        )
        if total.revenue_per_visitor is not None:
            line += " · " + t(
                locale, "abtests.rpv", value=fmt_money(total.revenue_per_visitor, currency, locale)
            )
        cmp = by_variant.get(variant)
        if cmp is not None and cmp.uplift is not None:
            if cmp.interval is not None:
                line += " · " + t(
                    locale,
                    "abtests.uplift",
                    uplift=_signed(cmp.uplift, locale),
                    low=_signed(cmp.interval.low, locale),
                    high=_signed(cmp.interval.high, locale),
                    p=_p(cmp.p_value),
                )
            else:
                line += " · " + t(locale, "abtests.uplift_only", uplift=_signed(cmp.uplift, locale))
        elif variant == control:
            line += " · " + t(locale, "abtests.control")
        rows.append(line)
    if reading.test == "z" and reading.statistic is not None:
        test = t(locale, "abtests.z_test", z=f"{reading.statistic:.2f}", p=_p(reading.p_value))
    elif reading.test == "chi2" and reading.statistic is not None:
        test = t(
            locale,
            "abtests.chi_test",
            chi=f"{reading.statistic:.2f}",
            df=len(experiment.variants) - 1,
            p=_p(reading.p_value),
        )
    else:
        test = t(locale, "abtests.no_test")
    needed = (
        t(locale, "abtests.needed", needed=fmt_number(reading.needed, locale))
        if reading.needed is not None
        else t(locale, "abtests.needed_none")
    )
    verdict = verdict_text(reading, locale)
    blocks: list[bk.Block] = [
        bk.header(t(locale, "abtests.title", name=experiment.name)),
        bk.section("\n".join(lines)),
        *bk.sections(rows),
        bk.section(f"{test}\n{needed}"),
        bk.section(f"*{verdict}*"),
    ]
    if experiment.metric == "revenue_per_visitor":
        blocks.append(bk.context(t(locale, "abtests.rpv_note")))
    if experiment.status == "decided":
        blocks.append(bk.section(decision_text(experiment, locale)))
    blocks.append(
        bk.context(t(locale, "abtests.definitions", alpha=stats.ALPHA, power=int(stats.POWER * 100)))
    )
    return bk.ephemeral(f"{name_of(experiment)}: {verdict}", blocks)


def decision_text(experiment: Experiment, locale: str) -> str:
    """Decided: which variant (or none), why, by whom."""
    chosen = (
        t(locale, "abtests.decided_none")
        if experiment.decision == "none"
        else f"*{esc(experiment.decision)}*"
    )
    return t(
        locale,
        "abtests.decision",
        chosen=chosen,
        reason=esc(experiment.reason),
        user=mention(experiment.decided_by),
    )


def decision_post(reading: Reading, currency: str, locale: str) -> bk.Message:
    """Posted to the test's channel once: the result and the decision."""
    message = reading_message(reading, currency, locale)
    message.pop("response_type", None)
    return message


def created_message(experiment: Experiment, locale: str) -> bk.Message:
    """Created: its variants and plan."""
    planned = (
        fmt_number(experiment.min_sample, locale) if experiment.min_sample else t(locale, "abtests.plan_auto")
    )
    text = t(
        locale,
        "abtests.created",
        name=name_of(experiment),
        variants=", ".join(esc(v) for v in experiment.variants),
        control=esc(experiment.variants[0]),
        planned=planned,
    )
    return bk.ephemeral(text)


def logged_message(experiment: Experiment, row: ExperimentResult, replaced: bool, locale: str) -> bk.Message:
    """What was logged, and how it counts (daily figures add up; totals replace earlier days)."""
    key = "abtests.logged_total" if row.cumulative else "abtests.logged_daily"
    text = t(
        locale,
        key,
        name=name_of(experiment),
        variant=esc(row.variant),
        day=fmt_date(row.day, locale),
        visitors=fmt_number(row.visitors, locale),
        conversions=fmt_number(row.conversions, locale),
    )
    if replaced:
        text += " " + t(locale, "abtests.logged_replaced")
    return bk.ephemeral(text)


def list_message(rows: Sequence[tuple[Experiment, Reading]], locale: str) -> bk.Message:
    """Running and decided tests with their outcome."""
    if not rows:
        return bk.ephemeral(t(locale, "abtests.list_empty"))
    lines = []
    for experiment, reading in rows[:40]:
        status = (
            decision_text(experiment, locale)
            if experiment.status == "decided"
            else verdict_text(reading, locale)
        )
        lines.append(
            f"• *{name_of(experiment)}* ({', '.join(esc(v) for v in experiment.variants)}): {status}"
        )
    title = t(locale, "abtests.list_title", count=len(rows))
    return bk.ephemeral(title, [bk.header(title), *bk.sections(lines)][: bk.MESSAGE_BLOCK_LIMIT])
