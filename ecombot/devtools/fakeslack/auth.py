"""Web API handlers for ``auth.*``, ``oauth.v2.access`` and ``team.*``: who the app is, and installs."""

from __future__ import annotations

from ecombot.devtools.fakeslack.model import JSONDict, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState


class AuthMixin(FakeSlackState):
    """``auth.test``, ``oauth.v2.access`` and ``team.info``."""

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
            "scope": "commands,chat:write,users:read",
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
