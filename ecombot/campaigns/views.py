"""Campaign cards, lists, confirmations, the sources table, import results and App Home rows (pure;
user text escaped here)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ecombot.campaigns import messages as _messages  # noqa: F401 - registers the strings
from ecombot.campaigns import metrics, sources
from ecombot.campaigns.importing import UNKNOWN_SHOWN, Imported
from ecombot.campaigns.models import Campaign
from ecombot.campaigns.service import Diff, Logged, Summary, Which, status_of
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, known, t
from ecombot.slack.text import esc, mention

DELETE_CONFIRM = "campaigns.delete_confirm"
DELETE_KEEP = "campaigns.delete_keep"
DELETE_UNDO = "campaigns.delete_undo"
REVIEW = "campaigns.review"
CREATE_FROM_IMPORT = "campaigns.create_from_import"
NEW_FORM = "campaigns.new_form"
SKIPS_SHOWN = 15
BAR_WIDTH = 10


# -- figures ------------------------------------------------------------------------------------


def money(amount: Decimal | None, currency: str, locale: str) -> str:
    """An amount in the campaign's currency; n/a for None."""
    return t(locale, "common.na") if amount is None else fmt_money(amount, currency, locale)


def times(value: Decimal | None, locale: str) -> str:
    """A multiple such as ROAS: `3.20x`."""
    return t(locale, "common.na") if value is None else fmt_number(value, locale, 2) + "x"


def count(value: Decimal | int | None, locale: str) -> str:
    """A count; fractional (platform conversions) shows two decimals."""
    if value is None:
        return t(locale, "common.na")
    digits = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return fmt_number(value, locale, digits)


def name_of(campaign: Campaign) -> str:
    """The campaign's name, safe for mrkdwn."""
    return esc(campaign.name)


def channel_ref(channel_id: str, locale: str) -> str:
    """`#channel` (a link Slack renders) or "no channel"."""
    return f"<#{channel_id}>" if channel_id else t(locale, "campaigns.no_channel")


def dates_of(campaign: Campaign, locale: str) -> str:
    """`Nov 1, 2026 – Nov 11, 2026`."""
    end = fmt_date(campaign.end, locale) if campaign.end else t(locale, "campaigns.open_end")
    return t(locale, "campaigns.dates", start=fmt_date(campaign.start, locale), end=end)


def source_label(source: str, locale: str) -> str:
    """A source's display name."""
    return t(locale, sources.label_key(source))


def pacing_bar(used: Decimal | None) -> str:
    """`▓▓▓▓▓░░░░░`: spend against the budget (full at 100 %, a ▲ past it)."""
    share = float(used or 0)
    filled = max(0, min(BAR_WIDTH, round(share * BAR_WIDTH)))
    return "▓" * filled + "░" * (BAR_WIDTH - filled) + (" ▲" if share > 1 else "")


def _target(
    actual: Decimal | None,
    target: Decimal | int | None,
    shown: Callable[[Decimal], str],
    locale: str,
    *,
    lower: bool = False,
) -> str:
    """` · target X ✓ met` / ` · target X ✗ missed by Y`; "" without a target."""
    verdict = metrics.against(actual, target, lower_is_better=lower)
    if verdict is None or target is None:
        return ""
    if verdict.met:
        return " · " + t(locale, "campaigns.target.met", target=shown(Decimal(target)))
    return " · " + t(
        locale, "campaigns.target.missed", target=shown(Decimal(target)), gap=shown(abs(verdict.gap))
    )


# -- the card -----------------------------------------------------------------------------------


