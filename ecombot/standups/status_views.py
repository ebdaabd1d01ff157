"""What `/standup show`, `report` and `stats` answer, and the App Home section (pure; user text
escaped here)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, fmt_percent, t
from ecombot.slack.text import esc, mention
from ecombot.standups.calendar import cn_known_years, cn_knows
from ecombot.standups.history import MemberStats
from ecombot.standups.models import Standup, StandupAnswer
from ecombot.standups.service import questions_of
from ecombot.standups.views import ANSWER, channel_ref, day_value, days_text, pieces

HISTORY_ROOM = 46  # blocks for answers, leaving room for the header and the page line
HISTORY_PAGE = 40  # answers read for one page (a page shows as many as fit)
HISTORY_MORE = "standups.history_more"


def _people(user_ids: Sequence[str]) -> str:
    return ", ".join(mention(u) for u in user_ids)


@dataclass(frozen=True)
class Today:
    """Where a standup is today: its day, who answered, who is waited for, who is away."""

    day: date | None
    answered: list[str]
    waiting: list[str]
    away: list[str]


def show_message(
    standup: Standup, members: Sequence[str], today: Today, locale: str, *, workspace_tz: str
) -> bk.Message:
    """`/standup show`: the setup, today's status and the calendar."""
    reminder = (
        t(locale, "standups.reminder_before", minutes=standup.reminder_minutes)
        if standup.reminder_minutes
        else t(locale, "standups.reminder_off")
    )
    when = t(
        locale,
        "standups.show_when",
        days=days_text(standup.days, locale),
        prompt=standup.prompt_time,
        summary=standup.summary_time,
        tz=esc(workspace_tz),
        reminder=reminder,
        mode=t(locale, f"standups.mode.{standup.mode}"),
    )
    questions = [
        f"{i + 1}. {esc(text)}" + (f" {t(locale, 'standups.blockers_mark')}" if kind == "blockers" else "")
        for i, (text, kind) in enumerate(questions_of(standup))
    ]
    blocks: list[bk.Block] = [
        bk.section(f"*{t(locale, 'standups.show_title', channel=channel_ref(standup.channel_id))}*\n{when}")
    ]
    if standup.paused:
        blocks.append(bk.context(t(locale, "standups.status_paused")))
    blocks.append(bk.section(f"*{t(locale, 'standups.show_questions')}*\n" + "\n".join(questions)))
    people = t(locale, "standups.participants", count=len(members), people=_people(members) or "–")
    blocks += [bk.context(piece) for piece in bk.split_lines([people], 2900)]
    if today.day is not None:
        status = [
            t(
                locale,
                "standups.show_today",
                day=fmt_date(today.day, locale),
                answered=len(today.answered),
                total=len(today.answered) + len(today.waiting),
            )
        ]
        if today.waiting:
            status.append(t(locale, "standups.show_waiting", people=_people(today.waiting)))
        if today.away:
            status.append(t(locale, "standups.show_away", people=_people(today.away)))
        blocks += bk.sections(status)
    blocks.append(bk.context(calendar_line(standup, today.day, locale)))
    warning = calendar_warning(standup, today.day, locale)
    if warning:
        blocks.append(bk.context(warning))
    return bk.ephemeral(when, blocks)


def calendar_line(standup: Standup, day: date | None, locale: str) -> str:
    """Which calendar the standup follows, and the years it knows."""
    if standup.calendar != "cn":
        return t(locale, "standups.calendar_none")
    first, last = cn_known_years()
    return t(locale, "standups.calendar_cn", first=first, last=last)


def calendar_warning(standup: Standup, day: date | None, locale: str) -> str:
    """A warning when the official calendar of the coming year is not known yet ("" otherwise)."""
    if standup.calendar != "cn" or day is None:
        return ""
    for when in (day, day + timedelta(days=45)):
        if not cn_knows(when):
            return t(locale, "standups.calendar_unknown", year=when.year)
    return ""


@dataclass(frozen=True)
class HistoryQuery:
    """Which answers `/standup report` shows, and from where (its Next button carries it)."""

    standup_id: int
    user: str
    first: date
    last: date
    offset: int = 0

    def value(self, offset: int) -> str:
        """The Next button's value: this query from `offset` on."""
        return json.dumps(
            {
                "s": self.standup_id,
                "u": self.user,
                "f": self.first.isoformat(),
                "l": self.last.isoformat(),
                "o": offset,
            },
            separators=(",", ":"),
        )


