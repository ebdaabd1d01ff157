"""Cron rules evaluated on local wall-clock time in an IANA zone, with explicit DST semantics.

We do not use APScheduler's CronTrigger: in 3.11 it misbehaves around DST (on a fall-back day
`30 1 * * *` in America/New_York fires at 01:30 EDT, then 01:30 EST, then returns that instant forever).

The semantics, in one sentence: a rule picks naive local wall-clock minutes, and each picked minute
`c` fires at the instant `c.replace(tzinfo=zone, fold=0)`. Hence:

- a minute inside a spring-forward gap (02:30 on a day that jumps 02:00 -> 03:00) still fires, once,
  at the instant fold=0 gives (read with the pre-transition offset, i.e. 03:30 after the jump);
- a minute inside a fall-back repeated hour fires once, at its first occurrence (fold=0);
- two minutes that land on the same instant (02:30 in the gap and 03:30) fire once.

Because the gap mapping is not monotonic (02:30 -> 03:30 new time, but 03:00 -> 03:00), instants are
found by scanning candidates in a window and keeping them in a heap until no later candidate can
land before them; `_SLACK` bounds how far a candidate's instant can move relative to its neighbours.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

__all__ = ["CronRule", "RuleError"]

# Larger than any UTC-offset change between neighbouring candidates (DST shifts are at most 2 h,
# Antarctica/Troll); date-line jumps of a whole day only happened in the past (Samoa, 2011).
_SLACK = timedelta(hours=3)
# How far back `last_fire` looks; more than a year so yearly rules always have a previous firing.
_LOOKBACK = timedelta(days=400)

_ALIASES: Mapping[str, str] = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# Longest each month can be (February counts its leap day), to reject rules that can never fire.
_MONTH_MAX_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# str.isdigit() accepts other scripts' digits ("²", "٣"); cron only knows ASCII ones.
_NUMBER = re.compile(r"[0-9]+")


class RuleError(ValueError):
    """A cron rule that cannot be read; the message names the field and the bad text."""


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    low: int
    high: int
    # `*` covers low..star_high: day-of-week accepts 7 for Sunday but `*` must not count Sunday twice.
    star_high: int
    names: Mapping[str, int]
    noun: str


_FIELD_SPECS = (
    _FieldSpec("minute", 0, 59, 59, {}, "a number"),
    _FieldSpec("hour", 0, 23, 23, {}, "a number"),
    _FieldSpec("day-of-month", 1, 31, 31, {}, "a number"),
    _FieldSpec("month", 1, 12, 12, {n: i + 1 for i, n in enumerate(_MONTH_NAMES)}, "a number or month name"),
    _FieldSpec("day-of-week", 0, 7, 6, {n: i for i, n in enumerate(_DAY_NAMES)}, "a number or day name"),
)


def _parse_value(text: str, spec: _FieldSpec, item: str, *, range_end: bool = False) -> int:
    if not text:
        raise RuleError(f"{spec.name}: missing value in {item!r}")
    if _NUMBER.fullmatch(text):
        value = int(text)
        if not spec.low <= value <= spec.high:
            raise RuleError(f"{spec.name}: {value} is out of range {spec.low}-{spec.high}")
        return value
    lowered = text.lower()
    if lowered in spec.names:
        # "fri-sun" reads naturally as Friday to Sunday, so Sunday ending a range is 7, not 0.
        if range_end and spec.name == "day-of-week" and lowered == "sun":
            return 7
        return spec.names[lowered]
    raise RuleError(f"{spec.name}: {text!r} is not {spec.noun}")


def _parse_field(text: str, spec: _FieldSpec) -> frozenset[int]:
    values: set[int] = set()
    for item in text.split(","):
        if not item:
            raise RuleError(f"{spec.name}: empty item in {text!r}")
        body, slash, step_text = item.partition("/")
        step = 1
        if slash:
            span = spec.star_high - spec.low + 1
            if not _NUMBER.fullmatch(step_text):
                raise RuleError(f"{spec.name}: step {step_text!r} in {item!r} is not a number")
            step = int(step_text)
            if step == 0:
                raise RuleError(f"{spec.name}: step 0 in {item!r}")
            if step > span:
                raise RuleError(f"{spec.name}: step {step} in {item!r} is out of range 1-{span}")
        if body == "*":
            low, high = spec.low, spec.star_high
        elif "-" in body:
            first, _, last = body.partition("-")
            low = _parse_value(first, spec, item)
            high = _parse_value(last, spec, item, range_end=True)
            if low > high:
                raise RuleError(f"{spec.name}: range {body!r} is reversed")
        else:
            low = _parse_value(body, spec, item)
            # "a/n" means from a to the field's maximum in steps of n.
            high = max(spec.star_high, low) if slash else low
        values.update(range(low, high + 1, step))
    return frozenset(values)


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")
    return moment.astimezone(UTC)


def _local(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock time of an aware instant in `zone`."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _instant(candidate: datetime, zone: ZoneInfo) -> datetime:
    """The instant a naive local candidate fires at: fold=0 (gap -> pre-transition offset, repeat -> first pass)."""
    return candidate.replace(tzinfo=zone, fold=0).astimezone(UTC)


@dataclass(frozen=True)
class CronRule:
    """A parsed five-field cron rule; weekdays are stored Python-style (0 = Monday .. 6 = Sunday)."""

    expr: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    dom_restricted: bool
    dow_restricted: bool

    @classmethod
    def parse(cls, expr: str) -> CronRule:
        """Read `minute hour day-of-month month day-of-week` or an @alias; RuleError if it is malformed.

        Rules are immutable, so one is parsed once and shared: the live scheduler keeps one per enabled
        schedule, and a fan-out's thousands of schedules share a handful of rules (5,000 parsed apart
        held about 17 MB)."""
        return _parsed(expr)

    @classmethod
    def _read(cls, expr: str) -> CronRule:
        normalized = " ".join(expr.split())
        if not normalized:
            raise RuleError("empty rule: expected 5 fields (minute hour day-of-month month day-of-week)")
        text = normalized
        if text.startswith("@"):
            alias = _ALIASES.get(text.lower())
            if alias is None:
                raise RuleError(f"unknown alias {text!r}; known: {', '.join(sorted(_ALIASES))}")
            text = alias
        parts = text.split(" ")
        if len(parts) != 5:
            raise RuleError(
                f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)} in {text!r}"
            )
        minutes, hours, days, months, cron_weekdays = (
            _parse_field(part, spec) for part, spec in zip(parts, _FIELD_SPECS, strict=True)
        )
        # Cron counts 0 (and 7) = Sunday, 1 = Monday; Python's date.weekday() has 0 = Monday, 6 = Sunday.
        weekdays = frozenset((d - 1) % 7 for d in cron_weekdays)
        # Vixie cron: a day field starting with "*" (even "*/2") does not count as restricted for the
        # OR rule; crontab(5) documents it and users copy rules from it.
        dom_restricted = not parts[2].startswith("*")
        dow_restricted = not parts[4].startswith("*")
        if not (dom_restricted and dow_restricted) and not any(
            day <= _MONTH_MAX_DAYS[month - 1] for month in months for day in days
        ):
            # Would make next_fire search until year 9999; a typo like "31 2" deserves an error instead.
            raise RuleError(f"day-of-month: {parts[2]!r} never occurs in month {parts[3]!r}")
        return cls(
            expr=normalized,
            minutes=minutes,
            hours=hours,
            days=days,
            months=months,
            weekdays=weekdays,
            dom_restricted=dom_restricted,
            dow_restricted=dow_restricted,
        )

    def __str__(self) -> str:
        """The rule as written (whitespace normalized)."""
        return self.expr

    @cached_property
    def _sorted_times(self) -> tuple[time, ...]:
        return tuple(time(h, m) for h in sorted(self.hours) for m in sorted(self.minutes))

    def _day_matches(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        dom = day.day in self.days
        dow = day.weekday() in self.weekdays
        # Vixie-cron: both day fields restricted -> either may match; otherwise both must (a "*" always does).
        if self.dom_restricted and self.dow_restricted:
            return dom or dow
        return dom and dow

    def matches(self, local: datetime) -> bool:
        """Whether the wall-clock minute of `local` (naive local time; seconds ignored) is picked by the rule."""
        return local.minute in self.minutes and local.hour in self.hours and self._day_matches(local.date())

    def _days_from(self, start: date) -> Iterator[date]:
        """Matching days >= start, ascending; whole unwanted months are skipped at once."""
        day = start
        try:
            while True:
                if day.month not in self.months:
                    day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
                    continue
                if self._day_matches(day):
                    yield day
                day += timedelta(days=1)
        except (OverflowError, ValueError):  # ran past date.max
            return

    def _days_back(self, start: date, stop: date) -> Iterator[date]:
        """Matching days in [stop, start], descending."""
        day = start
        while day >= stop:
            if day.month not in self.months:
                # Jump to the last day of the previous month.
                day = day.replace(day=1) - timedelta(days=1)
                continue
            if self._day_matches(day):
                yield day
            if day == date.min:
                return
            day -= timedelta(days=1)

    def _candidates_from(self, start: datetime) -> Iterator[datetime]:
        """Matching naive local minutes >= start, ascending."""
        for day in self._days_from(start.date()):
            for at in self._sorted_times:
                candidate = datetime.combine(day, at)
                if candidate >= start:
                    yield candidate

    def _candidates_back(self, start: datetime, stop: datetime) -> Iterator[datetime]:
        """Matching naive local minutes in [stop, start], descending."""
        for day in self._days_back(start.date(), stop.date()):
            for at in reversed(self._sorted_times):
                candidate = datetime.combine(day, at)
                if candidate < stop:
                    return
                if candidate <= start:
                    yield candidate

    def _instants_after(self, after: datetime, zone: ZoneInfo) -> Iterator[datetime]:
        """Every firing instant strictly after `after` (UTC), ascending and unique, without end."""
        # A candidate more than _SLACK (local time) before `after` cannot land after it.
        pending: list[datetime] = []
        last: datetime | None = None
        for candidate in self._candidates_from(_local(after, zone) - _SLACK):
            instant = _instant(candidate, zone)
            if instant > after:
                heapq.heappush(pending, instant)
            # Once candidates are _SLACK past an instant's local time, none can land at or before it.
            while pending and _local(pending[0], zone) + _SLACK <= candidate:
                earliest = heapq.heappop(pending)
                if last is None or earliest > last:  # a gap minute and its twin after the jump coincide
                    last = earliest
                    yield earliest
        while pending:
            earliest = heapq.heappop(pending)
            if last is None or earliest > last:
                last = earliest
                yield earliest

    def next_fire(self, after: datetime, tz: str | ZoneInfo) -> datetime:
        """The first firing instant strictly after `after` (aware, any zone), as an aware UTC datetime."""
        zone = _zone(tz)
        for instant in self._instants_after(_utc(after, "after"), zone):
            return instant
        raise ValueError(f"rule {self.expr!r} never fires after {after.isoformat()}")

    def fires_between(self, after: datetime, until: datetime, tz: str | ZoneInfo) -> Iterator[datetime]:
        """Every firing instant t with after < t <= until, ascending, unique, as aware UTC datetimes."""
        zone = _zone(tz)
        start, end = _utc(after, "after"), _utc(until, "until")
        if end <= start:
            return
        for instant in self._instants_after(start, zone):
            if instant > end:
                return
            yield instant

    def last_fire(self, at: datetime, tz: str | ZoneInfo) -> datetime | None:
        """The latest firing instant <= `at`, as aware UTC; None if none in the 400 days before `at`."""
        zone = _zone(tz)
        at_utc = _utc(at, "at")
        floor = at_utc - _LOOKBACK
        at_local = _local(at_utc, zone)
        best: datetime | None = None
        best_local: datetime | None = None
        for candidate in self._candidates_back(at_local + _SLACK, at_local - _LOOKBACK - _SLACK):
            # Candidates more than _SLACK before the best one's local time land before it.
            if best_local is not None and candidate < best_local - _SLACK:
                break
            instant = _instant(candidate, zone)
            if floor < instant <= at_utc and (best is None or instant > best):
                best, best_local = instant, _local(instant, zone)
        return best


@lru_cache(maxsize=1024)
def _parsed(expr: str) -> CronRule:
    return CronRule._read(expr)