def figure_lines(
    totals: metrics.Totals, campaign: Campaign, locale: str, *, targets: bool = True
) -> list[str]:
    """Revenue, orders, the ratios, each against its target where one is set."""
    cur = campaign.currency
    tgt = targets

    def cash(value: Decimal) -> str:
        return money(value, cur, locale)

    def multiple(value: Decimal) -> str:
        return times(value, locale)

    def number(value: Decimal) -> str:
        return count(value, locale)

    def line(key: str, value: str, extra: str = "") -> str:
        return f"{t(locale, 'campaigns.fig.' + key)}: *{value}*{extra}"

    lines = [
        line(
            "revenue",
            money(totals.revenue, cur, locale),
            _target(totals.revenue, campaign.target_revenue, cash, locale)
            if tgt and campaign.target_revenue is not None
            else "",
        )
        + (
            f" · {t(locale, 'campaigns.fig.net_revenue')} {money(totals.net_revenue, cur, locale)}"
            if "refunds" in totals.given
            else ""
        ),
        line(
            "orders",
            count(totals.orders, locale),
            _target(totals.orders, campaign.target_orders, number, locale)
            if tgt and campaign.target_orders is not None
            else "",
        ),
        line(
            "roas",
            times(totals.roas, locale),
            _target(totals.roas, campaign.target_roas, multiple, locale)
            if tgt and campaign.target_roas is not None
            else "",
        )
        + f" · {t(locale, 'campaigns.fig.net_roas')} {times(totals.net_roas, locale)}",
        line(
            "cpa",
            money(totals.cpa, cur, locale),
            _target(totals.cpa, campaign.target_cpa, cash, locale, lower=True)
            if tgt and campaign.target_cpa is not None
            else "",
        ),
        " · ".join(
            [
                f"{t(locale, 'campaigns.fig.ctr')} {fmt_percent(totals.ctr, locale, 2)}",
                f"{t(locale, 'campaigns.fig.cpc')} {money(totals.cpc, cur, locale)}",
                f"{t(locale, 'campaigns.fig.cpm')} {money(totals.cpm, cur, locale)}",
            ]
        ),
        " · ".join(
            [
                f"{t(locale, 'campaigns.fig.cvr')} {fmt_percent(totals.cvr, locale, 2)}",
                f"{t(locale, 'campaigns.fig.aov')} {money(totals.aov, cur, locale)}",
                f"{t(locale, 'campaigns.fig.refund_rate')} {fmt_percent(totals.refund_rate, locale, 1)}",
            ]
        ),
    ]
    volume = [
        f"{t(locale, 'campaigns.fig.' + name)} {count(totals.count(name), locale)}"
        for name in ("impressions", "clicks", "sessions")
        if name in totals.given
    ]
    if "new_customers" in totals.given:
        volume.append(f"{t(locale, 'campaigns.fig.new_customers')} {count(totals.new_customers, locale)}")
    if volume:
        lines.append(" · ".join(volume))
    return lines


def budget_lines(summary: Summary, locale: str) -> list[str]:
    """Spend against budget with a bar, and the pace when there is an end date."""
    campaign, pace = summary.campaign, summary.pacing
    cur = campaign.currency
    lines = [
        f"{pacing_bar(pace.used)} "
        + t(
            locale,
            "campaigns.budget_line",
            spent=money(pace.spent, cur, locale),
            budget=money(pace.budget, cur, locale),
            used=fmt_percent(pace.used, locale),
        )
    ]
    if pace.expected is None:
        lines.append(t(locale, "campaigns.no_pace"))
    else:
        line = t(
            locale,
            "campaigns.pace_line",
            expected=money(pace.expected, cur, locale),
            pace=times(pace.pace, locale),
            projected=money(pace.projected, cur, locale),
        )
        if pace.projected is not None and pace.projected > pace.budget and summary.status == "active":
            line += t(
                locale, "campaigns.projected_over", amount=money(pace.projected - pace.budget, cur, locale)
            )
        lines.append(line)
    return lines


def source_lines(summary: Summary, locale: str) -> list[str]:
    """One line per source with its own definition."""
    cur = summary.campaign.currency
    out = [t(locale, "campaigns.sources_title")]
    for source, totals in summary.sources.items():
        out.append(
            "• "
            + t(
                locale,
                "campaigns.source_row",
                source=source_label(source, locale),
                spend=money(totals.spend, cur, locale),
                revenue=money(totals.revenue, cur, locale),
                roas=times(totals.roas, locale),
                orders=count(totals.orders, locale),
                cpa=money(totals.cpa, cur, locale),
            )
        )
    return out


def footnote(summary: Summary, locale: str) -> str:
    """The formulas and the revenue definition of every source shown."""
    definitions = "; ".join(
        f"{source_label(s, locale)}: {t(locale, sources.definition_key(s))}" for s in summary.sources
    )
    return t(locale, "campaigns.footnote", definitions=definitions or t(locale, "common.na"))


def totals_title(summary: Summary, locale: str) -> str:
    """What the totals are: one source's figures, or several sources' platform-reported sum."""
    if len(summary.sources) == 1:
        return t(
            locale, "campaigns.total_title.one", source=source_label(next(iter(summary.sources)), locale)
        )
    return t(locale, "campaigns.total_title.many", count=len(summary.sources))


