"""`ecombot run` end to end over Socket Mode: the app and its scheduler built as the command builds them,
connected through `apps.connections.open` to a local Slack endpoint; commands, clicks, modal submissions
and events arrive as envelopes, and each must be acked within Slack's 3 seconds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.devtools.console import modal_values
from ecombot.devtools.driver import buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.socketmode import LocalSocketModeApp, SocketModeDriver
from ecombot.tasks.models import Task
from tests.socketmode.conftest import APP_TOKEN

TEAM = "T_DEMO"
SLACK_ACK_BUDGET = 3.0  # seconds Slack waits for an ack before telling the user the app failed
LI_NINE = datetime.fromisoformat("2026-11-24T09:00:00+08:00")  # Tuesday 09:00 in Shanghai


def _texts(blocks: list[dict[str, Any]] | None) -> str:
    parts: list[str] = []
    for block in blocks or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def _tasks(db: Engine) -> list[Task]:
    with Session(db) as s:
        return list(s.exec(select(Task).where(Task.team_id == TEAM).order_by(sa.text("number"))))


def _modal(fake: FakeSlack) -> dict[str, Any]:
    modals = [v for v in fake.views.values() if v["type"] == "modal"]
    assert modals, "no modal was opened"
    return modals[-1]


def test_a_slash_command_is_acked_in_time_with_the_card_and_the_owner_gets_a_dm(
    socket: SocketModeDriver, running: LocalSocketModeApp, fake: FakeSlack, db: Engine
) -> None:
    # The app asked Slack for its socket with the app-level token, and nothing else used that token.
    assert [call.token for call in fake.calls_to("apps.connections.open")] == [APP_TOKEN]

    ack = socket.command("/task add Banner <@U_LI> due:fri", user="U_DEMO")

    assert ack.seconds < SLACK_ACK_BUDGET
    assert ack.payload is not None and ack.payload["response_type"] == "ephemeral"
    assert "Added task #1." in _texts(ack.payload["blocks"])
    [task] = _tasks(db)
    assert (task.title, task.owner_id, task.creator_id, task.status) == ("Banner", "U_LI", "U_DEMO", "open")
    # The DM to the owner went through the outbox and the in-process scheduler's delivery worker.
    [dm] = fake.messages("U_LI")
    assert "<@U_DEMO> 给您分配了任务 #1。" in _texts(dm["blocks"])
    assert running.endpoint.stray == []


def test_the_done_button_in_the_owners_dm_closes_the_task(
    socket: SocketModeDriver, fake: FakeSlack, db: Engine
) -> None:
    socket.command("/task add Banner <@U_LI> due:fri", user="U_DEMO")
    [dm] = fake.messages("U_LI")
    [(block_id, done)] = [(b, e) for b, e in buttons_in(dm["blocks"]) if e["action_id"] == "tasks.done"]

    ack = socket.click(done, user="U_LI", channel="D_U_LI", message=dm, block_id=block_id)

    assert ack.seconds < SLACK_ACK_BUDGET
    [task] = _tasks(db)
    assert (task.status, task.done_by) == ("done", "U_LI")
    reply = fake.response_url_posts[-1]["payload"]
    assert "#1 *Banner* 已完成。" in _texts(reply["blocks"])


def test_a_form_with_a_bad_field_is_refused_in_the_ack_and_a_good_one_saves(
    socket: SocketModeDriver, fake: FakeSlack, db: Engine
) -> None:
    socket.command("/task", user="U_DEMO")
    view = _modal(fake)
    assert view["callback_id"] == "tasks.modal"

    refused = socket.submit(view, modal_values(view, {"title": "Banner", "parent": "abc"}), user="U_DEMO")
    assert refused.seconds < SLACK_ACK_BUDGET
    assert refused.payload == {
        "response_action": "errors",
        "errors": {"parent": "Give the number of an existing task, e.g. 12."},
    }
    assert _tasks(db) == []

    saved = socket.submit(view, modal_values(view, {"title": "Shoot photos", "owner": "U_LI"}), user="U_DEMO")
    assert saved.seconds < SLACK_ACK_BUDGET
    assert saved.payload is None or saved.payload.get("response_action") != "errors"
    [task] = _tasks(db)
    assert (task.title, task.owner_id) == ("Shoot photos", "U_LI")
    [card] = fake.ephemerals
    assert card["user"] == "U_DEMO" and "Added task #1." in _texts(card["blocks"])


def test_opening_app_home_publishes_the_users_tasks(socket: SocketModeDriver, fake: FakeSlack) -> None:
    socket.command("/task add Banner <@U_LI> due:fri", user="U_DEMO")

    ack = socket.event({"type": "app_home_opened", "user": "U_LI", "channel": "D_U_LI", "tab": "home"})

    assert ack.seconds < SLACK_ACK_BUDGET and ack.payload is None
    [published] = fake.calls_to("views.publish")
    assert published.args["user_id"] == "U_LI"
    home = fake.home_views["U_LI"]
    assert home["type"] == "home" and "Banner" in _texts(home["blocks"])


def test_the_scheduler_posts_the_morning_reminder_while_the_app_is_connected(
    socket: SocketModeDriver, running: LocalSocketModeApp, fake: FakeSlack, clock: FixedClock
) -> None:
    socket.command("/task add Today copy <@U_LI> due:2026-11-24", user="U_DEMO")
    cards = len(fake.messages("U_LI"))

    # What the live scheduler's periodic tick does when Tuesday 09:00 comes in Shanghai.
    clock.set(LI_NINE)
    assert running.runner is not None
    running.runner.tick()
    running.settle()

    [reminder] = fake.messages("U_LI")[cards:]
    assert reminder["text"] == "逾期 0 项，今天截止 1 项，明天截止 0 项"
    assert "Today copy" in _texts(reminder["blocks"])
    # Still connected on the first socket, and still answering.
    assert running.endpoint.connections == 1
    assert socket.command("/task list", user="U_LI").seconds < SLACK_ACK_BUDGET


def test_commands_sent_while_the_socket_is_down_are_each_handled_once_after_the_reconnect(
    socket: SocketModeDriver, running: LocalSocketModeApp, fake: FakeSlack, db: Engine
) -> None:
    endpoint = running.endpoint
    with endpoint.outage():
        assert endpoint.connected == 0
        sent = [socket.send_command(f"/task add Banner {n} <@U_LI>", user="U_DEMO") for n in (1, 2, 3)]
        assert [envelope.deliveries for envelope in sent] == [0, 0, 0]
        # The app keeps trying (a new socket address each time) while Slack refuses it.
        assert fake.wait_for(lambda: len(fake.calls_to("apps.connections.open")) >= 2)

    acks = [socket.deliver(envelope) for envelope in sent]

    assert endpoint.connections == 2
    assert all(ack.seconds < SLACK_ACK_BUDGET for ack in acks)
    assert ["Added task" in (ack.payload or {}).get("text", "") for ack in acks] == [True, True, True]
    assert [(e.deliveries, len(e.acks)) for e in sent] == [(1, 1), (1, 1), (1, 1)]
    assert sorted(task.title for task in _tasks(db)) == ["Banner 1", "Banner 2", "Banner 3"]
    assert len(fake.messages("U_LI")) == 3
    assert endpoint.stray == []


def test_a_refresh_request_or_a_closed_socket_moves_the_app_to_a_new_connection(
    socket: SocketModeDriver, running: LocalSocketModeApp, fake: FakeSlack, db: Engine
) -> None:
    endpoint = running.endpoint
    endpoint.request_refresh()
    endpoint.wait_connected(connections=2)
    assert "Added task #1." in (socket.command("/task add One <@U_LI>").payload or {}).get("text", "")

    endpoint.drop(graceful=True)
    endpoint.wait_connected(connections=3)
    assert "Added task #2." in (socket.command("/task add Two <@U_LI>").payload or {}).get("text", "")

    assert [task.title for task in _tasks(db)] == ["One", "Two"]
    # Each connection used a socket address of its own from apps.connections.open.
    assert len(set(endpoint.tickets)) == 3
    assert len(fake.calls_to("apps.connections.open")) == 3
