"""`/task …`: the parsers of each subcommand and their handlers (`fn(caller, args, session) -> Reply`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.slack.inputs import MAX_NUMBER
from ecombot.slack.parsing import Token, parse_date
from ecombot.slack.reply import Reply
from ecombot.slack.router import UsageError, expect_at_most
from ecombot.tasks import lists, modal, service, views
from ecombot.tasks.handlers.common import (
    after_change,
    card,
    checkpoints_question,
    give,
    hand_over,
    open_form,
    owner_of,
)
from ecombot.tasks.lists import TaskQuery
from ecombot.tasks.service import TaskDraft
from ecombot.workspaces import service as workspaces

ADD_OPTIONS = {"due": ("截止",), "p": ("优先级",), "every": ("重复",), "parent": ("父任务",)}
_PRIORITY_ALIASES = {
    "high": "high", "h": "high", "高": "high", "urgent": "high",
    "normal": "normal", "n": "normal", "medium": "normal", "中": "normal", "普通": "normal",
    "low": "low", "l": "low", "低": "low",
}  # fmt: skip
_RECURRENCE_ALIASES = {
    "day": "day", "daily": "day", "每天": "day", "天": "day",
    "month": "month", "monthly": "month", "每月": "month", "月": "month",
    "mon": "mon", "tue": "tue", "wed": "wed", "thu": "thu", "fri": "fri", "sat": "sat", "sun": "sun",
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "saturday": "sat", "sunday": "sun",
    "周一": "mon", "周二": "tue", "周三": "wed", "周四": "thu", "周五": "fri", "周六": "sat", "周日": "sun",
}  # fmt: skip
_LIST_MODES = {
    "mine": "mine",
    "all": "all",
    "overdue": "overdue",
    "我的": "mine",
    "全部": "all",
    "逾期": "overdue",
}
_CLEAR_WORDS = ("none", "clear", "无")
_CHANNEL_NAME = re.compile(r"<#[CG][A-Z0-9_]+\|([^>]+)>")
_NUMBER = re.compile(r"#?([0-9]{1,10})")


def task_number(token: Token) -> int:
    """A task number as typed (`12` or `#12`): ASCII digits in range (`²`, `①` and overflows are not)."""
    match = _NUMBER.fullmatch(token.value) if token.kind in ("word", "quoted", "tag") else None
    if match is None or not 0 < int(match.group(1)) <= MAX_NUMBER:
        raise UsageError("bad_task_id", token.shown)
    return int(match.group(1))


def _campaign_of(token: Token) -> str:
    if token.kind == "channel":
        # Slack turns #ops into a channel mention when such a channel exists.
        match = _CHANNEL_NAME.match(token.raw)
        return match.group(1) if match else token.value
    return token.value


def parse_add(tokens: list[Token], caller: Caller) -> TaskDraft:
    """`add <title> [@owner] [due:<date>] [#campaign] [p:…] [every:…] [parent:<id>]`, in any order."""
    words: list[str] = []
    owner = campaign = priority = recurrence = ""
    due: date | None = None
    parent: int | None = None
    for token in tokens:
        if token.kind == "user":
            if owner:
                raise UsageError("unexpected", token.shown)
            owner = token.value
        elif token.kind in ("tag", "channel"):
            if campaign:
                raise UsageError("unexpected", token.shown)
            campaign = _campaign_of(token)
        elif token.kind == "option" and token.key == "due":
            due = parse_date(token.value, today=caller.today)
        elif token.kind == "option" and token.key == "p":
            priority = _PRIORITY_ALIASES.get(token.value.lower(), "")
            if not priority:
                raise UsageError("bad_priority", token.shown)
        elif token.kind == "option" and token.key == "every":
            recurrence = _RECURRENCE_ALIASES.get(token.value.lower(), "")
            if not recurrence:
                raise UsageError("bad_recurrence", token.shown)
        elif token.kind == "option" and token.key == "parent":
            parent = task_number(Token("word", token.value, token.raw))
        else:
            words.append(token.value)
    title = " ".join(words).strip()
    if not title:
        raise UsageError("missing_argument", "<title>")
    return TaskDraft(
        title=title,
        owner_id=owner or caller.user_id,
        due_date=due,
        campaign=campaign,
        priority=priority or "normal",
        recurrence=recurrence,
        parent_number=parent,
    )


def parse_list(tokens: list[Token], caller: Caller) -> TaskQuery:
    """`list [mine|all|overdue|@user] [#campaign]`."""
    mode, user, campaign = "mine", "", ""
    for token in tokens:
        if token.kind == "user":
            mode, user = "user", token.value
        elif token.kind in ("tag", "channel"):
            campaign = _campaign_of(token)
        elif token.kind == "word" and token.value.lower() in _LIST_MODES:
            mode = _LIST_MODES[token.value.lower()]
        else:
            raise UsageError("unexpected", token.shown)
    return TaskQuery(mode=mode, user=user, campaign=campaign)


def parse_number(tokens: list[Token], caller: Caller) -> int:
    """`<id>`."""
    if not tokens:
        raise UsageError("missing_argument", "<id>")
    expect_at_most(tokens, 1)
    return task_number(tokens[0])


@dataclass(frozen=True)
class Assign:
    """`assign <id> @user`."""

    number: int
    owner_id: str


def parse_assign(tokens: list[Token], caller: Caller) -> Assign:
    """`assign <id> @user`."""
    number = parse_number(tokens[:1], caller)
    if len(tokens) < 2:
        raise UsageError("missing_argument", "@user")
    if tokens[1].kind != "user":
        raise UsageError("bad_user", tokens[1].shown)
    expect_at_most(tokens, 2)
    return Assign(number, tokens[1].value)


@dataclass(frozen=True)
class Due:
    """`due <id> <date>` (`none` clears it)."""

    number: int
    due: date | None


def parse_due(tokens: list[Token], caller: Caller) -> Due:
    """`due <id> <date|none>`."""
    number = parse_number(tokens[:1], caller)
    if len(tokens) < 2:
        raise UsageError("missing_argument", "<date>")
    expect_at_most(tokens, 2)
    raw = tokens[1].value
    return Due(number, None if raw.lower() in _CLEAR_WORDS else parse_date(raw, today=caller.today))


# -- handlers ------------------------------------------------------------------------------------


def on_form_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/task` alone: the form."""
    return open_form(session, caller, modal.Prefill(owner=caller.user_id, channel=caller.channel))


