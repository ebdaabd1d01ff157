"""Text safety, unit by unit: what Slack sends in, what we store, what we send out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecombot.devtools.blockkit import mrkdwn_problems
from ecombot.slack import blocks as bk
from ecombot.slack.text import ELLIPSIS, code, decode_entities, echo, esc, from_slack, plain, truncate

SPECIAL = re.compile(r"<!(channel|here|everyone|subteam)")


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("R&amp;D &lt;b&gt;", "R&D <b>"),
        ("&amp;lt;b&amp;gt;", "&lt;b&gt;"),  # typed literally
        ("ask <@U123|li>", "ask <@U123>"),  # a colleague's mention stays one
        ("in <#C123|ops>", "in #ops"),
        ("<!channel> <!here|here> <!everyone>", "@channel @here @everyone"),
        ("<!subteam^S1|@design>", "@design"),
        ("<https://x.example>", "https://x.example"),
        ("<https://x.example|https://x.example>", "https://x.example"),
        ("<https://evil.example|the brief>", "the brief (https://evil.example)"),
        ("<mailto:a@b.cn|a@b.cn>", "a@b.cn"),
        ("<!date^1700000000^{date}|Nov 14>", "Nov 14"),
        ("a\x00b\x07c\nd\te", "abc\nd\te"),
    ],
)
def test_from_slack_stores_what_the_person_meant(sent: str, stored: str) -> None:
    assert from_slack(sent) == stored


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("R&D <b>", "R&amp;D &lt;b&gt;"),
        ("ask <@U123> now", "ask <@U123> now"),
        ("@channel and @Here", "@\u2060channel and @\u2060Here"),
        ("*urgent* _draft_ ~old~ `code`", "∗urgent∗ ˍdraftˍ ∼old∼ ˋcodeˋ"),
        ("SKU_88_RED 2*3", "SKU_88_RED 2*3"),  # between letters or digits they cannot format
        ("> quoted\n> again", "\u00ad&gt; quoted\n\u00ad&gt; again"),
        ("<!channel>", "&lt;!channel&gt;"),  # typed literally: shown, never a ping
        ("<https://evil.example|x>", "&lt;https://evil.example|x&gt;"),
    ],
)
def test_esc_makes_stored_text_safe_in_mrkdwn(stored: str, sent: str) -> None:
    assert esc(stored) == sent
    assert mrkdwn_problems(esc(stored)) == []


@given(st.text(max_size=200))
def test_esc_output_is_always_valid_mrkdwn_with_no_ping_and_no_link(text: str) -> None:
    out = esc(text)
    assert mrkdwn_problems(out) == []
    assert not SPECIAL.search(out)
    assert "<http" not in out and "<mailto" not in out
    # Only colleague mentions remain as markup.
    assert all(re.fullmatch(r"<@[UW][A-Z0-9_]+>", m) for m in re.findall(r"<[^<>]*>", out))


@given(st.text(max_size=200))
def test_what_slack_sends_is_stored_and_shown_back_without_any_markup_of_its_own(text: str) -> None:
    slack_escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    stored = from_slack(slack_escaped)
    out = esc(stored)
    assert mrkdwn_problems(out) == []
    assert not SPECIAL.search(out)


def test_echo_quotes_input_for_a_code_span() -> None:
    assert echo("<b> & `x`") == "&lt;b&gt; &amp; ˋxˋ"
    assert echo("line\nbreak") == "line break"
    long = echo("x" * 200)
    assert len(long) == 80 and long.endswith(ELLIPSIS)
    assert code("/task add <title>") == "`/task add &lt;title&gt;`"


def test_plain_shows_mentions_as_names() -> None:
    assert plain("ask <@U1> and <@U2>", {"U1": "Li Na"}) == "ask @Li Na and @U2"


@given(
    st.lists(
        st.sampled_from(
            ["word ", "<@U123>", "&amp;", "&lt;", "<#C1|ops>", "<https://x.example|x>", "中文", " "]
        ),
        max_size=80,
    ),
    st.integers(min_value=5, max_value=200),
)
def test_truncate_never_cuts_inside_a_mention_link_or_entity(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    cut = truncate(text, limit)
    assert len(cut) <= max(limit, 0) or cut == text
    if cut != text:
        assert cut.endswith(ELLIPSIS)
        body = cut[: -len(ELLIPSIS)]
        assert text.startswith(body)
        # No half entity, no half markup.
        assert not re.search(r"&(a|am|l|g|amp|lt|gt)?$", body)
        assert body.count("<") == body.count(">")


def _truncate_token_by_token(mrkdwn: str, limit: int) -> str:
    """The definition: whole tokens (`<…>`, an entity, one character) while they fit, then `…`."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    budget, used, parts = limit - len(ELLIPSIS), 0, []
    for match in re.finditer(r"<[^<>]*>|&(?:amp|lt|gt);|.", mrkdwn, re.DOTALL):
        if used + len(match.group(0)) > budget:
            break
        parts.append(match.group(0))
        used += len(match.group(0))
    return "".join(parts) + ELLIPSIS


@given(
    st.lists(
        st.sampled_from(
            ["a", "<", ">", "&", ";", "amp", "lt", "gt", "<@U1>", "&amp;", "&lt;", "<x|y>", "中", " "]
        ),
        max_size=60,
    ),
    st.integers(min_value=1, max_value=120),
)
def test_truncate_cuts_where_taking_whole_tokens_would(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    assert truncate(text, limit) == _truncate_token_by_token(text, limit)


def test_a_fallback_text_is_cut_before_a_mention_not_through_it() -> None:
    text = "x" * 2990 + " <@U12345678> and more"
    message = bk.message(text)
    assert message["text"].endswith(ELLIPSIS)
    assert "<@U1" not in message["text"] or "<@U12345678>" in message["text"]
    assert len(message["text"]) <= 3000


def test_a_message_over_fifty_blocks_raises_instead_of_losing_blocks() -> None:
    with pytest.raises(bk.TooManyBlocks):
        bk.message("x", [bk.divider()] * 51)
    assert len(bk.message("x", [bk.divider()] * 50)["blocks"]) == 50


def test_split_lines_keeps_every_line_within_a_section() -> None:
    lines = [f"line {i} " + "y" * 300 for i in range(40)]
    chunks = bk.split_lines(lines)
    assert all(len(c) <= bk.SECTION_BUDGET for c in chunks)
    assert "\n".join(chunks).split("\n") == lines


def test_ids_carry_values() -> None:
    assert bk.decode_id(bk.encode_id("task", 12), "task") == ["12"]
    assert bk.decode_id("row:12", "task") is None
    assert decode_entities("&amp;lt;") == "&lt;"


def test_split_keeps_every_word_within_the_budget_and_never_cuts_markup() -> None:
    from ecombot.slack.text import esc, split

    text = esc(("Waiting for <files> & copy from <@U_LI> " * 120).strip())
    pieces = split(text, 500)
    assert len(pieces) > 1 and all(len(p) <= 500 for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())
    for piece in pieces:
        # An entity or a mention is whole in one piece.
        assert piece.count("&lt;") == piece.count("&gt;")
        assert piece.count("<@") == piece.count(">")
    # A word longer than the budget is cut, never dropped.
    long = "x" * 1200
    assert "".join(split(long, 500)) == long
    assert split("short", 500) == ["short"]
