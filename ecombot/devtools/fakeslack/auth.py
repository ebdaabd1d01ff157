"""Web API handlers for ``auth.*``, ``oauth.v2.access`` and ``team.*``: who the app is, and installs."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from ecombot.devtools.fakeslack.model import JSONDict, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState

SCOPES_HEADER = "x-oauth-scopes"


@cache
def manifest_bot_scopes() -> tuple[str, ...]:
    """The bot scopes ecombot's manifest asks for: what a correct install is granted."""
    from ecombot.manifest import build_manifest  # late: the manifest imports the whole app

    return tuple(build_manifest()["oauth_config"]["scopes"]["bot"])


def granted_scopes_header(granted: Collection[str] | None, token: str | None) -> dict[str, str]:
    """The ``x-oauth-scopes`` header Slack adds to a Web API answer to a bot or user token."""
    if not token or token.startswith("xapp-"):
        return {}
    scopes = manifest_bot_scopes() if granted is None else granted
    return {SCOPES_HEADER: ",".join(scopes)}


class AuthMixin(FakeSlackState):
    """``auth.test``, ``oauth.v2.access`` and ``team.info``."""

    # The scopes the app's install was granted, sent in the x-oauth-scopes header of every Web API
    # answer; None means every bot scope of the manifest. A test sets a shorter list (e.g.
    # ``fake.granted_scopes = ["chat:write"]``) to play an install that lacks some.
    granted_scopes: Collection[str] | None = None

    def _auth_test(self, args: JSONDict) -> JSONDict:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, args: JSONDict) -> JSONDict:
        # The install flow: any non-empty code is exchanged for a fresh bot token of this team.
        if not args.get("code"):
            raise _SlackError("invalid_code", "[ERROR] code is missing")
        return {
            "app_id": self.app_id,
            "authed_user": {"id": "U_DEMO"},
            "scope": ",".join(manifest_bot_scopes() if self.granted_scopes is None else self.granted_scopes),
            "token_type": "bot",
            "access_token": f"xoxb-installed-{next(self._ids)}",
            "bot_user_id": self.bot_user_id,
            "team": {"id": self.team_id, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _team_info(self, args: JSONDict) -> JSONDict:
        return {
            "team": {
                "id": self.team_id,
                "name": self.team_name,
                "url": f"https://{self.team_domain}.slack.com/",
                "domain": self.team_domain,
                "email_domain": "",
                "icon": {"image_default": True},
                "is_verified": False,
            }
        }
