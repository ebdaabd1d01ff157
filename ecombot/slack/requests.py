"""One request, one transaction: the caller from the database, the handler, refusals answered in the
caller's language; then, after the ack, what the reply asks for (members to meet, Homes to refresh,
the delivery worker to wake) and the answer delivered where the click came from."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.db import CommitOutcomeUnknown, session_scope, unavailable
from ecombot.errors import DomainError
from ecombot.runtime import Runtime
from ecombot.scheduling.service import enqueue_many
from ecombot.slack import blocks as bk
from ecombot.slack import inputs, members, router
from ecombot.slack.errors import new_ref, refusal_reply
from ecombot.slack.events import claim_event
from ecombot.slack.i18n import t
from ecombot.slack.parsing import ParseError
from ecombot.slack.reply import AfterAck, Reply
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)

Work = Callable[[Caller, Session], Reply]


@dataclass(frozen=True)
class Request:
    """Who and where, from a verified payload."""

    team_id: str
    user_id: str
    team_domain: str
    bot_user_id: str
    org_wide: bool
    channel: str = ""
    named: tuple[str, ...] = ()  # other people the request names: read with the caller, in one query
    # time.monotonic() when the HTTP request arrived (ecombot.server), for the time left to answer.
    received: float | None = None


@dataclass
class Outcome:
    """A handler's reply, or the refusal it raised (already rolled back)."""

    caller: Caller
    reply: Reply
    refused: DomainError | None = None


