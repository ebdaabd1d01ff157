"""Malformed or tampered requests that ARE correctly signed, end to end, one case per test.

Each case sets up real state through the app (a task and its card, a form, a settings change), then
sends the odd request signed as Slack would, and checks that it was answered cleanly: HTTP 200 well
within Slack's 3 s, no traceback logged under `ecombot`, not one row changed in any table, no call
the fake Slack refused (the `fake` fixture), and, where the user can be told, a plain-words answer:
in the HTTP body for commands, on the response_url or by DM for clicks, next to a field for forms.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.devtools.console import modal_values
from ecombot.devtools.driver import HttpResult, SlackDriver, buttons_in, http_post_bytes, sign
from ecombot.devtools.fakeslack import FakeSlack
from tests.support import table_snapshot

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
USER = "U_DEMO"  # an English-speaking workspace admin
DEADLINE = 2.0  # seconds: well under Slack's 3
BAD_VALUE = "a value I cannot use"
NO_VALUE = "without a value I need"
NOT_FOUND = "There is no task #12 in this workspace."
UNREADABLE = "Slack sent a request I could not read"
# In the workspace default language (zh-CN here): an org-wide request has no workspace to ask.
ORG_WIDE = ("installed per workspace", "按工作区安装")
# Words that would show the user our insides instead of an answer.
INTERNALS = (
    "traceback",
    "exception",
    "keyerror",
    "valueerror",
    "typeerror",
    "attributeerror",
    "badvalue",
    "nonetype",
    "sqlalchemy",
    "psycopg",
    "sqlite",
    "integrity",
    "ecombot.",
    'file "',
    "something went wrong",
)


# -- helpers ---------------------------------------------------------------------------------------


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    return table_snapshot(engine)


def _texts(message: dict[str, Any]) -> str:
    """The text and every block text of a message or response_url payload."""
    parts = [str(message.get("text") or "")]
    for block in message.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def _plain_words(text: str) -> None:
    assert text.strip(), "the user was told nothing"
    lowered = text.lower()
    assert not [word for word in INTERNALS if word in lowered], text
    assert "`None`" not in text, text  # a Python value the user never sent (Slack sent `null`)


def _clean(result: HttpResult, caplog: pytest.LogCaptureFixture) -> None:
    """200, in time, and no error with a traceback logged by the app (Bolt logs as `ecombot.bolt`)."""
    assert result.status == 200, (result.status, result.text)
    assert result.seconds < DEADLINE, result.seconds
    errors = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.name.split(".")[0] == "ecombot" and r.levelno >= logging.ERROR and (r.exc_info or r.exc_text)
    ]
    assert errors == []


def _post(slack: SlackDriver, payload: Any) -> HttpResult:
    """An interactive payload (any JSON), form-encoded and signed."""
    return slack.send(urlencode({"payload": json.dumps(payload)}), FORM)


def _raw(slack: SlackDriver, body: bytes, content_type: str) -> HttpResult:
    """Raw bytes (maybe not UTF-8), signed over exactly those bytes as Slack signs them."""
    try:
        headers = sign(slack.signing_secret, body.decode())
    except UnicodeDecodeError:  # `sign` takes text: Slack's v0 scheme over the bytes themselves
        ts = str(int(time.time()))
        digest = hmac.new(slack.signing_secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
        headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest.hexdigest()}"}
    result = http_post_bytes(slack.events_url, body, {"Content-Type": content_type, **headers})
    if slack.settle is not None:
        slack.settle()
    return result


def _user(user: str = USER, team: str | None = "T_DEMO") -> dict[str, Any]:
    shown = {"id": user, "username": user.lower(), "name": user.lower()}
    return shown if team is None else {**shown, "team_id": team}


def _click_payload(
    slack: SlackDriver,
    action: dict[str, Any],
    *,
    where: str = "ephemeral",
    user: str = USER,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A block_actions payload as Slack sends it, with `action` as given (missing keys stay missing)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T_DEMO", "domain": "demo-shop"},
        "user": _user(user),
        "api_app_id": "A_ECOMBOT",
        "token": "legacy-verification-token",
        "trigger_id": slack.fake.new_trigger_id(),
        "actions": [{"type": "button", "action_ts": f"{time.time():.6f}", **action}],
        "is_enterprise_install": False,
    }
    if where == "home":
        view = view or {"type": "home", "id": "V1"}
        payload["container"] = {"type": "view", "view_id": view.get("id", "")}
        payload["view"] = view
        return payload
    ts = (message or {}).get("ts", "1700000000.000100")
    payload["container"] = {
        "type": "message",
        "message_ts": ts,
        "channel_id": "C_DEMO",
        "is_ephemeral": where == "ephemeral",
    }
    payload["channel"] = {"id": "C_DEMO", "name": "ops"}
    payload["response_url"] = slack.fake.new_response_url()
    if where == "message":
        payload["message"] = message or {"ts": ts, "text": "card"}
    return payload


class Seen:
    """What a user is told after a click: posts to response_urls and DMs, from now on."""

    def __init__(self, fake: FakeSlack, user: str = USER) -> None:
        self.fake, self.user = fake, user
        self.posts = len(fake.response_url_posts)
        self.dms = len(fake.messages(user))
        self.publishes = len(fake.calls_to("views.publish"))

    def new(self) -> list[str]:
        posts = self.fake.response_url_posts[self.posts :]
        dms = self.fake.messages(self.user)[self.dms :]
        return [_texts(p["payload"]) for p in posts] + [_texts(m) for m in dms]

    def told(self, expected: str) -> str:
        """The one answer the user got, which says `expected` in plain words."""
        [answer] = self.new()
        _plain_words(answer)
        assert expected in answer, answer
        return answer

    def republished(self) -> bool:
        return len(self.fake.calls_to("views.publish")) > self.publishes


def _command(slack: SlackDriver, line: str, user: str = USER) -> dict[str, Any]:
    result = slack.command(line, user=user)
    assert result.status == 200, result.text
    reply: dict[str, Any] = result.json
    return reply


def _card_task(slack: SlackDriver) -> dict[str, Any]:
    """Task #1, owned by U_DEMO and given by U_SAM, so U_DEMO has its card as a DM; and U_DEMO's Home."""
    _command(slack, "/task add Banner <@U_DEMO> due:fri", user="U_SAM")
    [card] = slack.fake.messages(USER)
    assert "Banner" in _texts(card)
    slack.event({"type": "app_home_opened", "user": USER, "channel": f"D_{USER}", "tab": "home"})
    return card


