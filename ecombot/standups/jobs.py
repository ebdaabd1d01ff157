"""Scheduled standup work, found by the scheduler's tick and claimed once per member and slot: the
prompt at each member's own prompt time, the one reminder before the report, and the report at the
summary time in the workspace's zone. What they change (who was asked, that the report is out) is
written in the same transaction as their claims, so a restart neither loses nor repeats anything."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.clock import zone as zone_of
from ecombot.scheduling.service import Firing, Outgoing
from ecombot.standups import answers, posting, service, status_views, views
from ecombot.standups.calendar import is_standup_day
from ecombot.standups.models import Standup
from ecombot.workspaces import service as workspaces

PROMPT_GRACE = timedelta(hours=6)  # a prompt missed while the bot was down still goes out this late
REPORT_GRACE = timedelta(hours=6)


@dataclass
class _Team:
    """What every standup of one workspace needs in a pass: its zone and language."""

    zone: ZoneInfo
    language: str


class _Pass:
    """One run of a tick: the running standups and their workspaces read once, in two queries; a
    workspace's holidays only when one of its standups has something due."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.active = service.active_standups(session)
        self.workspaces = workspaces.get_workspaces(session, {s.team_id for s in self.active})
        self.teams: dict[str, _Team] = {}
        self.holidays: dict[str, set[date]] = {}

    def team(self, team_id: str) -> _Team:
        if team_id not in self.teams:
            workspace = self.workspaces.get(team_id) or workspaces.get_workspace(self.session, team_id)
            self.teams[team_id] = _Team(zone=zone_of(workspace.timezone), language=workspace.language)
        return self.teams[team_id]

    def runs_on(self, standup: Standup, day: date) -> bool:
        if standup.team_id not in self.holidays:
            self.holidays[standup.team_id] = set(service.holidays(self.session, standup.team_id))
        return is_standup_day(day, standup.days, standup.calendar, self.holidays[standup.team_id])

    def first_day_of_week(self, standup: Standup, day: date) -> bool:
        """True when no earlier day of this week was a standup day (a holiday Monday moves it on)."""
        monday = day - timedelta(days=day.weekday())
        return not any(self.runs_on(standup, monday + timedelta(days=i)) for i in range(day.weekday()))

    def standups(self) -> Iterator[tuple[Standup, _Team]]:
        for standup in self.active:
            yield standup, self.team(standup.team_id)


def prompt_slot(standup: Standup, day: date, zone: ZoneInfo) -> datetime:
    """When someone in `zone` is asked on `day`."""
    return datetime.combine(day, service.parse_hhmm(standup.prompt_time), tzinfo=zone)


def _person_zone(person: Caller | None, team: _Team) -> ZoneInfo:
    return zone_of(person.tz) if person is not None else team.zone


# -- prompts -------------------------------------------------------------------------------------


