"""Files people share with the bot: read with `files.info`, downloaded from `url_private_download`
with the bot token (only from Slack's own file host, or the configured API host for the local fake)."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from slack_sdk import WebClient

DEFAULT_LIMIT = 20 * 1024 * 1024
TIMEOUT = 30.0


class DownloadError(Exception):
    """The file could not be fetched (`reason` is short and safe to show)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SharedFile:
    """A file's name and bytes."""

    id: str
    name: str
    content: bytes


def shared_files(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The files a `message` event of subtype `file_share` carries (ids and names)."""
    files = event.get("files")
    return (
        [f for f in files if isinstance(f, dict) and isinstance(f.get("id"), str)]
        if isinstance(files, list)
        else []
    )


def _allowed(url: str, client: WebClient) -> bool:
    parts = urlsplit(url)
    api_host = urlsplit(client.base_url).hostname or ""
    host = parts.hostname or ""
    if host == api_host:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and (host == "files.slack.com" or host.endswith(".slack.com"))


def download(client: WebClient, file_id: str, *, limit: int = DEFAULT_LIMIT) -> SharedFile:
    """The file's bytes (refused over `limit`)."""
    info = client.files_info(file=file_id).get("file") or {}
    name = str(info.get("name") or file_id)
    size = info.get("size")
    if isinstance(size, int) and size > limit:
        raise DownloadError("too_large")
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not url or not _allowed(url, client):
        raise DownloadError("no_download_url")
    # Slack's URLs are percent-encoded; one that is not (a name in Chinese) is made so.
    url = quote(url, safe=":/?&=%#@+,;~")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})  # noqa: S310 - host checked above
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - host checked above
            content = response.read(limit + 1)
    except OSError as exc:
        raise DownloadError(type(exc).__name__) from exc
    if len(content) > limit:
        raise DownloadError("too_large")
    return SharedFile(file_id, name, content)
