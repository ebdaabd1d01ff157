"""The listener adapter: binds every domain's declarations to Bolt, the same way for all of them.

Per request: the caller from the database (never a Slack call before the ack), one session (read-only
when the listener only reads), the handler, refusals turned into replies in the caller's language,
the ack within Slack's deadline, and after it: modals, the answer where the click came from, the
Homes the change shows on, the members to look up, and a nudge to the delivery worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.db import session_scope
from ecombot.domain import Action, Domain, Event, Form, Shortcut
from ecombot.errors import DomainError
from ecombot.runtime import Runtime
from ecombot.scheduling.service import enqueue_many
from ecombot.slack import blocks as bk
from ecombot.slack import inputs, members, router
from ecombot.slack.errors import new_ref, refusal_reply, refusal_text
from ecombot.slack.events import claim_event
from ecombot.slack.i18n import t
from ecombot.slack.parsing import ParseError
from ecombot.slack.reply import Reply
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


@dataclass
class Outcome:
    """A handler's reply, or the refusal it raised (already rolled back)."""

    caller: Caller
    reply: Reply
    refused: DomainError | None = None


@dataclass
class Bound:
    """What this app listens to, by kind (for the manifest and its test)."""

    commands: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    shortcuts: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def request_of(body: dict[str, Any], context: BoltContext) -> Request:
    """The workspace and user of a payload; org-wide (Enterprise Grid) shapes are flagged."""
    team = _dict(body.get("team"))
    org_wide = body.get("is_enterprise_install") in (True, "true") or (
        "team" in body and body["team"] is None
    )
    channel = body.get("channel_id") or _dict(body.get("channel")).get("id") or ""
    return Request(
        team_id=inputs.team_id_of(context.team_id),
        user_id=str(context.user_id or ""),
        team_domain=str(team.get("domain") or body.get("team_domain") or ""),
        bot_user_id=str(context.bot_user_id or ""),
        org_wide=org_wide or not inputs.team_id_of(context.team_id),
        channel=channel if inputs.is_channel_id(channel) else "",
    )


def _container(body: dict[str, Any]) -> str:
    container = _dict(body.get("container"))
    if container.get("type") == "view":
        return "home" if _dict(body.get("view")).get("type") == "home" else "modal"
    return "ephemeral" if container.get("is_ephemeral") else "message"


def _first_input(view: dict[str, Any]) -> str:
    for block in view.get("blocks") or []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return "value"


