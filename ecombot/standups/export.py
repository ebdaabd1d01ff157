"""Standup answers as CSV (for `/standup export` and `ecombot export standups`), and sending it to
someone's DM through Slack's file upload v2 flow."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from ecombot.slack.i18n import t
from ecombot.slack.reply import AfterAck
from ecombot.standups import history, service
from ecombot.standups.models import Standup, StandupAnswer
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)

BOM = "\ufeff"  # so that spreadsheet programs read the Chinese in it as UTF-8


COLUMNS = (
    "day",
    "channel",
    "user_id",
    "name",
    "question_no",
    "question",
    "answer",
    "late",
    "via",
    "answered_at",
    "tasks",
)


def to_csv(rows: Sequence[tuple[Standup, StandupAnswer]], names: Mapping[str, str]) -> str:
    """One line per answer to one question (member, day, question), for any number of standups with
    their own questions: what a spreadsheet's pivot table or pandas reads directly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for standup, row in sorted(rows, key=lambda r: (r[1].day, r[0].channel_id, r[1].user_id)):
        for index, (question, _) in enumerate(service.questions_of(standup)):
            writer.writerow(
                [
                    row.day.isoformat(),
                    standup.channel_id,
                    row.user_id,
                    _cell(names.get(row.user_id, "")),
                    index + 1,
                    _cell(question),
                    _cell(row.answers[index] if index < len(row.answers) else ""),
                    "yes" if row.late else "no",
                    row.via,
                    row.answered_at.isoformat() if row.answered_at else "",
                    " ".join(f"#{n}" for n in row.tracked),
                ]
            )
    return BOM + out.getvalue()


def _cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: never run what someone typed.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(
    session: Session, standups: Sequence[Standup], first: date, last: date
) -> list[tuple[Standup, StandupAnswer]]:
    """The answers an export holds: those given in these standups between two days."""
    return [(standup, row) for standup in standups for row in history.history(session, standup, first, last)]


def send_by_dm(
    standup_id: int, first: date, last: date, filename: str, title: str, locale: str
) -> Callable[[AfterAck], None]:
    """Work after the ack: make the CSV, then upload it into the caller's DM with the bot
    (files_upload_v2 opens an upload URL, sends the bytes, then shares the file)."""

    def send(after: AfterAck) -> None:
        with after.session(write=False) as session:
            standup = session.get(Standup, standup_id)
            if standup is None or standup.team_id != after.team_id:
                return
            rows = export_rows(session, [standup], first, last)
            csv_text = to_csv(rows, workspaces.member_names(session, after.team_id))
        try:
            opened = after.client.conversations_open(users=after.user_id)
            channel = str((opened.get("channel") or {}).get("id") or "")
            after.client.files_upload_v2(
                channel=channel, content=csv_text.encode("utf-8"), filename=filename, title=title
            )
        except (SlackApiError, SlackClientError) as exc:
            log.warning("could not send a standup export to %s: %s", after.user_id, exc)
            try:
                after.client.chat_postMessage(channel=after.user_id, text=t(locale, "standups.export_failed"))
            except (SlackApiError, SlackClientError):
                log.warning("could not tell %s that the export failed", after.user_id)

    return send
