"""The ``FakeSlack`` class: its constructor (all the state), the demo directory and the lifecycle."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Collection

from ecombot.devtools.fakeslack.apps import AppsMixin
from ecombot.devtools.fakeslack.auth import AuthMixin
from ecombot.devtools.fakeslack.chat import ChatMixin
from ecombot.devtools.fakeslack.conversations import ConversationsMixin
from ecombot.devtools.fakeslack.files import FilesMixin
from ecombot.devtools.fakeslack.model import Handler, JSONDict, _Conversation
from ecombot.devtools.fakeslack.server import ServerMixin, _Server
from ecombot.devtools.fakeslack.views import ViewsMixin


class FakeSlack(ServerMixin, AuthMixin, AppsMixin, ChatMixin, ConversationsMixin, ViewsMixin, FilesMixin):
    """An in-process fake of the Slack Web API, served over HTTP for ``slack_sdk.WebClient``."""

    def __init__(
        self,
        *,
        team_id: str = "T_DEMO",
        team_name: str = "Demo Shop",
        team_domain: str = "demo-shop",
        bot_user_id: str = "U_BOT",
        bot_id: str = "B_BOT",
        bot_name: str = "ecombot",
        app_id: str = "A_APP",
        valid_tokens: Collection[str] | None = None,
        per_channel_rate: float | None = None,
        demo_directory: bool = True,
    ) -> None:
        if per_channel_rate is not None and per_channel_rate <= 0:
            raise ValueError("per_channel_rate must be positive")
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.app_id = app_id
        self.valid_tokens = frozenset(valid_tokens) if valid_tokens is not None else None
        self.per_channel_rate = per_channel_rate
        # One re-entrant lock guards all state; wait_for predicates may call the public accessors
        # while the Condition holds it.
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._last_ts = 0
        self._users: dict[str, JSONDict] = {}
        self._conversations: dict[str, _Conversation] = {}
        self._reset_recordings()
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "oauth.v2.access": self._oauth_v2_access,
            "team.info": self._team_info,
            "apps.connections.open": self._apps_connections_open,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.scheduleMessage": self._chat_schedule_message,
            "conversations.open": self._conversations_open,
            "conversations.join": self._conversations_join,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "conversations.list": self._conversations_list,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.info": self._files_info,
            "files.upload": self._files_upload_v1,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
        }
        self.add_user(bot_user_id, name=bot_name, real_name=bot_name, tz="America/Los_Angeles", is_bot=True)
        if demo_directory:
            self._add_demo_directory()

    def _add_demo_directory(self) -> None:
        self.add_user("U_DEMO", name="demo", real_name="Demo Owner", is_admin=True, is_owner=True)
        self.add_user("U_LI", name="li.na", real_name="Li Na", locale="zh-CN")
        self.add_user("U_SAM", name="sam", real_name="Sam Carter", tz="America/New_York")
        self.add_user("U_MIA", name="mia", real_name="Mia Weber", tz="Europe/Berlin")
        self.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI", "U_SAM", "U_MIA"))
        self.add_channel("C_PRIV", name="leads", is_private=True, members=("U_DEMO",))

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        """Bind a random port on 127.0.0.1 and serve in a background thread."""
        if self._server is None:
            self._server = _Server(self)
            # A short poll interval keeps stop() (hence every test fixture teardown) fast.
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.02},
                name="fakeslack",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
