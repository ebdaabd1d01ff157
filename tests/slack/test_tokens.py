"""Slack tokens at rest: encrypted with ECOMBOT_SECRET_KEY in both of slack-sdk's tables, read back by
Bolt and the scheduler, tokens from before encryption encrypted on the next start, and keys rotated
with `ecombot secrets rotate` (the OAuth install flow itself is in tests/test_server.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy.engine import Engine

from ecombot.config import Settings
from ecombot.scheduling.runner import make_client_for
from ecombot.slack.oauth import BOTS_TABLE, INSTALLATIONS_TABLE, InstallationStore
from ecombot.slack.tokens import PREFIX, TokenCipher, TokenKeyError, new_key, parse_keys
from tests.support import SECRET_KEY, cli_env, run_ecombot

BOT = "xoxb-111-222-installedbottoken"
USER = "xoxp-111-333-installerusertoken"
REFRESH = "xoxe-1-" + "r" * 150  # token rotation's refresh tokens are long
OTHER_KEY = "EsiqwPlG7G9qDSM4ygRmFKrLAC9b24OT7MCpN7uJO0s="


def _installation(team: str = "T_ACME") -> Installation:
    return Installation(
        app_id="A1",
        team_id=team,
        team_name="Acme",
        bot_token=BOT,
        bot_id="B1",
        bot_user_id="U_BOT",
        bot_scopes="commands,chat:write",
        bot_refresh_token=REFRESH,
        user_id="U_ADMIN",
        user_token=USER,
        user_refresh_token=REFRESH,
    )


def _store(db: Engine, key: str = SECRET_KEY) -> InstallationStore:
    cipher = TokenCipher.from_setting(key)
    assert cipher is not None
    return InstallationStore(
        cipher=cipher,
        client_id="111.222",
        engine=db,
        installations_table_name=INSTALLATIONS_TABLE,
        bots_table_name=BOTS_TABLE,
    )


def _stored(db: Engine) -> list[str]:
    """Every token value as the database holds it."""
    with db.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT bot_token, bot_refresh_token, user_token, user_refresh_token FROM slack_installations"
            )
        ).all()
        bots = conn.execute(sa.text("SELECT bot_token, bot_refresh_token FROM slack_bots")).all()
    return [value for row in [*rows, *bots] for value in row if value]


def test_a_sealed_token_opens_only_with_its_key_and_never_shows_the_token() -> None:
    cipher = TokenCipher.from_setting(SECRET_KEY)
    assert cipher is not None
    sealed = cipher.seal(BOT)
    assert sealed is not None and sealed.startswith(PREFIX) and "xoxb" not in sealed
    assert cipher.seal(BOT) != sealed  # a fresh IV each time: equal tokens do not look equal
    assert cipher.seal(sealed) == sealed  # sealing twice is harmless
    assert cipher.open(sealed) == BOT
    assert cipher.open(BOT) == BOT  # a token from before encryption is read as it is
    assert cipher.seal(None) is None and cipher.open(None) is None
    other = TokenCipher.from_setting(OTHER_KEY)
    assert other is not None
    with pytest.raises(TokenKeyError) as caught:
        other.open(sealed)
    assert "ECOMBOT_SECRET_KEY" in str(caught.value) and BOT not in str(caught.value)
    # Rotation: the new key first, the old one after it, opens both.
    both = TokenCipher.from_setting(f"{OTHER_KEY}, {SECRET_KEY}")
    assert both is not None and both.open(sealed) == BOT


def test_a_key_that_is_not_a_fernet_key_is_named_by_its_position() -> None:
    assert parse_keys(" , ") == []
    assert parse_keys(f"{OTHER_KEY},{SECRET_KEY}") == [OTHER_KEY, SECRET_KEY]
    with pytest.raises(ValueError, match="key 2 of 2 is not a Fernet key"):
        parse_keys(f"{SECRET_KEY},hunter2")
    assert len(parse_keys(new_key())) == 1


def test_installations_are_stored_encrypted_and_read_back_by_bolt_and_the_scheduler(
    db: Engine, settings: Settings
) -> None:
    store = _store(db)
    store.save(_installation())
    stored = _stored(db)
    assert len(stored) == 6  # 4 in the installation, 2 in the bot
    assert all(value.startswith(PREFIX) for value in stored)
    assert not any(secret in value for value in stored for secret in ("xox", BOT, USER, REFRESH))

    found = store.find_installation(enterprise_id=None, team_id="T_ACME")
    assert found is not None
    assert (found.bot_token, found.user_token, found.bot_refresh_token) == (BOT, USER, REFRESH)
    bot = store.find_bot(enterprise_id=None, team_id="T_ACME")
    assert bot is not None and bot.bot_token == BOT
    # The scheduler posts as the installed bot of each workspace.
    oauth = settings.with_slack(bot_token="", client_id="111.222", client_secret="s", secret_key=SECRET_KEY)
    assert make_client_for(oauth, db)("T_ACME").token == BOT


def _clear_install(db: Engine) -> None:
    """An install saved by ecombot before tokens were encrypted: slack-sdk's own store, in clear."""
    SQLAlchemyInstallationStore(
        client_id="111.222",
        engine=db,
        installations_table_name=INSTALLATIONS_TABLE,
        bots_table_name=BOTS_TABLE,
    ).save(_installation())


