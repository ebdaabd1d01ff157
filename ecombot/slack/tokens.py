"""OAuth tokens at rest: encrypted with Fernet under `ECOMBOT_SECRET_KEY`, keys rotated with MultiFernet.

`ECOMBOT_SECRET_KEY` holds one key, or several separated by commas, newest first: the newest
encrypts, every one of them decrypts. To rotate, put a new key in front of the old one, run
`ecombot secrets rotate` (every stored token is encrypted again under the new key), then drop the
old key. A stored value is `fernet:<token>`; a value without the prefix is a token from before
encryption, which is read as it is and encrypted on the next start (`reseal`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)

PREFIX = "fernet:"
ENV = "ECOMBOT_SECRET_KEY"
# The columns of slack-sdk's tables that hold a credential, by table.
TOKEN_COLUMNS: dict[str, tuple[str, ...]] = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


class TokenKeyError(RuntimeError):
    """A stored token that none of the configured keys decrypts (the message never holds the token)."""


def new_key() -> str:
    """A fresh Fernet key (32 random bytes, url-safe base64), as `ecombot secrets new-key` prints it."""
    return Fernet.generate_key().decode("ascii")


def parse_keys(setting: str) -> list[str]:
    """The keys of an `ECOMBOT_SECRET_KEY` value, newest first; ValueError names a bad one by position."""
    keys = [part.strip() for part in setting.split(",") if part.strip()]
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ValueError(
                f"key {number} of {len(keys)} is not a Fernet key (44 characters of url-safe base64; "
                "`ecombot secrets new-key` makes one)"
            ) from None
    return keys


class TokenCipher:
    """Seals tokens under the newest key and opens them under any configured key."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("no key")
        fernets = [Fernet(key.encode("ascii")) for key in keys]
        self._newest = fernets[0]
        self._all = MultiFernet(fernets)

    @classmethod
    def from_setting(cls, setting: str) -> TokenCipher | None:
        """The cipher of an `ECOMBOT_SECRET_KEY` value, or None when it is empty."""
        keys = parse_keys(setting)
        return cls(keys) if keys else None

    def seal(self, value: str | None) -> str | None:
        """`value` encrypted under the newest key; None and already sealed values pass unchanged."""
        if not value or value.startswith(PREFIX):
            return value
        return PREFIX + self._newest.encrypt(value.encode("utf-8")).decode("ascii")

    def open(self, value: str | None) -> str | None:
        """The clear token of a stored value; a value from before encryption is returned as it is."""
        if not value or not value.startswith(PREFIX):
            return value
        try:
            return self._all.decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise TokenKeyError(
                f"a stored Slack token cannot be decrypted with the keys in {ENV}: was the key replaced "
                "without keeping the old one after it (newest first, comma-separated)?"
            ) from None

    def reseal(self, value: str) -> str | None:
        """`value` encrypted under the newest key if it is in clear or under an older key; else None."""
        if not value.startswith(PREFIX):
            return self.seal(value)
        token = value[len(PREFIX) :].encode("ascii")
        try:
            self._newest.decrypt(token)
            return None
        except InvalidToken:
            pass
        try:
            return PREFIX + self._all.rotate(token).decode("ascii")
        except InvalidToken:
            raise TokenKeyError(
                f"a stored Slack token cannot be decrypted with the keys in {ENV}; nothing was changed"
            ) from None


def required_cipher(setting: str) -> TokenCipher:
    """The cipher OAuth installs need; ConfigError when `ECOMBOT_SECRET_KEY` is empty or bad."""
    from ecombot.config import ConfigError

    try:
        cipher = TokenCipher.from_setting(setting)
    except ValueError as exc:
        raise ConfigError("slack.secret_key", f"({ENV}) {exc}") from None
    if cipher is None:
        raise ConfigError(
            "slack.secret_key", f"missing: OAuth installs need {ENV} to encrypt the stored tokens"
        )
    return cipher
