"""Importing ad reports end to end: `ecombot import ads` from the command line, and a file dropped
in a DM with the bot (files.info, the download with the bot token, "working on it", the result);
bad rows by line, a second import of the same file, a currency mismatch, unknown campaigns created
with one click and their rows recorded."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.campaigns.models import Campaign, CampaignResult
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from tests.campaigns.support import from_bot, say, texts
from tests.support import cli_env

GOOGLE = (
    "Campaign report\n"
    '"November 1, 2026 - November 2, 2026"\n'
    "Campaign,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value\n"
    'Double 11,2026-11-01,CNY,"1,000.00","20,000",400,10.00,"5,000.00"\n'
    "Double 11,2026-11-02,CNY,500.00,10000,200, --, --\n"
    "Double 11,2026-11-03,CNY,abc,10000,200,1,1\n"
    "New Launch,2026-11-02,CNY,300.00,5000,100,3.00,900.00\n"
    'Total: Account,,CNY,"1,800.00","35,000",700,13.00,"5,900.00"\n'
)


def _results(db: Engine) -> list[CampaignResult]:
    with Session(db) as s:
        return list(s.exec(select(CampaignResult)))


def _import(database_url: str, api_url: str, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecombot", "import", "ads", str(path), "--team", "T_DEMO", *extra],
        env=cli_env(database_url, api_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_cli_imports_a_google_ads_report_once_however_often_it_is_run(
    slack: SlackDriver, fake: FakeSlack, db: Engine, database_url: str, tmp_path: Path
) -> None:
    say(slack, "/campaign new Double 11 budget:50000 start:2026-11-01 end:2026-11-30")
    report = tmp_path / "Campaign report.csv"
    report.write_text(GOOGLE, encoding="utf-8")
    first = _import(database_url, fake.api_url, report)
    assert first.returncode == 0, first.stderr
    assert "2 new, 0 replaced, 0 unchanged" in first.stdout
    assert "line 6: not a number: spend=abc" in first.stdout
    assert "New Launch (1 rows)" in first.stdout
    assert "1 total rows skipped" in first.stdout
    rows = _results(db)
    assert sorted((r.day.isoformat(), r.spend, r.revenue, r.orders) for r in rows) == [
        ("2026-11-01", Decimal(1000), Decimal(5000), Decimal(10)),
        ("2026-11-02", Decimal(500), Decimal(0), Decimal(0)),
    ]
    again = _import(database_url, fake.api_url, report)
    assert again.returncode == 0 and "0 new, 0 replaced, 2 unchanged" in again.stdout
    assert "imported before" in again.stdout
    assert len(_results(db)) == 2
    shown = texts(say(slack, "/campaign show Double 11"))
    assert "Google Ads" in shown
    assert "ROAS: *3.33x*" in shown  # 5,000 / 1,500


def test_a_report_in_another_currency_is_refused_whole(
    slack: SlackDriver, fake: FakeSlack, db: Engine, database_url: str, tmp_path: Path
) -> None:
    say(slack, "/campaign new Summer budget:1000")
    meta = (
        "Reporting starts,Reporting ends,Campaign name,Amount spent (USD),Impressions,Link clicks,Purchases,"
        "Purchases conversion value\n2026-11-01,2026-11-07,Summer,100,1000,10,1,50\n"
    )
    path = tmp_path / "meta.csv"
    path.write_text(meta, encoding="utf-8")
    refused = _import(database_url, fake.api_url, path)
    assert refused.returncode == 2
    assert "USD" in refused.stderr and "CNY" in refused.stderr and "nothing was imported" in refused.stderr
    assert _results(db) == []


def test_a_report_shared_in_a_dm_is_imported_and_unknown_campaigns_are_created_with_one_click(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    say(slack, "/campaign new Double 11 budget:50000 start:2026-11-01 end:2026-11-30")
    data = GOOGLE.replace(",", "\t").replace('"1\t000.00"', "1000").replace('"20\t000"', "20000")
    data = data.replace('"5\t000.00"', "5000")
    result = slack.share_file("google-ads.tsv", data.encode("utf-16"))
    assert result.status == 200
    dm = from_bot(fake, "U_DEMO")
    assert "Importing google-ads.tsv" in texts(dm[0]) or "正在导入" in texts(dm[0])
    # The bot read the file with files.info and downloaded it with its token.
    assert fake.calls_to("files.info")
    done = dm[-1]
    body = texts(done)
    assert "2 new" in body and "line 6" in body and "New Launch" in body
    [(block_id, create)] = [
        (b, e) for b, e in buttons_in(done["blocks"]) if e["action_id"] == "campaigns.create_from_import"
    ]
    slack.click(create, block_id=block_id, message=done, channel=done.get("channel", "D_U_DEMO"))
    [opened] = [c for c in fake.calls_to("views.open") if c.ok]
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    name_block = next(b for b in view["blocks"] if b.get("block_id") == "name")
    assert name_block["element"]["initial_value"] == "New Launch"
    start_block = next(b for b in view["blocks"] if b.get("block_id") == "start")
    assert start_block["element"]["initial_date"] == "2026-11-02"
    values = {
        "name": {"value": {"type": "plain_text_input", "value": "New Launch"}},
        "budget": {"value": {"type": "plain_text_input", "value": "8000"}},
        "start": {"value": {"type": "datepicker", "selected_date": "2026-11-02"}},
        "owner": {"value": {"type": "users_select", "selected_user": "U_DEMO"}},
    }
    assert slack.submit(view, values).status == 200
    with Session(db) as s:
        launch = s.exec(select(Campaign).where(Campaign.name == "New Launch")).one()
        launch_rows = list(s.exec(select(CampaignResult).where(CampaignResult.campaign_id == launch.id)))
    assert [(r.spend, r.revenue, r.orders) for r in launch_rows] == [(Decimal(300), Decimal(900), Decimal(3))]
    # The form was opened from a DM: the confirmation comes by DM, saying what was recorded.
    assert "Recorded 1 rows waiting for *New Launch*" in texts(from_bot(fake, "U_DEMO")[-1])


def test_a_member_outside_the_campaign_channel_cannot_import_into_it(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    say(slack, "/campaign new Leads only budget:1000", channel="C_PRIV")
    csv = "date,campaign,source,spend,revenue,orders\n2026-11-20,Leads only,jd,10,20,1\n"
    slack.share_file("jd.csv", csv.encode("utf-8"), user="U_SAM")
    body = texts(from_bot(fake, "U_SAM")[-1])
    assert "line 2" in body and "may not log" in body
    assert _results(db) == []