def history_message(
    answers: Sequence[StandupAnswer], total: int, query: HistoryQuery, standup: Standup, locale: str
) -> bk.Message:
    """`/standup report`: one page of answers in a range, newest first, as many as one message holds
    (every word of each), with Next while more remain."""
    title = t(
        locale,
        "standups.history_title",
        first=fmt_date(query.first, locale),
        last=fmt_date(query.last, locale),
    )
    blocks: list[bk.Block] = [bk.header(title)]
    if not answers:
        blocks.append(bk.section(t(locale, "standups.history_empty")))
        return bk.ephemeral(title, blocks)
    questions = questions_of(standup)
    shown = 0
    for answer in answers:
        lines = [f"*{fmt_date(answer.day, locale)}* · {mention(answer.user_id)}"]
        for index, (question, _) in enumerate(questions):
            if index < len(answer.answers) and answer.answers[index]:
                label = f"_{esc(question)}_ "
                parts = pieces(answer.answers[index], bk.SECTION_BUDGET - len(label))
                lines += [f"{label}{parts[0]}", *parts[1:]]
        entry = bk.sections(lines)
        if shown and len(blocks) + len(entry) > HISTORY_ROOM:
            break
        blocks += entry
        shown += 1
    end = query.offset + shown
    page = t(locale, "standups.history_page", first=query.offset + 1, last=end, total=total)
    if end < total:
        more = bk.button(t(locale, "standups.history_next"), HISTORY_MORE, query.value(end))
        blocks.append(bk.section(page, accessory=more))
    else:
        blocks.append(bk.context(page))
    return bk.ephemeral(title, blocks)


def stats_message(rows: Sequence[MemberStats], days: int, locale: str) -> bk.Message:
    """`/standup stats`: per member, over the last days."""
    title = t(locale, "standups.stats_title", days=days)
    if not rows:
        return bk.ephemeral(title, [bk.header(title), bk.section(t(locale, "standups.stats_empty"))])
    lines = [
        t(
            locale,
            "standups.stats_line",
            user=row.user_id,
            answered=row.answered,
            days=row.days,
            rate=fmt_percent(row.answered / row.days if row.days else None, locale, 0),
            on_time=row.on_time,
            blockers=row.blockers,
            tracked=row.tracked,
        )
        for row in rows
    ]
    return bk.ephemeral(title, [bk.header(title), *bk.sections(lines)][: bk.MESSAGE_BLOCK_LIMIT])


def home_blocks(entries: Sequence[HomeEntry], locale: str, budget: int) -> list[bk.Block]:
    """The standups section of App Home: today's status in each of my standups (with Answer), and for
    ops leads the team's."""
    if not entries:
        return []
    blocks: list[bk.Block] = [bk.header(t(locale, "standups.home_title"))]
    for entry in entries:
        if len(blocks) + 2 > budget:
            break
        where = {"channel": channel_ref(entry.standup.channel_id), "day": fmt_date(entry.day, locale)}
        if entry.state == "team":
            text = f":busts_in_silhouette: {where['channel']} · {where['day']}"
        else:
            key = {"answered": "standups.home_answered", "away": "standups.home_away"}.get(
                entry.state, "standups.home_to_answer"
            )
            text = t(locale, key, **where)
        label = "standups.edit_button" if entry.state == "answered" else "standups.answer_button"
        button = (
            None
            if entry.state in ("away", "team")
            else bk.button(t(locale, label), ANSWER, day_value(entry.standup, entry.day))
        )
        blocks.append(bk.section(text, accessory=button))
        if entry.team is not None:
            answered, total = entry.team
            blocks.append(bk.context(t(locale, "standups.home_team", answered=answered, total=total)))
    return blocks


@dataclass(frozen=True)
class HomeEntry:
    """One standup in someone's Home: the day, their state, and (for ops leads) the team's count."""

    standup: Standup
    day: date
    state: str  # answered | to_answer | away | team (an ops lead's view of a standup they are not in)
    team: tuple[int, int] | None = None