def card(summary: Summary, locale: str) -> list[bk.Block]:
    """`/campaign show`: the whole picture of one campaign."""
    campaign = summary.campaign
    head = [
        bk.header(campaign.name),
        bk.context(
            dates_of(campaign, locale)
            + " · "
            + t(
                locale,
                "campaigns.owner_line",
                owner=campaign.owner_id,
                channel=channel_ref(campaign.channel_id, locale),
                status=t(locale, f"campaigns.status.{summary.status}"),
            )
            + (
                f" · {t(locale, 'campaigns.category', category=esc(campaign.category))}"
                if campaign.category
                else ""
            )
        ),
        bk.section("\n".join(budget_lines(summary, locale))),
    ]
    if not summary.totals.rows:
        return [*head, bk.section(t(locale, "campaigns.no_results", name=name_of(campaign)))]
    body = [totals_title(summary, locale), *figure_lines(summary.totals, campaign, locale)]
    blocks = [*head, bk.section("\n".join(body))]
    if len(summary.sources) > 1:
        blocks += bk.sections(source_lines(summary, locale))
    extra: list[str] = []
    best, worst = summary.best_day, summary.worst_day
    if best is not None and worst is not None:
        extra.append(
            t(
                locale,
                "campaigns.best_worst",
                best=fmt_date(best[0], locale),
                best_revenue=money(best[1].revenue, campaign.currency, locale),
                best_roas=times(best[1].roas, locale),
                worst=fmt_date(worst[0], locale),
                worst_revenue=money(worst[1].revenue, campaign.currency, locale),
                worst_roas=times(worst[1].roas, locale),
            )
        )
    if summary.ranges:
        extra.append(t(locale, "campaigns.ranges_note", count=summary.ranges))
    if extra:
        blocks.append(bk.section("\n".join(extra)))
    blocks.append(bk.context(footnote(summary, locale)))
    return blocks


def show_message(summary: Summary, locale: str) -> bk.Message:
    """The card as a message."""
    return bk.ephemeral(_fallback(summary, locale), card(summary, locale))


def _fallback(summary: Summary, locale: str) -> str:
    totals, cur = summary.totals, summary.campaign.currency
    return (
        f"{name_of(summary.campaign)}: {money(totals.spend, cur, locale)} / {money(summary.campaign.budget, cur, locale)}"
        f" · ROAS {times(totals.roas, locale)}"
    )


# -- replies ------------------------------------------------------------------------------------


def created_message(summary: Summary, locale: str) -> bk.Message:
    """Created, with its card."""
    text = t(locale, "campaigns.created", name=name_of(summary.campaign))
    return bk.ephemeral(text, [bk.section(":white_check_mark: " + text), *card(summary, locale)])


def _value(name: str, value: Any, currency: str, locale: str) -> str:
    if value is None or value == "":
        return t(locale, "common.none")
    if isinstance(value, date):
        return fmt_date(value, locale)
    if name in ("spend", "revenue", "refunds", "budget", "target_revenue", "target_cpa"):
        return money(Decimal(value), currency, locale)
    if name == "target_roas":
        return times(Decimal(value), locale)
    if name in ("owner_id",):
        return mention(str(value))
    if name == "channel_id":
        return channel_ref(str(value), locale)
    if isinstance(value, Decimal | int):
        return count(value, locale)
    return esc(str(value))


def changes_text(diffs: Sequence[Diff], currency: str, locale: str) -> str:
    """`spend ¥1,000.00 → ¥1,200.00, orders 10 → 12`."""
    return ", ".join(
        f"{field_label(d.name, locale)} {_value(d.name, d.before, currency, locale)} → {_value(d.name, d.after, currency, locale)}"
        for d in diffs
    )


def field_label(name: str, locale: str) -> str:
    """What a changed field is called (`target ROAS`, `目标 ROAS`)."""
    key = f"campaigns.field.{name}"
    return t(locale, key) if known(key) else name


