"""The end-of-campaign evaluation (活动评估与总结): results against each target, spend against the
budget, the sources side by side, the daily trend as text and as a chart in the thread."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from ecombot.campaigns import metrics, service, views
from ecombot.campaigns.models import Campaign
from ecombot.campaigns.service import Summary
from ecombot.scheduling import uploads
from ecombot.scheduling.service import Outgoing
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_percent, t


def evaluation_key(campaign_id: int) -> str:
    """The outbox key of a campaign's evaluation: posted once."""
    return f"campaigns.evaluation:{campaign_id}"


def target_lines(summary: Summary, locale: str) -> list[str]:
    """Each target the campaign has, with its result: met, or missed by how much."""
    campaign, totals, cur = summary.campaign, summary.totals, summary.campaign.currency
    checks: list[tuple[str, Decimal | None, Decimal | int | None, bool, str]] = [
        ("revenue", totals.revenue, campaign.target_revenue, False, "money"),
        ("orders", totals.orders, campaign.target_orders, False, "count"),
        ("roas", totals.roas, campaign.target_roas, False, "times"),
        ("cpa", totals.cpa, campaign.target_cpa, True, "money"),
    ]

    def shown(value: Decimal | int | None, kind: str) -> str:
        if kind == "money":
            return views.money(None if value is None else Decimal(value), cur, locale)
        if kind == "times":
            return views.times(None if value is None else Decimal(value), locale)
        return views.count(value, locale)

    lines: list[str] = []
    for key, actual, target, lower, kind in checks:
        if target is None:
            continue
        verdict = metrics.against(actual, target, lower_is_better=lower)
        if verdict is None:
            result = t(locale, "campaigns.eval_na")
        elif verdict.met:
            result = t(
                locale, "campaigns.eval_met", gap=("+" if not lower else "−") + shown(verdict.gap, kind)
            )
        else:
            result = t(
                locale,
                "campaigns.eval_missed",
                gap=shown(abs(verdict.gap), kind),
                share=fmt_percent(verdict.share, locale),
            )
        lines.append(
            "• "
            + t(
                locale,
                "campaigns.eval_target_line",
                figure=t(locale, f"campaigns.fig.{key}"),
                actual=shown(actual, kind),
                target=shown(target, kind),
                verdict=result,
            )
        )
    return lines


def evaluation_message(summary: Summary, locale: str) -> bk.Message:
    """The evaluation as posted in the campaign's channel; it reads well without the chart."""
    campaign, totals, pace = summary.campaign, summary.totals, summary.pacing
    cur = campaign.currency
    title = t(locale, "campaigns.eval_title", name=campaign.name)
    reason = (
        t(locale, "campaigns.eval_reason.closed", user=campaign.closed_by)
        if campaign.closed_at is not None and campaign.closed_by
        else t(locale, "campaigns.eval_reason.ended")
    )
    blocks: list[bk.Block] = [
        bk.header(title),
        bk.context(
            t(
                locale,
                "campaigns.eval_intro",
                dates=views.dates_of(campaign, locale),
                owner=campaign.owner_id,
                reason=reason,
            )
        ),
    ]
    targets = target_lines(summary, locale)
    blocks.append(
        bk.section(
            "\n".join(
                [t(locale, "campaigns.eval_targets"), *(targets or [t(locale, "campaigns.eval_no_targets")])]
            )
        )
    )
    left = pace.budget - pace.spent
    blocks.append(
        bk.section(
            f"{views.pacing_bar(pace.used)} "
            + t(
                locale,
                "campaigns.eval_budget",
                spent=views.money(pace.spent, cur, locale),
                budget=views.money(pace.budget, cur, locale),
                used=fmt_percent(pace.used, locale),
                left=t(locale, "campaigns.eval_under", amount=views.money(left, cur, locale))
                if left >= 0
                else t(locale, "campaigns.eval_over", amount=views.money(-left, cur, locale)),
            )
        )
    )
    if not totals.rows:
        blocks.append(bk.section(t(locale, "campaigns.eval_no_results")))
    else:
        figures = views.figure_lines(totals, campaign, locale, targets=False)
        blocks.append(bk.section("\n".join([views.totals_title(summary, locale), *figures])))
        if len(summary.sources) > 1:
            blocks += bk.sections(views.source_lines(summary, locale))
        days = list(summary.days.items())
        best, worst = summary.best_day, summary.worst_day
        if days and best is not None and worst is not None:
            blocks.append(
                bk.section(
                    t(
                        locale,
                        "campaigns.eval_trend",
                        days=len(days),
                        first=views.money(days[0][1].revenue, cur, locale),
                        last=views.money(days[-1][1].revenue, cur, locale),
                        best=f"{fmt_date(best[0], locale)} ({views.money(best[1].revenue, cur, locale)})",
                        worst=f"{fmt_date(worst[0], locale)} ({views.money(worst[1].revenue, cur, locale)})",
                    )
                )
            )
        blocks.append(bk.context(views.footnote(summary, locale)))
    blocks.append(
        bk.actions(
            bk.button(t(locale, "campaigns.button.review"), views.REVIEW, str(campaign.id), style="primary")
        )
    )
    fallback = f"{t(locale, 'campaigns.eval_title', name=views.name_of(campaign))}: ROAS {views.times(totals.roas, locale)}, {views.money(totals.revenue, cur, locale)}"
    return bk.message(fallback, blocks)


def evaluation_chart_spec(summary: Summary, locale: str) -> dict[str, Any] | None:
    """The daily trend's figures (spend bars; revenue and ROAS lines) as `charts.daily_spec`, for the
    delivery worker to draw when it posts the chart; None without two daily rows. Drawing takes
    about 0.15 s, which inside the scheduler's pass made 500 evaluations overrun its 60 s slot."""
    days = list(summary.days)
    if len(days) < 2:
        return None
    from ecombot import charts

    figures = list(summary.days.values())
    roas = [None if f.roas is None else float(f.roas) for f in figures]
    return charts.daily_spec(
        t(locale, "campaigns.chart_title", name=summary.campaign.name),
        days,
        [
            charts.Series(t(locale, "campaigns.fig.spend"), [float(f.spend) for f in figures], kind="bar"),
            charts.Series(t(locale, "campaigns.fig.revenue"), [float(f.revenue) for f in figures]),
            charts.Series("ROAS", roas, right=True),
        ],
        left_label=summary.campaign.currency,
        right_label="ROAS",
        note=t(locale, "campaigns.chart_note"),
    )


def evaluate(
    session: Session, campaign: Campaign, now: datetime, *, locale: str, today_zone: str
) -> list[Outgoing]:
    """Queue the evaluation (and its chart in the thread) once; [] when it was queued before."""
    if campaign.evaluated_at is not None or campaign.id is None:
        return []
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(today_zone)).date()
    summary = service.summary(session, campaign, today)
    target = campaign.channel_id or campaign.owner_id
    key = evaluation_key(campaign.id)
    out = [Outgoing(target, dict(evaluation_message(summary, locale)), key)]
    chart = evaluation_chart_spec(summary, locale)
    if chart is not None:
        days = list(summary.days)
        alt = t(
            locale,
            "campaigns.chart_alt",
            name=campaign.name,
            first=fmt_date(days[0], locale),
            last=fmt_date(days[-1], locale),
        )
        out.append(
            Outgoing(
                target,
                uploads.daily_payload(
                    f"campaign-{campaign.id}-trend.png", chart, title=alt[:250], alt_text=alt[:1000]
                ),
                f"{key}:chart",
                thread_of=key,
            )
        )
    service.mark_evaluated(session, campaign, now)
    return out