def prompt_members(session: Session, now: datetime) -> list[Firing]:
    """Tick: each member whose prompt time has come on a standup day of theirs gets the questions by DM,
    once, unless they are away, already answered, or joined after the day's roster was fixed."""
    run = _Pass(session, now)
    firings: list[Firing] = []
    waiting = _not_asked_yet(run)
    for standup, team in run.standups():
        if standup.id not in waiting:
            continue
        members = service.participants(session, standup)
        if not members:
            continue
        people = workspaces.callers_of(session, standup.team_id, members, now)
        due: dict[date, list[tuple[str, datetime]]] = {}
        for user in members:
            zone = _person_zone(people.get(user), team)
            for day in _days_around(now, zone)[:2]:  # yesterday's too: a late prompt time's grace
                slot = prompt_slot(standup, day, zone)
                if slot <= now < slot + PROMPT_GRACE and run.runs_on(standup, day):
                    due.setdefault(day, []).append((user, slot))
        for day, wanted in due.items():
            opened = answers.open_day(session, standup, day, now)
            away = service.away_on(session, standup.team_id, [u for u, _ in wanted], day)
            given = answers.answers_on(session, standup, day)
            asked: list[tuple[str, datetime]] = []
            for user, slot in wanted:
                if user not in opened.roster or user in away:
                    continue
                answer = given.get(user)
                if answer is not None and (answer.state == "done" or answer.prompted_at is not None):
                    continue
                asked.append((user, slot))
            # Each person's last "today" (offered as "yesterday") and their answer rows, for everyone
            # asked at once: a few statements per standup, not a few per person.
            previous = answers.previous_todays(session, standup, [u for u, _ in asked], day)
            answers.start_asking_many(session, standup, day, [u for u, _ in asked], now)
            for user, slot in asked:
                person = people.get(user)
                locale = person.locale if person is not None else team.language
                # Ops leads hear once a week (on the standup's first day of it) that next year's
                # official calendar is not known yet.
                warned = person is not None and person.is_manager and run.first_day_of_week(standup, day)
                warning = status_views.calendar_warning(standup, day, locale) if warned else ""
                message = views.prompt_message(
                    standup, day, locale, previous=previous.get(user, ""), warning=warning
                )
                key = f"standups.prompt:{standup.id}:{user}"
                firings.append(
                    Firing(
                        job_key=key,
                        slot=slot,
                        team_id=standup.team_id,
                        messages=[Outgoing(user, dict(message), f"{key}:{day.isoformat()}")],
                    )
                )
    return firings


def _not_asked_yet(run: _Pass) -> set[int | None]:
    """The standups that may have someone to ask now, found for all of them in a query per day: with
    someone in a zone (their own, or their workspace's) whose prompt time has come on what may be a
    standup day, who has neither answered nor been asked. The rest are not looked at: in the six hours
    a prompt may still go out, a pass does not read every standup's members again."""
    if not run.active:
        return set()
    zones = {name: zone_of(name) for name in workspaces.zone_names(run.session)}
    wanted: dict[date, dict[int, set[str]]] = {}
    for standup in run.active:
        assert standup.id is not None
        for name, zone in zones.items():
            for day in _days_around(run.now, zone)[:2]:  # yesterday's too: a late prompt time's grace
                slot = prompt_slot(standup, day, zone)
                # Without the workspace's own holidays (read later, for the few left): they only take days away.
                if slot <= run.now < slot + PROMPT_GRACE and is_standup_day(
                    day, standup.days, standup.calendar, ()
                ):
                    wanted.setdefault(day, {}).setdefault(standup.id, set()).add(name)
    found: set[int | None] = set()
    for day, standups in wanted.items():
        names = set().union(*standups.values())
        found |= answers.not_asked_yet(run.session, set(standups), names, day)
    return found


# -- the reminder --------------------------------------------------------------------------------


def _days_around(now: datetime, zone: ZoneInfo) -> tuple[date, date, date]:
    today = now.astimezone(zone).date()
    return today - timedelta(days=1), today, today + timedelta(days=1)


def remind_members(session: Session, now: datetime) -> list[Firing]:
    """Tick: at the reminder time, one DM to each member who was asked and has not answered (never to
    someone away, never twice)."""
    run = _Pass(session, now)
    due: dict[tuple[date, datetime], list[Standup]] = {}
    for standup, team in run.standups():
        if standup.reminder_minutes is None:
            continue
        for day in _days_around(now, team.zone):
            report_at = answers.summary_at(standup, day, team.zone)
            at = report_at - timedelta(minutes=standup.reminder_minutes)
            if at <= now < report_at:
                due.setdefault((day, at), []).append(standup)
    firings: list[Firing] = []
    for (day, at), standups in due.items():
        # For the half hour before the report, only the standups with someone still to remind.
        waiting = answers.not_reminded_yet(session, {s.id for s in standups if s.id is not None}, day, at)
        for standup in standups:
            if standup.id in waiting and run.runs_on(standup, day):
                firings += _reminders(run, standup, day, at)
    return firings


