"""The one global error handler, and the log filter that keeps tokens out of logs."""

from __future__ import annotations

import json
import logging
import re
import secrets
import string
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from ecombot.errors import DomainError
from ecombot.slack.commands import domain_error_reply
from ecombot.slack.context import CALLER_KEY, Caller
from ecombot.slack.i18n import t

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


def _locale_of(context: Any) -> str:
    caller = context.get(CALLER_KEY) if context is not None else None
    return caller.locale if isinstance(caller, Caller) else "en"


def install_error_handler(app: App) -> None:
    """Every unexpected exception: a short ephemeral with a ref for the user, the traceback for us."""

    @app.error
    def on_error(
        error: Exception,
        request: BoltRequest,
        response: BoltResponse | None,
        context: Any,
        body: dict[str, Any],
    ) -> BoltResponse | None:
        locale = _locale_of(context)
        if isinstance(error, DomainError):
            reply = domain_error_reply(locale, error)
            text = reply["text"]
        else:
            ref = new_ref()
            log.error(
                "unhandled error ref=%s team=%s user=%s type=%s",
                ref,
                context.get("team_id") if context else None,
                context.get("user_id") if context else None,
                body.get("type") or body.get("command"),
                exc_info=error,
            )
            text = t(locale, "error.unexpected", ref=ref)
        payload = {"response_type": "ephemeral", "text": text, "replace_original": False}
        # Not yet acknowledged: the reply can ride on the HTTP response itself.
        if response is not None and body.get("command"):
            return BoltResponse(
                status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
            )
        _notify(context, body, payload)
        if response is not None:
            return BoltResponse(status=200, body="")
        return None


def _notify(context: Any, body: dict[str, Any], payload: dict[str, Any]) -> None:
    """Tell the user after the ack: response_url when there is one, else a DM."""
    try:
        respond = context.get("respond") if context else None
        if (body.get("response_url") or body.get("response_urls")) and respond is not None:
            respond(**payload)
            return
        client: WebClient | None = context.get("client") if context else None
        user_id = context.get("user_id") if context else None
        if client is not None and user_id:
            client.chat_postMessage(channel=user_id, text=payload["text"])
    except Exception:
        log.exception("could not tell the user about an error")
