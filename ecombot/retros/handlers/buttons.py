"""Buttons of the retro message: add an entry (opens its form), vote (a button per entry, or a menu
when there are many), and Undo of `/retro off`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.retros import schedules, service, views
from ecombot.slack import blocks as bk
from ecombot.slack import inputs
from ecombot.slack.i18n import t
from ecombot.slack.inputs import ActionInput, BadValue
from ecombot.slack.reply import Reply


@dataclass(frozen=True)
class Add:
    """Which retro, which kind of entry, and the channel the click came from."""

    retro_id: int
    kind: str
    channel: str


def read_add(action: ActionInput) -> Add:
    """The retro id the button carries; its action id names the kind."""
    kind = views.ADD_ACTIONS.get(str(action.action.get("action_id") or ""))
    if kind is None:
        raise BadValue(action.action.get("action_id"))
    return Add(inputs.number(action.value), kind, action.channel)


def on_add_action(caller: Caller, add: Add, session: Session) -> Reply:
    """The entry form (each opening is one entry: sending the same form twice adds it once)."""
    retro = service.get_retro(session, caller.team_id, add.retro_id)
    if add.channel != retro.channel_id:
        raise BadValue(add.channel)
    service.require_open(retro)
    next_due = None
    if add.kind == "action":
        next_due = service.next_due(session, retro, retro.closes_at, caller.workspace_tz)
    form = views.entry_form(
        retro,
        add.kind,
        caller.locale,
        nonce=secrets.token_hex(12),
        owner="" if retro.anonymous else caller.user_id,
        next_due=next_due,
    )
    return Reply(open_view=form)


def read_number(action: ActionInput) -> int:
    """The id a button carries (an entry to vote for, a schedule to turn back on)."""
    return inputs.number(action.value)


def read_vote_select(action: ActionInput) -> int:
    """The entry picked in the vote menu."""
    chosen = action.action.get("selected_option")
    value = chosen.get("value") if isinstance(chosen, dict) else None
    return inputs.number(value)


def on_vote_action(caller: Caller, entry_id: int, session: Session) -> Reply:
    """A vote given, or taken back by a second click; counts stay hidden until the close."""
    voted = service.toggle_vote(session, caller, entry_id)
    return Reply(message=views.voted_message(voted, caller.locale))


def on_undo_off_action(caller: Caller, schedule_id: int, session: Session) -> Reply:
    """Undo `/retro off`."""
    schedule = schedules.turn_on(session, caller, schedule_id)
    text = t(caller.locale, "retros.off_undone", channel=f"<#{schedule.channel_id}>")
    return Reply(message=bk.message(text), replace=True)
