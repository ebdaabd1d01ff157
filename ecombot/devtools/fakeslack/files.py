"""Web API handlers for ``files.*`` (the v2 upload flow) and ``reactions.*``."""

from __future__ import annotations

import copy
import mimetypes
import time
from urllib.parse import quote

from ecombot.devtools.fakeslack.checks import _int_arg
from ecombot.devtools.fakeslack.model import JSONDict, _PendingUpload, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState


class FilesMixin(FakeSlackState):
    """The ``files.*`` and ``reactions.*`` methods."""

    def _files_get_upload_url(self, args: JSONDict) -> JSONDict:
        length = _int_arg(args, "length", -1)
        if length < 0:
            raise _SlackError("invalid_arguments", "[ERROR] length must be a non-negative integer")
        file_id = self._new_id("F")
        self._pending_uploads[file_id] = _PendingUpload(
            file_id, str(args["filename"]), length, args.get("alt_txt")
        )
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: JSONDict) -> JSONDict:
        entries = args["files"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("id") for e in entries):
            raise _SlackError(
                "invalid_arguments", '[ERROR] files must be a JSON list of {"id": …, "title": …}'
            )
        targets = [args["channel_id"]] if args.get("channel_id") else []
        targets += [c.strip() for c in str(args.get("channels") or "").split(",") if c.strip()]
        conversations = [self._conversation(t, posting=True) for t in targets]
        uploads = []
        for entry in entries:
            upload = self._pending_uploads.get(str(entry["id"]))
            if upload is None or upload.data is None:
                raise _SlackError("file_not_found", f"[ERROR] file {entry['id']!r} was never uploaded")
            uploads.append((entry, upload))
        created = int(time.time())
        file_objects = []
        for entry, upload in uploads:
            name = upload.filename
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            file_obj: JSONDict = {
                "id": upload.file_id,
                "created": created,
                "timestamp": created,
                "name": name,
                "title": entry.get("title") or name,
                "mimetype": mimetype,
                "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "binary",
                "user": self.bot_user_id,
                "user_team": self.team_id,
                "editable": False,
                "size": len(upload.data or b""),
                "mode": "hosted",
                "is_external": False,
                "is_public": any(c.kind == "public" for c in conversations),
                "url_private": f"{self.base_url}/files/{upload.file_id}/{quote(name)}",
                "url_private_download": f"{self.base_url}/files/{upload.file_id}/{quote(name)}",
                "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{upload.file_id}/{name}",
                "channels": [c.id for c in conversations if c.kind == "public"],
                "groups": [c.id for c in conversations if c.kind in ("private", "mpim")],
                "ims": [c.id for c in conversations if c.kind == "im"],
                "alt_txt": upload.alt_txt,
            }
            self._files[upload.file_id] = file_obj
            file_objects.append(file_obj)
        for conv in conversations:
            self._check_channel_rate(conv.id)
            message = self._new_message(
                {"text": args.get("initial_comment"), "blocks": args.get("blocks")}, self._next_ts()
            )
            message.update(files=copy.deepcopy(file_objects), upload=True, display_as_bot=False)
            self._store_message(conv, message, args.get("thread_ts"), False)
        return {"files": copy.deepcopy(file_objects)}

    def add_user_file(self, user: str, name: str, content: bytes) -> JSONDict:
        """A file `user` uploaded (for tests of files shared with the bot): the object Slack keeps."""
        with self._cond:
            file_id = self._new_id("F")
            upload = _PendingUpload(file_id, name, len(content), None, content)
            self._pending_uploads[file_id] = upload
            file_obj: JSONDict = {
                "id": file_id,
                "created": int(time.time()),
                "timestamp": int(time.time()),
                "name": name,
                "title": name,
                "mimetype": mimetypes.guess_type(name)[0] or "application/octet-stream",
                "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "binary",
                "user": user,
                "user_team": self.team_id,
                "editable": False,
                "size": len(content),
                "mode": "hosted",
                "is_external": False,
                "is_public": False,
                "url_private": f"{self.base_url}/files/{file_id}/{quote(name)}",
                "url_private_download": f"{self.base_url}/files/{file_id}/{quote(name)}",
                "permalink": f"https://{self.team_domain}.slack.com/files/{user}/{file_id}/{name}",
                "channels": [],
                "groups": [],
                "ims": [],
            }
            self._files[file_id] = file_obj
            return copy.deepcopy(file_obj)

    def _files_info(self, args: JSONDict) -> JSONDict:
        file_obj = self._files.get(str(args["file"]))
        if file_obj is None:
            raise _SlackError("file_not_found", f"[ERROR] no file {args['file']!r}")
        return {"file": copy.deepcopy(file_obj), "comments": [], "response_metadata": {"next_cursor": ""}}

    def _files_upload_v1(self, args: JSONDict) -> JSONDict:
        raise _SlackError("method_deprecated", "[ERROR] files.upload is retired: use files_upload_v2")

    def _reaction_target(self, args: JSONDict) -> tuple[JSONDict, str]:
        conv = self._conversation(args["channel"])
        return self._find_message(conv.id, args["timestamp"]), str(args["name"])

    def _reactions_add(self, args: JSONDict) -> JSONDict:
        message, name = self._reaction_target(args)
        reactions: list[JSONDict] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reactions.append({"name": name, "users": [self.bot_user_id], "count": 1})
        elif self.bot_user_id in reaction["users"]:
            raise _SlackError("already_reacted", f"[ERROR] the bot already reacted with :{name}:")
        else:
            reaction["users"].append(self.bot_user_id)
            reaction["count"] += 1
        return {}

    def _reactions_remove(self, args: JSONDict) -> JSONDict:
        message, name = self._reaction_target(args)
        reactions: list[JSONDict] = message.get("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name and self.bot_user_id in r["users"]), None)
        if reaction is None:
            raise _SlackError("no_reaction", f"[ERROR] the bot has no :{name}: reaction here")
        reaction["users"].remove(self.bot_user_id)
        reaction["count"] -= 1
        if not reaction["users"]:
            reactions.remove(reaction)
        return {}
