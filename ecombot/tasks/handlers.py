"""/task, the task modal and shortcuts, card buttons, App Home."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from ecombot.db import session_scope
from ecombot.errors import DomainError, PermissionDenied
from ecombot.runtime import Runtime
from ecombot.slack.commands import UsageError, domain_error_reply, usage_reply
from ecombot.slack.context import CALLER_KEY, Caller
from ecombot.slack.i18n import fmt_datetime, t
from ecombot.slack.parsing import ParseError, Token, local_today, parse_date, tokenize
from ecombot.tasks import service, views
from ecombot.tasks.models import Task
from ecombot.workspaces import service as workspaces
from ecombot.workspaces.handlers import ensure_member, member_locale

log = logging.getLogger(__name__)

OPTION_KEYS = ("due", "p", "every", "parent", "截止", "优先级", "重复", "父任务")
_OPTION_ALIASES = {"截止": "due", "优先级": "p", "重复": "every", "父任务": "parent"}
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
_SUBCOMMANDS = {
    "add": "add", "new": "add", "添加": "add", "新建": "add",
    "list": "list", "ls": "list", "列表": "list",
    "done": "done", "close": "done", "完成": "done",
    "reopen": "reopen", "重开": "reopen",
    "show": "show", "查看": "show",
    "assign": "assign", "转交": "assign",
    "due": "due", "截止": "due",
    "edit": "edit", "编辑": "edit",
    "delete": "delete", "del": "delete", "rm": "delete", "删除": "delete",
    "help": "help", "帮助": "help",
}  # fmt: skip
_CHANNEL_NAME = re.compile(r"<#[CG][A-Z0-9_]+\|([^>]+)>")


def _task_number(token: Token) -> int:
    text = token.value.lstrip("#") if token.kind in ("word", "quoted") else token.value
    if token.kind in ("word", "quoted", "tag") and text.isdigit() and 0 < int(text) < 10**9:
        return int(text)
    raise UsageError("bad_task_id", token.raw)


class TaskHandlers:
    """Handlers bound to one Runtime."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    # -- helpers ----------------------------------------------------------------------------

    def _today(self, caller: Caller) -> date:
        return local_today(self.rt.clock.now(), caller.tz)

    def _card(self, headline: str, task: Task, caller: Caller) -> dict[str, Any]:
        with session_scope(self.rt.engine) as session:
            task = service.get_task(session, task.team_id, task.number)
            state = service.progress(session, task)
            parent = service.parent_of(session, task)
        return views.card_message(
            headline, task, caller.locale, self._today(caller), progress=state, parent=parent
        )

    def publish_home(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Publish (or refresh) a user's App Home."""
        locale = member_locale(self.rt, team_id, user_id)
        with session_scope(self.rt.engine) as session:
            tz = _member_tz(session, team_id, user_id)
            today = local_today(self.rt.clock.now(), tz)
            groups = service.group_by_due(service.list_tasks(session, team_id, owner_id=user_id), today)
            overdue = service.assigned_overdue(session, team_id, user_id, today)
        try:
            client.views_publish(user_id=user_id, view=views.home_view(groups, overdue, locale, today))
        except SlackApiError as exc:
            log.warning("could not publish App Home for %s: %s", user_id, exc.response.get("error"))

    def _after_change(
        self,
        client: WebClient,
        caller: Caller,
        task: Task,
        previous_owner: str = "",
        *,
        handed_over: bool = False,
    ) -> None:
        """Refresh the Homes the change shows on; DM the owner when someone else just gave them the task."""
        users = {caller.user_id, task.owner_id}
        if previous_owner:
            users.add(previous_owner)
        if handed_over and task.owner_id != caller.user_id:
            self._notify_owner(client, caller, task)
        for user in users:
            if not user.startswith("U_BOT"):
                self.publish_home(client, caller.team_id, user)

    def _notify_owner(self, client: WebClient, caller: Caller, task: Task) -> None:
        ensure_member(self.rt, client, caller.team_id, task.owner_id)
        locale = member_locale(self.rt, caller.team_id, task.owner_id)
        with session_scope(self.rt.engine) as session:
            today = local_today(self.rt.clock.now(), _member_tz(session, caller.team_id, task.owner_id))
            state = service.progress(session, task)
            parent = service.parent_of(session, task)
        headline = t(locale, "tasks.assigned_dm", assigner=caller.user_id, number=task.number)
        message = views.card_message(headline, task, locale, today, progress=state, parent=parent)
        try:
            client.chat_postMessage(channel=task.owner_id, text=message["text"], blocks=message["blocks"])
        except SlackApiError as exc:
            log.warning("could not DM the new owner %s: %s", task.owner_id, exc.response.get("error"))

    # -- /task --------------------------------------------------------------------------------

    def on_task_command(
        self, ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """`/task …` (no text opens the form)."""
        caller: Caller = context[CALLER_KEY]
        text = (command.get("text") or "").strip()
        if not text:
            ack()
            self._open_modal(client, caller, command["trigger_id"], channel=command.get("channel_id", ""))
            return
        try:
            tokens = tokenize(text, option_keys=OPTION_KEYS)
            sub = _SUBCOMMANDS.get(tokens[0].value.lower()) if tokens[0].kind == "word" else None
            if sub is None:
                raise UsageError("unknown_subcommand", tokens[0].raw)
            reply, changed = self._dispatch(sub, tokens[1:], caller, client, command)
        except ParseError as exc:
            ack(**usage_reply(caller.locale, exc, views.USAGE))
            return
        except UsageError as exc:
            usage = (
                views.USAGE_ADD
                if exc.code not in ("unknown_subcommand",) and text.split()[0] == "add"
                else views.USAGE
            )
            ack(**usage_reply(caller.locale, exc, usage))
            return
        except DomainError as exc:
            ack(**domain_error_reply(caller.locale, exc))
            return
        if reply is not None and "open_view" in reply:
            # The form opens after the ack; the trigger stays valid for 3 seconds.
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=reply["open_view"])
            return
        if reply is None:
            ack()
            return
        reply["response_type"] = "ephemeral"
        ack(**reply)
        if changed is not None:
            task, previous_owner = changed
            handed_over = sub_of(text) in ("add", "assign")
            self._after_change(client, caller, task, previous_owner, handed_over=handed_over)

    def _dispatch(
        self, sub: str, args: list[Token], caller: Caller, client: WebClient, command: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, tuple[Task, str] | None]:
        now = self.rt.clock.now()
        today = self._today(caller)
        locale = caller.locale
        if sub == "help":
            lines = "\n".join(f"`{spec.usage}`  {t(locale, spec.summary_key)}" for spec in views.COMMANDS)
            return views.simple(lines), None
        if sub == "add":
            draft = self._parse_add(args, caller, today)
            with session_scope(self.rt.engine) as session:
                task = service.add_task(
                    session,
                    team_id=caller.team_id,
                    creator_id=caller.user_id,
                    draft=draft,
                    now=now,
                    today=today,
                )
            return self._card(t(locale, "tasks.added", number=task.number), task, caller), (task, "")
        if sub == "list":
            return self._list(caller, args, offset=0), None
        if sub == "edit":
            number = self._one_number(args)
            with session_scope(self.rt.engine) as session:
                task = service.get_task(session, caller.team_id, number)
                parent = service.parent_of(session, task)
                known = service.campaigns(session, caller.team_id)
            view = views.task_modal(
                locale,
                campaigns=known,
                title=task.title,
                owner=task.owner_id,
                due=task.due_date,
                campaign=task.campaign,
                priority=task.priority,
                recurrence=task.recurrence,
                parent=parent.number if parent else None,
                source_url=task.source_url,
                number=task.number,
                private={"channel": command.get("channel_id", "")},
            )
            return {"open_view": view}, None
        number = self._one_number(args[:1])
        if sub == "show":
            self._no_more(args, 1)
            with session_scope(self.rt.engine) as session:
                task = service.get_task(session, caller.team_id, number)
            return self._card(f"#{task.number}", task, caller), None
        if sub == "done":
            self._no_more(args, 1)
            try:
                with session_scope(self.rt.engine) as session:
                    change = service.complete_task(
                        session, team_id=caller.team_id, number=number, actor_id=caller.user_id,
                        is_manager=caller.is_manager, now=now,
                    )  # fmt: skip
            except service.OpenCheckpoints as exc:
                with session_scope(self.rt.engine) as session:
                    task = service.get_task(session, caller.team_id, number)
                open_count, total = int(str(exc.params["open"])), int(str(exc.params["total"]))
                return views.checkpoints_confirm(task, locale, open_count, total), None
            return views.done_message(change, locale, today), (change.task, "") if change.changed else None
        if sub == "reopen":
            self._no_more(args, 1)
            with session_scope(self.rt.engine) as session:
                change = service.reopen_task(
                    session, team_id=caller.team_id, number=number, actor_id=caller.user_id,
                    is_manager=caller.is_manager, now=now,
                )  # fmt: skip
            key = "tasks.reopened" if change.changed else "tasks.open_already"
            message = views.simple(t(locale, key, number=change.task.number, title=change.task.title))
            return message, (change.task, "") if change.changed else None
        if sub == "assign":
            if len(args) < 2:
                raise UsageError("missing_argument", "@user")
            if args[1].kind != "user":
                raise UsageError("bad_user", args[1].raw)
            self._no_more(args, 2)
            with session_scope(self.rt.engine) as session:
                change = service.assign_task(
                    session, team_id=caller.team_id, number=number, owner_id=args[1].value,
                    actor_id=caller.user_id, is_manager=caller.is_manager, now=now,
                )  # fmt: skip
            task = change.task
            key = "tasks.assigned" if change.changed else "tasks.assigned_same"
            message = views.simple(t(locale, key, number=task.number, title=task.title, owner=task.owner_id))
            return message, (task, change.previous_owner) if change.changed else None
        if sub == "due":
            if len(args) < 2:
                raise UsageError("missing_argument", "<date>")
            self._no_more(args, 2)
            raw = args[1].value
            due = None if raw.lower() in ("none", "clear", "无") else parse_date(raw, today=today)
            with session_scope(self.rt.engine) as session:
                change = service.set_due(
                    session, team_id=caller.team_id, number=number, due=due, actor_id=caller.user_id,
                    is_manager=caller.is_manager, now=now,
                )  # fmt: skip
            task = change.task
            phrase = views.due_phrase(task, locale, today)
            return views.simple(
                t(locale, "tasks.due_moved", number=task.number, title=task.title, due=phrase)
            ), (task, "")
        # delete: ask first; the button does it.
        self._no_more(args, 1)
        with session_scope(self.rt.engine) as session:
            task = service.get_task(session, caller.team_id, number)
        if caller.user_id != task.creator_id and not caller.is_manager:
            raise PermissionDenied("task_delete_forbidden", number=number, creator=task.creator_id)
        return views.delete_confirm(task, locale), None

    @staticmethod
    def _one_number(args: list[Token]) -> int:
        if not args:
            raise UsageError("missing_argument", "<id>")
        return _task_number(args[0])

    @staticmethod
    def _no_more(args: list[Token], allowed: int) -> None:
        if len(args) > allowed:
            raise UsageError("unexpected", args[allowed].raw)

    def _parse_add(self, args: list[Token], caller: Caller, today: date) -> service.TaskDraft:
        words: list[str] = []
        owner = ""
        campaign = ""
        due: date | None = None
        priority = "normal"
        recurrence = ""
        parent: int | None = None
        for token in args:
            if token.kind == "user":
                if owner:
                    raise UsageError("unexpected", token.raw)
                owner = token.value
            elif token.kind in ("tag", "channel"):
                name = token.value
                if token.kind == "channel":
                    match = _CHANNEL_NAME.match(token.raw)
                    name = match.group(1) if match else token.value
                if campaign:
                    raise UsageError("unexpected", token.raw)
                campaign = name
            elif token.kind == "option":
                key = _OPTION_ALIASES.get(token.key or "", token.key or "")
                if key == "due":
                    due = parse_date(token.value, today=today)
                elif key == "p":
                    if token.value.lower() not in _PRIORITY_ALIASES:
                        raise UsageError("bad_priority", token.raw)
                    priority = _PRIORITY_ALIASES[token.value.lower()]
                elif key == "every":
                    if token.value.lower() not in _RECURRENCE_ALIASES:
                        raise UsageError("bad_recurrence", token.raw)
                    recurrence = _RECURRENCE_ALIASES[token.value.lower()]
                elif key == "parent":
                    value = token.value.lstrip("#")
                    if not value.isdigit():
                        raise UsageError("bad_task_id", token.raw)
                    parent = int(value)
            else:
                words.append(token.value)
        title = " ".join(words).strip()
        if not title:
            raise UsageError("missing_argument", "<title>")
        return service.TaskDraft(
            title=title,
            owner_id=owner or caller.user_id,
            due_date=due,
            campaign=campaign,
            priority=priority,
            recurrence=recurrence,
            parent_number=parent,
        )

    def _list(self, caller: Caller, args: list[Token], *, offset: int) -> dict[str, Any]:
        mode, user, campaign = "mine", "", ""
        for token in args:
            word = token.value.lower()
            if token.kind == "user":
                mode, user = "user", token.value
            elif token.kind == "tag":
                campaign = token.value
            elif token.kind == "channel":
                # Slack turns #ops into a channel mention when such a channel exists.
                match = _CHANNEL_NAME.match(token.raw)
                campaign = match.group(1) if match else token.value
            elif token.kind == "word" and word in ("mine", "all", "overdue", "我的", "全部", "逾期"):
                mode = {"我的": "mine", "全部": "all", "逾期": "overdue"}.get(word, word)
            else:
                raise UsageError("unexpected", token.raw)
        return self._list_page(caller, {"mode": mode, "user": user, "campaign": campaign}, offset)

    def _list_page(self, caller: Caller, query: dict[str, str], offset: int) -> dict[str, Any]:
        locale = caller.locale
        today = self._today(caller)
        mode = query.get("mode", "mine")
        owner = {"mine": caller.user_id, "user": query.get("user", "")}.get(mode)
        with session_scope(self.rt.engine) as session:
            tasks = service.list_tasks(
                session,
                caller.team_id,
                owner_id=owner,
                campaign=query.get("campaign") or None,
                overdue_on=today if mode == "overdue" else None,
            )
        what = {
            "mine": t(locale, "tasks.list_mine"),
            "all": t(locale, "tasks.list_all"),
            "overdue": t(locale, "tasks.list_overdue"),
            "user": t(locale, "tasks.list_user", user=query.get("user", "")),
        }[mode]
        if query.get("campaign"):
            what = t(locale, "tasks.list_campaign", what=what, campaign=query["campaign"])
        groups = service.group_by_due(tasks, today)
        title = t(locale, "tasks.list_title", what=what)
        return views.list_message(tasks, groups, locale, today, title=title, offset=offset, query=query)

    # -- the form -----------------------------------------------------------------------------

    def _open_modal(
        self,
        client: WebClient,
        caller: Caller,
        trigger_id: str,
        *,
        channel: str = "",
        title: str = "",
        source_url: str = "",
    ) -> None:
        with session_scope(self.rt.engine) as session:
            known = service.campaigns(session, caller.team_id)
        view = views.task_modal(
            caller.locale,
            campaigns=known,
            title=title,
            owner=caller.user_id,
            source_url=source_url,
            private={"channel": channel},
        )
        client.views_open(trigger_id=trigger_id, view=view)

    def on_new_task_shortcut(
        self, ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Global shortcut "New task"."""
        ack()
        self._open_modal(client, context[CALLER_KEY], shortcut["trigger_id"])

    def on_from_message_shortcut(
        self, ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Message shortcut "Create task from message": the form, prefilled, with a link back."""
        ack()
        caller: Caller = context[CALLER_KEY]
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id", "")
        text = re.sub(r"\s+", " ", str(message.get("text") or "")).strip()
        url = ""
        try:
            url = str(
                client.chat_getPermalink(channel=channel, message_ts=message.get("ts", ""))["permalink"]
            )
        except SlackApiError as exc:
            log.info("no permalink for a message shortcut: %s", exc.response.get("error"))
        self._open_modal(
            client, caller, shortcut["trigger_id"], channel=channel, title=text[:300], source_url=url
        )

    def on_task_modal_submission(
        self, ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Create or edit from the form; bad fields are shown next to the field."""
        caller: Caller = context[CALLER_KEY]
        locale = caller.locale
        values = view.get("state", {}).get("values", {})
        meta = json.loads(view.get("private_metadata") or "{}")

        def value(block: str, key: str = "value") -> Any:
            element = values.get(block, {}).get("value", {})
            return element.get(key)

        parent_text = (value("parent") or "").strip().lstrip("#")
        if parent_text and not parent_text.isdigit():
            ack(response_action="errors", errors={"parent": t(locale, "tasks.modal.bad_parent")})
            return
        selected_campaign = (value("campaign", "selected_option") or {}).get("value", "")
        recurrence = (value("recurrence", "selected_option") or {}).get("value", "none")
        due_text = value("due", "selected_date")
        draft = service.TaskDraft(
            title=str(value("title") or "").strip(),
            owner_id=str(value("owner", "selected_user") or caller.user_id),
            due_date=date.fromisoformat(due_text) if due_text else None,
            campaign=(value("campaign_new") or "").strip() or selected_campaign,
            priority=(value("priority", "selected_option") or {}).get("value", "normal"),
            recurrence="" if recurrence == "none" else recurrence,
            parent_number=int(parent_text) if parent_text else None,
            source_url=str(meta.get("source_url") or ""),
        )
        now = self.rt.clock.now()
        number = meta.get("number")
        previous_owner = ""
        try:
            with session_scope(self.rt.engine) as session:
                if number:
                    change = service.edit_task(
                        session, team_id=caller.team_id, number=int(number), actor_id=caller.user_id,
                        is_manager=caller.is_manager, draft=draft, now=now,
                    )  # fmt: skip
                    task, previous_owner = change.task, change.previous_owner
                else:
                    task = service.add_task(
                        session, team_id=caller.team_id, creator_id=caller.user_id, draft=draft, now=now,
                        today=self._today(caller),
                    )  # fmt: skip
        except DomainError as exc:
            block = (
                "parent" if exc.code.startswith(("task_not_found", "task_nested", "task_own")) else "title"
            )
            ack(response_action="errors", errors={block: t(locale, exc.message_key, **exc.params)})
            return
        ack()
        headline = t(locale, "tasks.updated" if number else "tasks.added", number=task.number)
        card = self._card(headline, task, caller)
        channel = str(meta.get("channel") or "")
        try:
            if channel:
                client.chat_postEphemeral(
                    channel=channel, user=caller.user_id, text=card["text"], blocks=card["blocks"]
                )
            else:
                client.chat_postMessage(channel=caller.user_id, text=card["text"], blocks=card["blocks"])
        except SlackApiError:
            client.chat_postMessage(channel=caller.user_id, text=card["text"], blocks=card["blocks"])
        self._after_change(
            client,
            caller,
            task,
            previous_owner if previous_owner != task.owner_id else "",
            handed_over=not number or previous_owner != task.owner_id,
        )

    # -- buttons --------------------------------------------------------------------------------

    def _reply(
        self,
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
        caller: Caller,
        message: dict[str, Any],
        *,
        replace: bool,
    ) -> None:
        """Answer a click where it came from.

        From App Home there is no response_url: the Home is refreshed, and a question or refusal goes
        by DM. From a row of a list (a reminder digest) the list is kept and the answer goes below it.
        """
        if body.get("container", {}).get("type") == "view":
            self.publish_home(client, caller.team_id, caller.user_id)
            if not replace:
                client.chat_postMessage(
                    channel=caller.user_id, text=message["text"], blocks=message.get("blocks", [])
                )
            return
        acted = (body.get("actions") or [{}])[0]
        if str(acted.get("block_id", "")).startswith(views.ROW_BLOCK_PREFIX):
            replace = False
        respond(
            text=message["text"],
            blocks=message.get("blocks", []),
            replace_original=replace,
            response_type="ephemeral",
        )

    def _refuse(
        self, body: dict[str, Any], respond: Respond, client: WebClient, caller: Caller, error: DomainError
    ) -> None:
        self._reply(body, respond, client, caller, domain_error_reply(caller.locale, error), replace=False)

    def on_done_action(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        """Done (a second click changes nothing)."""
        ack()
        self._complete(body, respond, client, context[CALLER_KEY], int(action["value"]), force=False)

    def on_close_anyway_action(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        """Close a task although checkpoints are open (the confirmation's button)."""
        ack()
        self._complete(body, respond, client, context[CALLER_KEY], int(action["value"]), force=True)

    def _complete(
        self,
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
        caller: Caller,
        number: int,
        *,
        force: bool,
    ) -> None:
        today = self._today(caller)
        try:
            with session_scope(self.rt.engine) as session:
                change = service.complete_task(
                    session, team_id=caller.team_id, number=number, actor_id=caller.user_id,
                    is_manager=caller.is_manager, now=self.rt.clock.now(), force=force,
                )  # fmt: skip
        except service.OpenCheckpoints as exc:
            with session_scope(self.rt.engine) as session:
                task = service.get_task(session, caller.team_id, number)
            confirm = views.checkpoints_confirm(
                task, caller.locale, int(str(exc.params["open"])), int(str(exc.params["total"]))
            )
            self._reply(body, respond, client, caller, confirm, replace=False)
            return
        except DomainError as exc:
            self._refuse(body, respond, client, caller, exc)
            return
        self._reply(
            body, respond, client, caller, views.done_message(change, caller.locale, today), replace=True
        )
        if change.changed:
            self._after_change(client, caller, change.task)

    def _act(
        self,
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
        caller: Caller,
        op: Callable[[Session], service.Change],
    ) -> service.Change | None:
        """Run one service call for a click; a refusal is told to the user and gives None."""
        try:
            with session_scope(self.rt.engine) as session:
                return op(session)
        except DomainError as exc:
            self._refuse(body, respond, client, caller, exc)
            return None

    def on_reopen_action(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        """Reopen from a card or a Done confirmation."""
        ack()
        caller: Caller = context[CALLER_KEY]
        change = self._act(body, respond, client, caller, lambda s: service.reopen_task(
            s, team_id=caller.team_id, number=int(action["value"]), actor_id=caller.user_id,
            is_manager=caller.is_manager, now=self.rt.clock.now(),
        ))  # fmt: skip
        if change is None:
            return
        task = change.task
        card = self._card(
            t(caller.locale, "tasks.reopened", number=task.number, title=task.title), task, caller
        )
        self._reply(body, respond, client, caller, card, replace=True)
        if change.changed:
            self._after_change(client, caller, task)

    def on_snooze_action(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        """No reminder for a day; the due date stays."""
        ack()
        caller: Caller = context[CALLER_KEY]
        now = self.rt.clock.now()
        until = now + timedelta(days=1)
        change = self._act(body, respond, client, caller, lambda s: service.snooze_task(
            s, team_id=caller.team_id, number=int(action["value"]), until=until,
            actor_id=caller.user_id, is_manager=caller.is_manager, now=now,
        ))  # fmt: skip
        if change is None:
            return
        task = change.task
        text = t(
            caller.locale,
            "tasks.snoozed",
            number=task.number,
            when=fmt_datetime(until, caller.tz, caller.locale),
            due=views.due_phrase(task, caller.locale, self._today(caller)),
        )
        self._reply(body, respond, client, caller, views.simple(text), replace=False)

    def on_reassign_action(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        """Reassign with the card's people picker."""
        ack()
        caller: Caller = context[CALLER_KEY]
        number = int(str(action.get("block_id", "task:0")).split(":")[1])
        owner = str(action.get("selected_user") or "")
        change = self._act(body, respond, client, caller, lambda s: service.assign_task(
            s, team_id=caller.team_id, number=number, owner_id=owner,
            actor_id=caller.user_id, is_manager=caller.is_manager, now=self.rt.clock.now(),
        ))  # fmt: skip
        if change is None:
            return
        task = change.task
        key = "tasks.assigned" if change.changed else "tasks.assigned_same"
        text = t(caller.locale, key, number=task.number, title=task.title, owner=task.owner_id)
        self._reply(body, respond, client, caller, views.simple(text), replace=False)
        if change.changed:
            self._after_change(client, caller, task, change.previous_owner, handed_over=True)

    def on_show_more_action(
        self, ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        """The next page of a list."""
        ack()
        caller: Caller = context[CALLER_KEY]
        query = json.loads(action.get("value") or "{}")
        offset = int(query.pop("offset", 0))
        page = self._list_page(caller, {k: str(v) for k, v in query.items()}, offset)
        respond(text=page["text"], blocks=page["blocks"], replace_original=True, response_type="ephemeral")

    def on_delete_confirm_action(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        """Delete, after the question; the reply offers Undo."""
        ack()
        caller: Caller = context[CALLER_KEY]
        change = self._act(body, respond, client, caller, lambda s: service.delete_task(
            s, team_id=caller.team_id, number=int(action["value"]), actor_id=caller.user_id,
            is_manager=caller.is_manager, now=self.rt.clock.now(),
        ))  # fmt: skip
        if change is None:
            return
        self._reply(
            body, respond, client, caller, views.deleted_message(change.task, caller.locale), replace=True
        )
        self._after_change(client, caller, change.task)

    def on_delete_undo_action(
        self,
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        """Bring a deleted task back."""
        ack()
        caller: Caller = context[CALLER_KEY]
        change = self._act(body, respond, client, caller, lambda s: service.restore_task(
            s, team_id=caller.team_id, number=int(action["value"]), actor_id=caller.user_id,
            is_manager=caller.is_manager, now=self.rt.clock.now(),
        ))  # fmt: skip
        if change is None:
            return
        task = change.task
        card = self._card(
            t(caller.locale, "tasks.restored", number=task.number, title=task.title), task, caller
        )
        self._reply(body, respond, client, caller, card, replace=True)
        self._after_change(client, caller, task)

    def on_cancel_action(
        self, ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        """Keep the task (the question's Cancel)."""
        ack()
        caller: Caller = context[CALLER_KEY]
        text = t(caller.locale, "tasks.delete_kept", number=action.get("value", ""))
        respond(
            text=text, blocks=views.simple(text)["blocks"], replace_original=True, response_type="ephemeral"
        )

    # -- App Home -------------------------------------------------------------------------------

    def on_app_home_opened_event(
        self, event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Publish the Home tab whenever it is opened."""
        if event.get("tab", "home") != "home" or not context.team_id:
            return
        self.publish_home(client, context.team_id, str(event["user"]))


def sub_of(text: str) -> str:
    """The canonical subcommand of a /task line."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return _SUBCOMMANDS.get(first, first)


def _member_tz(session: Session, team_id: str, user_id: str) -> str:
    member = workspaces.get_member(session, team_id, user_id)
    return member.tz if member and member.tz else workspaces.get_workspace(session, team_id).timezone
