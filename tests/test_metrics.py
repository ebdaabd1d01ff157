"""`/metrics`: requests and ack latency by command, replays and forged requests, deliveries sent and
waiting, scheduled firings and import rows, in Prometheus text format; under `ecombot serve` the
counts of both workers and the scheduler add up on whichever worker answers the scrape."""

from __future__ import annotations

import urllib.request
from datetime import datetime
from urllib.parse import urlencode

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver, http_post, sign
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from ecombot.kpis import service as kpis
from tests.kpis.test_imports import GENERIC, lead
from tests.support import SIGNING_SECRET, run_due

FORM = "application/x-www-form-urlencoded"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> tuple[Samples, str]:
    """Every sample of /metrics by (name, labels), and the content type."""
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
        text = response.read().decode()
        content_type = response.headers["Content-Type"]
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples, content_type


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_requests_replays_forgeries_and_ack_latency_are_counted_by_command(
    slack: SlackDriver, local_app: LocalApp, team: str
) -> None:
    before, content_type = scrape(local_app.url)
    assert content_type.startswith("text/plain; version=")
    for _ in range(3):
        assert slack.command("/task list mine").status == 200
    assert slack.command("/ecom help").status == 200
    body = urlencode(slack.command_fields("/task add Replayed due:tomorrow", user="U_DEMO", channel="C_DEMO"))
    headers = {"Content-Type": FORM, **sign(SIGNING_SECRET, body)}
    assert http_post(slack.events_url, body, headers).status == 200
    assert http_post(slack.events_url, body, headers).status == 401
    assert http_post(slack.events_url, body, {"Content-Type": FORM, **sign("forged", body)}).status == 401
    after, _ = scrape(local_app.url)

    requests = "ecombot_requests_total"
    assert delta(before, after, requests, kind="command", command="/task", outcome="ok") == 4
    assert delta(before, after, requests, kind="command", command="/ecom", outcome="ok") == 1
    assert delta(before, after, requests, kind="command", command="/task", outcome="replay") == 1
    # Nothing of a forged body is read: not even which command it claims to be.
    assert delta(before, after, requests, kind="", command="", outcome="refused") == 1
    assert delta(before, after, "ecombot_ack_seconds_count", kind="command", command="/task") == 5
    under_3s = delta(before, after, "ecombot_ack_seconds_bucket", kind="command", command="/task", le="3.0")
    assert under_3s == 5
    assert delta(before, after, "ecombot_ack_seconds_sum", kind="command", command="/task") > 0


def test_an_unknown_slash_command_is_counted_as_other_not_by_its_name(
    slack: SlackDriver, local_app: LocalApp, team: str
) -> None:
    """Labels come from ecombot's own commands only: a request cannot make up new series."""
    before, _ = scrape(local_app.url)
    reply = slack.command("/made-up-9f3a do something")
    assert reply.status == 200 and "is not an ecombot command" in reply.text
    after, _ = scrape(local_app.url)
    assert not any("/made-up" in str(key) for key in after)
    # Not one of ecombot's: answered before Bolt, counted under "other".
    assert (
        delta(before, after, "ecombot_requests_total", kind="command", command="other", outcome="not_ours")
        == 1
    )


def test_deliveries_waiting_and_sent_and_scheduled_firings(
    slack: SlackDriver, local_app: LocalApp, fake: FakeSlack, db: Engine, settings: Settings, team: str
) -> None:
    before, _ = scrape(local_app.url)
    assert value(before, "ecombot_outbox_messages", state="waiting") == 0
    # A task for Li: its assignment DM waits in the outbox until the delivery worker runs.
    reply = http_post(
        slack.events_url,
        body := urlencode(
            slack.command_fields(
                "/task add Shoot photos <@U_LI> due:2026-11-24", user="U_DEMO", channel="C_DEMO"
            )
        ),
        {"Content-Type": FORM, **sign(SIGNING_SECRET, body)},
    )
    assert reply.status == 200
    assert local_app.executor.wait_idle(10)
    waiting, _ = scrape(local_app.url)
    assert value(waiting, "ecombot_outbox_messages", state="waiting") == 1
    local_app.settle()
    sent, _ = scrape(local_app.url)
    assert value(sent, "ecombot_outbox_messages", state="waiting") == 0
    assert delta(before, sent, "ecombot_deliveries_total", outcome="sent") == 1

    # Li's reminder at nine, Shanghai time: one firing, one more delivery.
    report = run_due(db, settings, fake, datetime.fromisoformat("2026-11-24T09:00:00+08:00"))
    after, _ = scrape(local_app.url)
    assert delta(sent, after, "ecombot_job_runs_total", outcome="fired") == report.fired >= 1
    assert delta(sent, after, "ecombot_deliveries_total", outcome="sent") == report.enqueued >= 1


def test_import_rows_recorded_and_skipped(local_app: LocalApp, session: Session, workspace: str) -> None:
    before, _ = scrape(local_app.url)
    done = kpis.import_orders(
        session, lead(), GENERIC.encode(), "orders.csv", currency="CNY", workspace_tz="Asia/Shanghai"
    )
    after, _ = scrape(local_app.url)
    assert (
        delta(before, after, "ecombot_import_rows_total", kind="orders", outcome="recorded") == done.rows == 3
    )
    assert delta(before, after, "ecombot_import_rows_total", kind="orders", outcome="skipped") == 3