def test_tokens_stored_in_clear_are_encrypted_on_the_next_start(
    db: Engine, database_url: str, tmp_path: Path, settings: Settings
) -> None:
    _clear_install(db)
    assert BOT in _stored(db)
    env = cli_env(database_url, settings.slack.api_url, ECOMBOT_SECRET_KEY=SECRET_KEY)
    done = run_ecombot(["workspace", "list"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "encrypted 6 stored Slack token(s) that were in clear" in done.stderr
    assert BOT not in done.stderr + done.stdout
    assert all(value.startswith(PREFIX) for value in _stored(db))
    assert _store(db).find_bot(enterprise_id=None, team_id="T_ACME").bot_token == BOT  # type: ignore[union-attr]
    # Nothing left in clear: the next start says nothing.
    again = run_ecombot(["workspace", "list"], env, tmp_path)
    assert again.returncode == 0 and "encrypted" not in again.stderr


def test_secrets_rotate_moves_every_token_to_the_new_key_and_the_old_key_can_go(
    db: Engine, database_url: str, tmp_path: Path, settings: Settings
) -> None:
    _store(db).save(_installation())
    before = _stored(db)
    env = cli_env(database_url, settings.slack.api_url, ECOMBOT_SECRET_KEY=f"{OTHER_KEY},{SECRET_KEY}")
    done = run_ecombot(["secrets", "rotate"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "stored Slack tokens: 0 encrypted from clear, 6 moved to the newest key, 0 already under it"
    )
    after = _stored(db)
    assert len(after) == 6 and not set(after) & set(before)
    # The new key alone now reads every token; the old key alone reads none.
    found = _store(db, OTHER_KEY).find_installation(enterprise_id=None, team_id="T_ACME")
    assert found is not None and (found.bot_token, found.user_refresh_token) == (BOT, REFRESH)
    with pytest.raises(TokenKeyError):
        _store(db, SECRET_KEY).find_bot(enterprise_id=None, team_id="T_ACME")
    twice = run_ecombot(["secrets", "rotate"], env, tmp_path)
    assert "0 moved to the newest key, 6 already under it" in twice.stdout


def test_secrets_rotate_with_keys_that_open_nothing_changes_nothing(
    db: Engine, database_url: str, tmp_path: Path, settings: Settings
) -> None:
    _store(db).save(_installation())
    before = _stored(db)
    wrong = run_ecombot(
        ["secrets", "rotate"],
        cli_env(database_url, settings.slack.api_url, ECOMBOT_SECRET_KEY=OTHER_KEY),
        tmp_path,
    )
    assert wrong.returncode == 1
    assert "cannot be decrypted with the keys in ECOMBOT_SECRET_KEY; nothing was changed" in wrong.stderr
    assert _stored(db) == before
    unset = run_ecombot(["secrets", "rotate"], cli_env(database_url, settings.slack.api_url), tmp_path)
    assert unset.returncode == 2 and "ECOMBOT_SECRET_KEY is not set" in unset.stderr
    # new-key works where the key is what the configuration lacks (OAuth set up, no key yet).
    oauth_without_key = cli_env(
        database_url, settings.slack.api_url, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s"
    )
    made = run_ecombot(["secrets", "new-key"], oauth_without_key, tmp_path)
    assert made.returncode == 0 and parse_keys(made.stdout.strip()) == [made.stdout.strip()]
