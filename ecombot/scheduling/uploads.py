"""Files the outbox posts (a chart in a report's thread): sent with Slack's v2 upload flow, found again
by name after a crash, since a file message carries no metadata of ours."""

from __future__ import annotations

import base64
from typing import Any

from slack_sdk import WebClient

UPLOAD = "upload"


def _upload(filename: str, title: str, alt_text: str, comment: str, **what: Any) -> dict[str, Any]:
    """The outbox payload of a file upload: its name, title, alt text and comment, and what it holds
    (`content`, base64; or the figures of a chart drawn when it is sent: `bars`, `daily`)."""
    return {UPLOAD: {"filename": filename, "title": title, "alt_txt": alt_text, "comment": comment, **what}}


def upload_payload(
    filename: str, content: bytes, *, title: str, alt_text: str = "", comment: str = ""
) -> dict[str, Any]:
    """An outbox payload that posts a file (kept base64 in the row until it is sent)."""
    return _upload(filename, title, alt_text, comment, content=base64.b64encode(content).decode("ascii"))


def bars_payload(
    filename: str, chart: dict[str, Any], *, title: str, alt_text: str = "", comment: str = ""
) -> dict[str, Any]:
    """An outbox payload that posts a bar chart drawn when it is sent (`chart`: the arguments of
    `ecombot.charts.bars`, plain JSON). Drawing takes CPU a request thread must not spend: a chart asked
    for in Slack is drawn by the delivery worker (the scheduler process under `ecombot serve`), so that
    it never delays anyone's ack."""
    return _upload(filename, title, alt_text, comment, bars=chart)


def daily_payload(
    filename: str, chart: dict[str, Any], *, title: str, alt_text: str = "", comment: str = ""
) -> dict[str, Any]:
    """An outbox payload that posts a trend chart drawn when it is sent (`chart`: `charts.daily_spec`).
    A scheduled digest queues its figures and the delivery worker draws them: drawing 1,000 digests'
    charts inside the 09:00 pass took it far past its slot."""
    return _upload(filename, title, alt_text, comment, daily=chart)


def _content(spec: dict[str, Any]) -> bytes:
    if "daily" in spec:
        from ecombot import charts

        return charts.daily_from_spec(spec["daily"])
    if "bars" in spec:
        from ecombot import charts

        chart = spec["bars"]
        series = [(str(name), [float(v) for v in values]) for name, values in chart["series"]]
        return charts.bars(chart["title"], list(chart["labels"]), series, unit=chart.get("unit", ""))
    return base64.b64decode(spec["content"])


def is_upload(payload: dict[str, Any]) -> bool:
    """Whether an outbox payload is a file."""
    return isinstance(payload.get(UPLOAD), dict)


def send(client: WebClient, channel: str, thread_ts: str, payload: dict[str, Any]) -> tuple[str, str]:
    """Upload the file into the conversation (and thread); returns (channel, ts of the file message)."""
    spec = payload[UPLOAD]
    kwargs: dict[str, Any] = {
        "channel": channel,
        "content": _content(spec),
        "filename": spec["filename"],
        "title": spec.get("title") or spec["filename"],
    }
    if spec.get("alt_txt"):
        kwargs["alt_txt"] = spec["alt_txt"]
    if spec.get("comment"):
        kwargs["initial_comment"] = spec["comment"]
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    response = client.files_upload_v2(**kwargs)
    files = response.get("files") or [response.get("file") or {}]
    shares = (files[0] or {}).get("shares") or {}
    ts = ""
    for kind in ("public", "private"):
        for entries in (shares.get(kind) or {}).values():
            if entries:
                ts = str(entries[0].get("ts", ""))
    return channel, ts


def matches(message: dict[str, Any], payload: dict[str, Any]) -> bool:
    """Whether a message in the conversation is this upload (same file name)."""
    name = payload[UPLOAD]["filename"]
    return any(isinstance(f, dict) and f.get("name") == name for f in message.get("files") or [])