def logged_message(logged: Logged, summary: Summary, locale: str) -> bk.Message:
    """What logging did, then the campaign's totals so far."""
    entry, campaign = logged.entry, logged.campaign
    day = fmt_date(entry.day, locale)
    if entry.last_day is not None:
        day = f"{day} – {fmt_date(entry.last_day, locale)}"
    params = {"source": source_label(entry.source, locale), "day": day, "name": name_of(campaign)}
    if logged.outcome == "changed":
        text = t(
            locale,
            "campaigns.logged_changed",
            changes=changes_text(logged.diffs, campaign.currency, locale),
            **params,
        )
    else:
        text = t(locale, f"campaigns.logged_{logged.outcome}", **params)
    lines = budget_lines(summary, locale)[:1] + figure_lines(summary.totals, campaign, locale)[2:4]
    return bk.ephemeral(text, [bk.section(":memo: " + text), bk.context("\n".join(lines))])


def edited_message(campaign: Campaign, diffs: Sequence[Diff], locale: str) -> bk.Message:
    """What an edit changed."""
    if not diffs:
        return bk.ephemeral(t(locale, "campaigns.edited_nothing", name=name_of(campaign)))
    text = t(
        locale,
        "campaigns.edited",
        name=name_of(campaign),
        changes=changes_text(diffs, campaign.currency, locale),
    )
    return bk.ephemeral(text, [bk.section(text)])


def delete_confirm(campaign: Campaign, rows: int, locale: str) -> bk.Message:
    """Ask before deleting."""
    text = t(locale, "campaigns.delete_question", name=name_of(campaign), rows=rows)
    value = str(campaign.id)
    return bk.ephemeral(
        text,
        [
            bk.section(text),
            bk.actions(
                bk.button(t(locale, "campaigns.button.delete"), DELETE_CONFIRM, value, style="danger"),
                bk.button(t(locale, "campaigns.button.keep"), DELETE_KEEP, value),
            ),
        ],
    )


def deleted_message(campaign: Campaign, locale: str) -> bk.Message:
    """Deleted, with Undo."""
    text = t(locale, "campaigns.deleted", name=name_of(campaign))
    return bk.message(
        text,
        [
            bk.section(text),
            bk.actions(bk.button(t(locale, "campaigns.button.undo"), DELETE_UNDO, str(campaign.id))),
        ],
    )


def list_message(
    which: Which, rows: Sequence[tuple[Campaign, metrics.Totals]], hidden: int, today: date, locale: str
) -> bk.Message:
    """`/campaign list`."""
    title = t(locale, f"campaigns.list_title.{which}")
    if not rows:
        empty = t(locale, "campaigns.list_empty")
        blocks = [bk.header(title), bk.section(empty)]
        if hidden:
            blocks.append(bk.context(t(locale, "campaigns.list_hidden", count=hidden)))
        return bk.ephemeral(f"{title}\n{empty}", blocks)
    lines = [
        "• "
        + t(
            locale,
            "campaigns.list_row",
            name=name_of(campaign),
            status=t(locale, f"campaigns.status.{status_of(campaign, today)}"),
            dates=dates_of(campaign, locale),
            spent=money(totals.spend, campaign.currency, locale),
            budget=money(campaign.budget, campaign.currency, locale),
            used=fmt_percent(metrics.ratio(totals.spend, campaign.budget), locale),
            roas=times(totals.roas, locale),
        )
        for campaign, totals in rows
    ]
    blocks = [bk.header(title), *bk.sections(lines)]
    if hidden:
        blocks.append(bk.context(t(locale, "campaigns.list_hidden", count=hidden)))
    return bk.ephemeral(title + "\n" + "\n".join(lines), blocks[: bk.MESSAGE_BLOCK_LIMIT])


def sources_message(locale: str) -> bk.Message:
    """`/campaign sources`: every platform and what its revenue means."""
    intro = t(locale, "campaigns.sources_intro")
    lines = []
    for source in sources.SOURCES:
        kind = t(locale, "campaigns.attributed" if source.attributed else "campaigns.shop_reported")
        names = ", ".join(f"`{n}`" for n in source.names if n != source.key) or "—"
        lines.append(
            "• "
            + t(
                locale,
                "campaigns.sources_row",
                label=source_label(source.key, locale),
                code=source.key,
                names=names,
                definition=f"{t(locale, sources.definition_key(source.key))} ({kind})",
            )
        )
    return bk.ephemeral(intro, [bk.section(intro), *bk.sections(lines)])


# -- imports ------------------------------------------------------------------------------------


