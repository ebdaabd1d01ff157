"""`ecombot console`: the real app, a local Slack fake, and a prompt that plays the Slack client."""

from __future__ import annotations

import difflib
import re
import secrets
import shlex
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from slack_sdk import WebClient

from ecombot.clock import Clock, FixedClock, OffsetClock, SystemClock
from ecombot.config import Settings
from ecombot.db import make_engine, session_scope
from ecombot.devtools.console_text import (
    CHROME_ZH,
    EMOJI,
    EMOJI_NAMES,
    describe_input,
    element_label,
    modal_values,
)
from ecombot.devtools.driver import HttpResult, SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from ecombot.scheduling.delivery import DeliveryWorker, WorkerSettings
from ecombot.scheduling.engine import SchedulingEngine
from ecombot.slack import members
from ecombot.slack.text import decode_entities
from ecombot.workspaces import service as workspaces

HELP = """Type a slash command as in Slack (`/ecom help`), or:
  click N            click button [N] of the last output (or `click ACTION_ID [N]`: the Nth with that id)
  submit k=v ...     submit the open modal (k: a field's id or label; unset fields keep their value)
  cancel             close the open modal
  home               open your App Home tab
  dm TEXT            write TEXT to the bot in your DM with it (e.g. answer a standup question)
  share FILE         drop FILE into your DM with the bot (e.g. an ad report to import)
  run-due ISO8601    run what is due at that instant (as `ecombot jobs run-due --at`), e.g. 09:00 reminders
  as USER            act as another user (U_DEMO admin, U_LI zh-CN, U_SAM New York, U_MIA Berlin)
  channel CHANNEL    send commands from another channel (C_DEMO #ops, C_PRIV #leads)
  help               this text
  quit               leave"""


# The fake's demo directory (see FakeSlack): an admin, a Chinese-speaking lead, New York, Berlin.
DEMO_PEOPLE = ("U_DEMO", "U_LI", "U_SAM", "U_MIA")


@dataclass
class _Clickable:
    label: str
    run: Callable[[], HttpResult]
    action_id: str = ""