def on_add_command(caller: Caller, draft: TaskDraft, session: Session) -> Reply:
    """`/task add …`: the card; the owner gets a DM when someone else gave them the task."""
    owner = owner_of(session, caller, draft.owner_id)
    change = service.add_task(session, caller, draft)
    reply = card(caller, "tasks.added", change)
    hand_over(session, caller, change, reply, owner)
    return after_change(caller, change, reply)


def on_list_command(caller: Caller, query: TaskQuery, session: Session) -> Reply:
    """`/task list …`: one page, grouped by due date."""
    return Reply(message=list_page(caller, query, session, offset=0))


def list_page(caller: Caller, query: TaskQuery, session: Session, *, offset: int) -> dict[str, object]:
    """A page of a list as a message (also for Show more)."""
    page = lists.list_page(session, caller, query, offset=offset, limit=views.LIST_PAGE)
    name = ""
    if query.mode == "user":
        member = workspaces.get_member(session, caller.team_id, query.user)
        name = member.name if member is not None and member.name else ""
    title = views.list_title(query, caller.locale, owner_name=name)
    return views.list_message(page, caller.locale, caller.today, title=title, query=query)


def on_show_command(caller: Caller, number: int, session: Session) -> Reply:
    """`/task show <id>`."""
    change = service.show_task(session, caller, number)
    return Reply(message=views.card_message(f"#{change.task.number}", change, caller.locale, caller.today))


def on_done_command(caller: Caller, number: int, session: Session) -> Reply:
    """`/task done <id>` (asks first when checkpoints are open)."""
    try:
        change = service.complete_task(session, caller, number)
    except service.OpenCheckpoints as exc:
        return checkpoints_question(caller, exc)
    reply = Reply(message=views.done_message(change, caller.locale, caller.today))
    return after_change(caller, change, reply) if change.changed else reply


def on_reopen_command(caller: Caller, number: int, session: Session) -> Reply:
    """`/task reopen <id>`."""
    change = service.reopen_task(session, caller, number)
    key = "tasks.reopened" if change.changed else "tasks.open_already"
    reply = Reply(message=views.answer(caller.locale, key, change.task))
    return after_change(caller, change, reply) if change.changed else reply


def on_assign_command(caller: Caller, args: Assign, session: Session) -> Reply:
    """`/task assign <id> @user`."""
    return give(session, caller, args.number, args.owner_id)


def on_due_command(caller: Caller, args: Due, session: Session) -> Reply:
    """`/task due <id> <date|none>`."""
    change = service.set_due(session, caller, args.number, args.due)
    phrase = views.due_phrase(change.task, caller.locale, caller.today)
    return after_change(
        caller, change, Reply(message=views.answer(caller.locale, "tasks.due_moved", change.task, due=phrase))
    )


def on_edit_command(caller: Caller, number: int, session: Session) -> Reply:
    """`/task edit <id>`: the form, filled in."""
    change = service.show_task(session, caller, number)
    task = change.task
    prefill = modal.Prefill(
        title=task.title,
        owner=task.owner_id,
        due=task.due_date,
        campaign=task.campaign,
        priority=task.priority,
        recurrence=task.recurrence,
        parent=change.parent.number if change.parent else None,
        source_url=task.source_url,
        number=task.number,
        channel=caller.channel,
    )
    return open_form(session, caller, prefill)


def on_delete_command(caller: Caller, number: int, session: Session) -> Reply:
    """`/task delete <id>`: asks first; the button deletes."""
    task = service.check_delete(session, caller, number)
    return Reply(message=views.delete_confirm(task, caller.locale))