def dict_of(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def request_of(body: dict[str, Any], context: BoltContext) -> Request:
    """The workspace and user of a payload; org-wide (Enterprise Grid) shapes are flagged."""
    team = dict_of(body.get("team"))
    org_wide = body.get("is_enterprise_install") in (True, "true") or (
        "team" in body and body["team"] is None
    )
    channel = body.get("channel_id") or dict_of(body.get("channel")).get("id") or ""
    return Request(
        named=named_users(body),
        team_id=inputs.team_id_of(context.team_id),
        user_id=str(context.user_id or ""),
        team_domain=str(team.get("domain") or body.get("team_domain") or ""),
        bot_user_id=str(context.bot_user_id or ""),
        org_wide=org_wide or not inputs.team_id_of(context.team_id),
        channel=channel if inputs.is_channel_id(channel) else "",
        received=_float_or_none(context.get(RECEIVED)),
    )


# The BoltRequest context key under which ecombot.server passes the request's arrival time.
RECEIVED = "ecombot_received"
# Seconds a request's database work needs at least: one that starts with less left (it waited in
# Bolt's queue behind requests stuck on a database that does not answer) answers "try again" at
# once, before Slack gives up at 3 s and shows the person an error.
MIN_BUDGET = 0.3


def _float_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


_MENTION = re.compile(r"<@([UW][A-Z0-9_]{1,30})(?:\|[^<>]*)?>")


def named_users(body: dict[str, Any]) -> tuple[str, ...]:
    """The users a request names: mentions in a command, a picked user in a click or a form."""
    found: list[str] = []
    text = body.get("text")
    if isinstance(text, str):
        found += _MENTION.findall(text)
    for action in body.get("actions") or []:
        if isinstance(action, dict) and isinstance(action.get("selected_user"), str):
            found.append(action["selected_user"])
    state = dict_of(dict_of(body.get("view")).get("state")).get("values")
    for block in dict_of(state).values():
        for element in dict_of(block).values():
            picked = dict_of(element).get("selected_user")
            if isinstance(picked, str):
                found.append(picked)
    return tuple(u for u in dict.fromkeys(found) if inputs.is_user_id(u))[:10]


def container_of(body: dict[str, Any]) -> str:
    """Where a click came from: message, ephemeral, home or modal."""
    container = dict_of(body.get("container"))
    if container.get("type") == "view":
        return "home" if dict_of(body.get("view")).get("type") == "home" else "modal"
    return "ephemeral" if container.get("is_ephemeral") else "message"


def first_input(view: dict[str, Any]) -> str:
    """The block id a form-wide error is shown under."""
    for block in view.get("blocks") or []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return "value"


class RequestRunner:
    """Runs handlers for one app: transactions, refusals, and the work after the ack."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        # A request waits this long for a database lock, then answers "try again" (Slack gives up
        # on an ack after 3 s); jobs wait longer.
        self.wait = rt.settings.database.lock_timeout
        self.deadline = rt.settings.database.request_timeout

    def budget(self, req: Request) -> tuple[float, float]:
        """The lock wait and the deadline of a request's database work: the configured ones, less
        the time since the request arrived (the replay check, Bolt's queue), so that the answer
        still comes within `request_timeout` of the arrival."""
        if req.received is None:
            return self.wait, self.deadline
        waited = time.monotonic() - req.received
        left = self.deadline - waited
        if left < MIN_BUDGET:
            raise sa.exc.TimeoutError(f"the request waited {waited:.1f} s before its work could start")
        return min(self.wait, left), left

    def run(self, req: Request, write: bool, work: Work, *, usage: str = "") -> Outcome:
        """The caller and the work in one transaction; a refusal or bad input rolls back and is answered."""
        outcome = self._attempt(req, write, work, usage)
        if outcome is None:
            # First contact: create the workspace in its own transaction (a read transaction that
            # began before would not see it), then start again.
            wait, deadline = self.budget(req)
            with session_scope(self.rt.engine, wait=wait, deadline=deadline) as session:
                workspaces.ensure_workspace(
                    session,
                    team_id=req.team_id,
                    defaults=self.rt.settings.workspace,
                    now=self.rt.clock.now(),
                    name=req.team_domain,
                )
            outcome = self._attempt(req, write, work, usage)
        if outcome is None:
            raise RuntimeError(f"workspace {req.team_id} could not be created")
        return outcome

    def _attempt(self, req: Request, write: bool, work: Work, usage: str) -> Outcome | None:
        caller: Caller | None = None
        wait, deadline = self.budget(req)
        try:
            with session_scope(self.rt.engine, write=write, wait=wait, deadline=deadline) as session:
                people = workspaces.people_of(
                    session,
                    req.team_id,
                    [req.user_id, *req.named],
                    self.rt.clock.now(),
                    bot_user_id=req.bot_user_id,
                )
                caller = people.get(req.user_id)
                if caller is None or workspaces.uninstalled_read(session, req.team_id):
                    # Unknown, or it had uninstalled the app and now uses it again: `run` makes it
                    # (or marks it installed) in a transaction of its own.
                    return None
                if req.channel or req.team_domain:
                    caller = replace(caller, channel=req.channel, team_domain=req.team_domain)
                reply = work(caller, session)
                if reply.meet:
                    # Those read just now and found fresh need no look-up after the ack (which
                    # would read them again, in a session of its own, to learn as much).
                    reply.meet = reply.meet - {
                        u for u, person in people.items() if person.known and person.fresh
                    }
                if reply.outbox:
                    enqueue_many(session, [(caller.team_id, m) for m in reply.outbox], now=caller.now)
                if reply.home:
                    reply.home = self.rt.home.shown_to(
                        session, caller.team_id, reply.home - {req.bot_user_id}
                    )
                return Outcome(caller, reply)
        except DomainError as exc:
            assert caller is not None
            return Outcome(caller, Reply(message=refusal_reply(caller.locale, exc)), refused=exc)
        except (router.UsageError, ParseError) as exc:
            if caller is None or not usage:
                raise
            return Outcome(caller, Reply(message=router.usage_reply(caller.locale, exc, usage)), refused=None)

    # -- after the ack ------------------------------------------------------------------------

    def after(self, client: WebClient, team_id: str, reply: Reply, caller: Caller | None = None) -> None:
        """Look up new members, refresh the Homes the change shows on, nudge the delivery worker."""
        if reply.outbox:
            self.rt.wake_delivery()
        meet = set(reply.meet)
        if caller is not None and (not caller.known or not caller.fresh):
            meet.add(caller.user_id)
        bot = caller.bot_user_id if caller is not None else ""
        members.refresh(self.rt.engine, self.rt.clock, client, team_id, meet - {bot, ""})
        user = caller.user_id if caller is not None else ""
        for work in reply.then:
            try:
                work(AfterAck(client, team_id, user, self.rt.engine, self.rt.clock))
            except Exception:
                log.exception("work after the ack failed (team %s, user %s)", team_id, user)
        if reply.then:
            # Work after the ack may have queued messages too (an import's result, an evaluation).
            self.rt.wake_delivery()
        self.rt.home.refresh(client, team_id, reply.home - {bot, ""})

    def fail(self, req: Request, error: Exception, what: str) -> str:
        """Log an unexpected error with a short ref; the text that tells the user (quoting the ref).
        A database that cannot be reached just now is no bug: one line is logged, and the user is
        asked to try again (the transaction was rolled back: nothing was written)."""
        ref = new_ref()
        if unavailable(error):
            first = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
            log.warning(
                "database unavailable ref=%s team=%s user=%s in %s: %s: %s",
                ref,
                req.team_id,
                req.user_id,
                what,
                type(getattr(error, "orig", None) or error).__name__,
                first,
            )
            key = "error.database_commit" if isinstance(error, CommitOutcomeUnknown) else "error.database"
            return t(self.rt.settings.workspace.language, key, ref=ref)
        log.error(
            "unhandled error ref=%s team=%s user=%s in %s",
            ref,
            req.team_id,
            req.user_id,
            what,
            exc_info=error,
        )
        return t(self.rt.settings.workspace.language, "error.unexpected", ref=ref)

    def org_wide(self) -> str:
        """The refusal of an org-wide (Enterprise Grid) request, which has no workspace to answer in."""
        return t(self.rt.settings.workspace.language, "error.org_wide")

    def dm(self, client: WebClient, user_id: str, message: bk.Message) -> None:
        """Answer someone by DM (a click in App Home or a modal has nowhere else to answer)."""
        try:
            client.chat_postMessage(channel=user_id, text=message["text"], blocks=message.get("blocks", []))
        except (SlackApiError, SlackClientError) as exc:
            log.warning("could not DM %s: %s", user_id, exc)

    def open(self, client: WebClient, trigger_id: str, view: dict[str, Any]) -> None:
        """Open a modal right after the ack (its trigger is valid for 3 seconds)."""
        try:
            client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as exc:
            log.warning("could not open a modal: %s", exc.response.get("error"))

    def answer(
        self,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        user_id: str,
        message: bk.Message,
        replace: bool,
        where: str,
    ) -> None:
        """Answer a click where it came from: the message (or ephemeral) itself, else by DM."""
        if where in ("home", "modal") or not body.get("response_url"):
            if not (where == "home" and replace):
                self.dm(client, user_id, message)
            return
        try:
            respond(
                text=message["text"],
                blocks=message.get("blocks", []),
                replace_original=replace,
                response_type="ephemeral",
            )
        except Exception as exc:
            log.warning("could not answer a click by response_url: %s", exc)

    def notice(self, client: WebClient, user_id: str, channel: str, message: bk.Message) -> None:
        """A form's confirmation: ephemeral where the form was opened, else (or if that fails) by DM."""
        if channel:
            try:
                client.chat_postEphemeral(
                    channel=channel, user=user_id, text=message["text"], blocks=message.get("blocks", [])
                )
                return
            except (SlackApiError, SlackClientError) as exc:
                log.info("could not answer in %s, answering by DM: %s", channel, exc)
        self.dm(client, user_id, message)

    def handle_event(
        self,
        team_id: str,
        event_id: str,
        event: dict[str, Any],
        handler: Callable[[inputs.EventInput, Session], Reply | None],
        *,
        installed: bool = True,
    ) -> Reply | None:
        """Run an event's handler once per event_id (Slack retries a slow event), in one transaction.
        An event from a workspace that had uninstalled the app marks it installed again, unless
        `installed` is False (the uninstall events)."""
        now = self.rt.clock.now()
        with session_scope(self.rt.engine) as session:
            workspaces.ensure_workspace(
                session, team_id=team_id, defaults=self.rt.settings.workspace, now=now, installed=installed
            )
            if event_id and not claim_event(session, event_id=event_id, team_id=team_id, now=now):
                log.info("event %s was handled before; ignoring Slack's retry", event_id)
                return None
            reply = handler(inputs.EventInput(team_id, event, now, event_id), session)
            if reply is not None and reply.outbox:
                enqueue_many(session, [(team_id, m) for m in reply.outbox], now=now)
            if reply is not None and reply.home:
                reply.home = self.rt.home.shown_to(session, team_id, reply.home)
        return reply
