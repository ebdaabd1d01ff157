"""Refusals in the user's language, the last-resort error handler, and tokens kept out of logs."""

from __future__ import annotations

import json
import logging
import re
import secrets
import string
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest

from ecombot.errors import DomainError
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import add_messages, t
from ecombot.slack.text import esc, plain

log = logging.getLogger("ecombot.errors")

_REF_ALPHABET = string.ascii_uppercase + string.digits
_TOKEN_RE = re.compile(r"\b(xox[abposre]|xapp)-[A-Za-z0-9-]+")


def new_ref() -> str:
    """A short reference that ties what the user saw to the traceback in the log."""
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def redact(text: str) -> str:
    """`text` with every Slack token replaced by its prefix and stars."""
    return _TOKEN_RE.sub(lambda m: f"{m.group(1)}-***", text)


class RedactTokens(logging.Filter):
    """Rewrites log records so no Slack token reaches a handler (slack_sdk logs headers at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message; keep the record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def _safe(value: object) -> str:
    # Parameters may be user text (a title, a typed timezone): escaped, and no backtick that could
    # close the code span a message puts them in.
    return esc(str(value)).replace("`", "ˋ")


def refusal_text(locale: str, error: DomainError) -> str:
    """Why a change was refused, as plain text (a form's field error)."""
    return plain(t(locale, error.message_key, **{k: str(v) for k, v in error.params.items()}))


def refusal_reply(locale: str, error: DomainError) -> bk.Message:
    """Ephemeral: why the change was refused (user text in it escaped)."""
    text = t(locale, error.message_key, **{k: _safe(v) for k, v in error.params.items()})
    return bk.ephemeral(text, [bk.section(f":no_entry: {text}")])


def install_error_handler(app: App) -> None:
    """Last resort for errors outside the listener adapter: a ref for the user, the traceback for us."""

    @app.error
    def on_error(
        error: Exception,
        request: BoltRequest,
        response: BoltResponse | None,
        context: Any,
        body: dict[str, Any],
    ) -> BoltResponse | None:
        ref = new_ref()
        log.error(
            "unhandled error ref=%s team=%s user=%s type=%s",
            ref,
            context.get("team_id") if context else None,
            context.get("user_id") if context else None,
            body.get("type") or body.get("command"),
            exc_info=error,
        )
        text = t("en", "error.unexpected", ref=ref)
        if body.get("command"):
            payload = {"response_type": "ephemeral", "text": text}
            return BoltResponse(
                status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
            )
        return BoltResponse(status=200, body="")


add_messages(
    {
        "error.org_wide": (
            "ecombot is installed per workspace, and org-wide (Enterprise Grid) installs are not supported. "
            "Ask an admin to install it in this workspace.",
            "ecombot 按工作区安装，不支持组织级（Enterprise Grid）安装。请管理员在本工作区安装。",
        ),
        "error.bad_value": (
            "That came with a value I cannot use (`{value}`), so nothing was changed. "
            "Try again from a fresh message, or use the command instead.",
            "收到的值无法使用（`{value}`），因此没有做任何修改。请在新消息中重试，或改用命令。",
        ),
        "error.missing_value": (
            "That came without a value I need, so nothing was changed. "
            "Try again from a fresh message, or use the command instead.",
            "缺少必要的值，因此没有做任何修改。请在新消息中重试，或改用命令。",
        ),
        "error.bad_field": ("This value cannot be used: `{value}`.", "无法使用这个值：`{value}`。"),
        "error.required_field": ("Please fill this in.", "请填写此项。"),
        "error.not_a_person": (
            "<@{user}> is a bot or a deactivated account; pick a person.",
            "<@{user}> 是机器人或已停用的账号；请选择一位成员。",
        ),
    }
)
