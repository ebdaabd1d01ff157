"""Starting the app stays cheap: importing it loads none of the heavy libraries (they load when a file,
a chart or a statistic needs them), and the startup benchmark runs (its smoke version, for CI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_app_loads_no_heavy_library() -> None:
    code = (
        "import json, sys; import ecombot.app, ecombot.cli; "
        "print(json.dumps([m for m in ('pandas', 'numpy', 'scipy', 'matplotlib') if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(out.stdout) == []


@pytest.mark.slow
def test_the_startup_benchmark_runs_and_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, "bench/startup.py", "--runs", "1", "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Startup on SQLite")
    for name in ("import ecombot.app", "ecombot run (Socket Mode connected)", "ecombot serve --workers 2"):
        [line] = [line for line in lines if name in line]
        assert float(line.split()[-3]) > 0
    assert "heavy libraries loaded by the import: none" in result.stdout