class Listeners:
    """Binds domains to one Bolt App."""

    def __init__(self, app: App, rt: Runtime) -> None:
        self.app = app
        self.rt = rt
        self.bound = Bound()

    def bind(self, domains: tuple[Domain, ...]) -> None:
        """Register every command, action, shortcut, form and event of `domains`, and App Home."""
        for domain in domains:
            for command in domain.commands:
                self.app.command(command.name)(self._command(command))
                self.bound.commands.add(command.name)
            for action in domain.actions:
                self.app.action(action.action_id)(self._action(action))
                self.bound.actions.add(action.action_id)
            for shortcut in domain.shortcuts:
                self.app.shortcut(shortcut.callback_id)(self._shortcut(shortcut))
                self.bound.shortcuts.add(shortcut.callback_id)
            for form in domain.forms:
                self.app.view(form.callback_id)(self._form(form))
                self.bound.forms.add(form.callback_id)
            for event in domain.events:
                self.app.event(event.type)(self._event(event))
                self.bound.events.add(event.type)
        self.app.event("app_home_opened")(self._home_opened)
        self.bound.events.add("app_home_opened")

    # -- one transaction per request ----------------------------------------------------------

    def run(self, req: Request, write: bool, work: Work, *, usage: str = "") -> Outcome:
        """The caller and the work in one transaction; a refusal or bad input rolls back and is answered."""
        outcome = self._attempt(req, write, work, usage)
        if outcome is None:
            # First contact: create the workspace in its own transaction (a read transaction that
            # began before would not see it), then start again.
            with session_scope(self.rt.engine) as session:
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
        try:
            with session_scope(self.rt.engine, write=write) as session:
                caller = workspaces.caller_of(
                    session, req.team_id, req.user_id, self.rt.clock.now(), bot_user_id=req.bot_user_id
                )
                if caller is None:
                    return None
                if req.channel:
                    caller = replace(caller, channel=req.channel)
                reply = work(caller, session)
                if reply.outbox:
                    enqueue_many(session, [(caller.team_id, m) for m in reply.outbox], now=caller.now)
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
        self.rt.home.refresh(client, team_id, reply.home - {bot, ""})

    def _fail(self, req: Request, error: Exception, what: str) -> str:
        ref = new_ref()
        log.error(
            "unhandled error ref=%s team=%s user=%s in %s",
            ref,
            req.team_id,
            req.user_id,
            what,
            exc_info=error,
        )
        return t(self.rt.settings.workspace.language, "error.unexpected", ref=ref)

    def _org_wide(self) -> str:
        return t(self.rt.settings.workspace.language, "error.org_wide")

    def _dm(self, client: WebClient, user_id: str, message: bk.Message) -> None:
        try:
            client.chat_postMessage(channel=user_id, text=message["text"], blocks=message.get("blocks", []))
        except (SlackApiError, SlackClientError) as exc:
            log.warning("could not DM %s: %s", user_id, exc)

    def _open(self, client: WebClient, trigger_id: str, view: dict[str, Any]) -> None:
        try:
            client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as exc:
            log.warning("could not open a modal: %s", exc.response.get("error"))

    # -- commands -----------------------------------------------------------------------------

    def _command(self, command: router.Command) -> Callable[..., None]:
        def on_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            req = request_of(body, context)
            if req.org_wide:
                ack(response_type="ephemeral", text=self._org_wide())
                return
            try:
                outcome = self._run_command(command, req, str(body.get("text") or ""))
            except Exception as exc:
                ack(response_type="ephemeral", text=self._fail(req, exc, command.name))
                return
            reply = outcome.reply
            if reply.open_view is not None:
                # The trigger stays valid for 3 seconds: the form opens right after the ack.
                ack()
                self._open(client, str(body.get("trigger_id") or ""), reply.open_view)
            elif reply.message is not None:
                ack(**{**reply.message, "response_type": "ephemeral"})
            else:
                ack()
            self.after(client, req.team_id, reply, outcome.caller)

        on_command.__name__ = f"on_{command.name.strip('/')}_command"
        return on_command

    def _run_command(self, command: router.Command, req: Request, text: str) -> Outcome:
        try:
            resolved = router.resolve(command, text)
        except router.UsageError as exc:
            error = exc
            return self.run(
                req,
                False,
                lambda c, s: Reply(message=router.usage_reply(c.locale, error, command.usage_of(None))),
            )
        return self.run(
            req, resolved.write, lambda c, s: router.run(resolved, c, s), usage=command.usage_of(resolved.sub)
        )

    # -- clicks -------------------------------------------------------------------------------

    def _action(self, declared: Action) -> Callable[..., None]:
        def on_action(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            context: BoltContext,
            client: WebClient,
            respond: Respond,
        ) -> None:
            ack()
            req = request_of(body, context)
            where = _container(body)
            if req.org_wide:
                self._answer(body, client, respond, req.user_id, bk.ephemeral(self._org_wide()), False, where)
                return
            acted = _dict(action)
            payload = inputs.ActionInput(
                action=acted,
                block_id=str(acted.get("block_id") or ""),
                container=where,
                bot_user_id=req.bot_user_id,
            )
            try:
                outcome = self.run(
                    req, declared.write, lambda c, s: declared.handler(c, declared.read(payload), s)
                )
            except Exception as exc:
                message = bk.ephemeral(self._fail(req, exc, declared.action_id))
                self._answer(body, client, respond, req.user_id, message, False, where)
                return
            reply = outcome.reply
            if reply.open_view is not None:
                self._open(client, str(body.get("trigger_id") or ""), reply.open_view)
            if reply.update_view is not None and where == "modal":
                view = _dict(body.get("view"))
                try:
                    client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=reply.update_view)
                except SlackApiError as exc:
                    log.warning("could not update a modal: %s", exc.response.get("error"))
            if where == "home":
                # The Home itself shows the result; a question or a refusal comes by DM.
                self.rt.home.publish(client, req.team_id, req.user_id)
            if reply.message is not None:
                replace = reply.replace and not payload.block_id.startswith(bk.ROW_PREFIX)
                self._answer(body, client, respond, req.user_id, reply.message, replace, where)
            self.after(client, req.team_id, reply, outcome.caller)

        on_action.__name__ = f"on_{declared.action_id.replace('.', '_')}_action"
        return on_action

    def _answer(
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
                self._dm(client, user_id, message)
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

    # -- shortcuts ----------------------------------------------------------------------------

    def _shortcut(self, declared: Shortcut) -> Callable[..., None]:
        def on_shortcut(
            ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
        ) -> None:
            ack()
            req = request_of(body, context)
            if req.org_wide:
                self._dm(client, req.user_id, bk.message(self._org_wide()))
                return
            message = _dict(body.get("message"))
            channel = str(_dict(body.get("channel")).get("id") or "")
            payload = inputs.ShortcutInput(
                text=inputs.message_text(message),
                channel=channel if inputs.is_channel_id(channel) else "",
                permalink=inputs.permalink(
                    req.team_domain,
                    channel,
                    str(message.get("ts") or ""),
                    str(message.get("thread_ts") or ""),
                ),
            )
            try:
                outcome = self.run(req, declared.write, lambda c, s: declared.handler(c, payload, s))
            except Exception as exc:
                self._dm(client, req.user_id, bk.message(self._fail(req, exc, declared.callback_id)))
                return
            reply = outcome.reply
            if reply.open_view is not None:
                self._open(client, str(body.get("trigger_id") or ""), reply.open_view)
            elif reply.message is not None:
                self._answer(body, client, respond, req.user_id, reply.message, False, "message")
            self.after(client, req.team_id, reply, outcome.caller)

        on_shortcut.__name__ = f"on_{declared.callback_id.replace('.', '_')}_shortcut"
        return on_shortcut

    # -- forms --------------------------------------------------------------------------------

    def _form(self, declared: Form) -> Callable[..., None]:
        def on_submission(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            req = request_of(body, context)
            view = _dict(body.get("view"))
            first = _first_input(view)
            if req.org_wide:
                ack(response_action="errors", errors={first: self._org_wide()})
                return

            def work(caller: Caller, session: Session) -> Reply:
                payload = inputs.FormInput(
                    values=inputs.FormValues(_dict(_dict(view.get("state")).get("values"))),
                    metadata=inputs.json_object(view.get("private_metadata")),
                    view=view,
                    bot_user_id=req.bot_user_id,
                    team_domain=req.team_domain,
                )
                return declared.handler(caller, payload, session)

            try:
                outcome = self.run(req, declared.write, work)
            except Exception as exc:
                ack(response_action="errors", errors={first: self._fail(req, exc, declared.callback_id)})
                return
            reply = outcome.reply
            if outcome.refused is not None:
                ack(
                    response_action="errors",
                    errors={first: refusal_text(outcome.caller.locale, outcome.refused)},
                )
                return
            if reply.errors:
                ack(response_action="errors", errors=reply.errors)
                return
            if reply.update_view is not None:
                ack(response_action="update", view=reply.update_view)
            elif reply.push_view is not None:
                ack(response_action="push", view=reply.push_view)
            else:
                ack()
            if reply.message is not None:
                self._notice(client, outcome.caller.user_id, reply.channel, reply.message)
            self.after(client, req.team_id, reply, outcome.caller)

        on_submission.__name__ = f"on_{declared.callback_id.replace('.', '_')}_submission"
        return on_submission

    def _notice(self, client: WebClient, user_id: str, channel: str, message: bk.Message) -> None:
        """A form's confirmation: ephemeral where the form was opened, else (or if that fails) by DM."""
        if channel:
            try:
                client.chat_postEphemeral(
                    channel=channel, user=user_id, text=message["text"], blocks=message.get("blocks", [])
                )
                return
            except (SlackApiError, SlackClientError) as exc:
                log.info("could not answer in %s, answering by DM: %s", channel, exc)
        self._dm(client, user_id, message)

    # -- events -------------------------------------------------------------------------------

    def _event(self, declared: Event) -> Callable[..., None]:
        def on_event(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            team_id = inputs.team_id_of(context.team_id)
            event = body.get("event")
            if (
                not team_id
                or not isinstance(event, dict)
                or body.get("is_enterprise_install") in (True, "true")
            ):
                return
            reply = self.handle_event(team_id, str(body.get("event_id") or ""), event, declared.handler)
            if reply is not None:
                self.after(client, team_id, reply)

        on_event.__name__ = f"on_{declared.type}_event"
        return on_event

    def handle_event(
        self,
        team_id: str,
        event_id: str,
        event: dict[str, Any],
        handler: Callable[[inputs.EventInput, Session], Reply | None],
    ) -> Reply | None:
        """Run an event's handler once per event_id (Slack retries a slow event), in one transaction."""
        now = self.rt.clock.now()
        with session_scope(self.rt.engine) as session:
            workspaces.ensure_workspace(
                session, team_id=team_id, defaults=self.rt.settings.workspace, now=now
            )
            if event_id and not claim_event(session, event_id=event_id, team_id=team_id, now=now):
                log.info("event %s was handled before; ignoring Slack's retry", event_id)
                return None
            reply = handler(inputs.EventInput(team_id, event, now), session)
            if reply is not None and reply.outbox:
                enqueue_many(session, [(team_id, m) for m in reply.outbox], now=now)
        return reply

    def _home_opened(self, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """The one owner of `app_home_opened`: remember the viewer, then publish every domain's sections."""
        team_id = inputs.team_id_of(context.team_id)
        event = _dict(body.get("event"))
        user = event.get("user")
        if not team_id or event.get("tab", "home") != "home" or not isinstance(user, str):
            return

        def seen(payload: inputs.EventInput, session: Session) -> Reply:
            workspaces.mark_home_seen(session, team_id=team_id, user_id=user, now=self.rt.clock.now())
            return Reply(meet={user})

        reply = self.handle_event(team_id, str(body.get("event_id") or ""), event, seen)
        if reply is not None:
            members.refresh(
                self.rt.engine, self.rt.clock, client, team_id, reply.meet - {context.bot_user_id or ""}
            )
            self.rt.home.publish(client, team_id, user)
