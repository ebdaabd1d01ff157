"""Slack gets its answer the moment a listener acks, not at Bolt's next 10 ms poll.

With `process_before_response = false` Bolt runs the listener on its executor, and the request's own
thread waits for the ack by checking it every 10 ms (`time.sleep(0.01)` in
`slack_bolt.listener.thread_runner`). Every answer then waits up to 10 ms more than its work took,
and holds one of the worker's threads meanwhile: with 8 threads a server answers at most about
800 requests a second whatever they cost, and a reply ready in 1 ms still takes 10.

`PromptAckRunner` gives each request an `Ack` that sets an event when it is called, and the wait
becomes a wait on that event, still in steps of at most 10 ms: Bolt's own loop, its time-out and its
error handling are unchanged. Should a later Bolt wait differently, the patch falls back to plain
sleeping, which is Bolt's behaviour (`tests/slack/test_prompt_ack.py` would show the lost speed).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from slack_bolt import App
from slack_bolt.context.ack import Ack
from slack_bolt.listener import thread_runner
from slack_bolt.listener.thread_runner import ThreadListenerRunner
from slack_bolt.response import BoltResponse

_waiting = threading.local()  # the ack the request on this thread waits for


class _PromptAck(Ack):
    """Bolt's `ack()`, which also wakes the request thread waiting for it."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.done = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.done.set()


class _BoltClock:
    """What `thread_runner` calls `time`: the real clock, with a sleep that ends at the ack."""

    time = staticmethod(time.time)

    @staticmethod
    def sleep(seconds: float) -> None:
        ack: _PromptAck | None = getattr(_waiting, "ack", None)
        if ack is None:
            time.sleep(seconds)
        else:
            ack.done.wait(seconds)


class PromptAckRunner(ThreadListenerRunner):
    """Bolt's listener runner; the request thread wakes as soon as the listener acks."""

    def run(
        self, request: Any, response: Any, listener_name: str, listener: Any, starting_time: Any = None
    ) -> Any:
        ack = request.context.get("ack")
        if ack is None or (ack.response is None and not isinstance(ack, _PromptAck)):
            # Bolt made the request's Ack while building its context; not yet called, it is replaced.
            ack = request.context["ack"] = _PromptAck()
        _waiting.ack = ack if isinstance(ack, _PromptAck) else None
        try:
            return super().run(request, response, listener_name, listener, starting_time)
        finally:
            _waiting.ack = None


def install(app: App) -> None:
    """Run `app`'s listeners with `PromptAckRunner` (before its error handler is set: it keeps it)."""
    if getattr(thread_runner, "time", None) is time:
        thread_runner.time = _BoltClock  # type: ignore[attr-defined,assignment]
    current = app.listener_runner
    if isinstance(current, PromptAckRunner):
        return
    app._listener_runner = PromptAckRunner(  # Bolt has no setting for its runner
        logger=current.logger,
        process_before_response=current.process_before_response,
        listener_error_handler=current.listener_error_handler,
        listener_start_handler=current.listener_start_handler,
        listener_completion_handler=current.listener_completion_handler,
        listener_executor=current.listener_executor,
        lazy_listener_runner=current.lazy_listener_runner,
    )
