"""The floor for bench/ack.py: a Bolt app whose slash commands only ack, served like ecombot.

    SLACK_API_URL=... SLACK_BOT_TOKEN=xoxb-... SLACK_SIGNING_SECRET=... \\
        gunicorn --worker-class gthread --threads 4 --workers 2 -b 127.0.0.1:3001 bench.floor_app:application
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

app = App(
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    process_before_response=False,
    token_verification_enabled=False,
)
if os.environ.get("FLOOR_PROMPT_ACK"):
    # `bench/ack.py --prompt-floor`: the floor answers at the ack too, as ecombot does (the stock
    # floor waits for Bolt's 10 ms poll).
    from ecombot.slack import prompt_ack

    prompt_ack.install(app)


# Every slash command the benchmark sends (bench/ack.py's COMMANDS).
FLOOR_COMMANDS = ("/task", "/ecom", "/campaign", "/budget", "/kpi", "/standup", "/retro", "/risk")


def ack_only(ack: Ack, command: dict[str, Any]) -> None:
    """Acknowledge with a short text and do nothing else."""
    ack(f"ok: {command.get('command')} {command.get('text', '')}"[:100])


for _name in FLOOR_COMMANDS:
    app.command(_name)(ack_only)

_bolt = SlackRequestHandler(app, path="/slack/events")


def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """`/healthz` answers 200; everything else goes to Bolt."""
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    return _bolt(environ, start_response)
