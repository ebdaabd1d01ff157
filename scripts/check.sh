#!/usr/bin/env bash
# Installs ecombot with its test tools into .venv, then runs everything CI runs:
# ruff check, ruff format --check, mypy, and the test suite on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
PG_URL=${ECOMBOT_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"

echo "== ruff check"
.venv/bin/ruff check .
echo "== ruff format --check"
.venv/bin/ruff format --check .
echo "== mypy ecombot"
.venv/bin/mypy ecombot

echo "== pytest on SQLite"
env -u ECOMBOT_TEST_DATABASE_URL .venv/bin/python -m pytest "$@"

if .venv/bin/python - "$PG_URL" <<'PY'
import sys
import sqlalchemy as sa
try:
    with sa.create_engine(sys.argv[1], connect_args={"connect_timeout": 3}).connect():
        pass
except Exception as exc:
    print(f"PostgreSQL does not answer at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== pytest on PostgreSQL ($PG_URL)"
  ECOMBOT_TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: CI needs PostgreSQL at $PG_URL" >&2
  exit 1
else
  echo "!! SKIPPED the PostgreSQL run: no server answers at $PG_URL (set ECOMBOT_TEST_DATABASE_URL)" >&2
fi
echo "== all checks passed"
