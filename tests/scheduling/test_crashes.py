"""Crashes during scheduled work other than reminders: `ecombot jobs run-due` killed with SIGKILL at
random moments while it fires and posts the KPI digest, the budget alerts (a threshold crossed, the
pace), the standup prompts and the standup report,
then run again. Every message is posted exactly once (0 duplicated) and every one the schedules made
is posted (0 lost). Slack answers each post late, so kills land between a post and its record."""

from __future__ import annotations

import collections
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.scheduling.models import Delivery
from tests.support import cli_env, ecombot_argv, run_ecombot

# Tuesday in Shanghai (the workspace's zone): the digest and the threshold alert at 09:00, the
# prompts at 09:30, the pacing alert at 10:00, the report at 11:00.
INSTANTS = (
    "2026-11-24T09:00:00+08:00",
    "2026-11-24T09:30:00+08:00",
    "2026-11-24T10:00:00+08:00",
    "2026-11-24T11:00:00+08:00",
)


def _posted(fake: FakeSlack) -> collections.Counter[str]:
    keys: collections.Counter[str] = collections.Counter()
    for call in fake.calls:
        if call.ok and call.method in ("chat.postMessage", "chat.postEphemeral"):
            metadata = call.args.get("metadata") or {}
            key = (
                (metadata.get("event_payload") or {}).get("idempotency_key")
                if isinstance(metadata, dict)
                else None
            )
            if key:
                keys[key] += 1
    return keys


def _deliveries(db: Engine) -> dict[str, str]:
    with db.connect() as conn:
        rows = conn.execute(sa.select(Delivery.idempotency_key, Delivery.status)).all()  # type: ignore[call-overload]
    return {key: status for key, status in rows}


@pytest.mark.slow
def test_run_due_killed_at_random_moments_posts_every_digest_alert_prompt_and_report_once(
    slack: SlackDriver, fake: FakeSlack, db: Engine, database_url: str, team: str, tmp_path: Path
) -> None:
    for line, user in (
        ("/standup config time:09:30 summary:11:00 days:mon-fri", "U_DEMO"),
        ("/kpi digest daily", "U_DEMO"),
        ("/budget set marketing 1000 period:2026-11", "U_DEMO"),
        ("/budget alerts 50,80,100 channel:<#C_DEMO|ops>", "U_DEMO"),
        ("/budget spend marketing 900 date:2026-11-23", "U_DEMO"),
    ):
        reply = slack.command(line, user=user, channel="C_DEMO")
        assert reply.status == 200 and ":no_entry:" not in reply.text, reply.text
    config = tmp_path / "config.toml"
    config.write_text("[scheduler]\ndelivery_lease_seconds = 1\nchannel_interval_seconds = 0.05\n")
    env = cli_env(database_url, fake.api_url, ECOMBOT_CONFIG=str(config))
    fake.delay_replies("chat.postMessage", 0.3)
    chance = random.Random(20261124)
    kills = 0
    for at in INSTANTS:
        process = subprocess.Popen(
            ecombot_argv("jobs", "run-due", "--at", at, "--timeout", "60"),
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Killed once it has begun to post: before Slack's late answer to a post, or after it.
        calls = len(fake.calls_to("chat.postMessage"))
        fake.wait_for(lambda calls=calls: len(fake.calls_to("chat.postMessage")) > calls, timeout=10)
        time.sleep(chance.uniform(0.0, 0.6))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
        time.sleep(1.1)  # the killed process's leases lapse
        finished = run_ecombot(["jobs", "run-due", "--at", at, "--timeout", "60"], env, tmp_path)
        assert finished.returncode == 0, finished.stderr
        assert ", 0 failed, 0 pending" in finished.stdout, finished.stdout
    assert kills == len(INSTANTS), "a kill came too late to test anything"

    deliveries = _deliveries(db)
    posted = _posted(fake)
    made = {key for key in deliveries if key.startswith(("standups.", "kpis.", "budgets."))}
    assert {key.split(":")[0] for key in made} >= {
        "standups.prompt",
        "standups.report",
        "kpis.daily_digest",
        "budgets.threshold",
        "budgets.pacing",
    }, made
    assert [key for key, status in deliveries.items() if status != "sent"] == []  # 0 lost
    duplicated = {key: n for key, n in posted.items() if n > 1}
    assert duplicated == {}  # 0 duplicated
    assert made <= set(posted)
    print(
        f"\ncrashes: {kills} SIGKILLs during digests, budget alerts, prompts and reports; {len(made)} messages made, "
        f"{sum(posted[k] for k in made)} posted: 0 lost, 0 duplicated"
    )
