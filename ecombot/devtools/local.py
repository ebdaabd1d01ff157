"""The real app on 127.0.0.1, run the way production runs it, for the console, the demo and the tests.

Bolt acks first and does the rest on its listener executor (`process_before_response = false`, as in
production). `settle()` waits for that work and then delivers what it put in the outbox, so that a
script or a test can read what users would see next without sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from ecombot.app import build_runtime, create_app
from ecombot.clock import Clock
from ecombot.config import Settings
from ecombot.devtools.driver import LocalServer
from ecombot.scheduling.delivery import DeliveryWorker, DrainReport, WorkerSettings
from ecombot.server import EcombotWsgi


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener executor, counting the work it has not finished yet."""

    def __init__(self, max_workers: int = 8) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run `fn` on the pool, counted until it returns."""
        with self._idle:
            self._pending += 1

        def counted() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

        return super().submit(counted)

    def wait_idle(self, timeout: float = 15.0) -> bool:
        """Wait until every submitted piece of work has finished; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)


class LocalApp:
    """The app served over HTTP, its runtime, and a delivery worker for its outbox."""

    def __init__(self, settings: Settings, engine: Engine, clock: Clock) -> None:
        self.settings = settings
        self.engine = engine
        self.executor = TrackingExecutor()
        self.rt = build_runtime(settings, engine=engine, clock=clock)
        self.app = create_app(settings, runtime=self.rt, listener_executor=self.executor)
        wsgi = EcombotWsgi(self.app, engine, signing_secret=settings.slack.signing_secret)
        self.server = LocalServer(wsgi)
        self.url = self.server.url
        client = WebClient(token=settings.slack.bot_token, base_url=settings.slack.api_url, timeout=15)
        self.worker = DeliveryWorker(
            engine,
            clock,
            lambda team_id: client,
            worker="local",
            settings=WorkerSettings(channel_interval=0.0, poll_interval=0.02),
        )

    def settle(self, timeout: float = 15.0) -> DrainReport:
        """Wait for the work after acks, then deliver what is due in the outbox."""
        if not self.executor.wait_idle(timeout):
            raise TimeoutError("the work after an ack did not finish")
        return self.worker.drain(timeout, due_only=True)

    def close(self) -> None:
        """Stop serving; let running work finish."""
        self.server.close()
        self.executor.shutdown(wait=True)
        self.worker.close()
