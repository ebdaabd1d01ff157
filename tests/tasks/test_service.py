"""Tasks and checkpoints: numbering, validation, listing, closing, recurrence and reminders,
on a real database session."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.clock import FixedClock
from ecombot.config import WorkspaceDefaults
from ecombot.db import Counter
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.scheduling.service import fire_many
from ecombot.tasks import lists, reminders, service
from ecombot.tasks.lists import TaskQuery
from ecombot.tasks.models import Task
from ecombot.tasks.service import OpenCheckpoints, Progress, TaskDraft
from ecombot.workspaces.service import UserProfile, ensure_workspace, save_member

TEAM = "T_DEMO"
SHANGHAI = "Asia/Shanghai"
MONDAY = date(2026, 11, 23)  # the clock's day in Shanghai
BOT = "U_ECOMBOT"  # the app's own user


def _actor(
    clock: FixedClock,
    user: str = "U_BOSS",
    *,
    manager: bool = False,
    team: str = TEAM,
    tz: str = SHANGHAI,
    at: datetime | None = None,
    bot_user_id: str = BOT,
) -> Actor:
    return Actor(
        team_id=team,
        user_id=user,
        now=at or clock.now(),
        tz=tz,
        is_manager=manager,
        bot_user_id=bot_user_id,
    )


def _add(
    session: Session,
    clock: FixedClock,
    title: str = "上架新品",
    *,
    owner: str = "U_LI",
    creator: str = "U_BOSS",
    team: str = TEAM,
    tz: str = SHANGHAI,
    **fields: object,
) -> Task:
    change = service.add_task(
        session,
        _actor(clock, creator, team=team, tz=tz),
        TaskDraft(title=title, owner_id=owner, **fields),  # type: ignore[arg-type]
    )
    session.commit()
    return change.task


def _complete(
    session: Session,
    clock: FixedClock,
    number: int,
    *,
    actor: str = "U_LI",
    manager: bool = False,
    force: bool = False,
) -> service.Change:
    change = service.complete_task(session, _actor(clock, actor, manager=manager), number, force=force)
    session.commit()
    return change


def _numbers(tasks: list[Task]) -> list[int]:
    return [t.number for t in tasks]


def _live(session: Session) -> list[Task]:
    """Every task of the workspace not deleted, open or done, by number (no service filter)."""
    query = (
        select(Task).where(Task.team_id == TEAM, col(Task.deleted_at).is_(None)).order_by(col(Task.number))
    )
    return list(session.exec(query))


def _live_count(session: Session) -> int:
    return len(_live(session))


def _listed(
    session: Session, actor: Actor, mode: str = "all", *, user: str = "", campaign: str = ""
) -> list[int]:
    page = lists.list_page(session, actor, TaskQuery(mode=mode, user=user, campaign=campaign))
    return _numbers(page.tasks)


# -- add_task ------------------------------------------------------------------------------------


def test_numbers_increase_per_workspace_and_another_workspace_starts_at_one(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    ensure_workspace(session, team_id="T_OTHER", defaults=WorkspaceDefaults(), now=clock.now())
    session.commit()
    first = _add(session, clock, "one")
    second = _add(session, clock, "two")
    other = _add(session, clock, "elsewhere", team="T_OTHER")
    third = _add(session, clock, "three")
    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert other.number == 1
    assert service.get_task(session, "T_OTHER", 1).title == "elsewhere"
    assert service.get_task(session, TEAM, 1).title == "one"


def test_numbers_are_not_reused_after_a_delete(session: Session, clock: FixedClock, workspace: str) -> None:
    _add(session, clock, "one")
    _add(session, clock, "two")
    service.delete_task(session, _actor(clock, "U_BOSS"), 2)
    session.commit()
    assert _add(session, clock, "three").number == 3


def test_numbers_continue_after_tasks_stored_before_the_counter_existed(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    for number in range(1, 6):
        session.add(
            Task(
                team_id=TEAM,
                number=number,
                title=f"imported {number}",
                owner_id="U_LI",
                creator_id="U_BOSS",
                created_at=clock.now(),
                updated_at=clock.now(),
                # the highest one deleted: its number is still taken
                deleted_at=clock.now() if number == 5 else None,
            )
        )
    session.commit()
    assert list(session.exec(select(Counter))) == []  # no counter yet: the first add seeds it
    assert _add(session, clock, "six").number == 6
    assert _add(session, clock, "seven").number == 7
    assert _numbers(_live(session)) == [1, 2, 3, 4, 6, 7]


def test_add_stores_what_was_asked_with_the_title_trimmed(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    task = _add(
        session,
        clock,
        "  写详情页文案 \n",
        owner="U_LI",
        creator="U_BOSS",
        due_date=date(2026, 11, 25),
        priority="high",
        source_url="https://example.slack.com/archives/C1/p1",
    )
    stored = service.get_task(session, TEAM, task.number)
    assert stored.title == "写详情页文案"
    assert (stored.owner_id, stored.creator_id) == ("U_LI", "U_BOSS")
    assert stored.due_date == date(2026, 11, 25)
    assert stored.priority == "high"
    assert stored.status == "open"
    assert stored.source_url == "https://example.slack.com/archives/C1/p1"
    assert stored.created_at == clock.now()


@pytest.mark.parametrize("title", ["", "   ", "\n\t "])
def test_an_empty_title_is_refused(session: Session, clock: FixedClock, workspace: str, title: str) -> None:
    with pytest.raises(InvalidInput) as err:
        _add(session, clock, title)
    assert err.value.code == "task_title_missing"
    assert _live_count(session) == 0


def test_a_title_of_301_characters_is_refused_and_300_is_fine(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        _add(session, clock, "x" * 301)
    assert err.value.code == "task_title_too_long"
    assert err.value.params["limit"] == 300
    assert _live_count(session) == 0
    assert len(_add(session, clock, "y" * 300).title) == 300


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"priority": "urgent"}, "task_bad_priority"),
        ({"priority": ""}, "task_bad_priority"),
        ({"recurrence": "weekly"}, "task_bad_recurrence"),
        ({"recurrence": "friday"}, "task_bad_recurrence"),
        ({"owner": "li"}, "task_bad_owner"),
        ({"owner": ""}, "task_bad_owner"),
        ({"owner": "C_CHANNEL"}, "task_bad_owner"),
    ],
)
def test_bad_priority_recurrence_or_owner_is_refused(
    session: Session, clock: FixedClock, workspace: str, fields: dict[str, str], code: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        _add(session, clock, "task", **fields)
    assert err.value.code == code
    assert _live_count(session) == 0


def test_an_enterprise_user_id_may_own_a_task(session: Session, clock: FixedClock, workspace: str) -> None:
    assert _add(session, clock, owner="W_GRID").owner_id == "W_GRID"


# -- owners must be people -----------------------------------------------------------------------


def _meet_non_people(session: Session, clock: FixedClock) -> None:
    """A bot the workspace has (not this app), a deactivated account, and an ordinary member."""
    for profile in (
        UserProfile("U_OTHERBOT", name="Other bot", is_bot=True),
        UserProfile("U_GONE", name="Left", deleted=True),
        UserProfile("U_SAM", name="Sam"),
    ):
        save_member(session, team_id=TEAM, profile=profile, now=clock.now())
    session.commit()


NOT_PEOPLE = pytest.mark.parametrize(
    "owner", [BOT, "U_OTHERBOT", "U_GONE"], ids=["this-app", "known-bot", "deactivated"]
)


@NOT_PEOPLE
def test_a_bot_or_a_deactivated_member_may_not_be_given_a_new_task(
    session: Session, clock: FixedClock, workspace: str, owner: str
) -> None:
    _meet_non_people(session, clock)
    with pytest.raises(InvalidInput) as err:
        _add(session, clock, "上架新品", owner=owner)
    assert err.value.code == "not_a_person"
    assert err.value.params["user"] == owner
    assert _live_count(session) == 0


@NOT_PEOPLE
def test_a_task_may_not_be_assigned_to_a_bot_or_a_deactivated_member(
    session: Session, clock: FixedClock, workspace: str, owner: str
) -> None:
    _meet_non_people(session, clock)
    task = _add(session, clock, owner="U_LI", creator="U_BOSS")
    with pytest.raises(InvalidInput) as err:
        service.assign_task(session, _actor(clock, "U_BOSS"), task.number, owner)
    assert err.value.code == "not_a_person"
    assert err.value.params["user"] == owner
    session.rollback()
    assert service.get_task(session, TEAM, task.number).owner_id == "U_LI"


@NOT_PEOPLE
def test_an_edit_may_not_give_the_task_to_a_bot_or_a_deactivated_member(
    session: Session, clock: FixedClock, workspace: str, owner: str
) -> None:
    _meet_non_people(session, clock)
    task = _add(session, clock, "旧标题", owner="U_LI", creator="U_BOSS")
    with pytest.raises(InvalidInput) as err:
        service.edit_task(
            session, _actor(clock, "U_BOSS"), task.number, TaskDraft(title="新标题", owner_id=owner)
        )
    assert err.value.code == "not_a_person"
    assert err.value.params["user"] == owner
    session.rollback()
    stored = service.get_task(session, TEAM, task.number)
    assert (stored.title, stored.owner_id) == ("旧标题", "U_LI")


@pytest.mark.parametrize("owner", ["U_SAM", "U_STRANGER"], ids=["known-member", "unknown-member"])
def test_a_member_known_or_not_yet_met_may_own_a_task(
    session: Session, clock: FixedClock, workspace: str, owner: str
) -> None:
    _meet_non_people(session, clock)
    task = _add(session, clock, "上架新品", owner=owner)
    assert task.owner_id == owner
    other = _add(session, clock, "写文案", owner="U_LI")
    assert service.assign_task(session, _actor(clock, "U_BOSS"), other.number, owner).changed
    edited = _add(session, clock, "拍视频", owner="U_LI")
    service.edit_task(
        session, _actor(clock, "U_BOSS"), edited.number, TaskDraft(title="拍视频", owner_id=owner)
    )
    session.commit()
    assert [t.owner_id for t in _live(session)] == [owner, owner, owner]


@pytest.mark.parametrize("change", ["add", "edit", "assign"])
def test_a_task_for_oneself_is_always_fine(
    session: Session, clock: FixedClock, workspace: str, change: str
) -> None:
    # The actor's own member row says deactivated (a stale row: they are acting, so they are not):
    # a task for oneself is never refused.
    _meet_non_people(session, clock)
    me = _actor(clock, "U_GONE")
    if change == "add":
        result = service.add_task(session, me, TaskDraft(title="自己的事", owner_id="U_GONE"))
    else:
        number = _add(session, clock, "自己的事", owner="U_LI", creator="U_GONE").number
        if change == "edit":
            result = service.edit_task(session, me, number, TaskDraft(title="自己的事", owner_id="U_GONE"))
        else:
            result = service.assign_task(session, me, number, "U_GONE")
    session.commit()
    assert result.task.owner_id == "U_GONE"
    assert service.get_task(session, TEAM, result.task.number).owner_id == "U_GONE"


@pytest.mark.parametrize("campaign", ["#双11", "双11", "  #双11  "])
def test_campaign_is_stored_without_the_hash(
    session: Session, clock: FixedClock, workspace: str, campaign: str
) -> None:
    task = _add(session, clock, campaign=campaign)
    assert service.get_task(session, TEAM, task.number).campaign == "双11"


def test_a_recurring_task_without_a_date_starts_today(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    recurring = _add(session, clock, "日报", recurrence="day")
    plain = _add(session, clock, "随手记")
    dated = _add(session, clock, "周报", recurrence="fri", due_date=date(2026, 11, 27))
    assert recurring.due_date == MONDAY
    assert plain.due_date is None
    assert dated.due_date == date(2026, 11, 27)
    # "Today" is the creator's: at the same instant it is still Sunday evening in New York.
    western = _add(session, clock, "日报", recurrence="day", tz="America/New_York")
    assert western.due_date == date(2026, 11, 22)


def test_a_checkpoint_inherits_the_parent_campaign_when_it_has_none(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    parent = _add(session, clock, "双11 大促", campaign="#双11")
    inherited = _add(session, clock, "备货", parent_number=parent.number)
    own = _add(session, clock, "直播", parent_number=parent.number, campaign="黑五")
    assert inherited.parent_id == parent.id
    assert inherited.campaign == "双11"
    assert own.campaign == "黑五"
    assert service.parent_of(session, inherited) == parent
    assert service.parent_of(session, parent) is None


def test_a_checkpoint_of_a_checkpoint_is_refused(session: Session, clock: FixedClock, workspace: str) -> None:
    parent = _add(session, clock, "大促")
    checkpoint = _add(session, clock, "备货", parent_number=parent.number)
    with pytest.raises(InvalidInput) as err:
        _add(session, clock, "下单", parent_number=checkpoint.number)
    assert err.value.code == "task_nested_checkpoint"
    assert _live_count(session) == 2


def test_a_checkpoint_of_an_unknown_task_is_refused(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    with pytest.raises(NotFound) as err:
        _add(session, clock, "备货", parent_number=42)
    assert err.value.code == "task_not_found"
    assert err.value.params["number"] == 42
    assert _live_count(session) == 0


# -- reading -------------------------------------------------------------------------------------


def test_a_number_of_another_workspace_is_not_found(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    ensure_workspace(session, team_id="T_OTHER", defaults=WorkspaceDefaults(), now=clock.now())
    session.commit()
    _add(session, clock, "mine")
    _add(session, clock, "theirs 1", team="T_OTHER")
    _add(session, clock, "theirs 2", team="T_OTHER")
    with pytest.raises(NotFound) as err:
        service.get_task(session, TEAM, 2)
    assert err.value.code == "task_not_found"
    with pytest.raises(NotFound):
        service.complete_task(session, _actor(clock, "U_LI", manager=True), 2)
    assert service.get_task(session, "T_OTHER", 2).status == "open"


def test_a_deleted_task_is_not_found(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock)
    service.delete_task(session, _actor(clock, "U_BOSS"), task.number)
    session.commit()
    with pytest.raises(NotFound) as err:
        service.get_task(session, TEAM, task.number)
    assert err.value.code == "task_not_found"
    assert _live(session) == []


def test_show_gives_the_task_with_its_progress_and_parent(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    parent = _add(session, clock, "大促")
    first = _add(session, clock, "备货", parent_number=parent.number)
    _add(session, clock, "直播", parent_number=parent.number)
    _complete(session, clock, first.number)
    shown = service.show_task(session, _actor(clock, "U_SAM"), parent.number)
    assert (shown.task.number, shown.changed) == (parent.number, False)
    assert (shown.progress, shown.parent) == (Progress(1, 2), None)
    checkpoint = service.show_task(session, _actor(clock, "U_SAM"), first.number)
    assert checkpoint.parent == parent
    assert checkpoint.progress is None
    with pytest.raises(NotFound):
        service.show_task(session, _actor(clock, "U_SAM"), 99)


def test_list_orders_by_due_date_undated_last_then_number(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _add(session, clock, "undated a")  # 1
    _add(session, clock, "later", due_date=date(2026, 12, 1))  # 2
    _add(session, clock, "soon", due_date=date(2026, 11, 24))  # 3
    _add(session, clock, "undated b")  # 4
    _add(session, clock, "soon too", due_date=date(2026, 11, 24))  # 5
    _add(session, clock, "overdue", due_date=date(2026, 11, 1))  # 6
    assert _listed(session, _actor(clock)) == [6, 3, 5, 2, 1, 4]


def test_list_pages_through_the_same_order_with_counts_of_the_whole_list(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    for day in (None, date(2026, 12, 1), MONDAY, None, MONDAY, date(2026, 11, 1), date(2026, 11, 25)):
        _add(session, clock, due_date=day)  # 1..7
    query = TaskQuery(mode="all")
    pages = [lists.list_page(session, _actor(clock), query, offset=offset, limit=3) for offset in (0, 3, 6)]
    assert [_numbers(p.tasks) for p in pages] == [[6, 3, 5], [7, 2, 1], [4]]
    assert [p.offset for p in pages] == [0, 3, 6]
    expected = {"overdue": 1, "today": 2, "week": 1, "later": 1, "none": 2}
    assert all(p.counts == expected and p.total == 7 for p in pages)
    beyond = lists.list_page(session, _actor(clock), query, offset=7, limit=3)
    assert (beyond.tasks, beyond.total) == ([], 7)


def test_list_filters(session: Session, clock: FixedClock, workspace: str) -> None:
    _add(
        session, clock, "li overdue", owner="U_LI", due_date=date(2026, 11, 20), campaign="Black Friday"
    )  # 1
    _add(session, clock, "li today", owner="U_LI", due_date=MONDAY, campaign="双11")  # 2
    _add(
        session, clock, "sam overdue", owner="U_SAM", due_date=date(2026, 11, 22), campaign="black friday"
    )  # 3
    _add(session, clock, "sam undated", owner="U_SAM")  # 4
    _add(session, clock, "li done", owner="U_LI", due_date=date(2026, 11, 19), campaign="BLACK FRIDAY")  # 5
    _complete(session, clock, 5)

    boss = _actor(clock, "U_BOSS")
    # Lists show open tasks only: #5 is there, done, and in none of them though it matches several.
    assert [(t.number, t.status) for t in _live(session)] == [
        (1, "open"),
        (2, "open"),
        (3, "open"),
        (4, "open"),
        (5, "done"),
    ]
    assert _listed(session, boss) == [1, 3, 2, 4]
    assert _listed(session, boss, "user", user="U_LI") == [1, 2]
    assert _listed(session, boss, "user", user="U_SAM") == [3, 4]
    assert _listed(session, _actor(clock, "U_LI"), "mine") == [1, 2]
    assert _listed(session, _actor(clock, "U_SAM"), "mine") == [3, 4]
    assert _listed(session, boss, "mine") == []
    assert _listed(session, boss, campaign="BLACK friday") == [1, 3]
    assert _listed(session, boss, "user", user="U_LI", campaign="black friday") == [1]
    assert _listed(session, boss, campaign="双11") == [2]
    assert _listed(session, boss, campaign="618") == []
    assert _listed(session, boss, "overdue") == [1, 3]
    assert _listed(session, boss, "overdue", campaign="black FRIDAY") == [1, 3]
    assert _listed(session, boss, "overdue", campaign="双11") == []  # due today is not overdue
    # "Overdue" is by the actor's date: in New York it is still Sunday the 22nd, so #3 is due today.
    assert _listed(session, _actor(clock, "U_BOSS", tz="America/New_York"), "overdue") == [1]


def _dated(*days: date | None) -> list[Task]:
    return [
        Task(
            team_id=TEAM,
            number=i,
            title=f"t{i}",
            owner_id="U_LI",
            creator_id="U_LI",
            due_date=day,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            updated_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for i, day in enumerate(days, start=1)
    ]


MONDAY_DAYS = (
    date(2026, 11, 22),  # 1 Sunday before: overdue
    date(2026, 11, 23),  # 2 today
    date(2026, 11, 24),  # 3 Tuesday: this week
    date(2026, 11, 29),  # 4 Sunday: this week
    date(2026, 11, 30),  # 5 next Monday: later
    None,  # 6
    date(2025, 1, 1),  # 7 long overdue
)
MONDAY_GROUPS = ["overdue", "today", "week", "week", "later", "none", "overdue"]
SUNDAY_DAYS = (
    date(2026, 11, 28),  # 1 Saturday: overdue
    date(2026, 11, 29),  # 2 today (Sunday)
    date(2026, 11, 30),  # 3 Monday: later
    None,  # 4
)
SUNDAY_GROUPS = ["overdue", "today", "later", "none"]


def test_group_of_on_a_monday() -> None:
    tasks = _dated(*MONDAY_DAYS)
    assert [lists.group_of(t, MONDAY) for t in tasks] == MONDAY_GROUPS


def test_group_of_on_a_sunday_has_no_rest_of_week() -> None:
    tasks = _dated(*SUNDAY_DAYS)
    assert [lists.group_of(t, date(2026, 11, 29)) for t in tasks] == SUNDAY_GROUPS


def test_list_counts_by_due_group_on_a_monday(session: Session, clock: FixedClock, workspace: str) -> None:
    for day in MONDAY_DAYS:
        _add(session, clock, due_date=day)
    page = lists.list_page(session, _actor(clock), TaskQuery(mode="all"))
    assert list(page.counts) == ["overdue", "today", "week", "later", "none"]
    assert page.counts == {"overdue": 2, "today": 1, "week": 2, "later": 1, "none": 1}
    assert _numbers(page.tasks) == [7, 1, 2, 3, 4, 5, 6]
    # The database's grouping and the view's agree, task by task.
    assert [lists.group_of(t, MONDAY) for t in page.tasks] == [
        "overdue",
        "overdue",
        "today",
        "week",
        "week",
        "later",
        "none",
    ]


def test_list_counts_by_due_group_on_a_sunday_have_no_rest_of_week(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    for day in SUNDAY_DAYS:
        _add(session, clock, due_date=day)
    # Monday 2026-11-30 01:00 UTC: Sunday 20:00 in New York, Monday 09:00 in Shanghai.
    instant = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    sunday = _actor(clock, tz="America/New_York", at=instant)
    assert sunday.today == date(2026, 11, 29)
    page = lists.list_page(session, sunday, TaskQuery(mode="all"))
    assert page.counts == {"overdue": 1, "today": 1, "week": 0, "later": 1, "none": 1}
    assert [lists.group_of(t, sunday.today) for t in page.tasks] == SUNDAY_GROUPS
    monday = _actor(clock, tz=SHANGHAI, at=instant)
    assert lists.list_page(session, monday, TaskQuery(mode="all")).counts == {
        "overdue": 2,
        "today": 1,
        "week": 0,
        "later": 0,
        "none": 1,
    }


def test_campaigns_lists_names_in_use_most_recent_first(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _add(session, clock, campaign="双11")
    _add(session, clock, campaign="618")
    _add(session, clock)
    _add(session, clock, campaign="双11")
    assert lists.campaigns(session, TEAM) == ["双11", "618"]


# -- closing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "manager"), [("U_LI", False), ("U_BOSS", False), ("U_ADMIN", True)])
def test_owner_creator_and_manager_may_close(
    session: Session, clock: FixedClock, workspace: str, actor: str, manager: bool
) -> None:
    task = _add(session, clock, owner="U_LI", creator="U_BOSS")
    change = _complete(session, clock, task.number, actor=actor, manager=manager)
    assert change.changed
    stored = service.get_task(session, TEAM, task.number)
    assert stored.status == "done"
    assert stored.done_by == actor
    assert stored.done_at == clock.now()


def test_another_member_may_not_close(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, owner="U_LI", creator="U_BOSS")
    with pytest.raises(PermissionDenied) as err:
        _complete(session, clock, task.number, actor="U_SAM")
    assert err.value.code == "task_done_forbidden"
    session.rollback()
    assert service.get_task(session, TEAM, task.number).status == "open"


def test_closing_twice_changes_nothing_the_second_time(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    task = _add(session, clock)
    first_at = clock.now()
    assert _complete(session, clock, task.number).changed
    clock.advance(timedelta(hours=2))
    second = _complete(session, clock, task.number, actor="U_BOSS")
    assert second.changed is False
    stored = service.get_task(session, TEAM, task.number)
    assert stored.done_at == first_at
    assert stored.done_by == "U_LI"


def test_a_parent_with_open_checkpoints_stays_open_unless_forced(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    parent = _add(session, clock, "大促")
    first = _add(session, clock, "备货", parent_number=parent.number)
    _add(session, clock, "直播", parent_number=parent.number)
    _add(session, clock, "客服", parent_number=parent.number)
    _complete(session, clock, first.number)

    with pytest.raises(OpenCheckpoints) as err:
        _complete(session, clock, parent.number)
    assert err.value.code == "task_open_checkpoints"
    assert err.value.params["number"] == parent.number
    assert err.value.params["open"] == 2
    assert err.value.params["total"] == 3
    assert err.value.task.number == parent.number
    assert (err.value.open_count, err.value.total) == (2, 3)
    session.rollback()
    assert service.get_task(session, TEAM, parent.number).status == "open"

    change = _complete(session, clock, parent.number, force=True)
    assert change.changed
    assert service.get_task(session, TEAM, parent.number).status == "done"


def test_a_parent_closes_without_asking_when_all_checkpoints_are_done(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    parent = _add(session, clock, "大促")
    a = _add(session, clock, "备货", parent_number=parent.number)
    b = _add(session, clock, "直播", parent_number=parent.number)
    _complete(session, clock, a.number)
    _complete(session, clock, b.number)
    assert _complete(session, clock, parent.number).changed
    assert service.get_task(session, TEAM, parent.number).status == "done"


def test_progress_counts_checkpoints(session: Session, clock: FixedClock, workspace: str) -> None:
    parent = _add(session, clock, "大促")
    lonely = _add(session, clock, "独立任务")
    first = _add(session, clock, "备货", parent_number=parent.number)
    _add(session, clock, "直播", parent_number=parent.number)
    _add(session, clock, "客服", parent_number=parent.number)
    _complete(session, clock, first.number)
    assert service.progress(session, parent) == Progress(1, 3)
    assert service.progress(session, lonely) is None


def test_progress_leaves_deleted_checkpoints_out(session: Session, clock: FixedClock, workspace: str) -> None:
    parent = _add(session, clock, "大促")
    _add(session, clock, "备货", parent_number=parent.number)
    gone = _add(session, clock, "直播", parent_number=parent.number)
    service.delete_task(session, _actor(clock, "U_BOSS"), gone.number)
    session.commit()
    assert service.progress(session, parent) == Progress(0, 1)


# -- recurrence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "recurrence", "expected"),
    [
        (date(2026, 11, 23), "day", date(2026, 11, 24)),
        (date(2026, 12, 31), "day", date(2027, 1, 1)),
        (date(2028, 2, 28), "day", date(2028, 2, 29)),
        # from a Friday, `fri` is the next Friday; from a Wednesday, that week's Friday
        (date(2026, 11, 27), "fri", date(2026, 12, 4)),
        (date(2026, 11, 25), "fri", date(2026, 11, 27)),
        # every weekday from Monday 2026-11-23
        (date(2026, 11, 23), "mon", date(2026, 11, 30)),
        (date(2026, 11, 23), "tue", date(2026, 11, 24)),
        (date(2026, 11, 23), "wed", date(2026, 11, 25)),
        (date(2026, 11, 23), "thu", date(2026, 11, 26)),
        (date(2026, 11, 23), "fri", date(2026, 11, 27)),
        (date(2026, 11, 23), "sat", date(2026, 11, 28)),
        (date(2026, 11, 23), "sun", date(2026, 11, 29)),
        # from a Sunday
        (date(2026, 11, 29), "sun", date(2026, 12, 6)),
        (date(2026, 11, 29), "mon", date(2026, 11, 30)),
        (date(2026, 11, 29), "sat", date(2026, 12, 5)),
        # months, clamped to the month's last day
        (date(2026, 11, 15), "month", date(2026, 12, 15)),
        (date(2026, 12, 15), "month", date(2027, 1, 15)),
        (date(2027, 1, 31), "month", date(2027, 2, 28)),
        (date(2028, 1, 31), "month", date(2028, 2, 29)),
        (date(2028, 2, 29), "month", date(2028, 3, 29)),
        (date(2026, 3, 31), "month", date(2026, 4, 30)),
        (date(2026, 12, 31), "month", date(2027, 1, 31)),
    ],
)
def test_next_due(due: date, recurrence: str, expected: date) -> None:
    assert service.next_due(due, recurrence) == expected


def test_completing_a_recurring_task_creates_the_next_occurrence_once(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    task = _add(
        session,
        clock,
        "周报",
        owner="U_LI",
        creator="U_BOSS",
        recurrence="fri",
        due_date=date(2026, 11, 27),
        campaign="双11",
        priority="high",
    )
    change = _complete(session, clock, task.number)
    following = change.next_task
    assert following is not None
    stored = service.get_task(session, TEAM, following.number)
    assert stored.number == 2
    assert stored.title == "周报"
    assert (stored.owner_id, stored.creator_id) == ("U_LI", "U_BOSS")
    assert (stored.campaign, stored.priority, stored.recurrence) == ("双11", "high", "fri")
    assert stored.due_date == date(2026, 12, 4)
    assert stored.status == "open"
    assert service.get_task(session, TEAM, task.number).next_id == stored.id

    service.reopen_task(session, _actor(clock, "U_LI"), task.number)
    session.commit()
    again = _complete(session, clock, task.number)
    assert again.changed
    assert again.next_task is None
    assert _numbers(_live(session)) == [1, 2]


def test_recur_makes_the_next_occurrence_once(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, "日报", recurrence="day", due_date=MONDAY)
    made = service.recur(session, task, clock.now())
    session.commit()
    assert made is not None
    assert (made.number, made.due_date, made.created_at) == (2, date(2026, 11, 24), clock.now())
    assert service.recur(session, service.get_task(session, TEAM, task.number), clock.now()) is None
    assert service.recur(session, _add(session, clock, "一次性", due_date=MONDAY), clock.now()) is None
    session.commit()
    assert _numbers(_live(session)) == [1, 2, 3]


def test_completing_a_plain_task_creates_nothing(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, due_date=MONDAY)
    assert _complete(session, clock, task.number).next_task is None
    assert _live_count(session) == 1


def test_roll_over_creates_the_next_occurrence_of_a_missed_recurring_task_once(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    missed = _add(session, clock, "日报", recurrence="day", due_date=date(2026, 11, 22))
    due_today = _add(session, clock, "周一例会", recurrence="mon", due_date=MONDAY)
    _add(session, clock, "一次性", due_date=date(2026, 11, 20))

    created = reminders.roll_over(session, clock.now())
    session.commit()
    assert [(t.title, t.due_date) for t in created] == [("日报", MONDAY)]
    assert service.get_task(session, TEAM, missed.number).status == "open"  # the missed one stays open
    assert service.get_task(session, TEAM, missed.number).next_id == created[0].id

    assert reminders.roll_over(session, clock.now()) == []
    session.commit()
    assert service.get_task(session, TEAM, due_today.number).next_id is None
    assert _live_count(session) == 4


def test_roll_over_uses_the_workspace_timezone(session: Session, clock: FixedClock, workspace: str) -> None:
    # 2026-11-22 15:30 UTC is still Sunday in UTC but already Monday 2026-11-23 in Shanghai.
    _add(session, clock, "日报", recurrence="day", due_date=date(2026, 11, 22))
    before_midnight = datetime(2026, 11, 22, 15, 59, tzinfo=UTC)  # 23:59 Shanghai
    assert reminders.roll_over(session, before_midnight) == []
    created = reminders.roll_over(session, datetime(2026, 11, 22, 16, 0, tzinfo=UTC))  # 00:00 Shanghai
    session.commit()
    assert [t.due_date for t in created] == [MONDAY]


def test_completing_after_roll_over_does_not_create_a_second_occurrence(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    missed = _add(session, clock, "日报", recurrence="day", due_date=date(2026, 11, 22))
    reminders.roll_over(session, clock.now())
    session.commit()
    assert _complete(session, clock, missed.number).next_task is None
    assert _live_count(session) == 2


# -- changes -------------------------------------------------------------------------------------


def test_reopen(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock)
    assert service.reopen_task(session, _actor(clock, "U_LI"), task.number).changed is False
    _complete(session, clock, task.number)
    change = service.reopen_task(session, _actor(clock, "U_BOSS"), task.number)
    session.commit()
    assert change.changed
    stored = service.get_task(session, TEAM, task.number)
    assert (stored.status, stored.done_at, stored.done_by) == ("open", None, "")
    with pytest.raises(PermissionDenied) as err:
        service.reopen_task(session, _actor(clock, "U_SAM"), task.number)
    assert err.value.code == "task_done_forbidden"


def test_assign_reports_the_previous_owner_and_clears_the_snooze(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    task = _add(session, clock, owner="U_LI", creator="U_BOSS", due_date=MONDAY)
    service.snooze_task(session, _actor(clock, "U_LI"), task.number, clock.now() + timedelta(days=1))
    session.commit()

    same = service.assign_task(session, _actor(clock, "U_BOSS"), task.number, "U_LI")
    assert same.changed is False
    assert same.previous_owner == "U_LI"

    change = service.assign_task(session, _actor(clock, "U_BOSS"), task.number, "U_SAM")
    session.commit()
    assert change.changed
    assert change.previous_owner == "U_LI"
    stored = service.get_task(session, TEAM, task.number)
    assert stored.owner_id == "U_SAM"
    assert stored.remind_after is None


def test_another_member_may_not_assign(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, owner="U_LI", creator="U_BOSS")
    with pytest.raises(PermissionDenied) as err:
        service.assign_task(session, _actor(clock, "U_SAM"), task.number, "U_SAM")
    assert err.value.code == "task_assign_forbidden"


def test_set_due_moves_and_clears_the_date(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, due_date=MONDAY)
    service.set_due(session, _actor(clock, "U_LI"), task.number, date(2026, 12, 1))
    session.commit()
    assert service.get_task(session, TEAM, task.number).due_date == date(2026, 12, 1)
    service.set_due(session, _actor(clock, "U_BOSS"), task.number, None)
    session.commit()
    assert service.get_task(session, TEAM, task.number).due_date is None
    with pytest.raises(PermissionDenied) as err:
        service.set_due(session, _actor(clock, "U_SAM"), task.number, MONDAY)
    assert err.value.code == "task_edit_forbidden"


def test_a_recurring_task_keeps_a_date(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, "周报", recurrence="fri", due_date=date(2026, 11, 27))
    with pytest.raises(InvalidInput) as err:
        service.set_due(session, _actor(clock, "U_LI"), task.number, None)
    assert err.value.code == "task_recurring_needs_date"
    with pytest.raises(InvalidInput) as err:
        service.edit_task(
            session,
            _actor(clock, "U_LI"),
            task.number,
            TaskDraft(title="周报", owner_id="U_LI", recurrence="fri"),
        )
    assert err.value.code == "task_recurring_needs_date"
    session.rollback()
    assert service.get_task(session, TEAM, task.number).due_date == date(2026, 11, 27)


def test_snooze_keeps_the_due_date(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, due_date=MONDAY)
    until = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    change = service.snooze_task(session, _actor(clock, "U_LI"), task.number, until)
    session.commit()
    assert change.changed
    stored = service.get_task(session, TEAM, task.number)
    assert stored.due_date == MONDAY
    assert stored.remind_after == until


def test_snoozing_a_done_task_changes_nothing(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, due_date=MONDAY)
    _complete(session, clock, task.number)
    done_at = clock.now()
    clock.advance(timedelta(hours=1))
    change = service.snooze_task(session, _actor(clock, "U_LI"), task.number, clock.now() + timedelta(days=1))
    session.commit()
    assert change.changed is False
    stored = service.get_task(session, TEAM, task.number)
    assert stored.remind_after is None
    assert (stored.status, stored.updated_at) == ("done", done_at)


def test_another_member_may_not_delete_and_the_creator_may_and_restore(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    task = _add(session, clock, owner="U_LI", creator="U_BOSS")
    for actor in ("U_SAM", "U_LI"):  # the owner is not the creator either
        with pytest.raises(PermissionDenied) as err:
            service.check_delete(session, _actor(clock, actor), task.number)
        assert err.value.code == "task_delete_forbidden"
        with pytest.raises(PermissionDenied) as err:
            service.delete_task(session, _actor(clock, actor), task.number)
        assert err.value.code == "task_delete_forbidden"
    session.rollback()
    assert service.get_task(session, TEAM, task.number).deleted_at is None
    assert service.check_delete(session, _actor(clock, "U_BOSS"), task.number).number == task.number
    assert service.get_task(session, TEAM, task.number).deleted_at is None  # asking deletes nothing

    service.delete_task(session, _actor(clock, "U_BOSS"), task.number)
    session.commit()
    assert _listed(session, _actor(clock)) == []

    with pytest.raises(PermissionDenied) as err:
        service.restore_task(session, _actor(clock, "U_SAM"), task.number)
    assert err.value.code == "task_delete_forbidden"

    restored = service.restore_task(session, _actor(clock, "U_BOSS"), task.number)
    session.commit()
    assert restored.changed
    assert service.get_task(session, TEAM, task.number).title == task.title
    assert _listed(session, _actor(clock)) == [task.number]


def test_a_manager_may_delete(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, owner="U_LI", creator="U_BOSS")
    service.delete_task(session, _actor(clock, "U_ADMIN", manager=True), task.number)
    session.commit()
    with pytest.raises(NotFound):
        service.get_task(session, TEAM, task.number)


def test_restoring_an_unknown_number_is_not_found(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    with pytest.raises(NotFound) as err:
        service.restore_task(session, _actor(clock, "U_BOSS", manager=True), 9)
    assert err.value.code == "task_not_found"


def test_edit_replaces_the_fields_and_reports_the_previous_owner(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    task = _add(session, clock, "旧标题", owner="U_LI", creator="U_BOSS", due_date=MONDAY)
    change = service.edit_task(
        session,
        _actor(clock, "U_LI"),
        task.number,
        TaskDraft(
            title=" 新标题 ", owner_id="U_SAM", due_date=date(2026, 12, 1), campaign="#618", priority="low"
        ),
    )
    session.commit()
    assert change.previous_owner == "U_LI"
    stored = service.get_task(session, TEAM, task.number)
    assert (stored.title, stored.owner_id, stored.due_date) == ("新标题", "U_SAM", date(2026, 12, 1))
    assert (stored.campaign, stored.priority) == ("618", "low")


def test_a_task_with_checkpoints_cannot_become_a_checkpoint(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    top = _add(session, clock, "大促")
    parent = _add(session, clock, "备货")
    _add(session, clock, "下单", parent_number=parent.number)
    with pytest.raises(InvalidInput) as err:
        service.edit_task(
            session,
            _actor(clock, "U_BOSS"),
            parent.number,
            TaskDraft(title="备货", owner_id="U_LI", parent_number=top.number),
        )
    assert err.value.code == "task_nested_checkpoint"


def test_a_task_cannot_be_its_own_checkpoint(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, "备货")
    with pytest.raises(InvalidInput) as err:
        service.edit_task(
            session,
            _actor(clock, "U_BOSS"),
            task.number,
            TaskDraft(title="备货", owner_id="U_LI", parent_number=task.number),
        )
    assert err.value.code == "task_own_parent"


def test_another_member_may_not_edit(session: Session, clock: FixedClock, workspace: str) -> None:
    task = _add(session, clock, owner="U_LI", creator="U_BOSS")
    with pytest.raises(PermissionDenied) as err:
        service.edit_task(
            session, _actor(clock, "U_SAM"), task.number, TaskDraft(title="mine now", owner_id="U_SAM")
        )
    assert err.value.code == "task_edit_forbidden"


# -- reminders -----------------------------------------------------------------------------------


def _people(session: Session, clock: FixedClock) -> None:
    save_member(session, team_id=TEAM, profile=UserProfile("U_LI", tz="Asia/Shanghai"), now=clock.now())
    save_member(session, team_id=TEAM, profile=UserProfile("U_SAM", tz="America/New_York"), now=clock.now())
    session.commit()


def _reminders(session: Session, at: datetime) -> dict[str, reminders.Reminder]:
    return {r.user_id: r for r in reminders.due_reminders(session, at)}


def _titles(tasks: list[Task]) -> list[str]:
    return [t.title for t in tasks]


def test_reminder_time_is_nine() -> None:
    assert reminders.REMINDER_TIME.isoformat() == "09:00:00"


def test_reminders_come_at_nine_local_for_each_owner(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _people(session, clock)
    _add(session, clock, "li overdue", owner="U_LI", due_date=date(2026, 11, 20))
    _add(session, clock, "li today", owner="U_LI", due_date=MONDAY)
    _add(session, clock, "li tomorrow", owner="U_LI", due_date=date(2026, 11, 24))
    _add(session, clock, "li in 3 days", owner="U_LI", due_date=date(2026, 11, 26))
    _add(session, clock, "li undated", owner="U_LI")
    _add(session, clock, "sam overdue", owner="U_SAM", due_date=date(2026, 11, 21))
    _add(session, clock, "sam today", owner="U_SAM", due_date=MONDAY)
    _add(session, clock, "sam tomorrow", owner="U_SAM", due_date=date(2026, 11, 24))

    # 2026-11-23 01:00 UTC: 09:00 in Shanghai, Sunday 20:00 in New York
    at_li = clock.now()
    found = _reminders(session, at_li)
    assert list(found) == ["U_LI"]
    li = found["U_LI"]
    assert (li.team_id, li.day, li.slot) == (TEAM, MONDAY, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    assert _titles(li.overdue) == ["li overdue"]
    assert _titles(li.today) == ["li today"]
    assert _titles(li.tomorrow) == ["li tomorrow"]

    assert "U_SAM" not in _reminders(session, datetime(2026, 11, 23, 13, 59, tzinfo=UTC))
    found = _reminders(session, datetime(2026, 11, 23, 14, 0, tzinfo=UTC))  # 09:00 EST
    assert list(found) == ["U_SAM"]
    sam = found["U_SAM"]
    assert (sam.day, sam.slot) == (MONDAY, datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    assert _titles(sam.overdue) == ["sam overdue"]
    assert _titles(sam.today) == ["sam today"]
    assert _titles(sam.tomorrow) == ["sam tomorrow"]


def test_nobody_is_reminded_outside_nine_to_fifteen_local(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _people(session, clock)
    _add(session, clock, "li today", owner="U_LI", due_date=MONDAY)
    _add(session, clock, "sam today", owner="U_SAM", due_date=MONDAY)

    def who(hour: int, minute: int = 0) -> list[str]:
        return sorted(_reminders(session, datetime(2026, 11, 23, hour, minute, tzinfo=UTC)))

    assert who(0, 59) == []  # 08:59 Shanghai
    assert who(1) == ["U_LI"]
    assert who(6, 59) == ["U_LI"]  # 14:59 Shanghai
    assert who(7) == []  # 15:00 Shanghai
    assert who(13, 59) == []  # 08:59 New York
    assert who(14) == ["U_SAM"]
    assert who(19, 59) == ["U_SAM"]
    assert who(20) == []  # 15:00 New York


def test_an_owner_without_a_timezone_gets_the_workspace_one(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _add(session, clock, "today", owner="U_NEW", due_date=MONDAY)
    assert list(_reminders(session, clock.now())) == ["U_NEW"]


def test_snoozed_done_and_deleted_tasks_are_left_out_of_reminders(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _people(session, clock)
    _add(session, clock, "kept", owner="U_LI", due_date=MONDAY)  # 1
    snoozed = _add(session, clock, "snoozed", owner="U_LI", due_date=MONDAY)  # 2
    woke = _add(session, clock, "snooze over", owner="U_LI", due_date=MONDAY)  # 3
    done = _add(session, clock, "done", owner="U_LI", due_date=MONDAY)  # 4
    gone = _add(session, clock, "deleted", owner="U_LI", due_date=MONDAY)  # 5
    for number, until in (
        (snoozed.number, clock.now() + timedelta(hours=1)),
        (woke.number, clock.now() - timedelta(minutes=1)),
    ):
        service.snooze_task(session, _actor(clock, "U_LI"), number, until)
    _complete(session, clock, done.number)
    service.delete_task(session, _actor(clock, "U_BOSS"), gone.number)
    session.commit()

    li = _reminders(session, clock.now())["U_LI"]
    assert _titles(li.today) == ["kept", "snooze over"]
    assert li.overdue == []
    assert li.tomorrow == []


def test_only_snoozed_or_far_tasks_mean_no_reminder(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _people(session, clock)
    _add(session, clock, "li in 3 days", owner="U_LI", due_date=date(2026, 11, 26))
    _add(session, clock, "li in 2 days", owner="U_LI", due_date=date(2026, 11, 25))
    snoozed = _add(session, clock, "sam snoozed", owner="U_SAM", due_date=MONDAY)
    service.snooze_task(
        session, _actor(clock, "U_SAM"), snoozed.number, datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    )
    session.commit()
    assert reminders.due_reminders(session, clock.now()) == []
    assert reminders.due_reminders(session, datetime(2026, 11, 23, 14, 0, tzinfo=UTC)) == []


def test_owners_reminded_at_this_nine_are_not_looked_at_again_but_others_still_are(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _people(session, clock)
    _add(session, clock, "li today", owner="U_LI", due_date=MONDAY)
    (reminder,) = reminders.due_reminders(session, clock.now())
    fire_many(session, [reminders.reminder_firing(reminder, {"text": "x"})], worker="w", now=clock.now())
    session.commit()

    assert reminders.due_reminders(session, clock.now() + timedelta(minutes=1)) == []
    # Someone given a task later in the morning is still reminded that morning; Li the next day.
    _add(session, clock, "new today", owner="U_NEW", due_date=MONDAY)
    assert list(_reminders(session, clock.now() + timedelta(hours=2))) == ["U_NEW"]
    assert list(_reminders(session, clock.now() + timedelta(days=1))) == ["U_LI", "U_NEW"]


def test_an_owner_in_an_unknown_zone_is_reminded_at_nine_utc(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    save_member(session, team_id=TEAM, profile=UserProfile("U_ODD", tz="Mars/Olympus"), now=clock.now())
    _add(session, clock, "odd today", owner="U_ODD", due_date=MONDAY)
    session.commit()
    assert _reminders(session, datetime(2026, 11, 23, 8, 59, tzinfo=UTC)) == {}
    (odd,) = _reminders(session, datetime(2026, 11, 23, 9, 0, tzinfo=UTC)).values()
    assert (odd.user_id, odd.slot, _titles(odd.today)) == (
        "U_ODD",
        datetime(2026, 11, 23, 9, tzinfo=UTC),
        ["odd today"],
    )


def test_reminder_firing_is_one_dm_per_person_per_day(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _people(session, clock)
    _add(session, clock, "li today", owner="U_LI", due_date=MONDAY)
    (reminder,) = reminders.due_reminders(session, clock.now())
    message: dict[str, object] = {"text": "今日任务"}
    firing = reminders.reminder_firing(reminder, message)
    assert firing.team_id == TEAM
    assert firing.slot == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert firing.job_key == "tasks.reminder:T_DEMO:U_LI"
    assert len(firing.messages) == 1
    (outgoing,) = firing.messages
    assert outgoing.target == "U_LI"
    assert outgoing.key == "tasks.reminder:T_DEMO:U_LI:2026-11-23"
    assert outgoing.payload == message
    message["text"] = "changed later"
    assert outgoing.payload == {"text": "今日任务"}


def test_assigned_overdue_lists_what_the_creator_gave_others_that_is_late(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    _add(session, clock, "li late", owner="U_LI", creator="U_BOSS", due_date=date(2026, 11, 20))  # 1
    _add(session, clock, "own late", owner="U_BOSS", creator="U_BOSS", due_date=date(2026, 11, 20))  # 2
    _add(session, clock, "sam later", owner="U_SAM", creator="U_BOSS", due_date=date(2026, 11, 22))  # 3
    _add(session, clock, "sam earlier", owner="U_SAM", creator="U_BOSS", due_date=date(2026, 11, 10))  # 4
    _add(session, clock, "due today", owner="U_LI", creator="U_BOSS", due_date=MONDAY)  # 5
    _add(session, clock, "undated", owner="U_LI", creator="U_BOSS")  # 6
    _add(session, clock, "someone else's", owner="U_LI", creator="U_SAM", due_date=date(2026, 11, 20))  # 7
    _add(session, clock, "done late", owner="U_LI", creator="U_BOSS", due_date=date(2026, 11, 20))  # 8
    _complete(session, clock, 8)
    tasks, total = lists.assigned_overdue(session, _actor(clock, "U_BOSS"))
    assert (_numbers(tasks), total) == ([4, 1, 3], 3)
    tasks, total = lists.assigned_overdue(session, _actor(clock, "U_BOSS"), limit=2)
    assert (_numbers(tasks), total) == ([4, 1], 3)
    tasks, total = lists.assigned_overdue(session, _actor(clock, "U_SAM"))
    assert (_numbers(tasks), total) == ([7], 1)
    assert lists.assigned_overdue(session, _actor(clock, "U_LI")) == ([], 0)


def test_editing_a_task_whose_owner_left_does_not_force_a_reassignment(
    session: Session, clock: FixedClock, workspace: str
) -> None:
    boss = Actor(team_id=TEAM, user_id="U_BOSS", now=clock.now(), tz="Asia/Shanghai", is_manager=True)
    task = service.add_task(session, boss, TaskDraft(title="Old copy", owner_id="U_LEAVER")).task
    save_member(session, team_id=TEAM, profile=UserProfile("U_LEAVER", deleted=True), now=clock.now())
    change = service.edit_task(session, boss, task.number, TaskDraft(title="New copy", owner_id="U_LEAVER"))
    assert (change.task.title, change.task.owner_id) == ("New copy", "U_LEAVER")
    # Giving it to them anew is still refused.
    other = service.add_task(session, boss, TaskDraft(title="Another", owner_id="U_BOSS")).task
    with pytest.raises(InvalidInput) as info:
        service.assign_task(session, boss, other.number, "U_LEAVER")
    assert info.value.code == "not_a_person"
