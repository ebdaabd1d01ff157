"""Every refusal and parse error the code can raise has its message, in both languages, and every
placeholder the message needs is given where it is raised (read from the source, so a new error code
without a message fails here, not in front of a user)."""

from __future__ import annotations

import ast
from pathlib import Path

import ecombot.app
from ecombot.slack import i18n

PACKAGE = Path(ecombot.app.__file__).parent
# Exceptions whose first argument is an error code, and the catalogue prefix of their messages.
RAISERS = {
    "DomainError": "error",
    "InvalidInput": "error",
    "PermissionDenied": "error",
    "NotFound": "error",
    "UsageError": "parse",
    "ParseError": "parse",
}


def _raised_codes() -> list[tuple[str, str, set[str], str]]:
    """(message key, code, keyword arguments given, where) for every literal code in the package."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in RAISERS or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                given = {k.arg for k in node.keywords if k.arg}
                found.append((f"{RAISERS[name]}.{first.value}", first.value, given, where))
    return found


def test_the_scan_finds_the_codes_raised() -> None:
    codes = {code for _, code, _, _ in _raised_codes()}
    assert {"task_not_found", "not_manager", "unknown_subcommand", "bad_date", "bad_task_id"} <= codes
    assert len(codes) > 25


def test_every_code_raised_has_a_message_in_both_languages_with_its_placeholders() -> None:
    catalog = i18n.catalog()
    for key, code, given, where in _raised_codes():
        assert key in catalog, f"{where}: `{code}` has no message {key!r}"
        texts = catalog[key]
        assert texts["en"].strip() and texts["zh-CN"].strip(), where
        needed = i18n.placeholders(texts["en"])
        assert needed == i18n.placeholders(texts["zh-CN"]), key
        if key.startswith("parse."):
            assert needed <= {"part"}, key  # parse errors name the bad part and nothing else
        else:
            assert needed <= given, f"{where}: {key} needs {sorted(needed - given)}"


def test_dynamic_codes_have_their_messages() -> None:
    # Codes built at run time: validate_setting's f"bad_{key}", BadValue, OpenCheckpoints.
    catalog = i18n.catalog()
    for key in ("timezone", "currency", "language"):
        assert f"error.bad_{key}" in catalog
    for key in ("error.bad_value", "error.task_open_checkpoints", "error.org_wide", "error.unexpected"):
        assert key in catalog