# -- 1. every task button with a value that is not a task number -----------------------------------

TASK_BUTTONS = (
    "tasks.done",
    "tasks.close_anyway",
    "tasks.reopen",
    "tasks.snooze",
    "tasks.delete_confirm",
    "tasks.delete_undo",
    "tasks.delete_cancel",
)
BAD_NUMBERS = {
    "abc": "abc",
    "1e3": "1e3",
    "²": "superscript-2",
    "①": "circled-1",
    "-1": "minus-1",
    "0": "zero",
    "": "empty",
    " 12 ": "padded-12",  # digits only: a padded number is not one
    "99999999999999999999": "overflow",
    "12.5": "decimal",
    None: "no-value-key",
}
CONTAINERS = ("message", "home", "ephemeral")


@pytest.mark.parametrize("where", CONTAINERS)
@pytest.mark.parametrize("value", list(BAD_NUMBERS), ids=list(BAD_NUMBERS.values()))
@pytest.mark.parametrize("action_id", TASK_BUTTONS)
def test_task_button_with_a_bad_value(
    action_id: str,
    value: str | None,
    where: str,
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = _card_task(slack)
    [(block_id, _)] = [(b, e) for b, e in buttons_in(card["blocks"]) if e["action_id"] == "tasks.done"]
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id}
    if value is not None:
        action["value"] = value
    home = fake.home_views[USER]
    before, seen = _snapshot(db), Seen(fake)

    result = _post(slack, _click_payload(slack, action, where=where, message=card, view=home))

    _clean(result, caplog)
    assert _snapshot(db) == before
    seen.told(NO_VALUE if value in ("", None) else BAD_VALUE)


# -- 2. Show more with a tampered query --------------------------------------------------------------

SHOW_MORE = {
    "not-json": "{oops",
    "json-list": json.dumps(["mine", 20]),
    "mode-root": json.dumps({"mode": "root", "user": "", "campaign": "", "offset": 20}),
    "user-channel": json.dumps({"mode": "user", "user": "<!channel>", "campaign": "", "offset": 20}),
    "offset-negative": json.dumps({"mode": "mine", "user": "", "campaign": "", "offset": -5}),
    "offset-text": json.dumps({"mode": "mine", "user": "", "campaign": "", "offset": "x"}),
    "offset-huge": json.dumps({"mode": "mine", "user": "", "campaign": "", "offset": 10**12}),
    "campaign-500": json.dumps({"mode": "all", "user": "", "campaign": "c" * 500, "offset": 20}),
}


