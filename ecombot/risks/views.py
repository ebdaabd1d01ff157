"""Risk register messages: the list with its 5×5 heat summary, a risk's card with its history, the
review DM and the flag to the ops leads, the add and update forms, App Home. User text escaped here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from ecombot.risks import messages as _messages  # noqa: F401 - registers the strings
from ecombot.risks.models import CATEGORIES, REVIEWS, STATUSES, Risk, RiskEvent
from ecombot.risks.service import DRILL_DAYS, HIGH
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_datetime, t
from ecombot.slack.text import esc, mention, truncate

REVIEW_VALID = "risks.review_valid"
REVIEW_UPDATE = "risks.review_update"
REVIEW_MITIGATED = "risks.review_mitigated"
ADD_FORM = "risks.add_form"
UPDATE_FORM = "risks.update_form"
LIST_SHOWN = 30


def ref(risk: Risk) -> str:
    """R3."""
    return f"R{risk.number}"


def category_name(category: str, locale: str) -> str:
    """Policy / 政策合规…"""
    return t(locale, f"risks.category.{category}")


def _score(risk: Risk) -> str:
    icon = (
        ":red_circle:"
        if risk.score >= HIGH
        else ":large_orange_circle:"
        if risk.score >= 8
        else ":white_circle:"
    )
    return f"{icon} {risk.score}"


def risk_line(risk: Risk, locale: str) -> str:
    """`R3` *title* · score 20 (4×5) · category · @owner · status."""
    parts = [
        f"`{ref(risk)}` *{truncate(esc(risk.title), 120)}*",
        t(locale, "risks.score", score=_score(risk), likelihood=risk.likelihood, impact=risk.impact),
        category_name(risk.category, locale),
        mention(risk.owner_id),
    ]
    if risk.status != "open":
        parts.append(t(locale, f"risks.status.{risk.status}"))
    return " · ".join(parts)


def heat_text(cells: dict[tuple[int, int], int], locale: str) -> str:
    """The 5×5 grid (impact down, likelihood across) as a code block: how many risks in each cell."""
    rows = [t(locale, "risks.heat_axes"), "      L1 L2 L3 L4 L5"]
    for impact in range(5, 0, -1):
        counts = [cells.get((likelihood, impact), 0) for likelihood in range(1, 6)]
        rows.append(f"  I{impact}  " + " ".join(f"{c:>2}" if c else " ·" for c in counts))
    return "```" + "\n".join(rows) + "```"


def list_message(
    risks: Sequence[Risk], cells: dict[tuple[int, int], int], stale: Sequence[Risk], title: str, locale: str
) -> bk.Message:
    """`/risk list`: by score, the heat summary, and the plans not drilled in 180 days."""
    blocks: list[bk.Block] = [bk.header(title)]
    if not risks:
        blocks.append(bk.section(t(locale, "risks.list_empty")))
    else:
        lines = [risk_line(r, locale) for r in risks[:LIST_SHOWN]]
        if len(risks) > LIST_SHOWN:
            lines.append(t(locale, "risks.list_more", count=len(risks) - LIST_SHOWN))
        blocks += bk.sections(lines)
        blocks.append(bk.section(heat_text(cells, locale)))
    if stale:
        names = ", ".join(f"`{ref(r)}`" for r in stale[:20])
        blocks.append(bk.context(t(locale, "risks.stale_drills", days=DRILL_DAYS, risks=names)))
    return bk.ephemeral(title, blocks[: bk.MESSAGE_BLOCK_LIMIT])


def _value(field: str, value: Any, locale: str) -> str:
    if field == "owner":
        return mention(str(value))
    if field == "category":
        return category_name(str(value), locale)
    if field == "status":
        return t(locale, f"risks.status.{value}")
    if field == "review":
        return t(locale, f"risks.review.{value}")
    if isinstance(value, str):
        return f"“{truncate(esc(value), 80)}”" if value else "—"
    return str(value)


def changes_text(changes: Sequence[dict[str, Any]], locale: str) -> str:
    """impact 3 → 5, owner @a → @b."""
    return ", ".join(
        f"{t(locale, 'risks.field.' + c['field'])} {_value(c['field'], c['before'], locale)} → {_value(c['field'], c['after'], locale)}"
        for c in changes
    )


def _event_line(event: RiskEvent, zone: str, locale: str) -> str:
    when = fmt_datetime(event.at, zone, locale)
    who = mention(event.user_id) if event.user_id else t(locale, "risks.by_bot")
    detail = changes_text(event.changes, locale) if event.changes else ""
    if event.kind == "status" and event.changes:
        change = event.changes[0]
        detail = f"{_value('status', change['before'], locale)} → {_value('status', change['after'], locale)}"
    if event.kind == "drill" and event.day is not None:
        detail = t(locale, "risks.event_drill_day", day=fmt_date(event.day, locale))
    note = f" — {truncate(esc(event.note), 200)}" if event.note and event.kind != "reviewed" else ""
    kind = t(locale, f"risks.event.{event.kind}")
    return f"• {when} · {who} · {kind}" + (f": {detail}" if detail else "") + note


def card_message(risk: Risk, events: Sequence[RiskEvent], zone: str, locale: str, today: date) -> bk.Message:
    """`/risk show R3`: everything about it, and its history."""
    lines = [
        risk_line(risk, locale),
        t(locale, "risks.card_review", review=t(locale, f"risks.review.{risk.review}")),
        t(locale, "risks.card_plan", plan=esc(risk.plan) if risk.plan else t(locale, "risks.no_plan")),
    ]
    if risk.last_drill is not None:
        age = (today - risk.last_drill).days
        lines.append(t(locale, "risks.card_drill", day=fmt_date(risk.last_drill, locale), days=age))
    elif risk.plan:
        lines.append(t(locale, "risks.card_never_drilled"))
    blocks: list[bk.Block] = [bk.header(f"{ref(risk)} {risk.title}"), *bk.sections(lines)]
    if events:
        blocks.append(bk.section(f"*{t(locale, 'risks.history')}*"))
        blocks += bk.sections([_event_line(e, zone, locale) for e in events])
    return bk.ephemeral(f"{ref(risk)} {esc(risk.title)}", blocks[: bk.MESSAGE_BLOCK_LIMIT])


def added_message(risk: Risk, locale: str) -> bk.Message:
    """Added: its number and line."""
    text = t(locale, "risks.added", ref=ref(risk)) + "\n" + risk_line(risk, locale)
    return bk.ephemeral(text, [bk.section(text)])


def updated_message(risk: Risk, changes: Sequence[dict[str, Any]], locale: str) -> bk.Message:
    """What changed (or that nothing did)."""
    if not changes:
        return bk.ephemeral(t(locale, "risks.unchanged", ref=ref(risk)))
    text = t(locale, "risks.updated", ref=ref(risk), changes=changes_text(changes, locale))
    return bk.ephemeral(text)


def review_message(risk: Risk, locale: str) -> bk.Message:
    """The owner's review DM: the risk and its plan, with Still valid / Update / Mitigated."""
    text = t(locale, "risks.review_ask", ref=ref(risk), cadence=t(locale, f"risks.review.{risk.review}"))
    value = str(risk.number)
    blocks = [
        bk.section(text),
        bk.section(risk_line(risk, locale)),
        bk.context(
            t(locale, "risks.card_plan", plan=esc(risk.plan) if risk.plan else t(locale, "risks.no_plan"))
        ),
        bk.actions(
            bk.button(t(locale, "risks.button.valid"), REVIEW_VALID, value, style="primary"),
            bk.button(t(locale, "risks.button.update"), REVIEW_UPDATE, value),
            bk.button(t(locale, "risks.button.mitigated"), REVIEW_MITIGATED, value),
            block_id=bk.encode_id("risks.review", risk.number),
        ),
    ]
    return bk.message(text, blocks)


