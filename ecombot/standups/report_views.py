"""Standup reports: blockers first, each member's answers, who did not answer and who is away, spread
over as many messages as Slack's limits need (pure; user text escaped here)."""

from __future__ import annotations

from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.text import esc, mention
from ecombot.standups.answers import Report
from ecombot.standups.models import StandupAnswer
from ecombot.standups.views import channel_ref, pieces

TRACK = "standups.track"
MESSAGE_ROOM = 48  # blocks per report message, leaving room for a "continued" line


def _people(user_ids: list[str]) -> str:
    return ", ".join(mention(u) for u in user_ids)


def _member_blocks(report: Report, answer: StandupAnswer, locale: str) -> list[bk.Block]:
    who = (
        t(locale, "standups.report_member_late", user=answer.user_id)
        if answer.late
        else f"*{mention(answer.user_id)}*"
    )
    blocks: list[bk.Block] = [bk.section(who)]
    for index, (question, _) in enumerate(report.questions):
        text = answer.answers[index] if index < len(answer.answers) else ""
        if not text:
            continue
        label = f"*{esc(question)}*\n"
        # The label shares the first section: what is left of it holds the answer's first piece.
        parts = pieces(text, bk.SECTION_BUDGET - len(label))
        blocks.append(bk.section(f"{label}{parts[0]}"))
        blocks += [bk.section(part) for part in parts[1:]]
    return blocks


def _blocker_blocks(report: Report, locale: str) -> list[bk.Block]:
    if not report.blockers:
        return []
    blocks: list[bk.Block] = [bk.section(t(locale, "standups.report_blockers"))]
    for answer, text in report.blockers:
        parts = pieces(text, 2700)
        first = t(locale, "standups.report_blocker", user=answer.user_id, text=parts[0])
        button = bk.button(t(locale, "standups.track_button"), TRACK, str(answer.id))
        blocks.append(
            bk.section(first, accessory=button, block_id=bk.encode_id("standups.blocker", answer.id))
        )
        blocks += [bk.section(part) for part in parts[1:]]
    return blocks


def _footer(report: Report, locale: str) -> list[bk.Block]:
    lines = []
    if report.missing:
        lines.append(t(locale, "standups.report_missing", people=_people(report.missing)))
    if report.later:
        lines.append(t(locale, "standups.report_later", people=_people(report.later)))
    if report.away:
        lines.append(t(locale, "standups.report_away", people=_people(report.away)))
    return [bk.context(piece) for piece in bk.split_lines(lines, 2900)] if lines else []


def _messages(head: list[bk.Block], body: list[bk.Block], text: str, locale: str) -> list[bk.Message]:
    """The head and body spread over messages of at most MESSAGE_ROOM blocks; the first is the report,
    the others go in its thread (a member's blocks are kept together when they fit)."""
    chunks = bk.paginate([*head, *body], MESSAGE_ROOM)
    messages = [bk.message(text, chunks[0])]
    continued = t(locale, "standups.report_continued")
    messages += [bk.message(f"{text} {continued}", [bk.context(continued), *chunk]) for chunk in chunks[1:]]
    return messages


def report_messages(report: Report, locale: str) -> tuple[list[bk.Message], list[tuple[str, bk.Message]]]:
    """The report: (messages for the channel, the first being the report itself; per-member replies for
    its thread in thread mode). Any size fits Slack's limits: what does not fit goes in the thread."""
    day = fmt_date(report.day.day, locale)
    title = t(locale, "standups.report_title", day=day)
    counts = t(
        locale,
        "standups.report_counts",
        answered=len(report.answered),
        total=len(report.answered) + len(report.missing) + len(report.later),
        blockers=len(report.blockers),
    )
    head: list[bk.Block] = [
        bk.header(title),
        bk.context(f"{channel_ref(report.standup.channel_id)} · {counts}"),
    ]
    head += _blocker_blocks(report, locale)
    text = f"{title} · {counts}"
    replies: list[tuple[str, bk.Message]] = []
    if report.standup.mode == "thread":
        body = []
        if report.answered:
            body.append(bk.context(t(locale, "standups.report_in_thread")))
        else:
            body.append(bk.section(t(locale, "standups.report_nobody")))
        body += _footer(report, locale)
        for answer in report.answered:
            member = _member_blocks(report, answer, locale)
            for index, chunk in enumerate(bk.paginate(member, MESSAGE_ROOM)):
                replies.append((f"{answer.user_id}:{index}", bk.message(f"<@{answer.user_id}>", chunk)))
        return _messages(head, body, text, locale), replies
    body = []
    for answer in report.answered:
        body += [bk.divider(), *_member_blocks(report, answer, locale)]
    if not report.answered:
        body.append(bk.section(t(locale, "standups.report_nobody")))
    body += _footer(report, locale)
    return _messages(head, body, text, locale), replies


def added_reply(report: Report, answer: StandupAnswer, locale: str, *, updated: bool) -> list[bk.Message]:
    """Answers given after the report (late, updated, or from someone whose prompt came after it) as
    replies in the report's thread."""
    blocks = _member_blocks(report, answer, locale)
    if updated:
        blocks[0] = bk.section(t(locale, "standups.report_member_updated", user=answer.user_id))
    return [bk.message(f"<@{answer.user_id}>", chunk) for chunk in bk.paginate(blocks, MESSAGE_ROOM)]


def moved_message(locale: str) -> bk.Message:
    """What a report message no longer needed says (the report got shorter when an answer changed)."""
    text = t(locale, "standups.report_moved")
    return bk.message(text, [bk.context(text)])
