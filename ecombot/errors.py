"""Domain errors: raised by services, turned into a message in the user's language by views."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user should read; `code` picks the message `error.<code>`, params fill it."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message_key(self) -> str:
        """The i18n key of the message that explains this error."""
        return f"error.{self.code}"


class InvalidInput(DomainError):
    """The input names something that cannot be used (a bad timezone, an unknown id)."""


class PermissionDenied(DomainError):
    """The caller's role does not allow this change."""


class NotFound(DomainError):
    """The thing does not exist in this workspace."""
