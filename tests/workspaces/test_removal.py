"""`ecombot workspace delete T --yes`: every row of the workspace goes, from every table; another
workspace that used every domain the same way keeps every one of its rows."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot import migrations
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from ecombot.workspaces.removal import owned_by, workspace_tables
from tests.support import SIGNING_SECRET, cli_env, run_ecombot
from tests.workspaces.activity import WRITTEN, counts_by_table, rows_by_table, use_the_app


def test_every_table_is_covered_by_team_id_or_a_foreign_key() -> None:
    tables = {t.name for t in workspace_tables()}
    everything = {t.name for t in migrations.target_metadata().sorted_tables}
    # OAuth states last ten minutes and request signatures five (replays): they name no workspace;
    # every other table holds workspace rows.
    assert everything - tables == {"slack_oauth_states", "slack_seen_requests"}
    assert {"standup_members", "retro_votes"} <= tables  # reached through their parents' foreign keys


def test_delete_removes_every_row_of_the_workspace_and_nothing_of_another(
    slack: SlackDriver, local_app: LocalApp, db: Engine, database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    use_the_app(SlackDriver(local_app.url, SIGNING_SECRET, fake, team_id="T_OTHER", settle=local_app.settle))
    use_the_app(slack)
    slack.event({"type": "app_uninstalled"})
    mine = counts_by_table(db, "T_DEMO")
    assert [name for name in WRITTEN if mine.get(name, 0) == 0] == []
    others = rows_by_table(db, "T_OTHER")
    assert [name for name in WRITTEN if not others.get(name)] == []
    env = cli_env(database_url, fake.api_url)

    listed = run_ecombot(["workspace", "list"], env, tmp_path)
    assert listed.returncode == 0, listed.stderr
    [demo_line] = [line for line in listed.stdout.splitlines() if line.startswith("T_DEMO")]
    assert "uninstalled since" in demo_line
    [other_line] = [line for line in listed.stdout.splitlines() if line.startswith("T_OTHER")]
    assert other_line.endswith("installed")

    dry = run_ecombot(["workspace", "delete", "T_DEMO"], env, tmp_path)
    assert dry.returncode == 1
    assert f"Would delete {sum(mine.values())} row(s) of workspace T_DEMO" in dry.stdout
    for name, count in mine.items():
        if count:
            assert any(line.split() == [name, str(count)] for line in dry.stdout.splitlines()), name
    assert "--yes" in dry.stdout
    assert counts_by_table(db, "T_DEMO") == mine  # nothing deleted

    done = run_ecombot(["workspace", "delete", "T_DEMO", "--yes"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"Deleted {sum(mine.values())} row(s) of workspace T_DEMO" in done.stdout

    with db.connect() as conn:
        for table in migrations.target_metadata().sorted_tables:
            owned = owned_by(table, "T_DEMO")
            if owned is None:
                continue
            left = conn.execute(sa.select(sa.func.count()).select_from(table).where(owned)).scalar_one()
            assert left == 0, f"{table.name} still holds {left} row(s) of T_DEMO"
    assert rows_by_table(db, "T_OTHER") == others

    gone = run_ecombot(["workspace", "delete", "T_DEMO", "--yes"], env, tmp_path)
    assert gone.returncode == 2 and "no rows of workspace 'T_DEMO'" in gone.stderr


def test_deleting_a_workspace_that_still_has_the_app_says_so(
    slack: SlackDriver, db: Engine, database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    slack.command("/task add Something", user="U_DEMO")
    result = run_ecombot(["workspace", "delete", "T_DEMO"], cli_env(database_url, fake.api_url), tmp_path)
    assert result.returncode == 1
    assert "has not uninstalled the app" in result.stdout
    assert counts_by_table(db, "T_DEMO")["tasks"] == 1