def _reminders(run: _Pass, standup: Standup, day: date, at: datetime) -> list[Firing]:
    session, now, team = run.session, run.now, run.team(standup.team_id)
    report_at = answers.summary_at(standup, day, team.zone)
    firings: list[Firing] = []
    opened = answers.get_day(session, standup, day)
    if opened is None or opened.reported_at is not None:
        return []
    away = service.away_on(session, standup.team_id, opened.roster, day)
    given = answers.answers_on(session, standup, day)
    current = set(service.participants(session, standup))  # not those who left since
    waiting = [
        user
        for user in opened.roster
        if user in current
        and user not in away
        and (answer := given.get(user)) is not None
        and answer.prompted_at is not None
        and answer.prompted_at <= at
        and answer.state != "done"
    ]
    people = workspaces.callers_of(session, standup.team_id, waiting, now)
    for user in waiting:
        person = people.get(user)
        locale = person.locale if person is not None else team.language
        key = f"standups.reminder:{standup.id}:{user}"
        local = report_at.astimezone(_person_zone(person, team))
        when = f"{local:%H:%M}" if local.date() == report_at.date() else f"{local:%m-%d %H:%M}"
        message = views.reminder_message(standup, day, locale, report_at=when)
        firings.append(
            Firing(
                job_key=key,
                slot=at,
                team_id=standup.team_id,
                messages=[Outgoing(user, dict(message), f"{key}:{day.isoformat()}")],
            )
        )
    return firings


# -- the report ----------------------------------------------------------------------------------


def post_reports(session: Session, now: datetime) -> list[Firing]:
    """Tick: at the summary time, the day's report in the channel, once. Who was away and whose prompt
    comes only after the report are fixed with it; answers given later are added to it."""
    run = _Pass(session, now)
    due: dict[date, list[tuple[Standup, _Team, datetime]]] = {}
    for standup, team in run.standups():
        for day in _days_around(now, team.zone):
            at = answers.summary_at(standup, day, team.zone)
            if at <= now < at + REPORT_GRACE:
                due.setdefault(day, []).append((standup, team, at))
    firings: list[Firing] = []
    for day, standups in due.items():
        # For the six hours a report may still go out, the ones out already are passed over.
        days = answers.days_of(session, {s.id for s, _, _ in standups if s.id is not None}, day)
        for standup, team, at in standups:
            found = days.get(standup.id or 0)
            if (found is not None and found.reported_at is not None) or not run.runs_on(standup, day):
                continue
            firing = _report(run, standup, team, day, at)
            if firing is not None:
                firings.append(firing)
    return firings


def _report(run: _Pass, standup: Standup, team: _Team, day: date, at: datetime) -> Firing | None:
    session, now = run.session, run.now
    answers.open_day(session, standup, day, now)
    opened = answers.get_day(session, standup, day, lock=True)
    if opened is None or opened.reported_at is not None:
        return None
    # Those who left since the day opened and did not answer are no longer waited for.
    current = set(service.participants(session, standup))
    done = {u for u, a in answers.answers_on(session, standup, day).items() if a.state == "done"}
    roster = [u for u in opened.roster if u in current or u in done]
    if roster != opened.roster:
        opened.roster = roster
        session.add(opened)
    away = service.away_on(session, standup.team_id, roster, day)
    people = workspaces.callers_of(session, standup.team_id, roster, now)
    later = {user for user in roster if prompt_slot(standup, day, _person_zone(people.get(user), team)) > at}
    report = answers.report(session, standup, opened, away=away, later=later)
    key = posting.report_key(standup, day)
    messages: list[Outgoing] = []
    parts = 0
    if roster:
        messages, parts = posting.report_outgoing(report, team.language)
    answers.mark_reported(
        session, opened, key=key if roster else "", parts=parts, now=now, away=away, later=later
    )
    return Firing(
        job_key=f"standups.report:{standup.id}", slot=at, team_id=standup.team_id, messages=messages
    )
