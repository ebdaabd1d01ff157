"""The scheduled-work benchmark keeps running (its smoke version, for CI): it seeds 5 workspaces of 5
members, runs the scheduler's pass at a few instants of a Monday through the real engine, and each
pass claims and queues real work. The figures of a loaded CI runner are not held to the slot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTANTS = ("Mon 00:05", "Mon 09:00", "Mon 09:30", "Mon 10:30", "Mon 11:00")


@pytest.mark.slow
def test_the_ticks_benchmark_runs_every_pass_without_error_and_prints_its_tables(tmp_path: Path) -> None:
    figures = tmp_path / "ticks.json"
    argv = [sys.executable, "bench/ticks.py", "--smoke", "--json", str(figures)]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

    header = next(line for line in result.stdout.splitlines() if line.startswith("instant (Shanghai)"))
    assert "seconds" in header and "in slot" in header and "ms/ws" in header and "outbox" in header
    table = result.stdout.split(header, 1)[1]
    for instant in INSTANTS:
        assert f"\n{instant} " in table, f"no row for {instant}"
    assert "each tick's seconds per pass" in result.stdout
    assert "\nstandups.prompts " in result.stdout and "\ntasks.reminders " in result.stdout
    assert "5 passes, 0 errors" in result.stdout

    data = json.loads(figures.read_text())
    assert (data["workspaces"], data["members"], data["errors"]) == (5, 5, [])
    passes = {p["instant"]: p for p in data["passes"]}
    assert list(passes) == list(INSTANTS)
    # Real work was done: reminders at 09:00, prompts at 09:30, reminders before and the reports at 11:00.
    assert passes["Mon 09:00"]["outbox"]["tasks.reminder"] > 0
    assert passes["Mon 09:00"]["outbox"]["kpis.daily_digest"] > 0
    assert passes["Mon 09:30"]["outbox"]["standups.prompt"] > 0
    assert passes["Mon 10:30"]["outbox"]["standups.reminder"] > 0
    assert passes["Mon 11:00"]["outbox"]["standups.report"] > 0
    assert passes["Mon 00:05"]["claims"]["campaigns.evaluation"] == 5
    for p in data["passes"]:
        assert "standups.prompts" in p["ticks"] and "(schedules)" in p["ticks"]
