"""The `ecombot` command's own behaviour: clear refusals, and no token ever in a log line."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecombot.slack.errors import RedactTokens, redact

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    return subprocess.run(
        [sys.executable, *args],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_a_bot_token_says_where_to_get_one(tmp_path: Path) -> None:
    result = _run(["-m", "ecombot", "run"], tmp_path)
    assert result.returncode == 2
    assert "slack.bot_token" in result.stderr and "SLACK_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_without_an_app_token_explains_socket_mode(tmp_path: Path) -> None:
    result = _run(["-m", "ecombot", "run"], tmp_path, SLACK_BOT_TOKEN="xoxb-1")
    assert result.returncode == 2
    assert "slack.app_token" in result.stderr and "connections:write" in result.stderr


def test_serve_without_a_signing_secret_refuses(tmp_path: Path) -> None:
    result = _run(["-m", "ecombot", "serve"], tmp_path, SLACK_BOT_TOKEN="xoxb-1")
    assert result.returncode == 2
    assert "slack.signing_secret" in result.stderr


def test_bot_py_is_ecombot_run(tmp_path: Path) -> None:
    result = _run([str(ROOT / "bot.py")], tmp_path)
    assert result.returncode == 2
    assert "slack.bot_token" in result.stderr


def test_tokens_are_redacted_from_log_records(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactTokens())
    with caplog.at_level(logging.DEBUG, logger="test.redact"):
        logger.debug("headers: %s", {"Authorization": "Bearer xoxb-123-456-abcdefSECRET"})
    assert "SECRET" not in caplog.text
    assert "xoxb-***" in caplog.text
    assert redact("xapp-1-A0-123-abc and xoxp-9-zz") == "xapp-*** and xoxp-***"


def test_console_script_from_the_command_line(tmp_path: Path) -> None:
    script = tmp_path / "tour.txt"
    script.write_text("# a comment line is shown as narration\n/ecom help\n")
    result = _run(
        ["-m", "ecombot", "console", "--as", "U_LI", "--script", str(script), "--database", "sqlite:///c.db"],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "a comment line is shown as narration" in result.stdout
    assert "U_LI@C_DEMO> /ecom help" in result.stdout
    assert "ecombot 命令" in result.stdout
    assert (tmp_path / "c.db").exists()


def test_console_refuses_an_old_schema_when_auto_migrate_is_off(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[database]\nurl = "sqlite:///old.db"\nauto_migrate = false\n')
    script = tmp_path / "s.txt"
    script.write_text("/ecom help\n")
    result = _run(["-m", "ecombot", "console", "--script", str(script)], tmp_path)
    assert result.returncode == 2
    assert "database.auto_migrate" in result.stderr and "ecombot db upgrade" in result.stderr