@pytest.mark.parametrize("value", list(SHOW_MORE.values()), ids=list(SHOW_MORE))
def test_show_more_with_a_tampered_query(
    value: str, slack: SlackDriver, fake: FakeSlack, db: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _card_task(slack)
    before, seen = _snapshot(db), Seen(fake)
    result = _post(slack, _click_payload(slack, {"action_id": "tasks.show_more", "value": value}))
    _clean(result, caplog)
    assert _snapshot(db) == before
    seen.told(BAD_VALUE)


# -- 3. the card's people picker with a tampered pick or block -------------------------------------

_MISSING = object()
REASSIGN = {
    "user-missing": ("task:1", _MISSING),
    "user-null": ("task:1", None),
    "user-empty": ("task:1", ""),
    "user-is-the-bot": ("task:1", "U_BOT"),
    "user-channel": ("task:1", "<!channel>"),
    "user-not-an-id": ("task:1", "not-an-id"),
    "block-task-abc": ("task:abc", "U_MIA"),
    "block-task-empty": ("task:", "U_MIA"),
    "block-row": ("row:1", "U_MIA"),
    "block-missing": (_MISSING, "U_MIA"),
}


_REASSIGN_PARAMS = [pytest.param(*case, id=name) for name, case in REASSIGN.items()]


@pytest.mark.parametrize(("block_id", "picked"), _REASSIGN_PARAMS)
def test_reassign_with_a_tampered_pick(
    block_id: object,
    picked: object,
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _card_task(slack)
    action: dict[str, Any] = {"type": "users_select", "action_id": "tasks.reassign"}
    if block_id is not _MISSING:
        action["block_id"] = block_id
    if picked is not _MISSING:
        action["selected_user"] = picked
    before, seen = _snapshot(db), Seen(fake)
    result = _post(slack, _click_payload(slack, action))
    _clean(result, caplog)
    assert _snapshot(db) == before
    answer = seen.told("")
    assert BAD_VALUE in answer or NO_VALUE in answer or "pick a person" in answer, answer
    assert "<!channel>" not in answer  # never echoed as a live mention


# -- 4. the settings Undo button with a tampered value ---------------------------------------------

UNDO = {
    "not-json": ("{oops", BAD_VALUE),
    "unknown-key": (json.dumps({"key": "password", "value": "x"}), BAD_VALUE),
    "no-value": (json.dumps({"key": "timezone"}), BAD_VALUE),
    "no-such-timezone": (json.dumps({"key": "timezone", "value": "Mars/Base"}), "Mars/Base"),
}


@pytest.mark.parametrize(("value", "expected"), list(UNDO.values()), ids=list(UNDO))
def test_settings_undo_with_a_tampered_value(
    value: str,
    expected: str,
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reply = _command(slack, "/ecom settings timezone Europe/Berlin")
    [(block_id, undo)] = buttons_in(reply["blocks"])
    before, seen = _snapshot(db), Seen(fake)
    action = {"action_id": undo["action_id"], "block_id": block_id, "value": value}
    result = _post(slack, _click_payload(slack, action))
    _clean(result, caplog)
    assert _snapshot(db) == before
    seen.told(expected)


# -- 5. the task form with tampered metadata or values --------------------------------------------

Tamper = Callable[[dict[str, Any], dict[str, Any]], None]


def _meta(**changes: Any) -> Tamper:
    def tamper(view: dict[str, Any], values: dict[str, Any]) -> None:
        meta = json.loads(view["private_metadata"])
        view["private_metadata"] = json.dumps({**meta, **changes})

    return tamper


def _raw_meta(raw: str) -> Tamper:
    def tamper(view: dict[str, Any], values: dict[str, Any]) -> None:
        view["private_metadata"] = raw

    return tamper


def _element(block_id: str, **state: Any) -> Tamper:
    def tamper(view: dict[str, Any], values: dict[str, Any]) -> None:
        values[block_id]["value"] = {**values[block_id]["value"], **state}

    return tamper


def _option(block_id: str, value: str) -> Tamper:
    return _element(block_id, selected_option={"text": {"type": "plain_text", "text": value}, "value": value})


# (tamper, the input the error shows under, what it says). Tampered metadata has no input of its own:
# its refusal shows under the first one (the title).
FIELD_VALUE = "This value cannot be used"
FORM_CASES: dict[str, tuple[Tamper, str, str]] = {
    "meta-not-json": (_raw_meta("{oops"), "title", BAD_VALUE),
    "meta-json-list": (_raw_meta('["C_DEMO", 1]'), "title", BAD_VALUE),
    "meta-number-text": (_meta(number="abc"), "title", BAD_VALUE),
    "meta-number-negative": (_meta(number=-1), "title", BAD_VALUE),
    "meta-number-huge": (_meta(number=10**12), "title", BAD_VALUE),
    "meta-channel-mention": (_meta(channel="<!channel>"), "title", BAD_VALUE),
    "meta-source-javascript": (_meta(source_url="javascript:alert(1)"), "title", BAD_VALUE),
    "meta-source-other-host": (_meta(source_url="https://evil.example/archives/C1/p1"), "title", BAD_VALUE),
    "meta-source-http": (
        _meta(source_url="http://demo-shop.slack.com/archives/C_DEMO/p1"),
        "title",
        BAD_VALUE,
    ),
    "due-feb-30": (_element("due", selected_date="2026-02-30"), "due", FIELD_VALUE),
    "due-word": (_element("due", selected_date="tomorrow"), "due", FIELD_VALUE),
    "due-1999": (_element("due", selected_date="1999-01-01"), "due", FIELD_VALUE),
    "priority-unknown": (_option("priority", "urgent!"), "priority", FIELD_VALUE),
    "recurrence-unknown": (_option("recurrence", "hourly"), "recurrence", FIELD_VALUE),
    "owner-is-the-bot": (_element("owner", selected_user="U_BOT"), "owner", FIELD_VALUE),
    "owner-empty": (_element("owner", selected_user=""), "owner", "Please fill this in."),
    "owner-null": (_element("owner", selected_user=None), "owner", "Please fill this in."),
    "parent-superscript": (_element("parent", value="²"), "parent", "Give the number of an existing task"),
    "parent-overflow": (
        _element("parent", value="99999999999999999999"),
        "parent",
        "Give the number of an existing task",
    ),
}
_FORM_PARAMS = [pytest.param(*case, id=name) for name, case in FORM_CASES.items()]


def _open_form(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    """Task #1 exists; U_DEMO has `/task` open in #ops: the new-task form."""
    _command(slack, "/task add Banner <@U_LI> due:fri")
    assert slack.command("/task").status == 200
    [view] = [v for v in fake.views.values() if v["type"] == "modal"]
    assert view["callback_id"] == "tasks.modal"
    return view


@pytest.mark.parametrize(("tamper", "field", "expected"), _FORM_PARAMS)
def test_task_form_with_tampered_input_is_refused(
    tamper: Tamper,
    field: str,
    expected: str,
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    view = _open_form(slack, fake)
    values = modal_values(view, {"title": "Shoot photos", "owner": "U_LI", "due": "2026-11-27"})
    tamper(view, values)
    before = _snapshot(db)
    result = slack.submit(view, values)
    _clean(result, caplog)
    assert _snapshot(db) == before
    answer = result.json
    assert answer is not None and answer["response_action"] == "errors", result.text
    assert list(answer["errors"]) == [field], answer
    text = answer["errors"][field]
    _plain_words(text)
    assert expected in text, text
    assert fake.ephemerals == [] and fake.messages("U_LI")[1:] == []


def test_task_form_title_with_a_nul_is_saved_without_it(
    slack: SlackDriver, fake: FakeSlack, db: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    view = _open_form(slack, fake)
    result = slack.submit(view, modal_values(view, {"title": "Shoot\x00 photos", "owner": "U_LI"}))
    _clean(result, caplog)
    assert not result.text or result.json.get("response_action") != "errors", result.text
    assert _titles(db) == ["Banner", "Shoot photos"]
    [card] = fake.ephemerals
    assert "Added task #2." in _texts(card) and "\x00" not in _texts(card)


def _titles(db: Engine) -> list[str]:
    with db.connect() as conn:
        return list(conn.execute(sa.text("SELECT title FROM tasks ORDER BY number")).scalars())


# -- 6. whole requests that Slack would not send --------------------------------------------------


def _full_click() -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T_DEMO", "domain": "demo-shop"},
        "user": _user(),
        "api_app_id": "A_ECOMBOT",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C_DEMO"},
        "channel": {"id": "C_DEMO", "name": "ops"},
        "actions": [{"type": "button", "action_id": "tasks.done", "block_id": "task:1", "value": "1"}],
    }


def _click_with(**changes: Any) -> str:
    payload = {**_full_click(), **changes}
    return urlencode({"payload": json.dumps({k: v for k, v in payload.items() if v is not _MISSING})})


def _command_without(field: str) -> str:
    fields = {
        "team_id": "T_DEMO",
        "team_domain": "demo-shop",
        "channel_id": "C_DEMO",
        "user_id": USER,
        "command": "/task",
        "text": "done 1",
        "api_app_id": "A_ECOMBOT",
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T_DEMO/1/x",
        "trigger_id": "1.2.3",
    }
    del fields[field]
    return urlencode(fields)


def _envelope(event: dict[str, Any]) -> str:
    return json.dumps(
        {
            "team_id": "T_DEMO",
            "api_app_id": "A_ECOMBOT",
            "type": "event_callback",
            "event_id": "Ev1",
            "event": event,
        }
    )


SHAPES: dict[str, tuple[bytes, str]] = {
    "payload-not-json": (urlencode({"payload": "{oops"}).encode(), FORM),
    "payload-json-list": (urlencode({"payload": json.dumps([_full_click()])}).encode(), FORM),
    "payload-bare-empty-actions": (
        urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}).encode(),
        FORM,
    ),
    "click-empty-actions": (_click_with(actions=[]).encode(), FORM),
    "click-actions-not-objects": (_click_with(actions=["tasks.done", 1]).encode(), FORM),
    "click-action-without-id": (_click_with(actions=[{"type": "button", "value": "1"}]).encode(), FORM),
    "click-user-missing": (_click_with(user=_MISSING).encode(), FORM),
    "click-user-not-object": (_click_with(user="U_DEMO").encode(), FORM),
    "click-view-string": (_click_with(view="V1").encode(), FORM),
    "click-team-string": (_click_with(team="T_DEMO").encode(), FORM),
    "body-percent-not-utf8": (b"payload=%FF%FE", FORM),
    "body-raw-not-utf8": (b"payload=\xff\xfe{}", FORM),
    "events-json-list": (json.dumps([{"type": "event_callback"}]).encode(), JSON),
    "event-without-type": (_envelope({"user": USER, "tab": "home"}).encode(), JSON),
    "command-without-command": (_command_without("command").encode(), FORM),
    "command-without-user": (_command_without("user_id").encode(), FORM),
    "command-without-team": (_command_without("team_id").encode(), FORM),
}


@pytest.mark.parametrize(("body", "content_type"), list(SHAPES.values()), ids=list(SHAPES))
def test_a_request_slack_would_not_send_gets_a_clear_answer(
    body: bytes,
    content_type: str,
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _card_task(slack)
    before, calls = _snapshot(db), len(fake.calls)
    result = _raw(slack, body, content_type)
    _clean(result, caplog)
    assert _snapshot(db) == before
    assert result.json is not None and UNREADABLE in result.json["text"], result.text
    _plain_words(result.json["text"])
    assert fake.calls[calls:] == []  # nothing was done on Slack either


# -- 7. org-wide (Enterprise Grid) installs ---------------------------------------------------------


def _org_click(slack: SlackDriver) -> HttpResult:
    payload = _click_payload(slack, {"action_id": "tasks.done", "block_id": "task:1", "value": "1"})
    payload.update(team=None, is_enterprise_install=True, user=_user(team=None))
    payload["enterprise"] = {"id": "E_GRID", "name": "Grid"}
    return _post(slack, payload)


def _org_submission(slack: SlackDriver) -> HttpResult:
    [form] = [v for v in slack.fake.views.values() if v["type"] == "modal"]
    values = modal_values(form, {"title": "Shoot photos"})
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": None,
        "enterprise": {"id": "E_GRID", "name": "Grid"},
        "user": _user(team=None),
        "api_app_id": "A_ECOMBOT",
        "trigger_id": slack.fake.new_trigger_id(),
        "view": {**form, "state": {"values": values}},
        "response_urls": [],
        "is_enterprise_install": True,
    }
    return _post(slack, payload)


def _org_command(slack: SlackDriver) -> HttpResult:
    fields = dict(
        token="legacy-verification-token",
        team_id="T_DEMO",
        team_domain="demo-shop",
        enterprise_id="E_GRID",
        enterprise_name="Grid",
        channel_id="C_DEMO",
        user_id=USER,
        command="/task",
        text="add Banner due:fri",
        api_app_id="A_ECOMBOT",
        is_enterprise_install="true",
        response_url=slack.fake.new_response_url(),
        trigger_id=slack.fake.new_trigger_id(),
    )
    return slack.send(urlencode(fields), FORM)


ORG_WIDE_CASES: dict[str, Callable[[SlackDriver], HttpResult]] = {
    "click": _org_click,
    "form-submission": _org_submission,
    "command": _org_command,
}


@pytest.mark.parametrize("send", list(ORG_WIDE_CASES.values()), ids=list(ORG_WIDE_CASES))
def test_org_wide_requests_are_refused_clearly(
    send: Callable[[SlackDriver], HttpResult],
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _open_form(slack, fake)
    before, seen = _snapshot(db), Seen(fake)
    result = send(slack)
    _clean(result, caplog)
    assert _snapshot(db) == before
    body = result.json
    if send is _org_click:
        assert any(words in seen.told("") for words in ORG_WIDE)
    elif send is _org_submission:
        assert body is not None and body["response_action"] == "errors", result.text
        [text] = body["errors"].values()
        _plain_words(text)
        assert any(words in text for words in ORG_WIDE), text
    else:
        assert body is not None and body["response_type"] == "ephemeral", result.text
        _plain_words(body["text"])
        assert any(words in body["text"] for words in ORG_WIDE), body["text"]
    with db.connect() as conn:
        teams = list(conn.execute(sa.text("SELECT team_id FROM workspaces")).scalars())
    assert teams == ["T_DEMO"]


# -- 8. odd text in commands --------------------------------------------------------------------------

COMMANDS = {
    "done-superscript": ("/task done ²", "`²` is not a task number"),
    "done-circled": ("/task done ①", "`①` is not a task number"),
    "parent-overflow": ("/task add x parent:99999999999999999999", "99999999999999999999"),
    "due-feb-30": ("/task due 1 2026-02-30", "`2026-02-30` is not a date"),
    "list-channel-mention": ("/task list <!channel>", "`@channel`"),
}


@pytest.mark.parametrize(("line", "expected"), list(COMMANDS.values()), ids=list(COMMANDS))
def test_command_with_odd_text_names_the_bad_part(
    line: str,
    expected: str,
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _command(slack, "/task add Banner <@U_LI> due:fri")
    before = _snapshot(db)
    result = slack.command(line)
    _clean(result, caplog)
    assert _snapshot(db) == before
    reply = result.json
    assert reply is not None and reply["response_type"] == "ephemeral", result.text
    text = _texts(reply)
    _plain_words(text)
    assert expected in reply["text"], reply["text"]
    assert "Usage:" in reply["text"], reply["text"]
    assert "<!channel>" not in text  # never echoed as a live mention


def test_command_title_with_a_nul_is_saved_without_it(
    slack: SlackDriver, db: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    result = slack.command("/task add Ban\x00ner <@U_LI> due:fri")
    _clean(result, caplog)
    reply = result.json
    assert reply is not None and "Added task #1." in reply["text"], result.text
    [title] = _titles(db)
    assert title == "Banner"


def test_a_slash_command_that_is_not_ecombots_is_answered_and_logged_in_one_line(
    slack: SlackDriver, fake: FakeSlack, db: Engine, team: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A command whose Request URL points at ecombot by mistake (a copied app config): the person is
    told which commands are ecombot's, the log has one line (not Bolt's listener suggestion)."""
    before, calls = table_snapshot(db), len(fake.calls)
    with caplog.at_level(logging.INFO):
        result = slack.command("/weather <!channel> tomorrow", user="U_DEMO")
    assert result.status == 200
    reply = json.loads(result.text)
    assert reply["response_type"] == "ephemeral"
    assert "`/weather` is not an ecombot command" in reply["text"] and "`/task`" in reply["text"]
    assert "不是 ecombot 的命令" in reply["text"]
    assert fake.calls[calls:] == [] and table_snapshot(db) == before
    lines = [r.getMessage() for r in caplog.records if "weather" in r.getMessage()]
    assert lines == ["answered a slash command ecombot does not have: '/weather'"], lines
    assert not any("Consider adding" in r.getMessage() for r in caplog.records)
