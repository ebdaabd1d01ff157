"""Files dropped in a DM with the bot: one platform handler for every domain's importers. It says
"working on it" at once; after the ack it downloads each file, gives it to the first importer that
recognises it, and posts what that importer did (or which files it can read)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.domain import Event, FileImporter
from ecombot.scheduling.service import Outgoing, enqueue_many
from ecombot.slack import blocks as bk
from ecombot.slack.files import DownloadError, SharedFile, download, shared_files
from ecombot.slack.i18n import add_messages, t
from ecombot.slack.inputs import EventInput
from ecombot.slack.reply import AfterAck, Reply
from ecombot.slack.text import esc
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)
READABLE = (".csv", ".tsv", ".txt", ".xlsx", ".xls")
MAX_FILES = 5


def file_share_event(importers: Sequence[FileImporter]) -> Event:
    """The `message.im` listener for files people share with the bot."""

    def on_file_share(payload: EventInput, session: Session) -> Reply | None:
        event = payload.event
        if event.get("channel_type") != "im":
            return None
        files = [f for f in shared_files(event) if str(f.get("name", "")).lower().endswith(READABLE)][
            :MAX_FILES
        ]
        if not files:
            return None
        user = str(event.get("user"))
        caller = workspaces.caller_of(session, payload.team_id, user, payload.now)
        if caller is None:
            return None
        reply = Reply(meet=set() if caller.known else {user})
        for f in files:
            text = t(caller.locale, "imports.working", filename=esc(str(f.get("name", ""))))
            reply.outbox.append(Outgoing(user, dict(bk.message(text)), f"imports.working:{f['id']}"))
        reply.then.append(_import(importers, user, [str(f["id"]) for f in files]))
        return reply

    return Event("message", on_file_share, subscriptions=("message.im",), files=True)


def _import(importers: Sequence[FileImporter], user: str, file_ids: list[str]) -> Callable[[AfterAck], None]:
    def work(after: AfterAck) -> None:
        for file_id in file_ids:
            with after.session(write=False) as session:
                caller = workspaces.caller_of(session, after.team_id, user, after.now())
            if caller is None:
                return
            try:
                shared = download(after.client, file_id)
            except (DownloadError, SlackApiError) as exc:
                reason = exc.reason if isinstance(exc, DownloadError) else str(exc.response.get("error"))
                text = t(caller.locale, "imports.download_failed", filename=file_id, error=esc(reason))
                message = bk.message(text)
            else:
                try:
                    message = _run_first(importers, after, caller, shared)
                except Exception:  # the person is told, whatever broke; the log has the details
                    log.exception("importing %s for %s failed", file_id, user)
                    message = bk.message(t(caller.locale, "imports.failed", filename=esc(shared.name)))
            with after.session() as session:
                outgoing = Outgoing(user, dict(message), f"imports.result:{file_id}")
                enqueue_many(session, [(after.team_id, outgoing)], now=after.now())

    return work


def _run_first(
    importers: Sequence[FileImporter], after: AfterAck, caller: Caller, shared: SharedFile
) -> bk.Message:
    """The first importer that recognises the file imports it; else the kinds of file that can be read."""
    for importer in importers:
        try:
            recognised = importer.recognises(shared.content, shared.name)
        except Exception:  # a reader that chokes on a file does not recognise it
            log.info("importer %s could not read %s", importer.label, shared.name, exc_info=True)
            recognised = False
        if recognised:
            return importer.run(after, caller, shared)
    kinds = "; ".join(t(caller.locale, i.label) for i in importers)
    return bk.message(t(caller.locale, "imports.unknown", filename=esc(shared.name), kinds=kinds))


add_messages(
    {
        "imports.working": (
            "Importing {filename}… I will post the result here.",
            "正在导入 {filename}……完成后在此回复结果。",
        ),
        "imports.download_failed": (
            "Could not download {filename} from Slack ({error}).",
            "无法从 Slack 下载 {filename}（{error}）。",
        ),
        "imports.failed": (
            "Something went wrong importing {filename}; nothing was imported. Try again, or ask an admin to look at the log.",
            "导入 {filename} 时出错，未导入任何数据。请重试，或请管理员查看日志。",
        ),
        "imports.unknown": (
            "{filename} is not a file I can import. I read: {kinds} (layouts in the README).",
            "{filename} 不是可导入的文件。可导入：{kinds}（格式见 README）。",
        ),
    }
)