@dataclass
class ConsoleSession:
    """The app, the fake and what the user can click next; also used by the demo."""

    settings: Settings
    user: str = "U_DEMO"
    channel: str = "C_DEMO"
    out: TextIO = field(default_factory=lambda: sys.stdout)
    clock: Clock | None = None
    files_dir: Path | None = None  # where files the bot uploads (charts) are saved, when set
    lang: str = "en"  # the console's own labels (each reader's messages are in their own language)
    people: Sequence[str] = DEMO_PEOPLE  # looked up in the fake's directory before the first line
    directory: Callable[[FakeSlack], None] | None = None  # sets the fake's people and channels up

    def __post_init__(self) -> None:
        self.fake = FakeSlack().start()
        if self.directory is not None:
            self.directory(self.fake)
        secret = secrets.token_hex(16)
        self.settings = self.settings.with_slack(
            api_url=self.fake.api_url,
            bot_token="xoxb-console-" + secrets.token_hex(8),
            app_token="",
            signing_secret=secret,
            client_id="",
            client_secret="",
            process_before_response=False,
        )
        self.engine = make_engine(self.settings.database)
        self.clock = self.clock if self.clock is not None else SystemClock()
        # Callers migrate first (`ecombot console` honours database.auto_migrate; the demo's database is new).
        # Run as production runs (ack first, work after); each line waits for that work before printing.
        self.local = LocalApp(self.settings, self.engine, self.clock)
        self.driver = SlackDriver(self.local.url, secret, self.fake, settle=self.local.settle)
        self._meet_the_team()
        self.clickables: list[_Clickable] = []
        self._show_home = False
        self.open_view: dict[str, Any] | None = None
        self._seen_calls = len(self.fake.calls)
        self._seen_posts = len(self.fake.response_url_posts)
        self._versions: dict[tuple[str, str], list[str]] = {}  # the last version shown of each message

    def _meet_the_team(self) -> None:
        """The demo workspace and its people, looked up with users.info as the app does after an ack,
        so that everyone's language, timezone and role are known from the first line."""
        with session_scope(self.engine) as session:
            workspaces.ensure_workspace(
                session,
                team_id=self.fake.team_id,
                defaults=self.settings.workspace,
                now=self.local.rt.clock.now(),
                name=self.fake.team_domain,
            )
        self.meet(self.people)

    def meet(self, user_ids: Sequence[str]) -> None:
        """Look these people up in the fake's directory (again), as the app does after an ack."""
        client = WebClient(token=self.settings.slack.bot_token, base_url=self.fake.api_url)
        members.refresh(self.engine, self.local.rt.clock, client, self.fake.team_id, user_ids)

    def close(self) -> None:
        """Stop the local servers."""
        self.local.close()
        self.fake.stop()
        self.engine.dispose()

    # -- input -------------------------------------------------------------------------------

    def handle(self, line: str, *, echo: bool = True) -> bool:
        """Run one console line (echoed, as a script would show it); False means quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            if line.startswith("#"):
                self._print(
                    f"\n\033[1m{line.lstrip('# ')}\033[0m" if self._tty() else f"\n{line.lstrip('# ')}"
                )
            return True
        if echo:
            self._print(f"{self.user}@{self.channel}> {line}")
        word, _, rest = line.partition(" ")
        if word in ("quit", "exit"):
            return False
        if word == "help":
            self._print(HELP)
        elif word == "as":
            self.user = rest.strip() or self.user
            self._print(f"({self._w('now acting as')} {self.user})")
        elif word == "channel":
            self.channel = rest.strip() or self.channel
            self._print(f"(commands now come from {self.channel})")
        elif word == "click":
            self._click(rest.strip())
        elif word == "submit":
            self._submit(rest)
        elif word == "home":
            self._show_home = True
            try:
                result = self.driver.event({"type": "app_home_opened", "user": self.user, "tab": "home"})
                self._show(result, ack_kind="event")
            finally:
                self._show_home = False
        elif word == "dm":
            if not rest.strip():
                self._print("Use dm TEXT (what you write to the bot in your DM).")
            else:
                self._show(self.driver.dm(rest.strip(), user=self.user), ack_kind="event")
        elif word == "share":
            self._share(rest.strip())
        elif word == "run-due":
            self._run_due(rest.strip())
        elif word == "cancel":
            self.open_view = None
            self._print("(modal closed)")
        elif word.startswith("/"):
            result = self.driver.command(line, user=self.user, channel=self.channel)
            self._show(result, ack_kind="command")
        else:
            self._print("Unknown input; type `help`.")
        return True

    def _share(self, arg: str) -> None:
        path = Path(arg)
        try:
            content = path.read_bytes()
        except OSError as exc:
            self._print(f"Cannot read {arg}: {exc.strerror or exc}")
            return
        self._show(self.driver.share_file(path.name, content, user=self.user), ack_kind="event")

    def _click(self, arg: str) -> None:
        clickable = self._clickable(arg)
        if clickable is None:
            self._print(f"Nothing to click as [{arg}]; buttons of the last output: 1..{len(self.clickables)}")
            return
        self._print(f"({self._w('clicked')} “{clickable.label}”)")
        self._show(clickable.run(), ack_kind="action")

    def _clickable(self, arg: str) -> _Clickable | None:
        """`N` (the button's number), or `ACTION_ID [N]` (the Nth button of that action, 1 by default)."""
        if arg.isdigit():
            return self.clickables[int(arg) - 1] if 1 <= int(arg) <= len(self.clickables) else None
        action, _, nth = arg.partition(" ")
        matching = [c for c in self.clickables if c.action_id == action]
        index = int(nth) if nth.strip().isdigit() else 1
        return matching[index - 1] if 1 <= index <= len(matching) else None

    def _run_due(self, text: str) -> None:
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            at = None
        if at is None or at.tzinfo is None:
            self._print("Use run-due 2026-11-24T09:00:00+08:00 (an instant with its UTC offset).")
            return
        if isinstance(self.clock, FixedClock):
            self.clock.set(at)
        report = SchedulingEngine(self.engine, self.local.rt.jobs, worker="console").run_due(at)
        client = WebClient(token=self.settings.slack.bot_token, base_url=self.fake.api_url)
        worker = DeliveryWorker(
            self.engine,
            OffsetClock(at),
            lambda team: client,
            worker="console",
            settings=WorkerSettings(channel_interval=0.0, poll_interval=0.02),
        )
        try:
            drained = worker.drain(timeout=60)
        finally:
            worker.close()
        self._print(
            f"({self._w('at')} {at.isoformat()}: {report.fired} {self._w('fired')}, "
            f"{drained.sent} {self._w('sent') if self.lang == 'zh-CN' else 'message(s) sent'})"
        )
        self.clickables = []
        # Deliveries go out in parallel; show them by recipient so that a transcript reads the same every time.
        self._render_new_activity(order_by_channel=True)

    def _submit(self, rest: str) -> None:
        if self.open_view is None:
            self._print("No modal is open.")
            return
        try:
            pairs = dict(part.split("=", 1) for part in shlex.split(rest))
        except ValueError:
            self._print('Use submit key=value key2="value with spaces"')
            return
        view = self.open_view
        values = modal_values(view, pairs)
        result = self.driver.submit(view, values, user=self.user)
        body = result.json
        if isinstance(body, dict) and body.get("response_action") == "errors":
            for block, problem in body.get("errors", {}).items():
                self._print(f"  ! {block}: {problem}")
            return
        if isinstance(body, dict) and body.get("response_action") in ("update", "push"):
            self.open_view = body.get("view")
        else:
            self.open_view = None
        self._show(result, ack_kind="submission")

    # -- output ------------------------------------------------------------------------------

    def _w(self, word: str) -> str:
        """One of the console's own words, in the console's language."""
        return CHROME_ZH.get(word, word) if self.lang == "zh-CN" else word

    def _tty(self) -> bool:
        return bool(getattr(self.out, "isatty", lambda: False)())

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _show(self, result: HttpResult, *, ack_kind: str) -> None:
        self.clickables = []
        if result.status != 200:
            self._print(f"  (the app answered HTTP {result.status})")
        body = result.json
        if ack_kind == "command" and isinstance(body, dict) and (body.get("text") or body.get("blocks")):
            scope = "in channel" if body.get("response_type") == "in_channel" else "only you"
            self._render_message(
                f"{self._w('reply')} · {self._w(scope)}", body, ephemeral=scope == "only you"
            )
        elif ack_kind == "command" and result.status == 200 and result.text and body is None:
            self._render_message(
                f"{self._w('reply')} · {self._w('only you')}", {"text": result.text}, ephemeral=True
            )
        self._render_new_activity()

    def _render_new_activity(self, *, order_by_channel: bool = False) -> None:
        calls = self.fake.calls[self._seen_calls :]
        self._seen_calls += len(calls)
        if order_by_channel:
            # Files shared in threads (charts) may finish in either order: by their titles, after the channel.
            calls.sort(key=lambda c: (str(c.args.get("channel", "")), _file_titles(c.args)))
        else:
            # The work after an ack and the outbox post to different conversations at once: show what
            # reached the acting user first, then each other conversation in turn (in the order each
            # received it), so that a transcript reads the same every time.
            mine = (self.user, f"D_{self.user}")
            calls.sort(
                key=lambda c: (
                    str(c.args.get("channel", "")) not in mine,
                    str(c.args.get("channel", "")),
                    _file_titles(c.args),
                )
            )
        refreshed: set[str] = set()
        for call in calls:
            if not call.ok:
                self._print(f"  (Slack refused {call.method}: {call.error})")
                continue
            args = call.args
            if call.method == "chat.postMessage":
                where = self._where(str(args.get("channel", "")))
                self._render_message(
                    f"{self._w('message')} · {where}", args, channel=str(args.get("channel", ""))
                )
            elif call.method == "chat.update":
                where = self._where(str(args.get("channel", "")))
                self._render_message(
                    f"{self._w('updated message')} · {where}", args, channel=str(args.get("channel", ""))
                )
            elif call.method == "chat.postEphemeral":
                self._render_message(
                    f"{self._w('ephemeral')} · {self._w('only')} {self._name(str(args.get('user')))}",
                    args,
                    ephemeral=True,
                )
            elif call.method in ("views.open", "views.push", "views.update"):
                view = self._latest_view()
                if view is not None:
                    self.open_view = view
                    self._render_view(view)
            elif call.method == "views.publish":
                view = args.get("view")
                user = str(args.get("user_id"))
                if isinstance(view, dict) and (self._show_home or user not in refreshed):
                    if self._show_home and user == self.user:
                        self._render_view(view, title=f"{self._w('App Home of')} {self._name(user)}")
                    elif user not in refreshed:
                        self._print(
                            f"  ({self._w('App Home of')} {self._name(user)} {self._w('refreshed')}; `home`)"
                        )
                    refreshed.add(user)
            elif call.method == "files.completeUploadExternal":
                files = ", ".join(str(f.get("title", f.get("id"))) for f in args.get("files", []))
                self._print(
                    f"  [{self._w('file shared in')} {self._where(str(args.get('channel_id', '')))}: {files}]"
                )
                for saved in self._save_files(args.get("files", [])):
                    self._print(f"  [{self._w('saved as')} {saved}]")
        posts = self.fake.response_url_posts[self._seen_posts :]
        self._seen_posts += len(posts)
        for post in posts:
            payload = post["payload"]
            scope = "in channel" if payload.get("response_type") == "in_channel" else "only you"
            verb = "replaced reply" if payload.get("replace_original") else "reply"
            self._render_message(
                f"{self._w(verb)} · {self._w(scope)}", payload, ephemeral=scope == "only you"
            )

    def _save_files(self, entries: list[dict[str, Any]]) -> list[Path]:
        """Keep the files the bot uploaded (charts) in `files_dir`, to look at after the run."""
        if self.files_dir is None:
            return []
        uploads = self.fake.uploads
        saved: list[Path] = []
        for entry in entries:
            content = uploads.get(str(entry.get("id")))
            if content is None:
                continue
            suffix = ".png" if content.startswith(b"\x89PNG") else ".bin"
            path = self.files_dir / f"{len(list(self.files_dir.iterdir())) + 1:02d}-{entry.get('id')}{suffix}"
            path.write_bytes(content)
            saved.append(path)
        return saved

    def _latest_view(self) -> dict[str, Any] | None:
        views = self.fake.views
        return list(views.values())[-1] if views else None

    def _where(self, channel: str) -> str:
        if channel.startswith(("U", "W", "D")):
            user = channel[2:] if channel.startswith("D_") else channel
            return f"{self._w('DM to')} {self._name(user)}"
        info = self.fake.channel_info(channel)
        return f"#{info['name']}" if info else channel

    def _name(self, user_id: str) -> str:
        info = self.fake.user_info(user_id)
        return f"@{info['name']}" if info else user_id

    def _resolve(self, text: str) -> str:
        text = EMOJI.sub(lambda m: EMOJI_NAMES.get(m.group(1), m.group(0)), text)
        text = re.sub(r"<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>", lambda m: self._name(m.group(1)), text)
        text = re.sub(r"<#([CGD][A-Z0-9_]+)(?:\|[^>]*)?>", lambda m: self._where(m.group(1)), text)
        text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
        return decode_entities(text)

    def _render_message(
        self, label: str, payload: dict[str, Any], *, ephemeral: bool = False, channel: str = ""
    ) -> None:
        blocks = payload.get("blocks") or []
        if not blocks:
            lines = self._resolve(str(payload.get("text", ""))).splitlines()
        else:
            lines = self._render_blocks(blocks, on_click=self._message_clicker(payload, channel, ephemeral))
        key = (channel, lines[0] if lines else "")
        before = self._versions.get(key) if channel and "ts" in payload else None
        if channel:
            self._versions[key] = lines
        if before is not None:
            # An edit of a message shown above (a report brought up to date): only what changed.
            changed = [d for d in difflib.ndiff(before, lines) if d[:1] in "+-"]
            self._print(f"┌─ {label} ({self._w('changes')})")
            for line in changed:
                self._print(f"│ {line[0]} {line[2:]}")
        else:
            self._print(f"┌─ {label}")
            for line in lines:
                self._print(f"│ {line}")
        self._print("└─")

    def _message_clicker(
        self, payload: dict[str, Any], channel: str, ephemeral: bool
    ) -> Callable[[str, dict[str, Any]], Callable[[], HttpResult]]:
        message = dict(payload)
        if channel and not ephemeral:
            sent = self.fake.messages(channel)
            if sent:
                message = sent[-1]

        def make(block_id: str, element: dict[str, Any]) -> Callable[[], HttpResult]:
            return lambda: self.driver.click(
                element,
                user=self.user,
                channel=channel or self.channel,
                message=message,
                block_id=block_id,
                ephemeral=ephemeral,
            )

        return make

    def _render_view(self, view: dict[str, Any], *, title: str | None = None) -> None:
        heading = title or f"modal · {view.get('title', {}).get('text', '')}"
        self._print(f"╔═ {heading}")

        def make(block_id: str, element: dict[str, Any]) -> Callable[[], HttpResult]:
            return lambda: self.driver.click(element, user=self.user, view=view, block_id=block_id)

        for line in self._render_blocks(view.get("blocks", []), on_click=make):
            self._print(f"║ {line}")
        if view.get("type") == "modal" and view.get("submit"):
            self._print(f"║ (submit with: submit field=value …; or cancel)  [{view['submit']['text']}]")
        self._print("╚═")

    def _render_blocks(
        self,
        blocks: Iterable[dict[str, Any]],
        *,
        on_click: Callable[[str, dict[str, Any]], Callable[[], HttpResult]],
    ) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                lines.append(f"■ {block['text']['text']}")
            elif kind == "section":
                if "text" in block:
                    lines.extend(self._resolve(block["text"]["text"]).splitlines())
                for item in block.get("fields", []):
                    lines.append("  " + self._resolve(item["text"]).replace("\n", ": ", 1).replace("\n", " "))
            elif kind == "context":
                texts = [self._resolve(e.get("text", "")) for e in block.get("elements", []) if "text" in e]
                lines.append("  ‣ " + " · ".join(texts))
            elif kind == "divider":
                lines.append("─" * 40)
            elif kind == "input":
                lines.append(describe_input(block))
            if kind in ("section", "actions"):
                row = []
                for block_id, element in buttons_in([block]):
                    label = element_label(element)
                    action_id = str(element.get("action_id", ""))
                    self.clickables.append(_Clickable(label, on_click(block_id, element), action_id))
                    row.append(f"[{len(self.clickables)} {label}]")
                if row:
                    lines.append("  " + " ".join(row))
        return lines


def run_console(
    settings: Settings,
    *,
    user: str = "U_DEMO",
    channel: str = "C_DEMO",
    script: Sequence[str] | None = None,
    out: TextIO | None = None,
) -> int:
    """The REPL (or a script of lines); returns the exit status."""
    session = ConsoleSession(settings, user=user, channel=channel, out=out or sys.stdout)
    try:
        if script is not None:
            for line in script:
                if not session.handle(line):
                    break
            return 0
        session._print(
            "ecombot console: the real app against a local Slack fake. Type `help`, or `/ecom help`."
        )
        while True:
            try:
                line = input(f"{session.user}@{session.channel}> ")
            except EOFError:
                break
            # The terminal already shows what was typed.
            if not session.handle(line, echo=False):
                break
        return 0
    finally:
        session.close()


def _file_titles(args: dict[str, Any]) -> str:
    """The titles of the files a `files.completeUploadExternal` call shares ("" for any other call)."""
    files = args.get("files")
    return (
        " ".join(str(f.get("title", "")) for f in files if isinstance(f, dict))
        if isinstance(files, list)
        else ""
    )
