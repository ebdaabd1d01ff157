"""Retro messages and forms: the prompt (earlier action items first, then the evidence, then the
entries so far), the entry form, the summary in the thread, lists. User text is escaped here; every
message stays within Block Kit's limits however many entries a retro has."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from ecombot.retros import messages as _messages  # noqa: F401 - registers the strings
from ecombot.retros.actions import ActionItem, Past
from ecombot.retros.head_views import entry_check, item_line, weekday_name
from ecombot.retros.head_views import head_blocks as head_blocks
from ecombot.retros.head_views import when as when
from ecombot.retros.models import Retro, RetroEntry, RetroSchedule
from ecombot.retros.service import Closed, Voted
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.text import esc, mention, truncate
from ecombot.tasks import views as task_views
from ecombot.tasks.models import Task

ADD_WELL = "retros.add_well"
ADD_IMPROVE = "retros.add_improve"
ADD_ACTION = "retros.add_action"
ADD_ACTIONS = {ADD_WELL: "well", ADD_IMPROVE: "improve", ADD_ACTION: "action"}
VOTE = "retros.vote"
VOTE_SELECT = "retros.vote_select"
ENTRY_FORM = "retros.entry_form"
UNDO_OFF = "retros.undo_off"
VOTE_BUTTONS = 20  # beyond this many "to improve" entries, one menu to vote from
FOLLOW_UPS_SHOWN = 12
LIST_SHOWN = 40
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def votes_text(count: int, locale: str) -> str:
    """*1 vote* / *3 votes*."""
    return t(locale, "retros.votes_one" if count == 1 else "retros.votes_count", count=count)


# -- the prompt with its entries -------------------------------------------------------------------


def _author(entry: RetroEntry, retro: Retro) -> str:
    return "" if retro.anonymous or not entry.author_id else f" — {mention(entry.author_id)}"


def _action_line(
    entry: RetroEntry, retro: Retro, limit: int, currency: str, locale: str, task: Task | None = None
) -> str:
    parts = [mention(entry.owner_id)]
    due = task.due_date if task is not None else entry.due_date or retro.next_due
    if due is not None:
        parts.append(t(locale, "retros.item_due", date=fmt_date(due, locale)))
    else:
        parts.append(t(locale, "retros.item_due_next"))
    check = entry_check(entry, currency, locale)
    if check:
        parts.append(t(locale, "retros.item_check", check=check))
    if task is not None:
        parts.append(f"#{task.number}")
    return f"• {truncate(esc(entry.text), limit)} — " + " · ".join(parts)


def _entry_blocks(
    retro: Retro,
    entries: Sequence[RetroEntry],
    votes: dict[int, int] | None,
    limit: int,
    budget: int,
    currency: str,
    locale: str,
) -> list[bk.Block] | None:
    """The entries at `limit` characters each; None when they need more than `budget` blocks."""
    closed = retro.closed_at is not None
    well = [e for e in entries if e.kind == "well"]
    improve = [e for e in entries if e.kind == "improve"]
    actions = [e for e in entries if e.kind == "action"]
    blocks: list[bk.Block] = []
    blocks += bk.sections(
        [
            t(locale, "retros.kind_title.well", count=len(well)),
            *[f"• {truncate(esc(e.text), limit)}{_author(e, retro)}" for e in well],
        ]
    )
    improve_title = t(locale, "retros.kind_title.improve", count=len(improve))
    if closed and votes is not None:
        ranked = sorted(improve, key=lambda e: (-votes.get(e.id or 0, 0), e.id or 0))
        lines = [
            f"• {truncate(esc(e.text), limit)}{_author(e, retro)} — "
            + votes_text(votes.get(e.id or 0, 0), locale)
            for e in ranked
        ]
        blocks += bk.sections([improve_title, *lines])
    elif len(improve) <= VOTE_BUTTONS:
        blocks.append(bk.section(improve_title + ("\n" + t(locale, "retros.vote_hint") if improve else "")))
        for e in improve:
            button = bk.button(t(locale, "retros.button.vote"), VOTE, str(e.id))
            blocks.append(
                bk.section(f"• {truncate(esc(e.text), limit)}{_author(e, retro)}", accessory=button)
            )
    else:
        lines = [f"{i}. {truncate(esc(e.text), limit)}{_author(e, retro)}" for i, e in enumerate(improve, 1)]
        blocks += bk.sections([improve_title + "\n" + t(locale, "retros.vote_hint"), *lines])
        options = [bk.option(f"{i}. {e.text}", str(e.id)) for i, e in enumerate(improve[:100], 1)]
        select = {
            "type": "static_select",
            "action_id": VOTE_SELECT,
            "placeholder": bk.plain(t(locale, "retros.vote_select"), 150),
            "options": options,
        }
        blocks.append(bk.actions(select))
    blocks += bk.sections(
        [
            t(locale, "retros.kind_title.action", count=len(actions)),
            *[_action_line(e, retro, limit, currency, locale) for e in actions],
        ]
    )
    return blocks if len(blocks) <= budget else None


def prompt_message(
    retro: Retro,
    entries: Sequence[RetroEntry],
    locale: str,
    *,
    currency: str,
    votes: dict[int, int] | None = None,
) -> bk.Message:
    """The retro's message: its head, then (while open) the buttons, then the entries by kind; once
    closed, the votes counted and a pointer to the summary."""
    head = [dict(b) for b in retro.head]
    closed = retro.closed_at is not None
    tail: list[bk.Block] = [bk.divider()]
    if closed:
        tail.append(bk.context(t(locale, "retros.closed_note")))
    else:
        tail.append(
            bk.actions(
                bk.button(t(locale, "retros.button.well"), ADD_WELL, str(retro.id)),
                bk.button(t(locale, "retros.button.improve"), ADD_IMPROVE, str(retro.id)),
                bk.button(t(locale, "retros.button.action"), ADD_ACTION, str(retro.id), style="primary"),
            )
        )
    budget = bk.MESSAGE_BLOCK_LIMIT - len(head) - len(tail)
    body: list[bk.Block] | None = None
    for limit in (300, 150, 80, 40):
        body = _entry_blocks(retro, entries, votes, limit, budget, currency, locale)
        if body is not None:
            break
    if body is None:  # cannot happen within MAX_ENTRIES, but never post what Slack refuses
        body = [bk.section(t(locale, "retros.too_many", count=len(entries)))]
    title = str(head[0]["text"]["text"]) if head else t(locale, "retros.title_short")
    fallback = t(locale, "retros.prompt_fallback", title=title)
    return bk.message(fallback, [*head, *tail[:1], *body, *tail[1:]] if closed else [*head, *tail, *body])


# -- the form --------------------------------------------------------------------------------------


def entry_form(
    retro: Retro, kind: str, locale: str, *, nonce: str, owner: str, next_due: date | None
) -> dict[str, Any]:
    """The form of one kind of entry; an action item also asks for its owner, date and check."""
    blocks: list[bk.Block] = []
    if retro.anonymous:
        blocks.append(bk.context(t(locale, "retros.form_anonymous")))
    blocks.append(
        bk.input_block(
            "text",
            t(locale, f"retros.form_label.{kind}"),
            {"type": "plain_text_input", "multiline": True, "max_length": 500},
        )
    )
    if kind == "action":
        owner_element: dict[str, Any] = {"type": "users_select"}
        if owner:
            owner_element["initial_user"] = owner
        blocks.append(bk.input_block("owner", t(locale, "retros.form_owner"), owner_element))
        hint = t(locale, "retros.form_due_hint", date=fmt_date(next_due, locale)) if next_due else ""
        blocks.append(
            bk.input_block(
                "due", t(locale, "retros.form_due"), {"type": "datepicker"}, optional=True, hint=hint
            )
        )
        blocks.append(
            bk.input_block(
                "check",
                t(locale, "retros.form_check"),
                {
                    "type": "plain_text_input",
                    "max_length": 80,
                    "placeholder": bk.plain("conversion_rate>=3%", 150),
                },
                optional=True,
                hint=t(locale, "retros.form_check_hint"),
            )
        )
    metadata = json.dumps({"retro": retro.id, "kind": kind, "nonce": nonce})
    return bk.modal(
        t(locale, f"retros.form_title.{kind}"),
        blocks,
        callback_id=ENTRY_FORM,
        submit=t(locale, "retros.form_submit"),
        close=t(locale, "retros.form_cancel"),
        private_metadata=metadata,
    )


def added_message(retro: Retro, kind: str, added: bool, locale: str) -> bk.Message:
    """Thanks (only the writer sees it)."""
    key = "retros.added" if added else "retros.added_before"
    text = t(locale, key, kind=t(locale, f"retros.kind.{kind}"))
    if retro.anonymous:
        text += " " + t(locale, "retros.added_anonymous")
    return bk.ephemeral(text)


def voted_message(voted: Voted, locale: str) -> bk.Message:
    """Counted or taken back, and how many votes are left (counts stay hidden until the close)."""
    left = voted.retro.votes - voted.used
    key = "retros.voted" if voted.added else "retros.unvoted"
    return bk.ephemeral(
        t(locale, key, text=truncate(esc(voted.entry.text), 80), left=left, votes=voted.retro.votes)
    )


# -- the close -------------------------------------------------------------------------------------


def summary_messages(closed: Closed, locale: str, currency: str) -> list[bk.Message]:
    """The summary in the prompt's thread: went well; to improve by votes; action items by owner,
    each with its task."""
    retro, entries, votes = closed.retro, closed.entries, closed.votes
    well = [e for e in entries if e.kind == "well"]
    improve = sorted(
        [e for e in entries if e.kind == "improve"], key=lambda e: (-votes.get(e.id or 0, 0), e.id or 0)
    )
    actions = [e for e in entries if e.kind == "action"]
    lines: list[str] = [f"*{t(locale, 'retros.summary_title')}*"]
    lines.append(t(locale, "retros.kind_title.well", count=len(well)))
    lines += [f"• {esc(e.text)}{_author(e, retro)}" for e in well] or [t(locale, "retros.none")]
    lines.append(t(locale, "retros.kind_title.improve", count=len(improve)))
    lines += [
        f"• {esc(e.text)}{_author(e, retro)} — " + votes_text(votes.get(e.id or 0, 0), locale)
        for e in improve
    ] or [t(locale, "retros.none")]
    lines.append(t(locale, "retros.kind_title.action", count=len(actions)))
    owners: dict[str, list[RetroEntry]] = {}
    for e in actions:
        owners.setdefault(e.owner_id, []).append(e)
    for owner, mine in owners.items():
        lines.append(t(locale, "retros.summary_owner", owner=mention(owner), count=len(mine)))
        lines += [
            "   " + _action_line(e, retro, 500, currency, locale, task=closed.tasks.get(e.id or 0))
            for e in mine
        ]
    if not actions:
        lines.append(t(locale, "retros.none"))
    else:
        lines.append(t(locale, "retros.summary_tasks_note"))
    pieces = [b for chunk in bk.split_lines(_split_long(lines)) for b in [bk.section(chunk)]]
    fallback = t(
        locale, "retros.summary_fallback", well=len(well), improve=len(improve), actions=len(actions)
    )
    return [bk.message(fallback, page) for page in bk.paginate(pieces)]


def _split_long(lines: list[str]) -> list[str]:
    from ecombot.slack.text import split

    out: list[str] = []
    for line in lines:
        out += split(line, bk.SECTION_BUDGET) if len(line) > bk.SECTION_BUDGET else [line]
    return out


def owner_message(
    retro: Retro, mine: Sequence[tuple[RetroEntry, Task]], locale: str, currency: str, today: date
) -> bk.Message:
    """A DM to an action item's owner: what they took on, as tasks with Done buttons (reminders
    follow), and each one's check."""
    key = "retros.dm_owner_one" if len(mine) == 1 else "retros.dm_owner"
    intro = t(locale, key, channel=f"<#{retro.channel_id}>", count=len(mine))
    blocks: list[bk.Block] = [bk.section(intro)]
    for entry, task in mine[:20]:
        blocks += task_views.task_rows([task], locale, today, owner=False, done_button=True)
        check = entry_check(entry, currency, locale)
        if check:
            blocks.append(bk.context(t(locale, "retros.item_check", check=check)))
    return bk.message(intro, blocks[: bk.MESSAGE_BLOCK_LIMIT])


