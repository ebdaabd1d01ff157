"""The Slack fake, driven over HTTP by a real slack_sdk WebClient."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from ecombot.devtools.blockkit import mrkdwn_problems, validate_blocks, validate_view
from ecombot.devtools.fakeslack import FakeSlack

TS = re.compile(r"^\d{10}\.\d{6}$")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url)


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def button(text: str) -> dict[str, Any]:
    return {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": text}}]}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Task"}, "blocks": blocks, **extra}


def error_of(exc: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(exc.value.response["error"])


def messages_of(exc: pytest.ExceptionInfo[SlackApiError]) -> list[str]:
    return list(exc.value.response["response_metadata"]["messages"])


def post_to(url: str, payload: dict[str, Any]) -> tuple[int, bytes]:
    """POST JSON to a response_url; returns the HTTP status and body, errors included."""
    body = json.dumps(payload).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# ---------------------------------------------------------------- messages


def test_post_message_to_channel_is_stored_with_ts(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C_DEMO", text="hello")
    second = client.chat_postMessage(channel="C_DEMO", text="again", thread_ts=first["ts"])

    assert first["channel"] == "C_DEMO"
    assert TS.match(first["ts"]) and float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "hello" and first["message"]["bot_id"] == "B_BOT"
    stored = fake.messages("C_DEMO")
    assert [m["text"] for m in stored] == ["hello", "again"]
    assert stored[0]["reply_count"] == 1 and stored[1]["thread_ts"] == first["ts"]


def test_post_message_to_user_id_lands_in_their_dm(fake: FakeSlack, client: WebClient) -> None:
    response = client.chat_postMessage(channel="U_LI", text="你好")

    assert response["channel"] == "D_U_LI"
    assert [m["text"] for m in fake.messages("U_LI")] == ["你好"]
    assert fake.messages("D_U_LI") == fake.messages("U_LI")
    assert fake.messages("C_DEMO") == []


def test_unknown_channel_and_not_in_channel(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("C_RANDOM", name="random", members=["U_SAM"], bot_is_member=False)

    with pytest.raises(SlackApiError) as missing:
        client.chat_postMessage(channel="C_NOPE", text="x")
    with pytest.raises(SlackApiError) as outside:
        client.chat_postMessage(channel="C_RANDOM", text="x")
    with pytest.raises(SlackApiError) as private:
        client.conversations_join(channel="C_PRIV")

    assert error_of(missing) == "channel_not_found"
    assert error_of(outside) == "not_in_channel"
    assert error_of(private) == "method_not_supported_for_channel_type"
    client.conversations_join(channel="C_RANDOM")
    assert client.chat_postMessage(channel="C_RANDOM", text="x")["ok"]
    assert [c.error for c in fake.rejections] == [
        "channel_not_found",
        "not_in_channel",
        "method_not_supported_for_channel_type",
    ]


def test_update_delete_ephemeral_permalink_and_reactions(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C_DEMO", text="draft")["ts"]

    updated = client.chat_update(channel="C_DEMO", ts=ts, text="final", blocks=[section("*final*")])
    client.reactions_add(channel="C_DEMO", timestamp=ts, name="white_check_mark")
    ephemeral = client.chat_postEphemeral(channel="C_DEMO", user="U_SAM", text="only you")
    link = client.chat_getPermalink(channel="C_DEMO", message_ts=ts)

    assert updated["message"]["text"] == "final"
    stored = fake.messages("C_DEMO")[0]
    assert stored["blocks"][0]["text"]["text"] == "*final*" and stored["reactions"][0]["count"] == 1
    assert TS.match(ephemeral["message_ts"])
    assert fake.ephemerals[0]["user"] == "U_SAM" and fake.ephemerals[0]["text"] == "only you"
    assert link["permalink"].startswith("https://demo-shop.slack.com/archives/C_DEMO/p")

    client.chat_delete(channel="C_DEMO", ts=ts)
    assert fake.messages("C_DEMO") == []
    with pytest.raises(SlackApiError) as gone:
        client.chat_update(channel="C_DEMO", ts=ts, text="again")
    assert error_of(gone) == "message_not_found"


def test_conversations_open_info_members_and_list(client: WebClient) -> None:
    opened = client.conversations_open(users="U_SAM")
    info = client.conversations_info(channel="C_DEMO", include_num_members=True)
    members = client.conversations_members(channel="C_DEMO", limit=2)
    rest = client.conversations_members(channel="C_DEMO", cursor=members["response_metadata"]["next_cursor"])
    listed = client.conversations_list(types="public_channel,private_channel")

    assert opened["channel"]["id"] == "D_U_SAM"
    assert info["channel"]["name"] == "ops" and info["channel"]["is_member"] is True
    assert info["channel"]["num_members"] == 5  # four people and the bot
    assert members["members"] + rest["members"] == ["U_DEMO", "U_LI", "U_SAM", "U_MIA", "U_BOT"]
    assert {c["id"] for c in listed["channels"]} == {"C_DEMO", "C_PRIV"}


# ---------------------------------------------------------------- argument checks


def test_unknown_method_is_rejected(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.api_call("chat.frobnicate")

    assert error_of(exc) == "unknown_method"
    assert [(c.method, c.error) for c in fake.rejections] == [("chat.frobnicate", "unknown_method")]


def test_unknown_argument_is_rejected_naming_it(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C_DEMO", text="x", colour="red")

    assert error_of(exc) == "invalid_arguments"
    assert any("colour" in m for m in exc.value.response["response_metadata"]["messages"])
    assert fake.rejections[0].args["colour"] == "red"
    assert fake.messages("C_DEMO") == []


def test_missing_required_argument_is_rejected(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.api_call("chat.postMessage", json={"text": "nowhere"})

    assert error_of(exc) == "invalid_arguments"
    assert any("channel" in m for m in exc.value.response["response_metadata"]["messages"])
    assert fake.rejections[0].method == "chat.postMessage"


def test_tokens_are_checked(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=fake.api_url).auth_test()
    with pytest.raises(SlackApiError) as bad:
        WebClient(token="nope", base_url=fake.api_url).auth_test()

    assert error_of(missing) == "not_authed" and error_of(bad) == "invalid_auth"
    with FakeSlack(valid_tokens={"xoxb-right"}) as strict:
        with pytest.raises(SlackApiError) as wrong:
            WebClient(token="xoxb-wrong", base_url=strict.api_url).auth_test()
        assert error_of(wrong) == "invalid_auth"
        me = WebClient(token="xoxb-right", base_url=strict.api_url).auth_test()
        assert (me["user_id"], me["bot_id"], me["team_id"]) == ("U_BOT", "B_BOT", "T_DEMO")


def test_get_with_query_string_and_token_argument(fake: FakeSlack) -> None:
    with urllib.request.urlopen(fake.api_url + "users.info?token=xoxb-q&user=U_SAM") as resp:
        body = json.load(resp)

    assert body["ok"] and body["user"]["name"] == "sam"
    assert fake.calls[0].token == "xoxb-q" and "token" not in fake.calls[0].args


# ---------------------------------------------------------------- Block Kit limits


@pytest.mark.parametrize(
    ("blocks", "ok"),
    [
        ([section(f"row {i}") for i in range(50)], True),
        ([section(f"row {i}") for i in range(51)], False),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 150}}], True),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], False),
        ([section("s" * 3000)], True),
        ([section("s" * 3001)], False),
        ([button("b" * 75)], True),
        ([button("b" * 76)], False),
    ],
    ids=["50-blocks", "51-blocks", "header-150", "header-151", "text-3000", "text-3001", "btn-75", "btn-76"],
)
def test_message_block_limits(
    fake: FakeSlack, client: WebClient, blocks: list[dict[str, Any]], ok: bool
) -> None:
    if ok:
        client.chat_postMessage(channel="C_DEMO", text="fallback", blocks=blocks)
        assert len(fake.messages("C_DEMO")) == 1
    else:
        with pytest.raises(SlackApiError) as exc:
            client.chat_postMessage(channel="C_DEMO", text="fallback", blocks=blocks)
        assert error_of(exc) == "invalid_blocks"
        assert fake.rejections[0].error == "invalid_blocks" and fake.messages("C_DEMO") == []


def test_modal_with_101_blocks_is_rejected(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.new_trigger_id()
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id=trigger, view=modal([section("x")] * 101))

    assert error_of(exc) == "invalid_blocks"
    assert client.views_open(trigger_id=trigger, view=modal([section("x")] * 100))["ok"]


def test_blockkit_validator_reports_pointers() -> None:
    problems = validate_blocks(
        [
            {"type": "section", "block_id": "a", "text": {"type": "markdown", "text": "x"}},
            {"type": "divider", "block_id": "a"},
        ],
        surface="message",
    )
    view_problems = validate_view(
        {
            "type": "modal",
            "title": {"type": "plain_text", "text": "t" * 25},
            "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "Name"}}],
        }
    )

    assert any("/blocks/0/text/type" in p for p in problems)
    assert any("duplicate block_id" in p for p in problems)
    assert any("/view/title/text" in p for p in view_problems)
    assert any("/view/blocks/0/element" in p for p in view_problems)
    assert any("/view/submit" in p for p in view_problems)
    assert validate_blocks([section("fine"), {"type": "divider"}], surface="home") == []


# ---------------------------------------------------------------- mrkdwn escaping

VALID_MARKUP = [
    "<@U123ABC>",
    "<@W123|li.na>",
    "<@U_DEMO>",
    "<#C123>",
    "<#G123|leads>",
    "<!here>",
    "<!channel>",
    "<!everyone|everyone>",
    "<!subteam^S123>",
    "<!subteam^S123|@ops-team>",
    "<!date^1700000000^{date_short}|Nov 14>",
    "<!date^1700000000^{date_short} at {time}^https://example.com/t/7|Nov 14, 2023>",
    "<http://example.com>",
    "<https://example.com/t?id=7&amp;tab=log|Task #7 &amp; log>",
    "<mailto:ops@example.com|mail us>",
    "<tel:+8613800000000>",
    "<slack://app?team=T123&amp;id=A123>",
]
RAW_LT = ["<b>", "<title>", "<", "<https://x|y"]
RAW_LT_IDS = ["tag", "placeholder", "lone", "unclosed-link"]


@pytest.mark.parametrize("markup", VALID_MARKUP)
def test_mrkdwn_problems_accepts_slack_markup(markup: str) -> None:
    assert mrkdwn_problems(markup) == []
    assert mrkdwn_problems(f"*Due* {markup}, then {markup}.") == []


def test_mrkdwn_problems_names_each_raw_lt() -> None:
    placeholders = mrkdwn_problems("Fill in <title> by <date>")
    lone = mrkdwn_problems("stock < 5")
    doubled = mrkdwn_problems("<<b>")
    unclosed = mrkdwn_problems("see <https://x|y")

    assert len(placeholders) == 2
    assert "'<title>'" in placeholders[0] and "character 8" in placeholders[0]
    assert "'<date>'" in placeholders[1] and "&lt;" in placeholders[1]
    assert len(lone) == 1 and "'< 5'" in lone[0] and "never closed" in lone[0]
    assert len(doubled) == 2 and "'<b>'" in doubled[1]
    assert len(unclosed) == 1 and "'<https://x|y'" in unclosed[0]
    # Near misses: a lowercase id, an unknown sigil, a date without fallback, another scheme, a space.
    assert len(mrkdwn_problems("<@u123> <#X1> <!date^1^{date}> <ftp://x> <https://a b>")) == 5


def test_mrkdwn_problems_ignores_gt_amp_and_entities() -> None:
    assert mrkdwn_problems("> quoted & more -> done") == []
    assert mrkdwn_problems("&lt;b&gt;bold&lt;/b&gt; &amp; 1 &gt; 0") == []
    assert mrkdwn_problems("") == []


def test_valid_markup_is_accepted_in_text_blocks_and_home(fake: FakeSlack, client: WebClient) -> None:
    text = " ".join(VALID_MARKUP)
    blocks = [
        section(text),
        {"type": "section", "fields": [mrkdwn(m) for m in VALID_MARKUP[:10]]},
        {"type": "context", "elements": [mrkdwn(m) for m in VALID_MARKUP[-10:]]},
    ]

    client.chat_postMessage(channel="C_DEMO", text=text, blocks=blocks)
    client.views_publish(user_id="U_SAM", view={"type": "home", "blocks": blocks})

    assert fake.rejections == []
    assert fake.messages("C_DEMO")[0]["text"] == text
    assert fake.home_views["U_SAM"]["blocks"] == blocks


@pytest.mark.parametrize("bad", RAW_LT, ids=RAW_LT_IDS)
def test_raw_lt_in_message_text_is_rejected(fake: FakeSlack, client: WebClient, bad: str) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C_DEMO", text=f"Fill in {bad}")

    assert error_of(exc) == "invalid_arguments"
    assert any(repr(bad) in m and "[json-pointer:/text]" in m for m in messages_of(exc))
    rejection = fake.rejections[0]
    assert (rejection.method, rejection.error) == ("chat.postMessage", "invalid_arguments")
    assert rejection.messages == tuple(messages_of(exc))
    assert fake.messages("C_DEMO") == []


def test_raw_lt_in_text_is_rejected_by_every_message_method(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C_DEMO", text="draft")["ts"]
    post_at = int(time.time()) + 3600

    with pytest.raises(SlackApiError) as update:
        client.chat_update(channel="C_DEMO", ts=ts, text="<title>")
    with pytest.raises(SlackApiError) as ephemeral:
        client.chat_postEphemeral(channel="C_DEMO", user="U_SAM", text="<title>")
    with pytest.raises(SlackApiError) as scheduled:
        client.chat_scheduleMessage(channel="C_DEMO", post_at=post_at, text="<title>")

    assert {error_of(e) for e in (update, ephemeral, scheduled)} == {"invalid_arguments"}
    assert [c.method for c in fake.rejections] == [
        "chat.update",
        "chat.postEphemeral",
        "chat.scheduleMessage",
    ]
    assert fake.messages("C_DEMO")[0]["text"] == "draft" and fake.ephemerals == []


def _confirm_button(text: str) -> dict[str, Any]:
    dialog = {
        "title": {"type": "plain_text", "text": "Sure?"},
        "text": mrkdwn(text),
        "confirm": {"type": "plain_text", "text": "Yes"},
        "deny": {"type": "plain_text", "text": "No"},
    }
    element = {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "confirm": dialog}
    return {"type": "actions", "elements": [element]}


BLOCK_PLACES: dict[str, tuple[Callable[[str], dict[str, Any]], str]] = {
    "section": (section, "/blocks/1/text/text"),
    "field": (lambda t: {"type": "section", "fields": [mrkdwn("ok"), mrkdwn(t)]}, "/blocks/1/fields/1/text"),
    "context": (
        lambda t: {"type": "context", "elements": [mrkdwn("ok"), mrkdwn(t)]},
        "/blocks/1/elements/1/text",
    ),
    "confirm": (_confirm_button, "/blocks/1/elements/0/confirm/text/text"),
}


@pytest.mark.parametrize("place", list(BLOCK_PLACES))
@pytest.mark.parametrize("bad", RAW_LT, ids=RAW_LT_IDS)
def test_raw_lt_in_mrkdwn_blocks_is_rejected(
    fake: FakeSlack, client: WebClient, bad: str, place: str
) -> None:
    make, pointer = BLOCK_PLACES[place]

    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(
            channel="C_DEMO", text="fallback", blocks=[section("fine"), make(f"Due {bad}")]
        )

    assert error_of(exc) == "invalid_blocks"
    assert any(repr(bad) in m and f"[json-pointer:{pointer}]" in m for m in messages_of(exc))
    assert fake.rejections[0].error == "invalid_blocks" and fake.messages("C_DEMO") == []


@pytest.mark.parametrize("bad", RAW_LT, ids=RAW_LT_IDS)
def test_raw_lt_in_home_view_is_rejected(fake: FakeSlack, client: WebClient, bad: str) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.views_publish(user_id="U_SAM", view={"type": "home", "blocks": [section(f"Hi {bad}")]})

    assert error_of(exc) == "invalid_blocks"
    assert any("[json-pointer:/view/blocks/0/text/text]" in m for m in messages_of(exc))
    assert [c.method for c in fake.rejections] == ["views.publish"] and fake.home_views == {}


@pytest.mark.parametrize("bad", RAW_LT, ids=RAW_LT_IDS)
def test_raw_lt_in_response_url_post_is_rejected(fake: FakeSlack, client: WebClient, bad: str) -> None:
    ts = client.chat_postMessage(channel="C_DEMO", text="Approve?")["ts"]
    url = fake.new_response_url(channel="C_DEMO", user="U_SAM", message_ts=ts)
    in_blocks = {"replace_original": True, "text": "Approved", "blocks": [section(f"Approved {bad}")]}
    in_text = {"replace_original": True, "text": f"Approved {bad}"}

    assert post_to(url, in_blocks) == (400, b"invalid_blocks")
    assert post_to(url, in_text) == (400, b"invalid_arguments")

    rejected = fake.rejections
    assert [(c.method, c.error, c.http_status, c.ok) for c in rejected] == [
        ("response_url", "invalid_blocks", 400, False),
        ("response_url", "invalid_arguments", 400, False),
    ]
    assert [c.args for c in rejected] == [in_blocks, in_text]
    assert any("[json-pointer:/blocks/0/text/text]" in m for m in rejected[0].messages)
    assert any(repr(bad) in m and "[json-pointer:/text]" in m for m in rejected[1].messages)
    assert fake.response_url_posts == [] and fake.messages("C_DEMO")[0]["text"] == "Approve?"
    # A refused post does not use up the response_url; the escaped text goes through.
    escaped = {"replace_original": True, "text": "Approved &lt;b&gt;"}
    assert post_to(url, escaped) == (200, b"ok")
    assert fake.messages("C_DEMO")[0]["text"] == "Approved &lt;b&gt;"


def test_plain_text_with_raw_lt_is_accepted(fake: FakeSlack, client: WebClient) -> None:
    plain = {"type": "plain_text", "text": "<b>Bold</b> <title>"}
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain},
        {"type": "section", "text": plain, "fields": [plain]},
        {"type": "context", "elements": [plain]},
        button("<b>"),
    ]

    client.chat_postMessage(channel="C_DEMO", text="<b>not markup</b>", mrkdwn=False, blocks=blocks)
    client.views_publish(user_id="U_SAM", view={"type": "home", "blocks": blocks})
    client.views_open(trigger_id=fake.new_trigger_id(), view=modal(blocks))

    assert fake.rejections == []
    assert fake.messages("C_DEMO")[0]["text"] == "<b>not markup</b>"


def test_escaped_lt_is_accepted(fake: FakeSlack, client: WebClient) -> None:
    text = "&lt;b&gt;Fill in&lt;/b&gt; &lt;title&gt; &amp; 3 &lt; 5 > quoted"

    client.chat_postMessage(channel="C_DEMO", text=text, blocks=[section(text)])
    client.chat_postEphemeral(channel="C_DEMO", user="U_SAM", text=text)
    client.views_publish(user_id="U_SAM", view={"type": "home", "blocks": [section(text)]})

    assert fake.rejections == []
    assert fake.messages("C_DEMO")[0]["blocks"][0]["text"]["text"] == text


# ---------------------------------------------------------------- users and history


def test_users_info_includes_locale_only_when_asked(client: WebClient) -> None:
    plain = client.users_info(user="U_LI")["user"]
    localized = client.users_info(user="U_LI", include_locale=True)["user"]

    assert "locale" not in plain and localized["locale"] == "zh-CN"
    assert plain["tz"] == "Asia/Shanghai" and plain["tz_offset"] == 8 * 3600
    assert plain["tz_label"] == "China Standard Time"
    assert plain["profile"]["real_name"] == "Li Na" and plain["is_admin"] is False
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="U_GHOST")
    assert error_of(exc) == "user_not_found"


def test_history_returns_metadata_only_when_asked(client: WebClient) -> None:
    metadata = {"event_type": "task_created", "event_payload": {"task_id": 7}}
    first = client.chat_postMessage(channel="C_DEMO", text="one", metadata=metadata)["ts"]
    client.chat_postMessage(channel="C_DEMO", text="two")

    plain = client.conversations_history(channel="C_DEMO")
    rich = client.conversations_history(
        channel="C_DEMO", include_all_metadata=True, limit=1, latest="9999999999"
    )
    older = client.conversations_history(channel="C_DEMO", oldest=first, inclusive=True)

    assert [m["text"] for m in plain["messages"]] == ["two", "one"]
    assert all("metadata" not in m for m in plain["messages"])
    assert rich["has_more"] is True and rich["messages"][0]["text"] == "two"
    with_meta = client.conversations_history(channel="C_DEMO", include_all_metadata=True)["messages"]
    assert with_meta[1]["metadata"] == metadata
    assert [m["text"] for m in older["messages"]] == ["two", "one"]


# ---------------------------------------------------------------- views


def test_views_open_update_and_publish(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(
        trigger_id=fake.new_trigger_id(),
        view=modal([section("step 1")], external_id="task-form", private_metadata="7"),
    )["view"]
    assert opened["id"].startswith("V") and opened["state"] == {"values": {}}
    assert opened["root_view_id"] == opened["id"] and opened["team_id"] == "T_DEMO" and opened["app_id"]

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal([section("step 2")]))[
        "view"
    ]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError) as stale:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal([section("late")]))
    assert error_of(stale) == "hash_conflict"
    by_external = client.views_update(external_id="task-form", view=modal([section("step 3")]))["view"]
    assert by_external["id"] == opened["id"]
    assert fake.views[opened["id"]]["blocks"][0]["text"]["text"] == "step 3"

    pushed = client.views_push(trigger_id=fake.new_trigger_id(), view=modal([section("detail")]))["view"]
    assert pushed["root_view_id"] == opened["id"] and pushed["previous_view_id"] == opened["id"]

    home = {"type": "home", "blocks": [section("Today")]}
    published = client.views_publish(user_id="U_SAM", view=home)["view"]
    again = client.views_publish(user_id="U_SAM", view={"type": "home", "blocks": [section("Tomorrow")]})[
        "view"
    ]
    assert again["id"] == published["id"]
    assert fake.home_views["U_SAM"]["blocks"][0]["text"]["text"] == "Tomorrow"

    with pytest.raises(SlackApiError) as wrong_kind:
        client.views_open(trigger_id=fake.new_trigger_id(), view=home)
    assert error_of(wrong_kind) == "invalid_arguments"


def test_modal_with_inputs_needs_submit(fake: FakeSlack, client: WebClient) -> None:
    field = {
        "type": "input",
        "label": {"type": "plain_text", "text": "Title"},
        "element": {"type": "plain_text_input"},
    }
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id=fake.new_trigger_id(), view=modal([field]))

    assert error_of(exc) == "invalid_blocks"
    assert any("/view/submit" in m for m in exc.value.response["response_metadata"]["messages"])
    submit = {"type": "plain_text", "text": "Save"}
    assert client.views_open(trigger_id=fake.new_trigger_id(), view=modal([field], submit=submit))["ok"]


# ---------------------------------------------------------------- files


def test_files_upload_v2_end_to_end(fake: FakeSlack, client: WebClient) -> None:
    payload = b"\x89PNG fake image bytes"
    response = client.files_upload_v2(channel="C_DEMO", content=payload, filename="x.png", title="Chart")

    file_id = response["file"]["id"]
    assert fake.uploads == {file_id: payload}
    assert response["file"]["title"] == "Chart" and response["file"]["size"] == len(payload)
    shared = fake.messages("C_DEMO")
    assert len(shared) == 1 and shared[0]["files"][0]["id"] == file_id
    assert [c.method for c in fake.calls] == ["files.getUploadURLExternal", "files.completeUploadExternal"]
    assert fake.calls[1].args["files"] == [{"id": file_id, "title": "Chart"}]
    url = shared[0]["files"][0]["url_private"]
    # Like Slack, the file is served only to a request with a token of the workspace.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url)
    assert refused.value.code == 403
    authorized = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    with urllib.request.urlopen(authorized) as download:
        assert download.read() == payload


# ---------------------------------------------------------------- failures and rate limits


def test_fail_next_429_is_retried_once_by_slack_sdk(fake: FakeSlack, client: WebClient) -> None:
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    fake.fail_next("chat.postMessage", status=429, retry_after=1)

    client.chat_postMessage(channel="C_DEMO", text="eventually")

    assert [m["text"] for m in fake.messages("C_DEMO")] == ["eventually"]
    attempts = fake.calls_to("chat.postMessage")
    assert [(c.ok, c.http_status) for c in attempts] == [(False, 429), (True, 200)]
    assert attempts[1].time - attempts[0].time >= 1.0
    assert fake.rejections == []


def test_fail_next_500_is_retried_by_server_error_handler(fake: FakeSlack, client: WebClient) -> None:
    client.retry_handlers.append(
        ServerErrorRetryHandler(
            max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
        )
    )
    fake.fail_next("chat.postMessage", status=500, times=2)

    client.chat_postMessage(channel="C_DEMO", text="third time lucky")

    assert [c.http_status for c in fake.calls_to("chat.postMessage")] == [500, 500, 200]
    assert len(fake.messages("C_DEMO")) == 1


def test_fail_next_with_error_code(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("conversations.info", error="channel_not_found")

    with pytest.raises(SlackApiError) as exc:
        client.conversations_info(channel="C_DEMO")

    assert error_of(exc) == "channel_not_found" and exc.value.response.status_code == 200
    assert client.conversations_info(channel="C_DEMO")["ok"]
    assert fake.rejections == [] and fake.calls[0].ok is False


def test_per_channel_rate_answers_429_on_a_burst() -> None:
    with FakeSlack(per_channel_rate=2) as fake:
        client = WebClient(token="xoxb-test", base_url=fake.api_url)
        client.chat_postMessage(channel="C_DEMO", text="1")
        client.chat_postMessage(channel="C_DEMO", text="2")
        with pytest.raises(SlackApiError) as exc:
            client.chat_postMessage(channel="C_DEMO", text="3")
        client.chat_postMessage(channel="U_SAM", text="another channel is fine")

        assert exc.value.response.status_code == 429
        assert exc.value.response.headers["Retry-After"] == "1"
        assert len(fake.rate_limited) == 1 and fake.rate_limited[0].args["text"] == "3"
        assert len(fake.messages("C_DEMO")) == 2 and fake.rejections == []


# ---------------------------------------------------------------- recording


def test_calls_record_decoded_blocks_from_form_and_json(fake: FakeSlack, client: WebClient) -> None:
    blocks = [section("*hi*")]
    client.chat_postMessage(channel="C_DEMO", text="json body", blocks=blocks)
    client.api_call(
        "chat.postMessage", params={"channel": "C_DEMO", "text": "form", "blocks": json.dumps(blocks)}
    )

    calls = fake.calls_to("chat.postMessage")
    assert [c.args["blocks"] for c in calls] == [blocks, blocks]
    assert all(c.token == "xoxb-test" and c.ok for c in calls)
    assert fake.messages("C_DEMO")[1]["blocks"] == blocks


def test_response_url_posts_are_recorded(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C_DEMO", text="Approve?")["ts"]
    url = fake.new_response_url(channel="C_DEMO", user="U_SAM", message_ts=ts)
    body = json.dumps({"replace_original": True, "text": "Approved"}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})

    with urllib.request.urlopen(request) as resp:
        assert resp.status == 200 and resp.read() == b"ok"

    assert fake.response_url_posts == [
        {"url": url, "payload": {"replace_original": True, "text": "Approved"}}
    ]
    assert fake.messages("C_DEMO")[0]["text"] == "Approved"
    with pytest.raises(urllib.error.HTTPError) as unknown:
        urllib.request.urlopen(urllib.request.Request(fake.base_url + "/response/nope", data=body))
    assert unknown.value.code == 404


def test_wait_for_sees_calls_from_another_thread(fake: FakeSlack, client: WebClient) -> None:
    worker = threading.Thread(target=lambda: client.chat_postMessage(channel="C_DEMO", text="async"))
    worker.start()

    assert fake.wait_for(lambda: len(fake.messages("C_DEMO")) == 1, timeout=5)
    worker.join()
    assert not fake.wait_for(lambda: len(fake.messages("C_DEMO")) == 2, timeout=0.05)


def test_clear_keeps_directory(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U_NEW", name="new", tz="Europe/Berlin")
    client.chat_postMessage(channel="C_DEMO", text="x")

    fake.clear()

    assert fake.calls == [] and fake.messages("C_DEMO") == []
    assert client.users_info(user="U_NEW")["user"]["tz"] == "Europe/Berlin"
    assert fake.user_info("U_NEW") is not None and fake.channel_info("C_DEMO") is not None


def test_an_ack_body_is_checked_like_any_message(fake: FakeSlack) -> None:
    fake.check_ack(
        {"text": "ok", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "fine"}}]}
    )
    assert fake.rejections == []
    # A placeholder written raw would be read by Slack as a link: `/campaign new <name>`.
    fake.check_ack({"text": "Create one: `/campaign new <name> budget:<amount>`"})
    [refused] = fake.rejections
    assert refused.method == "(ack body)" and refused.error == "invalid_arguments"
    fake.clear()
    assert fake.rejections == []
