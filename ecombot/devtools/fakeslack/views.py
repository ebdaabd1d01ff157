"""Web API handlers for ``views.*``: open, push, update and publish modals and home tabs."""

from __future__ import annotations

import copy
import secrets
import time

from ecombot.devtools.fakeslack.model import JSONDict, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState

MAX_MODAL_STACK = 3


class ViewsMixin(FakeSlackState):
    """The ``views.*`` methods, with the modal stack and ``external_id`` rules."""

    def _build_view(
        self, spec: JSONDict, view_id: str, root_view_id: str | None, previous_view_id: str | None
    ) -> JSONDict:
        view: JSONDict = {
            "id": view_id,
            "team_id": self.team_id,
            "type": spec["type"],
            "blocks": spec.get("blocks", []),
            "private_metadata": spec.get("private_metadata", ""),
            "callback_id": spec.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": spec.get("title"),
            "clear_on_close": bool(spec.get("clear_on_close", False)),
            "notify_on_close": bool(spec.get("notify_on_close", False)),
            "close": spec.get("close"),
            "submit": spec.get("submit"),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            "app_id": self.app_id,
            "external_id": spec.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        # Re-inserted so iteration order is "most recently shown last", like the user's screen.
        self._views.pop(view_id, None)
        self._views[view_id] = view
        return copy.deepcopy(view)

    def _check_trigger(self, args: JSONDict) -> None:
        if not (args.get("trigger_id") or args.get("interactivity_pointer")):
            raise _SlackError("invalid_arguments", "[ERROR] missing required field: trigger_id")

    def _check_external_id(self, spec: JSONDict, own_view_id: str | None = None) -> None:
        external_id = spec.get("external_id")
        if external_id and any(
            v["external_id"] == external_id and v["id"] != own_view_id for v in self._views.values()
        ):
            raise _SlackError(
                "duplicate_external_id", f"[ERROR] external_id {external_id!r} is already in use"
            )

    def _views_open(self, args: JSONDict) -> JSONDict:
        self._check_trigger(args)
        self._check_external_id(args["view"])
        view_id = self._new_id("V")
        self._modal_stack = [view_id]
        return {"view": self._build_view(args["view"], view_id, None, None)}

    def _views_push(self, args: JSONDict) -> JSONDict:
        self._check_trigger(args)
        if len(self._modal_stack) >= MAX_MODAL_STACK:
            raise _SlackError("push_limit_reached", f"[ERROR] at most {MAX_MODAL_STACK} views can be stacked")
        self._check_external_id(args["view"])
        view_id = self._new_id("V")
        root = self._modal_stack[0] if self._modal_stack else None
        previous = self._modal_stack[-1] if self._modal_stack else None
        self._modal_stack.append(view_id)
        return {"view": self._build_view(args["view"], view_id, root, previous)}

    def _views_update(self, args: JSONDict) -> JSONDict:
        if args.get("view_id"):
            current = self._views.get(str(args["view_id"]))
        elif args.get("external_id"):
            current = next((v for v in self._views.values() if v["external_id"] == args["external_id"]), None)
        else:
            raise _SlackError("invalid_arguments", "[ERROR] give view_id or external_id")
        if current is None:
            raise _SlackError("not_found", "[ERROR] no such view")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict", "[ERROR] the view changed since this hash was issued")
        spec = args["view"]
        if spec["type"] != current["type"]:
            raise _SlackError("invalid_arguments", "[ERROR] a view cannot change its type")
        if "external_id" not in spec and current["external_id"]:
            spec = {**spec, "external_id": current["external_id"]}
        self._check_external_id(spec, current["id"])
        view = self._build_view(spec, current["id"], current["root_view_id"], current["previous_view_id"])
        if view["type"] == "home":
            owner = next((u for u, v in self._home_views.items() if v["id"] == view["id"]), None)
            if owner is not None:
                self._home_views[owner] = self._views[view["id"]]
        return {"view": view}

    def _views_publish(self, args: JSONDict) -> JSONDict:
        user = self._known_user(args["user_id"])
        current = self._home_views.get(user["id"])
        if args.get("hash") and current is not None and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict", "[ERROR] the home tab changed since this hash was issued")
        view_id = current["id"] if current is not None else self._new_id("V")
        view = self._build_view(args["view"], view_id, None, None)
        self._home_views[user["id"]] = self._views[view_id]
        return {"view": view}
