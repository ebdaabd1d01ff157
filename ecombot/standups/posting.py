"""Standup reports as outbox messages: the report (its first message in the channel, the rest and each
member's answers in its thread), and the updates that add answers given after it. Keys are stable, so
a report or an update is queued once however often it is attempted."""

from __future__ import annotations

from datetime import date

from ecombot.scheduling.service import Outgoing
from ecombot.standups import report_views
from ecombot.standups.answers import Report
from ecombot.standups.models import Standup, StandupAnswer


def report_key(standup: Standup, day: date) -> str:
    """The outbox key of a day's report (its first message); replies and updates name it."""
    return f"standups.report:{standup.id}:{day.isoformat()}"


def _part_key(key: str, index: int) -> str:
    return key if index == 0 else f"{key}:part{index}"


def report_outgoing(report: Report, locale: str) -> tuple[list[Outgoing], int]:
    """The report's messages, and how many parts it has (the first message and its continuations)."""
    key = report_key(report.standup, report.day.day)
    channel = report.standup.channel_id
    messages, replies = report_views.report_messages(report, locale)
    out = [Outgoing(channel, dict(messages[0]), key)]
    out += [
        Outgoing(channel, dict(message), _part_key(key, index), thread_of=key)
        for index, message in enumerate(messages[1:], start=1)
    ]
    out += [
        Outgoing(channel, dict(message), f"{key}:member:{suffix}", thread_of=key)
        for suffix, message in replies
    ]
    return out, len(messages)


def update_outgoing(
    report: Report, answer: StandupAnswer, locale: str, *, revision: int, parts_before: int, updated: bool
) -> tuple[list[Outgoing], int]:
    """A posted report brought up to date with `answer` (given after it): each part it had is edited
    in place (chat.update), a part it did not have goes in the thread, and in thread mode the answer
    itself is a new reply. Returns the messages and how many parts the report has now."""
    key = report_key(report.standup, report.day.day)
    channel = report.standup.channel_id
    messages, _ = report_views.report_messages(report, locale)
    revised = f"{key}:r{revision}"
    out: list[Outgoing] = []
    for index, message in enumerate(messages):
        part = _part_key(key, index)
        if index < parts_before:
            out.append(Outgoing(channel, dict(message), f"{revised}:part{index}", update_of=part))
        else:
            out.append(Outgoing(channel, dict(message), part, thread_of=key))
    for index in range(len(messages), parts_before):
        out.append(
            Outgoing(
                channel,
                dict(report_views.moved_message(locale)),
                f"{revised}:part{index}",
                update_of=_part_key(key, index),
            )
        )
    if report.standup.mode == "thread":
        for index, message in enumerate(report_views.added_reply(report, answer, locale, updated=updated)):
            out.append(
                Outgoing(channel, dict(message), f"{revised}:member:{answer.user_id}:{index}", thread_of=key)
            )
    return out, max(parts_before, len(messages))