def reviewed_message(risk: Risk, outcome: str, new: bool, locale: str) -> bk.Message:
    """The review DM once answered (it replaces the buttons)."""
    key = f"risks.reviewed_{outcome}" if new else "risks.reviewed_before"
    text = t(locale, key, ref=ref(risk))
    return bk.message(text, [bk.section(text), bk.section(risk_line(risk, locale))])


def unreviewed_message(risk: Risk, locale: str, zone: str) -> bk.Message:
    """To the ops leads: a review left unanswered for 3 days."""
    asked = fmt_datetime(risk.review_asked_at, zone, locale) if risk.review_asked_at else ""
    text = t(locale, "risks.unreviewed", ref=ref(risk), owner=mention(risk.owner_id), asked=asked)
    return bk.message(text, [bk.section(text), bk.section(risk_line(risk, locale))])


def _options(values: Sequence[str], prefix: str, locale: str) -> list[dict[str, Any]]:
    return [bk.option(t(locale, f"{prefix}.{v}"), v) for v in values]


def _levels(name: str, locale: str) -> list[dict[str, Any]]:
    return [bk.option(t(locale, f"risks.{name}_level.{i}"), str(i)) for i in range(1, 6)]


def _select(options: list[dict[str, Any]], initial: str) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def risk_form(locale: str, *, owner: str, risk: Risk | None = None, channel: str = "") -> dict[str, Any]:
    """The form to add a risk (`/risk add` with no text), or to update one (from its review DM)."""
    title_element: dict[str, Any] = {"type": "plain_text_input", "max_length": 200}
    plan_element: dict[str, Any] = {"type": "plain_text_input", "multiline": True, "max_length": 1000}
    if risk is not None:
        title_element["initial_value"] = risk.title
        if risk.plan:
            plan_element["initial_value"] = risk.plan
    owner_element: dict[str, Any] = {"type": "users_select"}
    if owner:
        owner_element["initial_user"] = owner
    blocks = [
        bk.input_block("title", t(locale, "risks.form.title"), title_element),
        bk.input_block(
            "category",
            t(locale, "risks.form.category"),
            _select(_options(CATEGORIES, "risks.category", locale), risk.category if risk else "other"),
        ),
        bk.input_block(
            "likelihood",
            t(locale, "risks.form.likelihood"),
            _select(_levels("likelihood", locale), str(risk.likelihood if risk else 3)),
        ),
        bk.input_block(
            "impact",
            t(locale, "risks.form.impact"),
            _select(_levels("impact", locale), str(risk.impact if risk else 3)),
        ),
        bk.input_block("owner", t(locale, "risks.form.owner"), owner_element),
        bk.input_block(
            "review",
            t(locale, "risks.form.review"),
            _select(_options(REVIEWS, "risks.review", locale), risk.review if risk else "monthly"),
        ),
        bk.input_block("plan", t(locale, "risks.form.plan"), plan_element, optional=True),
    ]
    if risk is not None:
        blocks.append(
            bk.input_block(
                "status",
                t(locale, "risks.form.status"),
                _select(_options(STATUSES, "risks.status", locale), risk.status),
            )
        )
    metadata = json.dumps({"risk": risk.number if risk else 0, "channel": channel})
    return bk.modal(
        t(locale, "risks.form.update_title" if risk else "risks.form.add_title"),
        blocks,
        callback_id=UPDATE_FORM if risk else ADD_FORM,
        submit=t(locale, "risks.form.submit"),
        close=t(locale, "risks.form.cancel"),
        private_metadata=metadata,
    )


def home_blocks(high: Sequence[Risk], unreviewed: Sequence[Risk], locale: str, budget: int) -> list[bk.Block]:
    """Ops leads' App Home: open high risks, and reviews left unanswered."""
    if (not high and not unreviewed) or budget < 2:
        return []
    lines = [risk_line(r, locale) for r in high]
    if unreviewed:
        lines.append(t(locale, "risks.home_unreviewed", risks=", ".join(f"`{ref(r)}`" for r in unreviewed)))
    return [bk.header(t(locale, "risks.home_title")), *bk.sections(lines)][:budget]
