"""Malformed interactivity, every listener: each button and menu (`action_id`) and each modal
(`callback_id`) that any domain registers gets payloads with missing, extra, wrong-typed, huge and
foreign values, signed as Slack sends them.

Each must answer HTTP 200 well within Slack's 3 s, log no error, make no call the fake Slack would
refuse, and write nothing: a button whose value is not one the app made, or a form whose fields and
metadata are not, changes no row. (Buttons that carry no value, `no_value`, may do their work: the
junk they carry is not read.) The counts are printed.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.domain import Action, Form, no_value
from ecombot.domains import DOMAINS
from tests.support import table_snapshot

DEADLINE = 2.0  # seconds
ACTIONS: list[Action] = [action for domain in DOMAINS for action in domain.actions]
FORMS: list[Form] = [form for domain in DOMAINS for form in domain.forms]

JUNK_VALUES: tuple[Any, ...] = (
    None,  # no value at all
    "",
    "abc",
    "-1",
    "0",
    "424242",  # a record that is not there (or is another workspace's)
    "99999999999999999999999999",
    "1e308",
    '{"id": "1", "extra": [1, 2]}',
    "[]",
    "null",
    "<!channel>",
    "x" * 3000,
    "1|2|3",
    "T_OTHER:1",
)


def _action_payloads(action: Action) -> list[dict[str, Any]]:
    """The clicks of one action: each junk value as a button's value, and menus picked oddly."""
    clicks: list[dict[str, Any]] = []
    for junk in JUNK_VALUES:
        click: dict[str, Any] = {"action_id": action.action_id, "type": "button"}
        if junk is not None:
            click["value"] = junk
        clicks.append(click)
    clicks += [
        {"action_id": action.action_id, "type": "static_select", "selected_option": None},
        {"action_id": action.action_id, "type": "static_select", "selected_option": {"value": "junk"}},
        {"action_id": action.action_id, "type": "static_select", "selected_option": "not an object"},
        {"action_id": action.action_id, "type": "users_select", "selected_user": "U_NOBODY"},
        {"action_id": action.action_id, "type": "users_select", "selected_user": 12},
        {"action_id": action.action_id, "type": "datepicker", "selected_date": "2026-02-30"},
        {"action_id": action.action_id, "type": "button", "value": 7},  # wrong type
    ]
    return clicks


def _form_submissions(form: Form) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(view, state values) of one form: no fields, fields of the wrong type, junk metadata."""
    views: list[dict[str, Any]] = [
        {"id": "V_FUZZ", "type": "modal", "callback_id": form.callback_id, "private_metadata": metadata}
        for metadata in (
            "",
            "{",
            "424242",
            '{"id": 424242}',
            '{"id": "x", "team": "T_OTHER"}',
            "[1,2]",
            "x" * 3000,
        )
    ]
    # Slack always sends the view's type; Bolt reads it before any listener (refused at the door).
    views.append({"id": "V_FUZZ", "callback_id": form.callback_id, "private_metadata": ""})
    states: list[dict[str, Any]] = [
        {},
        {"b": {"a": {"type": "plain_text_input", "value": None}}},
        {"title": {"title": {"type": "plain_text_input", "value": "<!channel> " + "长" * 4000}}},
        {"due": {"due": {"type": "datepicker", "selected_date": "9999-99-99"}}},
        {"owner": {"owner": {"type": "users_select", "selected_user": "U_NOBODY"}}},
        {"x": "not an object"},
    ]
    return [(view, state) for view in views for state in states]


class Counts(Counter[str]):
    pass


def _check(
    result: Any, where: str, before: Any, db: Engine, caplog: pytest.LogCaptureFixture, strict: bool
) -> None:
    assert result.status == 200, f"{where}: HTTP {result.status} {result.text[:300]}"
    assert result.seconds < DEADLINE, f"{where}: answered in {result.seconds:.2f} s"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("ecombot")]
    assert errors == [], f"{where}: logged {[r.getMessage()[:300] for r in errors]}"
    if strict:
        assert table_snapshot(db) == before, f"{where}: a malformed payload wrote something"


@pytest.mark.parametrize("action", ACTIONS, ids=[a.action_id for a in ACTIONS])
def test_every_button_and_menu_answers_junk_cleanly_and_writes_nothing(
    action: Action,
    slack: SlackDriver,
    db: Engine,
    team: str,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    strict = action.read is not no_value
    counts = Counts()
    for n, click in enumerate(_action_payloads(action)):
        for place in ("message", "home"):
            before = table_snapshot(db)
            caplog.clear()
            view = {"id": "V_HOME", "type": "home", "blocks": []} if place == "home" else None
            result = slack.click(click, user=("U_DEMO", "U_LI")[n % 2], view=view)
            _check(
                result, f"{action.action_id} {place} {json.dumps(click)[:200]}", before, db, caplog, strict
            )
            counts["clicks"] += 1
    print(
        f"\n{action.action_id}: {counts['clicks']} malformed clicks, 0 errors, 0 rows written"
        + ("" if strict else " checked (no value read)")
    )


@pytest.mark.parametrize("form", FORMS, ids=[f.callback_id for f in FORMS])
def test_every_form_answers_junk_cleanly_and_writes_nothing(
    form: Form, slack: SlackDriver, db: Engine, team: str, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    submitted = 0
    for n, (view, state) in enumerate(_form_submissions(form)):
        before = table_snapshot(db)
        caplog.clear()
        result = slack.submit(view, state, user=("U_DEMO", "U_LI")[n % 2])
        _check(
            result,
            f"{form.callback_id} {json.dumps(state)[:120]} meta={view['private_metadata'][:40]!r}",
            before,
            db,
            caplog,
            True,
        )
        if result.text.startswith("{"):
            answer = json.loads(result.text)
            # A form that cannot be used says so next to a field, or closes: never a blank error.
            assert answer.get("response_action") in ("errors", "clear", "update", None), answer
        submitted += 1
    print(f"\n{form.callback_id}: {submitted} malformed submissions, 0 errors, 0 rows written")
