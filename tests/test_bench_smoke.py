"""The ack benchmark keeps running (its smoke version, for CI): it seeds 50 workspaces, serves the real
app and the floor under gunicorn, and every command it drives gives its normal answer. The figures of
a loaded CI runner are not held to the targets (`--smoke`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("/campaign show", "/standup show", "/task add")  # in the order the benchmark runs them


@pytest.mark.slow
def test_the_ack_benchmark_runs_every_command_without_error_and_prints_its_table(tmp_path: Path) -> None:
    figures = tmp_path / "ack.json"
    argv = [sys.executable, "bench/ack.py", "--rows", "1000", "--seconds", "1", "--clients", "2"]
    argv += ["--only", "/task add", "--only", "/campaign show Double 11", "--only", "/standup show"]
    argv += ["--smoke", "--json", str(figures)]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    assert "seeded 1,000 tasks, campaign result rows and orders over 50 workspaces" in result.stdout
    header = next(line for line in result.stdout.splitlines() if line.startswith("command "))
    assert "p99" in header and "floor req/s" in header and "ratio" in header
    table = result.stdout.split(header, 1)[1]
    for command in COMMANDS:
        assert f"\n{command} " in table, f"no row for {command}"

    assert "serve worker RSS after the load:" in result.stdout

    data = json.loads(figures.read_text())
    workers = [p for p in data["memory"]["app"] if p["role"] == "worker"]
    assert len(workers) == 2 and all(0 < p["rss_mib"] <= p["hwm_mib"] for p in workers)
    assert {p["role"] for p in data["memory"]["app"]} == {"master", "worker", "scheduler"}
    assert data["rows"] == 1000 and data["errors"] == []
    assert [row["command"] for row in data["results"]] == list(COMMANDS)
    for row in data["results"]:
        assert row["app"]["count"] > 0 and row["app"]["errors"] == 0, row
        assert row["floor"]["count"] > 0 and row["floor"]["errors"] == 0, row
