"""Private channels: a campaign, a standup and a retro run in a private channel (#vault: the owner and
Li Na). Their names, answers and figures are shown in that channel and to its members, and nowhere
else: no read command run from the public channel by anyone, no App Home of someone not in it, no
scheduled post outside it or DM to someone not in it. The counts are printed."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from tests.support import run_due, shown_in, texts_in
from tests.workspaces.support import READS

MARK = "VAULTWORD"  # in the private channel's campaign, questions, answers and retro
MEMBERS = ("U_DEMO", "U_LI")
OUTSIDERS = ("U_SAM", "U_MIA")

PRIVATE = (
    "/campaign new Vault budget:48000 start:2026-11-20 end:2026-11-24 category:marketing",
    f'/campaign note Vault "launch {MARK}"',
    "/campaign log Vault date:2026-11-22 spend:4321 revenue:98765 orders:43",
    f'/standup config time:09:30 summary:11:00 days:mon-fri questions:"Done {MARK}?|Today?|!Blockers?" reminder:off',
    "/retro now",
)
PUBLIC = (
    "/campaign new Double12 budget:30000 start:2026-11-20 end:2026-12-12 category:marketing",
    "/campaign log Double12 date:2026-11-22 spend:1000 revenue:5000 orders:10",
    "/kpi digest daily channel:<#C_DEMO|ops> at:09:00",
    "/kpi digest weekly channel:<#C_DEMO|ops> at:09:00 day:mon",
    "/task add Poster <@U_LI> due:fri",
    "/task add Stock check <@U_SAM> due:tue",
    "/risk add Outage category:payment likelihood:3 impact:4",
)


def test_a_private_channels_campaign_standup_and_retro_stay_with_its_members(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock, team: str
) -> None:
    fake.add_channel("C_VAULT", name="vault", is_private=True, members=MEMBERS)
    for line in PRIVATE:
        result = slack.command(line, user="U_DEMO", channel="C_VAULT")
        assert result.status == 200 and ":no_entry:" not in result.text, (line, result.text)
    assert slack.command("/standup join", user="U_LI", channel="C_VAULT").status == 200
    for line in PUBLIC:
        result = slack.command(line, user="U_DEMO", channel="C_DEMO")
        assert result.status == 200 and ":no_entry:" not in result.text, (line, result.text)
    assert slack.command("/ecom settings lead add <@U_SAM|sam>", user="U_DEMO").status == 200

    # Monday to Wednesday of the scheduler: the prompts (answered by Li Na with a blocker), the
    # private standup's reports, the campaign's evaluation, the digests of the public channel.
    before = len(fake.calls)
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    while at <= datetime(2026, 11, 25, 12, 0, tzinfo=UTC):
        run_due(db, settings, fake, at)
        if at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC):
            clock.set(at)
            for answer in (f"Shipped {MARK}", "Ads", f"{MARK} price not approved"):
                assert slack.dm(answer, user="U_LI").status == 200
        at += timedelta(minutes=30)
    scheduled = fake.calls[before:]
    inside = outside = 0
    for call in scheduled:
        target = str(call.args.get("channel") or call.args.get("channel_id") or "")
        shown = shown_in(call.args)
        if target in ("C_VAULT", *MEMBERS, *(f"D_{m}" for m in MEMBERS)):
            inside += MARK in shown
        elif call.method in ("chat.postMessage", "chat.update", "files.completeUploadExternal"):
            assert MARK not in shown, (
                f"{call.method} to {target} showed the private channel's data: {shown[:600]}"
            )
            assert "Vault" not in shown, (
                f"{call.method} to {target} named the private campaign: {shown[:600]}"
            )
            outside += 1
    # The private channel got its standup report (with the blocker) and the campaign's evaluation.
    vault_posts = "\n".join(shown_in(c.args) for c in scheduled if c.args.get("channel") == "C_VAULT")
    assert f"{MARK} price not approved" in vault_posts and "Vault" in vault_posts, vault_posts[:800]
    assert inside >= 3 and outside >= 4, (inside, outside)

    # Every read command, from the public channel, by members and outsiders alike.
    checked: Counter[str] = Counter()
    reads = (
        *READS,
        "/campaign show Vault",
        "/campaign list all",
        "/standup report <@U_LI>",
        "/retro history",
    )
    for user in (*MEMBERS, *OUTSIDERS):
        for line in reads:
            calls_before = len(fake.calls)
            result = slack.command(line, user=user, channel="C_DEMO")
            assert result.status == 200, (user, line)
            reply = texts_in(json.loads(result.text)) if result.text.startswith("{") else result.text
            shown = "\n".join((reply, *(shown_in(c.args) for c in fake.calls[calls_before:])))
            assert MARK not in shown and "Vault" not in shown, (
                f"{user} `{line}` in #ops showed: {shown[:800]}"
            )
            checked["read commands outside the channel"] += 1
    # App Home of the people not in the channel (one of them an ops lead).
    for user in OUTSIDERS:
        calls_before = len(fake.calls)
        assert slack.event({"type": "app_home_opened", "user": user, "tab": "home"}).status == 200
        shown = "\n".join(shown_in(c.args) for c in fake.calls[calls_before:])
        assert shown and MARK not in shown and "Vault" not in shown and "C_VAULT" not in shown, shown[:800]
        checked["Home of people not in it"] += 1
    # In the channel itself its members see it: the sweep above would pass on a bot that shows nothing.
    seen_inside = 0
    for line, user in (
        ("/campaign show Vault", "U_LI"),
        ("/campaign list all", "U_LI"),
        ("/standup report <@U_LI>", "U_LI"),
        ("/scorecard", "U_DEMO"),  # the owner's card lists the campaign by name here
    ):
        result = slack.command(line, user=user, channel="C_VAULT")
        seen_inside += MARK in result.text or "Vault" in result.text
    assert seen_inside == 4, seen_inside
    print(
        f"\nprivate channels: {inside} posts in #vault or to its members showed its data; "
        f"{outside} scheduled posts elsewhere, {sum(checked.values())} reads ({dict(checked)}): 0 showed it"
    )
