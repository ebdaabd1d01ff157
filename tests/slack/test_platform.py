"""The shared Slack layer as users and operators meet it: requests that cannot be verified, acks that
never wait on Slack or on a writer, task numbers under concurrency, one transaction per request,
event retries, and App Home composed of several domains' sections."""

from __future__ import annotations

import logging
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.app import create_app
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import LocalServer, SlackDriver, http_post, sign
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp, TrackingExecutor
from ecombot.domain import Domain, HomeSection
from ecombot.domains import DOMAINS
from ecombot.runtime import Runtime
from ecombot.server import EcombotWsgi
from ecombot.slack import blocks as bk
from tests.support import SIGNING_SECRET, StatementCounter, table_snapshot


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    return table_snapshot(engine)


def _numbers(db: Engine) -> list[int]:
    with db.connect() as conn:
        return sorted(int(n) for n in conn.execute(sa.text("SELECT number FROM tasks")).scalars())


# -- requests that cannot be verified ------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "abc"},
        {"X-Slack-Request-Timestamp": "1.5e9"},
        {"X-Slack-Request-Timestamp": "0x10"},
        {"X-Slack-Request-Timestamp": ""},
        {"X-Slack-Signature": "v0=deadbeef"},
        {"X-Slack-Signature": ""},
    ],
    ids=["word", "float", "hex", "empty-ts", "short-signature", "empty-signature"],
)
def test_an_unverifiable_request_gets_401_and_nothing_else(
    slack: SlackDriver, fake: FakeSlack, db: Engine, headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    before = _snapshot(db)
    body = slack.command_body("/ecom settings timezone UTC", user="U_DEMO", channel="C_DEMO")
    signed = sign(slack.signing_secret, body)
    timestamp = headers.get("X-Slack-Request-Timestamp", signed["X-Slack-Request-Timestamp"])
    if "X-Slack-Request-Timestamp" in headers and timestamp:
        # Signed over the odd timestamp itself: only the timestamp's form is wrong.
        signed = sign(slack.signing_secret, body, 0) | {"X-Slack-Request-Timestamp": timestamp}
    with caplog.at_level(logging.DEBUG):
        result = http_post(
            slack.events_url, body, {"Content-Type": "application/x-www-form-urlencoded", **signed, **headers}
        )
    assert result.status == 401
    time.sleep(0.2)  # nothing runs after a 401; give anything that wrongly did a moment to show
    assert [c.method for c in fake.calls if c.method != "auth.test"] == []
    assert fake.response_url_posts == []
    assert _snapshot(db) == before
    assert "timezone" not in caplog.text  # the body is never logged


def test_a_signed_request_older_than_five_minutes_is_refused(slack: SlackDriver, fake: FakeSlack) -> None:
    body = slack.command_body("/ecom help", user="U_DEMO", channel="C_DEMO")
    stale = sign(slack.signing_secret, body, int(time.time()) - 301)
    result = http_post(slack.events_url, body, {"Content-Type": "application/x-www-form-urlencoded", **stale})
    assert result.status == 401
    assert [c.method for c in fake.calls if c.method != "auth.test"] == []


# -- the ack never waits on Slack or on a writer ---------------------------------------------------


def test_a_first_time_member_is_acked_within_a_second_while_slack_rate_limits_users_info(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    fake.add_user("U_NEW", name="new", locale="en-US", tz="Europe/Berlin")
    fake.fail_next("users.info", status=429, retry_after=2)
    result = slack.command("/task add Restock socks", user="U_NEW")
    assert result.status == 200
    assert result.seconds < 1.0, result.seconds
    assert "#1" in result.json["text"]
    # After the ack the lookup was retried, and the member is known from then on.
    assert [c.ok for c in fake.calls_to("users.info")] == [False, True]
    with db.connect() as conn:
        assert (
            conn.execute(sa.text("SELECT tz FROM members WHERE user_id='U_NEW'")).scalar() == "Europe/Berlin"
        )


def test_reads_and_health_checks_do_not_wait_for_a_writer(
    slack: SlackDriver, db: Engine, app_url: str
) -> None:
    slack.command("/task add Banner due:fri", user="U_DEMO")
    holding = threading.Event()
    release = threading.Event()

    def hold_the_write_lock() -> None:
        with db.begin() as conn:  # a writer busy for a while (BEGIN IMMEDIATE on SQLite)
            conn.execute(sa.text("UPDATE tasks SET title = title"))
            holding.set()
            release.wait(10)

    writer = threading.Thread(target=hold_the_write_lock)
    writer.start()
    try:
        assert holding.wait(5)
        started = time.monotonic()
        listed = slack.command("/task list", user="U_DEMO")
        shown = slack.command("/task show 1", user="U_DEMO")
        helped = slack.command("/ecom help", user="U_DEMO")
        with urllib.request.urlopen(f"{app_url}/healthz", timeout=5) as response:
            health = response.status
        elapsed = time.monotonic() - started
    finally:
        release.set()
        writer.join()
    assert health == 200
    assert "Banner" in listed.text and "Banner" in shown.text and helped.status == 200
    assert elapsed < 2.0, f"reads waited for the writer: {elapsed:.1f}s"


# -- task numbers under concurrency, and one transaction per command -------------------------------


def test_twenty_concurrent_adds_get_twenty_tasks_numbered_one_to_twenty(
    local_app: LocalApp, fake: FakeSlack, db: Engine, team: str
) -> None:
    driver = SlackDriver(local_app.url, SIGNING_SECRET, fake)  # no settle: the requests overlap

    def add(i: int) -> tuple[int, str]:
        result = driver.command(f"/task add Concurrent task {i} <@U_LI>", user="U_DEMO")
        return result.status, result.text

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(add, range(20)))
    local_app.settle()
    assert [status for status, _ in results] == [200] * 20
    assert not [text for _, text in results if "Added task #" not in text]
    assert _numbers(db) == list(range(1, 21))
    # Every new owner's DM went out exactly once, through the outbox.
    dms = [m for m in fake.messages("U_LI") if "给您分配了任务" in m["text"]]
    assert len(dms) == 20


def test_numbers_continue_after_tasks_that_existed_before_the_counter(
    slack: SlackDriver, db: Engine, clock: FixedClock
) -> None:
    with db.begin() as conn:
        for number in (1, 2, 7):
            conn.execute(
                sa.text(
                    "INSERT INTO tasks (team_id, number, title, owner_id, creator_id, campaign, priority, "
                    "recurrence, status, done_by, source_url, created_at, updated_at) VALUES "
                    "('T_DEMO', :n, 'imported', 'U_DEMO', 'U_DEMO', '', 'normal', '', 'open', '', '', :t, :t)"
                ),
                {"n": number, "t": clock.now().replace(tzinfo=None)},
            )
    assert "#8" in slack.command("/task add After the import", user="U_DEMO").text
    assert "#9" in slack.command("/task add And the next", user="U_DEMO").text


def test_task_add_runs_at_most_eight_statements_in_one_write_transaction(
    slack: SlackDriver, db: Engine, fake: FakeSlack
) -> None:
    slack.command("/task add Warm-up", user="U_DEMO")  # the counter row exists from now on
    with StatementCounter(db) as counter:
        result = slack.command("/task add Banner for Double 11 <@U_LI> due:fri #双11", user="U_DEMO")
    assert "Added task #2." in result.text
    assert len(counter.work) <= 8, "\n".join(counter.work)
    # On PostgreSQL the number is taken in a statement of its own (ecombot.db.next_number), so that
    # the counter's row lock does not last the whole transaction.
    assert counter.write_transactions == (2 if db.dialect.name == "postgresql" else 1), counter.transactions
    with StatementCounter(db) as counter:
        slack.command("/task add Checkpoint parent:2", user="U_DEMO")
    assert len(counter.work) <= 8, "\n".join(counter.work)


def test_reading_commands_take_no_write_transaction(slack: SlackDriver, db: Engine) -> None:
    slack.command("/task add Banner due:fri", user="U_DEMO")
    for line in ("/task list", "/task show 1", "/ecom help", "/ecom settings", "/task list all"):
        with StatementCounter(db) as counter:
            assert slack.command(line, user="U_DEMO").status == 200
        assert counter.write_transactions == 0, (line, counter.transactions)
        assert counter.transactions, line  # it did read, in a read-only transaction


# -- events --------------------------------------------------------------------------------------


def test_a_retried_event_is_handled_once(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    event = {"type": "app_home_opened", "user": "U_DEMO", "channel": "D_U_DEMO", "tab": "home"}
    assert slack.event(event, event_id="Ev0001HOME").status == 200
    assert slack.event(event, event_id="Ev0001HOME", retry=1).status == 200
    assert slack.event(event, event_id="Ev0001HOME", retry=2).status == 200
    assert len(fake.calls_to("views.publish")) == 1
    # A new opening is a new event.
    slack.event(event, event_id="Ev0002HOME")
    assert len(fake.calls_to("views.publish")) == 2


def test_a_retry_reaching_another_worker_is_ignored_there_too(
    settings: Settings, db: Engine, clock: FixedClock, fake: FakeSlack, team: str
) -> None:
    first, second = LocalApp(settings, db, clock), LocalApp(settings, db, clock)
    try:
        event = {"type": "app_home_opened", "user": "U_LI", "channel": "D_U_LI", "tab": "home"}
        for app, retry in ((first, None), (second, 1)):
            SlackDriver(app.url, SIGNING_SECRET, fake, settle=app.settle).event(
                event, event_id="EvSHARED", retry=retry
            )
    finally:
        first.close()
        second.close()
    assert len(fake.calls_to("views.publish")) == 1


# -- App Home composed of sections ---------------------------------------------------------------


def _section(title: str, count: int) -> HomeSection:
    def build(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
        blocks = [bk.header(title)] + [bk.section(f"{title} item {i}") for i in range(count)]
        return blocks[:budget] if count < 5 else blocks  # a greedy section ignores its budget

    return HomeSection(title.lower(), build, priority=20, budget=20)


@pytest.fixture
def home_with(settings: Settings, db: Engine, clock: FixedClock, fake: FakeSlack, team: str) -> Iterator[Any]:
    servers: list[LocalServer] = []

    def serve(*extra: Domain) -> SlackDriver:
        executor = TrackingExecutor()
        rt = Runtime(settings=settings, engine=db, clock=clock, domains=(*DOMAINS, *extra))
        app = create_app(settings, runtime=rt, listener_executor=executor)
        server = LocalServer(EcombotWsgi(app, db, signing_secret=SIGNING_SECRET))
        servers.append(server)
        return SlackDriver(server.url, SIGNING_SECRET, fake, settle=executor.wait_idle)

    yield serve
    for server in servers:
        server.close()


def test_a_second_domains_home_section_shows_next_to_tasks_in_one_publish(
    home_with: Any, fake: FakeSlack
) -> None:
    slack = home_with(Domain(name="notes", home=(_section("Pinned notes", 2),), has_models=False))
    slack.command("/task add Banner due:fri", user="U_DEMO")
    slack.event({"type": "app_home_opened", "user": "U_DEMO", "channel": "D_U_DEMO", "tab": "home"})
    [publish] = fake.calls_to("views.publish")
    texts = [b["text"]["text"] for b in publish.args["view"]["blocks"] if "text" in b]
    assert "Your tasks" in texts and "Pinned notes" in texts
    assert texts.index("Your tasks") < texts.index("Pinned notes")  # tasks come first (priority 10)
    assert any("Banner" in t for t in texts) and "Pinned notes item 1" in texts


def test_a_section_that_overruns_its_share_is_cut_and_the_home_stays_publishable(
    home_with: Any, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    slack = home_with(Domain(name="greedy", home=(_section("Everything", 300),), has_models=False))
    for i in range(70):
        slack.command(f"/task add Task {i} due:fri", user="U_DEMO")
    slack.event({"type": "app_home_opened", "user": "U_DEMO", "channel": "D_U_DEMO", "tab": "home"})
    [publish] = fake.calls_to("views.publish")
    blocks = publish.args["view"]["blocks"]
    assert len(blocks) <= 100
    texts = [b["text"]["text"] for b in blocks if "text" in b]
    assert "Your tasks" in texts and "Everything" in texts
    assert any("more than fits" in t for t in _all_texts(blocks))


def _all_texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            out.append(block["text"]["text"])
        out += [e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return out


def test_a_change_refreshes_the_homes_it_shows_on_once_they_have_been_opened(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    slack.command("/task add Banner <@U_LI> due:fri", user="U_DEMO")
    assert fake.calls_to("views.publish") == []  # nobody has opened their Home yet
    slack.event({"type": "app_home_opened", "user": "U_LI", "channel": "D_U_LI", "tab": "home"})
    fake.clear()
    slack.command("/task add Copy <@U_LI> due:fri", user="U_DEMO")
    [publish] = fake.calls_to("views.publish")
    assert publish.args["user_id"] == "U_LI"
    assert "Copy" in str(publish.args["view"])


def test_new_owners_dms_survive_slack_answering_500(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock, local_app: LocalApp
) -> None:
    # The DM to a new owner is written to the outbox with the task: Slack being down loses nothing.
    fake.fail_next("chat.postMessage", status=500, times=8)
    for i in range(8):
        assert "Added task" in slack.command(f"/task add Banner {i} <@U_LI> due:fri", user="U_DEMO").text
    assert [m for m in fake.messages("U_LI") if "给您分配了任务" in m["text"]] == []
    clock.advance(timedelta(minutes=15))  # past every retry's backoff
    local_app.settle()
    dms = [m for m in fake.messages("U_LI") if "给您分配了任务" in m["text"]]
    assert sorted(int(m["text"].split("#")[1].split("。")[0]) for m in dms) == list(range(1, 9))
