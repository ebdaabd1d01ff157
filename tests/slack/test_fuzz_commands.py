"""Bad input, every slash command: adversarial and random command lines sent to every subcommand of
every command, over HTTP and signed as Slack sends them (Slack's own escaping included).

Every answer must be HTTP 200 with an ephemeral message whose blocks Slack would accept; no crash
("something went wrong") and no traceback in the log; a refusal or usage error writes nothing; and
no user text turns into a special mention (`<!channel>`, `<!here>`, `<!everyone>`, a user group) or
a hidden link anywhere: in the replies, and in everything the app later sent to Slack (DMs, channel
posts, Home tabs, modals). The counts are printed.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from ecombot.devtools.blockkit import validate_blocks
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.domains import commands
from ecombot.slack.router import Command, Sub
from tests.support import table_snapshot, texts_in

CRASH = ("went wrong", "出了点问题")
REFUSED = ("Usage: ", "用法：", ":no_entry:", ":warning:")
# What must never reach Slack from user text: a ping, or a link whose label hides where it goes.
PING = re.compile(r"<!(channel|here|everyone|subteam)")
HIDDEN = re.compile(r"<(https?|mailto):[^<>|]*evil\.example[^<>|]*\|")  # a real link, labelled
PEOPLE = ("U_DEMO", "U_LI")  # an English-speaking admin, a Chinese-speaking member

ADVERSARIAL = (
    "",
    " ",
    "<!channel> <!here> <!everyone>",
    "<!subteam^S0001|@design> ping",
    "<https://evil.example|the brief>",
    "<mailto:ceo@evil.example|ceo>",
    "<@U_NOBODY> <@U_LI|li> <@ <@U_LI",
    "<#C_DEMO|ops> <#C_NOWHERE>",
    "&lt;!channel&gt; &amp;amp; &lt;b&gt;",
    "'; DROP TABLE tasks; --",
    "%s %d %(x)s {0} {name} {{}} ${HOME}",
    "*bold* _it_ ~s~ `code` ```block``` > quoted",
    "\u202eevil\u202c \u200b\u200d\ufeff zero-width",
    "a\x00b\x07c\x1b[31m",
    "مرحبا بالعالم שלום",  # RTL
    "双11 大促 🎉🔥 テスト",
    "-1",
    "0",
    "99999999999999999999999999999999",
    "1e308",
    "-1e308",
    "NaN inf -inf",
    "１２３ ٣٤٥",  # full-width and Arabic-Indic digits
    "0x1F 0b101 1_000",
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "due:2026-13-45",
    "due:昨天 due:yesterday due:",
    "budget:-5 budget:1e99 budget:abc",
    "#1 #-1 #99999999999 #abc",
    "x" * 4100,
    "长" * 3000,
)


def _lines() -> list[tuple[Command, Sub | None, str]]:
    """Every subcommand's prefix (`/task add`), each command alone, and its fallback."""
    found: list[tuple[Command, Sub | None, str]] = []
    for command in commands():
        found.append((command, None, command.name))
        for sub in command.subs:
            found.append((command, sub, f"{command.name} {sub.name}"))
    return found


LINES = _lines()

# Records each test starts with, so that the subcommands that name one reach past "not found".
SEEDS = (
    "/task add Seed task <@U_LI> due:tomorrow",
    "/campaign new Seed budget:1000",
    "/budget set marketing 5000",
    "/risk add Seed risk",
    '/abtest new Seed hypothesis:"it helps" metric:conversion variants:A,B',
)
# What those subcommands name first: the adversarial text follows it.
TARGETS = {
    **dict.fromkeys(("/task done", "/task reopen", "/task show", "/task assign", "/task due"), "1"),
    **dict.fromkeys(("/task edit", "/task delete"), "1"),
    **dict.fromkeys(("/campaign log", "/campaign show", "/campaign close", "/campaign edit"), "Seed"),
    **dict.fromkeys(("/budget spend", "/budget refund", "/budget curve"), "marketing"),
    **dict.fromkeys(("/risk show", "/risk update", "/risk status", "/risk drill"), "1"),
    **dict.fromkeys(("/abtest log", "/abtest show", "/abtest decide"), "Seed"),
}


def _option_words(sub: Sub | None) -> list[str]:
    return sorted(sub.option_keys()) if sub is not None else []


