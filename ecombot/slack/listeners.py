"""The listener adapter: binds every domain's declarations to Bolt, the same way for all of them.

Per request (see `requests.RequestRunner`): the caller from the database (never a Slack call before
the ack), one session (read-only when the listener only reads), the handler, refusals turned into
replies in the caller's language, the ack within Slack's deadline, and after it: modals, the answer
where the click came from, the Homes the change shows on, the members to look up, and a nudge to the
delivery worker.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.domain import Action, Domain, Event, Form, Shortcut
from ecombot.runtime import Runtime
from ecombot.slack import blocks as bk
from ecombot.slack import inputs, members, router
from ecombot.slack.errors import refusal_text
from ecombot.slack.i18n import t
from ecombot.slack.imports import file_share_event
from ecombot.slack.reply import Reply
from ecombot.slack.requests import (
    Outcome,
    Request,
    RequestRunner,
    container_of,
    dict_of,
    first_input,
    request_of,
)
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)


@dataclass
class Bound:
    """What this app listens to, by kind (for the manifest and its test)."""

    commands: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    shortcuts: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)


class Listeners:
    """Binds domains to one Bolt App."""

    def __init__(self, app: App, rt: Runtime) -> None:
        self.app = app
        self.rt = rt
        self.runner = RequestRunner(rt)
        self.bound = Bound()

    def bind(self, domains: tuple[Domain, ...]) -> None:
        """Register every command, action, shortcut, form and event of `domains`, and App Home.

        One Bolt listener per kind, whose pattern names every declared id, dispatching by id from a
        table: Bolt tries its listeners in turn (each try builds the listener's arguments, about 25 µs),
        so one listener per id made a late domain's command pay for every listener before it."""
        commands: dict[str, Callable[..., None]] = {}
        actions: dict[str, Callable[..., None]] = {}
        shortcuts: dict[str, Callable[..., None]] = {}
        forms: dict[str, Callable[..., None]] = {}
        for domain in domains:
            for command in domain.commands:
                commands[command.name] = self._command(command)
            for action in domain.actions:
                actions[action.action_id] = self._action(action)
            for shortcut in domain.shortcuts:
                shortcuts[shortcut.callback_id] = self._shortcut(shortcut)
            for form in domain.forms:
                forms[form.callback_id] = self._form(form)
        self.bound.commands.update(commands)
        self.bound.actions.update(actions)
        self.bound.shortcuts.update(shortcuts)
        self.bound.forms.update(forms)

        def on_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            commands[str(body.get("command"))](ack, body, context, client)

        def on_action(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            context: BoltContext,
            client: WebClient,
            respond: Respond,
        ) -> None:
            actions[str(action.get("action_id"))](ack, body, action, context, client, respond)

        def on_shortcut(
            ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
        ) -> None:
            shortcuts[str(body.get("callback_id"))](ack, body, context, client, respond)

        def on_submission(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            forms[str(dict_of(body.get("view")).get("callback_id"))](ack, body, context, client)

        if commands:
            self.app.command(_one_of(commands))(on_command)
        if actions:
            self.app.action({"type": "block_actions", "action_id": _one_of(actions)})(on_action)
        if shortcuts:
            self.app.shortcut(_one_of(shortcuts))(on_shortcut)
        if forms:
            self.app.view(_one_of(forms))(on_submission)
        by_type: dict[str, list[Event]] = {}
        importers = [importer for domain in domains for importer in domain.importers]
        platform_events = [file_share_event(importers)] if importers else []
        for event in [*(e for domain in domains for e in domain.events), *platform_events]:
            by_type.setdefault(event.type, []).append(event)
            self.bound.events.update(event.bot_events)
        for type_, declared in by_type.items():
            self.app.event(type_)(self._event(type_, tuple(declared)))
        self.app.event("app_home_opened")(self._home_opened)
        self.bound.events.add("app_home_opened")

    # -- commands -----------------------------------------------------------------------------

    def _command(self, command: router.Command) -> Callable[..., None]:
        def on_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            req = request_of(body, context)
            if req.org_wide:
                ack(response_type="ephemeral", text=self.runner.org_wide())
                return
            try:
                outcome = self._run_command(command, req, str(body.get("text") or ""))
            except Exception as exc:
                ack(response_type="ephemeral", text=self.runner.fail(req, exc, command.name))
                return
            reply = outcome.reply
            if reply.open_view is not None:
                # The trigger stays valid for 3 seconds: the form opens right after the ack.
                ack()
                self.runner.open(client, str(body.get("trigger_id") or ""), reply.open_view)
            elif reply.message is not None:
                ack(**{**reply.message, "response_type": "ephemeral"})
            else:
                ack()
            self.runner.after(client, req.team_id, reply, outcome.caller)

        on_command.__name__ = f"on_{command.name.strip('/')}_command"
        return on_command

    def _run_command(self, command: router.Command, req: Request, text: str) -> Outcome:
        try:
            resolved = router.resolve(command, text)
        except router.UsageError as exc:
            error = exc
            return self.runner.run(
                req,
                False,
                lambda c, s: Reply(message=router.usage_reply(c.locale, error, command.usage_of(None))),
            )
        return self.runner.run(
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
            where = container_of(body)
            if req.org_wide:
                self.runner.answer(
                    body, client, respond, req.user_id, bk.ephemeral(self.runner.org_wide()), False, where
                )
                return
            acted = dict_of(action)
            container = dict_of(body.get("container"))
            message_ts = str(container.get("message_ts") or "")
            payload = inputs.ActionInput(
                action=acted,
                block_id=str(acted.get("block_id") or ""),
                container=where,
                bot_user_id=req.bot_user_id,
                channel=req.channel,
                message_ts=message_ts if inputs.is_ts(message_ts) else "",
                team_domain=req.team_domain,
            )
            try:
                outcome = self.runner.run(
                    req, declared.write, lambda c, s: declared.handler(c, declared.read(payload), s)
                )
            except Exception as exc:
                message = bk.ephemeral(self.runner.fail(req, exc, declared.action_id))
                self.runner.answer(body, client, respond, req.user_id, message, False, where)
                return
            reply = outcome.reply
            if reply.open_view is not None:
                self.runner.open(client, str(body.get("trigger_id") or ""), reply.open_view)
            if reply.update_view is not None and where == "modal":
                view = dict_of(body.get("view"))
                try:
                    client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=reply.update_view)
                except SlackApiError as exc:
                    log.warning("could not update a modal: %s", exc.response.get("error"))
            if where == "home":
                # The Home itself shows the result; a question or a refusal comes by DM.
                self.rt.home.publish(client, req.team_id, req.user_id)
                reply.home.discard(req.user_id)
            if reply.message is not None:
                replace = reply.replace and not payload.block_id.startswith(bk.ROW_PREFIX)
                self.runner.answer(body, client, respond, req.user_id, reply.message, replace, where)
            self.runner.after(client, req.team_id, reply, outcome.caller)

        on_action.__name__ = f"on_{declared.action_id.replace('.', '_')}_action"
        return on_action

    # -- shortcuts ----------------------------------------------------------------------------

    def _shortcut(self, declared: Shortcut) -> Callable[..., None]:
        def on_shortcut(
            ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
        ) -> None:
            ack()
            req = request_of(body, context)
            if req.org_wide:
                self.runner.dm(client, req.user_id, bk.message(self.runner.org_wide()))
                return
            message = dict_of(body.get("message"))
            channel = str(dict_of(body.get("channel")).get("id") or "")
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
                outcome = self.runner.run(req, declared.write, lambda c, s: declared.handler(c, payload, s))
            except Exception as exc:
                self.runner.dm(
                    client, req.user_id, bk.message(self.runner.fail(req, exc, declared.callback_id))
                )
                return
            reply = outcome.reply
            if reply.open_view is not None:
                self.runner.open(client, str(body.get("trigger_id") or ""), reply.open_view)
            elif reply.message is not None:
                self.runner.answer(body, client, respond, req.user_id, reply.message, False, "message")
            self.runner.after(client, req.team_id, reply, outcome.caller)

        on_shortcut.__name__ = f"on_{declared.callback_id.replace('.', '_')}_shortcut"
        return on_shortcut

    # -- forms --------------------------------------------------------------------------------

    def _form(self, declared: Form) -> Callable[..., None]:
        def on_submission(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            req = request_of(body, context)
            view = dict_of(body.get("view"))
            first = first_input(view)
            if req.org_wide:
                ack(response_action="errors", errors={first: self.runner.org_wide()})
                return

            def work(caller: Caller, session: Session) -> Reply:
                payload = inputs.FormInput(
                    values=inputs.FormValues(dict_of(dict_of(view.get("state")).get("values"))),
                    metadata=inputs.json_object(view.get("private_metadata")),
                    view=view,
                    bot_user_id=req.bot_user_id,
                    team_domain=req.team_domain,
                )
                return declared.handler(caller, payload, session)

            try:
                outcome = self.runner.run(req, declared.write, work)
            except Exception as exc:
                ack(
                    response_action="errors", errors={first: self.runner.fail(req, exc, declared.callback_id)}
                )
                return
            reply = outcome.reply
            refused = outcome.refused
            if isinstance(refused, inputs.BadValue) and refused.field:
                # Shown next to the input it came from, in a form's words.
                key = "error.bad_field" if refused.code == "bad_value" else "error.required_field"
                text = t(outcome.caller.locale, key, value=str(refused.params["value"]))
                ack(response_action="errors", errors={refused.field: text})
                return
            if refused is not None:
                ack(response_action="errors", errors={first: refusal_text(outcome.caller.locale, refused)})
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
                self.runner.notice(client, outcome.caller.user_id, reply.channel, reply.message)
            self.runner.after(client, req.team_id, reply, outcome.caller)

        on_submission.__name__ = f"on_{declared.callback_id.replace('.', '_')}_submission"
        return on_submission

    # -- events -------------------------------------------------------------------------------

    def _event(self, type_: str, declared: tuple[Event, ...]) -> Callable[..., None]:
        installs = all(d.installs for d in declared)

        def on_event(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            team_id = inputs.team_id_of(context.team_id)
            event = body.get("event")
            if (
                not team_id
                or not isinstance(event, dict)
                or body.get("is_enterprise_install") in (True, "true")
            ):
                return
            handlers = [
                d.handler
                for d in declared
                if type_ != "message" or _from_a_person(event, context.bot_user_id or "", files=d.files)
            ]
            if not handlers:
                return

            def first_reply(payload: inputs.EventInput, session: Session) -> Reply | None:
                for handler in handlers:
                    reply = handler(payload, session)
                    if reply is not None:
                        return reply
                return None

            reply = self.runner.handle_event(
                team_id, str(body.get("event_id") or ""), event, first_reply, installed=installs
            )
            if reply is not None:
                self.runner.after(client, team_id, reply)

        on_event.__name__ = f"on_{type_}_event"
        return on_event

    def _home_opened(self, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """The one owner of `app_home_opened`: remember the viewer, then publish every domain's sections."""
        team_id = inputs.team_id_of(context.team_id)
        event = dict_of(body.get("event"))
        user = event.get("user")
        if not team_id or event.get("tab", "home") != "home" or not isinstance(user, str):
            return

        def seen(payload: inputs.EventInput, session: Session) -> Reply:
            workspaces.mark_home_seen(session, team_id=team_id, user_id=user, now=self.rt.clock.now())
            return Reply(meet={user})

        reply = self.runner.handle_event(team_id, str(body.get("event_id") or ""), event, seen)
        if reply is not None:
            members.refresh(
                self.rt.engine, self.rt.clock, client, team_id, reply.meet - {context.bot_user_id or ""}
            )
            self.rt.home.publish(client, team_id, user)


def _one_of(names: dict[str, Any]) -> re.Pattern[str]:
    """A pattern matching exactly the given ids."""
    return re.compile("^(?:" + "|".join(re.escape(name) for name in sorted(names)) + r")\Z")


def _from_a_person(event: dict[str, Any], bot_user_id: str, *, files: bool = False) -> bool:
    """A message someone typed (or, with `files`, a file someone shared): not the bot's own, not
    another app's, not an edit or a deletion."""
    user = event.get("user")
    subtype = event.get("subtype")
    return (
        ((subtype == "file_share" and isinstance(event.get("files"), list)) if files else not subtype)
        and not event.get("bot_id")
        and isinstance(user, str)
        and inputs.is_user_id(user)
        and user != bot_user_id
        and isinstance(event.get("text"), str)
    )