def import_message(done: Imported, locale: str, tz: str) -> bk.Message:
    """What an import did: counts, skipped lines with reasons, unknown campaigns with Create buttons."""
    from ecombot.slack.i18n import fmt_datetime

    text = t(
        locale,
        "campaigns.import_done",
        filename=esc(done.filename),
        layout=t(locale, f"campaigns.layout.{done.layout}"),
        created=done.created,
        changed=done.changed,
        unchanged=done.unchanged,
    )
    lines = [":inbox_tray: " + text]
    if done.campaigns:
        lines.append(t(locale, "campaigns.import_campaigns", names=", ".join(esc(n) for n in done.campaigns)))
    if done.before is not None:
        lines.append(t(locale, "campaigns.import_again", when=fmt_datetime(done.before, tz, locale)))
    if done.combined:
        lines.append(t(locale, "campaigns.import_combined", count=done.combined))
    if done.totals_skipped:
        lines.append(t(locale, "campaigns.import_totals", count=done.totals_skipped))
    blocks = [bk.section("\n".join(lines))]
    if done.skipped:
        skipped = [t(locale, "campaigns.import_skipped", count=len(done.skipped))]
        for skip in done.skipped[:SKIPS_SHOWN]:
            reason = (
                t(locale, f"campaigns.skip.{skip.code}", part=esc(skip.part))
                if _known_skip(skip.code)
                else esc(skip.code)
            )
            skipped.append("• " + t(locale, "campaigns.import_skip_line", line=skip.line, reason=reason))
        if len(done.skipped) > SKIPS_SHOWN:
            skipped.append(t(locale, "campaigns.import_more", count=len(done.skipped) - SKIPS_SHOWN))
        blocks += bk.sections(skipped)
    if done.unknown:
        blocks.append(bk.section(t(locale, "campaigns.import_unknown", names=len(done.unknown))))
        for name, rows in list(done.unknown.items())[:UNKNOWN_SHOWN]:
            value = json.dumps(
                {"import": done.import_id, "name": name}, ensure_ascii=False, separators=(",", ":")
            )
            blocks.append(
                bk.section(
                    "• " + t(locale, "campaigns.import_unknown_row", name=esc(name), rows=rows),
                    accessory=bk.button(
                        t(locale, "campaigns.button.create", name=name), CREATE_FROM_IMPORT, value
                    ),
                )
            )
        if len(done.unknown) > UNKNOWN_SHOWN:
            more = ", ".join(esc(n) for n in list(done.unknown)[UNKNOWN_SHOWN:])
            blocks.append(
                bk.context(
                    t(locale, "campaigns.import_more", count=len(done.unknown) - UNKNOWN_SHOWN) + " " + more
                )
            )
    return bk.message(text, blocks)


def _known_skip(code: str) -> bool:
    return known(f"campaigns.skip.{code}")


# -- App Home -----------------------------------------------------------------------------------


def home_blocks(rows: Sequence[tuple[Campaign, metrics.Totals]], more: int, locale: str) -> list[bk.Block]:
    """Active campaigns with spend against budget and ROAS against target."""
    if not rows:
        return []
    lines = []
    for campaign, totals in rows:
        target = (
            t(locale, "campaigns.home_target", target=times(campaign.target_roas, locale))
            if campaign.target_roas is not None
            else ""
        )
        used = metrics.ratio(totals.spend, campaign.budget)
        lines.append(
            f"{pacing_bar(used)} "
            + t(
                locale,
                "campaigns.home_row",
                name=name_of(campaign),
                spent=money(totals.spend, campaign.currency, locale),
                budget=money(campaign.budget, campaign.currency, locale),
                used=fmt_percent(used, locale),
                roas=times(totals.roas, locale),
                target=target,
            )
        )
    blocks = [bk.header(t(locale, "campaigns.home_title")), *bk.sections(lines)]
    if more:
        blocks.append(bk.context(t(locale, "campaigns.home_more", count=more)))
    return blocks


def over_budget_alert(campaign: Campaign, spent: Decimal, locale: str) -> bk.Message:
    """A campaign's spend has passed its own budget."""
    text = t(
        locale,
        "campaigns.over_budget",
        name=name_of(campaign),
        spent=money(spent, campaign.currency, locale),
        budget=money(campaign.budget, campaign.currency, locale),
        over=money(spent - campaign.budget, campaign.currency, locale),
        owner=campaign.owner_id,
    )
    return bk.message(text, [bk.section(text)])