class Checker:
    """Sends command lines and checks each answer; counts what it saw."""

    def __init__(self, slack: SlackDriver, db: Engine, caplog: pytest.LogCaptureFixture) -> None:
        self.slack, self.db, self.caplog = slack, db, caplog
        self.counts: Counter[str] = Counter()

    def send(self, line: str, user: str) -> None:
        before = table_snapshot(self.db)
        self.caplog.clear()
        result = self.slack.command(line, user=user)
        self.counts["inputs"] += 1
        where = f"{user}: {line[:200]!r}"
        assert result.status == 200, f"{where}: HTTP {result.status} {result.text[:300]}"
        reply = json.loads(result.text) if result.text.startswith("{") else {}
        if reply:
            assert reply.get("response_type", "ephemeral") == "ephemeral", f"{where}: {reply}"
            problems = validate_blocks(reply.get("blocks") or [], surface="message")
            assert problems == [], f"{where}: Slack would refuse the reply: {problems}"
        text = texts_in(reply)
        assert not any(mark in text for mark in CRASH), f"{where}: crashed: {text[:500]}"
        assert not PING.search(text), f"{where}: a ping in the reply: {text[:500]}"
        assert not HIDDEN.search(text), f"{where}: a hidden link in the reply: {text[:500]}"
        crashes = [
            r for r in self.caplog.records if r.levelno >= logging.ERROR and r.name.startswith("ecombot")
        ]
        assert crashes == [], f"{where}: logged {[r.getMessage()[:300] for r in crashes]}"
        if any(mark in text for mark in REFUSED):
            self.counts["refused"] += 1
            assert table_snapshot(self.db) == before, f"{where}: refused, but something was written"
        else:
            self.counts["accepted"] += 1


@pytest.fixture
def checker(slack: SlackDriver, db: Engine, team: str, caplog: pytest.LogCaptureFixture) -> Checker:
    caplog.set_level(logging.INFO)
    for line in SEEDS:
        reply = slack.command(line, user="U_DEMO")
        assert reply.status == 200 and not any(mark in reply.text for mark in (*CRASH, *REFUSED)), reply.text
    return Checker(slack, db, caplog)


def _sweep(fake: FakeSlack) -> int:
    """Everything the app sent to Slack: no ping and no hidden link from user text. Returns the calls."""
    for call in fake.calls:
        text = texts_in(call.args)
        assert not PING.search(text), f"{call.method} carried a ping: {text[:500]}"
        assert not HIDDEN.search(text), f"{call.method} carried a hidden link: {text[:500]}"
    return len(fake.calls)


@pytest.mark.parametrize("index", range(len(LINES)), ids=[line for _, _, line in LINES])
def test_adversarial_arguments_for_every_subcommand(
    index: int, checker: Checker, slack: SlackDriver, fake: FakeSlack
) -> None:
    _, sub, prefix = LINES[index]
    for n, text in enumerate(ADVERSARIAL):
        checker.send(f"{prefix} {text}".rstrip(), PEOPLE[n % 2])
        if prefix in TARGETS:
            checker.send(f"{prefix} {TARGETS[prefix]} {text}".rstrip(), PEOPLE[n % 2])
    for text in ADVERSARIAL[2:14]:  # the markup ones, naming a colleague: stored, then shown to Li
        checker.send(f"{prefix} {text} <@U_LI> due:tomorrow", PEOPLE[0])
    for key in _option_words(sub)[:6]:
        for value in (
            "",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "<!channel>",
            "<https://evil.example|x>",
        ):
            checker.send(f"{prefix} something {key}:{value}", PEOPLE[0])
    # Later surfaces: the Home tab of both people, rendered from whatever was stored.
    for user in PEOPLE:
        assert slack.event({"type": "app_home_opened", "user": user, "tab": "home"}).status == 200
    calls = _sweep(fake)
    print(
        f"\n{prefix}: {checker.counts['inputs']} inputs, {checker.counts['refused']} refused (nothing "
        f"written), {checker.counts['accepted']} accepted, {calls} Slack calls swept, 0 crashes"
    )


WORDS = st.sampled_from(
    [
        "<!channel>",
        "<!here|here>",
        "<@U_LI>",
        "<@U_SAM|sam>",
        "<#C_DEMO|ops>",
        "<https://evil.example|x>",
        "due:",
        "due:2026-02-29",
        "due:明天",
        "p:high",
        "#1",
        "@channel",
        "¥1,000.50",
        "-0",
        "1e9",
        "双11",
        "\u200b",
        "\x00",
        "'",
        '"',
        "\\",
        "%s",
        "{}",
    ]
)
ARGS = st.lists(st.one_of(WORDS, st.text(max_size=40)), max_size=8).map(" ".join)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(line=st.sampled_from(LINES).map(lambda found: found[2]), args=ARGS, who=st.sampled_from(PEOPLE))
def test_random_arguments_for_random_subcommands(
    checker: Checker, fake: FakeSlack, line: str, args: str, who: str
) -> None:
    checker.send(f"{line} {args}".rstrip(), who)
    if checker.counts["inputs"] % 100 == 0:
        _sweep(fake)
        print(f"\nrandom lines: {checker.counts['inputs']} sent, {checker.counts['refused']} refused")
