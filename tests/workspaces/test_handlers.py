"""/ecom end to end: signed requests to the real app, replies checked as the user would see them."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.devtools.driver import SlackDriver, buttons_in, sign
from ecombot.devtools.fakeslack import FakeSlack
from tests.support import table_snapshot


def _texts(blocks: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    return table_snapshot(engine)


def _workspace(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT timezone, currency, language, ops_leads FROM workspaces")).one()
    leads = row.ops_leads if isinstance(row.ops_leads, list) else json.loads(row.ops_leads)
    return {"timezone": row.timezone, "currency": row.currency, "language": row.language, "ops_leads": leads}


def test_help_lists_every_command_in_an_ephemeral_reply(slack: SlackDriver) -> None:
    result = slack.command("/ecom help", user="U_DEMO")
    assert result.status == 200
    reply = result.json
    assert reply["response_type"] == "ephemeral"
    text = _texts(reply["blocks"])
    assert "ecombot commands" in text
    # Placeholders are escaped, so Slack shows `<value>` as typed instead of parsing it as markup.
    for usage in (
        "/ecom help",
        "/ecom settings [timezone|currency|language &lt;value&gt; | lead add|remove @user]",
        "/task add &lt;title&gt; [@owner] [due:&lt;date&gt;]",
        "/task done &lt;id&gt;",
    ):
        assert f"`{usage}" in text
    assert "<title>" not in text and "<id>" not in text


def test_empty_command_shows_help(slack: SlackDriver) -> None:
    reply = slack.command("/ecom", user="U_DEMO").json
    assert "ecombot commands" in _texts(reply["blocks"])


def test_a_chinese_slack_user_gets_chinese(slack: SlackDriver, fake: FakeSlack) -> None:
    reply = slack.command("/ecom help", user="U_LI").json
    assert "ecombot 命令" in _texts(reply["blocks"])


def test_a_new_member_gets_the_workspace_language_until_slack_has_told_us_theirs(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    slack.command("/ecom settings language en", user="U_DEMO")
    fake.add_user("U_WANG", name="wang", locale="zh-CN", tz="Asia/Shanghai")
    first = slack.command("/ecom help", user="U_WANG")
    # Nothing asks Slack before the ack: the first reply is in the workspace's language...
    assert "ecombot commands" in _texts(first.json["blocks"])
    [info] = fake.calls_to("users.info")
    assert info.args.get("user") == "U_WANG" and info.args.get("include_locale") in (True, "true", "1", 1)
    # ...and users.info, asked after the ack, gives the member's own from then on.
    assert "ecombot 命令" in _texts(slack.command("/ecom help", user="U_WANG").json["blocks"])


def test_workspace_language_decides_when_slack_gives_no_locale(slack: SlackDriver, fake: FakeSlack) -> None:
    fake.add_user("U_NOLOC", name="noloc", locale="")
    slack.command("/ecom help", user="U_NOLOC")
    reply = slack.command("/ecom help", user="U_NOLOC").json
    # The configured default workspace language is zh-CN.
    assert "ecombot 命令" in _texts(reply["blocks"])
    slack.command("/ecom settings language en", user="U_DEMO")
    reply = slack.command("/ecom help", user="U_NOLOC").json
    assert "ecombot commands" in _texts(reply["blocks"])


def test_users_are_looked_up_once_then_cached(slack: SlackDriver, fake: FakeSlack) -> None:
    fake.add_user("U_NEW", name="new", tz="Europe/Berlin")
    slack.command("/ecom help", user="U_NEW")
    slack.command("/ecom settings", user="U_NEW")
    assert len([c for c in fake.calls_to("users.info") if c.args.get("user") == "U_NEW"]) == 1


def test_unknown_subcommand_names_it_shows_usage_and_writes_nothing(slack: SlackDriver, db: Engine) -> None:
    slack.command("/ecom help")
    before = _snapshot(db)
    result = slack.command("/ecom nonsense")
    assert result.status == 200
    reply = result.json
    assert reply["response_type"] == "ephemeral"
    assert "`nonsense`" in reply["text"]
    assert "Usage:" in reply["text"] and "/ecom help" in reply["text"]
    assert _snapshot(db) == before


def test_settings_shows_the_workspace_values(slack: SlackDriver) -> None:
    reply = slack.command("/ecom settings", user="U_SAM").json
    text = _texts(reply["blocks"])
    assert "Asia/Shanghai" in text and "CNY" in text and "简体中文" in text
    assert "Only workspace admins and ops leads can change these." in text
    assert "America/New_York" in text  # Sam's own timezone


def test_admin_changes_timezone_then_undoes_it(slack: SlackDriver, db: Engine, fake: FakeSlack) -> None:
    reply = slack.command("/ecom settings timezone Europe/Berlin", user="U_DEMO").json
    assert reply["response_type"] == "ephemeral"
    assert "Asia/Shanghai" in reply["text"] and "Europe/Berlin" in reply["text"]
    assert _workspace(db)["timezone"] == "Europe/Berlin"
    [(block_id, undo)] = buttons_in(reply["blocks"])
    result = slack.click(undo, user="U_DEMO", block_id=block_id, ephemeral=True)
    assert result.status == 200
    assert _workspace(db)["timezone"] == "Asia/Shanghai"
    [post] = fake.response_url_posts
    assert post["payload"]["replace_original"] is True
    assert "Asia/Shanghai" in post["payload"]["text"]


def test_member_cannot_change_settings(slack: SlackDriver, db: Engine) -> None:
    reply = slack.command("/ecom settings currency EUR", user="U_SAM").json
    assert reply["response_type"] == "ephemeral"
    assert "Only workspace admins and ops leads" in reply["text"]
    assert _workspace(db)["currency"] == "CNY"


def test_bad_timezone_is_refused_with_an_example(slack: SlackDriver, db: Engine) -> None:
    reply = slack.command("/ecom settings timezone Mars/Olympus", user="U_DEMO").json
    assert "`Mars/Olympus` is not a timezone" in reply["text"]
    assert _workspace(db)["timezone"] == "Asia/Shanghai"


def test_missing_value_and_extra_words_show_usage(slack: SlackDriver, db: Engine) -> None:
    missing = slack.command("/ecom settings currency", user="U_DEMO").json
    assert "missing" in missing["text"].lower() and "Usage:" in missing["text"]
    extra = slack.command("/ecom settings currency USD please", user="U_DEMO").json
    assert "`please`" in extra["text"]
    unclosed = slack.command('/ecom settings timezone "Asia/Shanghai', user="U_DEMO").json
    assert "never closed" in unclosed["text"]
    assert _workspace(db)["currency"] == "CNY"


def test_ops_lead_added_by_admin_can_then_change_settings(slack: SlackDriver, db: Engine) -> None:
    reply = slack.command("/ecom settings lead add <@U_SAM|sam>", user="U_DEMO").json
    assert "<@U_SAM> is now an ops lead" in reply["text"]
    assert _workspace(db)["ops_leads"] == ["U_SAM"]
    reply = slack.command("/ecom settings currency usd", user="U_SAM").json
    assert "USD" in reply["text"]
    assert _workspace(db)["currency"] == "USD"
    bad = slack.command("/ecom settings lead add sam", user="U_DEMO").json
    assert "`sam` is not a user mention" in bad["text"]


def test_chinese_user_changes_language_in_chinese(slack: SlackDriver, db: Engine) -> None:
    slack.command("/ecom settings lead add <@U_LI>", user="U_DEMO")
    reply = slack.command("/ecom 设置 语言 英文", user="U_LI").json
    assert "暂不支持语言" in reply["text"]
    reply = slack.command("/ecom 设置 语言 en", user="U_LI").json
    assert "语言已从" in reply["text"]
    assert _workspace(db)["language"] == "en"


def test_user_change_event_refreshes_the_timezone(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.command("/ecom help", user="U_SAM")
    user = {"id": "U_SAM", "name": "sam", "tz": "Europe/London", "is_admin": False}
    assert slack.event({"type": "user_change", "user": user}).status == 200
    reply = slack.command("/ecom settings", user="U_SAM").json
    assert "Europe/London" in _texts(reply["blocks"])


def test_bad_signature_and_stale_timestamp_get_401(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    body = slack.command_body("/ecom settings timezone UTC", user="U_DEMO", channel="C_DEMO")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    from ecombot.devtools.driver import http_post

    forged = http_post(slack.events_url, body, {**headers, **sign("wrong-secret", body)})
    assert forged.status == 401
    stale = http_post(
        slack.events_url, body, {**headers, **sign(slack.signing_secret, body, int(time.time()) - 301)}
    )
    assert stale.status == 401
    # auth.test is the token check Bolt makes once at start; nothing was asked on behalf of the request.
    assert [c.method for c in fake.calls if c.method != "auth.test"] == []
    with db.connect() as conn:
        assert conn.execute(sa.text("SELECT timezone FROM workspaces")).scalar() == "Asia/Shanghai"


def test_unexpected_error_gives_a_ref_and_logs_the_traceback_with_it(
    settings: Any, db: Engine, clock: Any, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    from ecombot.app import create_app
    from ecombot.devtools.driver import LocalServer
    from ecombot.server import EcombotWsgi
    from tests.support import SIGNING_SECRET

    app = create_app(settings, engine=db, clock=clock)

    @app.command("/boom")
    def boom(ack: Any) -> None:
        raise RuntimeError("kaboom")

    wsgi = EcombotWsgi(app, db, signing_secret=SIGNING_SECRET)
    wsgi.commands |= {"/boom"}  # a listener of this test's own: not refused as another app's command
    server = LocalServer(wsgi)
    try:
        with caplog.at_level(logging.ERROR, logger="ecombot.errors"):
            result = SlackDriver(server.url, SIGNING_SECRET, fake).command("/boom", user="U_DEMO")
    finally:
        server.close()
    assert result.status == 200
    text = result.json["text"]
    assert result.json["response_type"] == "ephemeral"
    assert "Something went wrong" in text
    ref = text.split("(ref ")[1].split(")")[0]
    assert len(ref) == 6
    [record] = [r for r in caplog.records if ref in r.getMessage()]
    assert record.exc_info is not None and "kaboom" in str(record.exc_info[1])


def test_rate_limited_users_info_is_retried_after_the_ack(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    fake.add_user("U_NEW", name="new", locale="en-US", tz="America/New_York")
    fake.fail_next("users.info", status=429, retry_after=1)
    result = slack.command("/ecom help", user="U_NEW")
    # Acked at once, in the workspace's language, while Slack made the lookup wait a second.
    assert result.seconds < 1.0
    assert "ecombot 命令" in _texts(result.json["blocks"])
    assert [c.ok for c in fake.calls_to("users.info")] == [False, True]
    with db.connect() as conn:
        assert (
            conn.execute(sa.text("SELECT tz FROM members WHERE user_id = 'U_NEW'")).scalar()
            == "America/New_York"
        )


def test_slack_down_still_answers_in_the_workspace_language(slack: SlackDriver, fake: FakeSlack) -> None:
    fake.add_user("U_NEW", name="new", locale="en-US")
    fake.fail_next("users.info", status=503, times=5)
    reply = slack.command("/ecom help", user="U_NEW").json
    assert "ecombot 命令" in _texts(reply["blocks"])


def test_setting_the_language_it_already_has_changes_nothing_and_offers_no_undo(
    slack: SlackDriver, db: Engine
) -> None:
    reply = slack.command("/ecom settings language zh-CN", user="U_DEMO").json
    assert "Language is already *简体中文 (zh-CN)*; nothing changed." in reply["text"]
    assert buttons_in(reply["blocks"]) == []
    assert _workspace(db)["language"] == "zh-CN"