# -- replies ---------------------------------------------------------------------------------------


def schedule_message(schedule: RetroSchedule, created: bool, zone: str, locale: str) -> bk.Message:
    """Scheduled (or changed): when it opens and closes, and its rules."""
    text = t(
        locale,
        "retros.scheduled" if created else "retros.rescheduled",
        channel=f"<#{schedule.channel_id}>",
        day=weekday_name(schedule.weekday, locale),
        time=schedule.time,
        close_day=weekday_name(schedule.close_weekday, locale),
        close_time=schedule.close_time,
        zone=zone,
        anonymous=t(locale, "retros.rule_anonymous" if schedule.anonymous else "retros.rule_named"),
        votes=schedule.votes,
    )
    return bk.ephemeral(text, [bk.section(text), bk.context(t(locale, "retros.scheduled_hint"))])


def items_message(
    items: Sequence[ActionItem], title: str, today: date, currency: str, locale: str
) -> bk.Message:
    """`/retro actions`: open action items, overdue first."""
    if not items:
        return bk.ephemeral(t(locale, "retros.actions_none"))
    lines = [f"*{title}*"]
    lines += [item_line(i, today, currency, locale) for i in items[:LIST_SHOWN]]
    if len(items) > LIST_SHOWN:
        lines.append(t(locale, "retros.list_more", count=len(items) - LIST_SHOWN))
    return bk.ephemeral(title, bk.sections(lines)[: bk.MESSAGE_BLOCK_LIMIT])


