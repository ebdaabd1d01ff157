"""HTTP mode: a WSGI app (`/slack/events`, `/healthz`, OAuth pages) served by gunicorn."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy.engine import Engine

from ecombot import __version__
from ecombot.db import ping

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

WsgiApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]


class EcombotWsgi:
    """Routes `/healthz` itself and everything else (events, install, OAuth redirect) to Bolt."""

    def __init__(self, app: App, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        self.bolt = SlackRequestHandler(app, path="/slack/events")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        path = environ.get("PATH_INFO", "")
        if path == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            healthy = ping(self.engine)
            body = json.dumps(
                {"status": "ok" if healthy else "database unavailable", "version": __version__}
            ).encode()
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return self.bolt(environ, start_response)


def run_gunicorn(wsgi_factory: Callable[[], WsgiApp], *, host: str, port: int, workers: int) -> None:
    """Serve with gunicorn; each worker builds its own app (and database pool) after the fork."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            # Bolt runs listeners in threads after the ack; gthread keeps the worker responsive meanwhile.
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", None)
            self.cfg.set("proc_name", "ecombot")

        def load(self) -> Any:
            return wsgi_factory()

    _Server().run()