def history_message(pasts: Sequence[Past], permalinks: dict[int, str], zone: str, locale: str) -> bk.Message:
    """`/retro history`: past retros with links, and how many of their action items were done on time."""
    if not pasts:
        return bk.ephemeral(t(locale, "retros.history_none"))
    lines = [f"*{t(locale, 'retros.history_title')}*"]
    for past in pasts:
        retro = past.retro
        name = t(locale, f"retros.kind_name.{retro.kind}")
        when = fmt_date(retro.opened_at.astimezone(ZoneInfo(zone)).date(), locale)
        link = permalinks.get(retro.id or 0, "")
        label = f"<{link}|{name} · {when}>" if link else f"{name} · {when}"
        lines.append(
            "• "
            + t(
                locale,
                "retros.history_line",
                retro=label,
                channel=f"<#{retro.channel_id}>",
                actions=past.actions,
                on_time=past.on_time,
                done=past.done,
            )
        )
    return bk.ephemeral(lines[0], bk.sections(lines)[: bk.MESSAGE_BLOCK_LIMIT])


def home_blocks(
    items: Sequence[ActionItem], today: date, currency: str, locale: str, budget: int
) -> list[bk.Block]:
    """App Home: my open retro action items."""
    if not items or budget < 2:
        return []
    lines = [item_line(i, today, currency, locale) for i in items[:10]]
    if len(items) > 10:
        lines.append(t(locale, "retros.list_more", count=len(items) - 10))
    return [bk.header(t(locale, "retros.home_title")), *bk.sections(lines)][:budget]
