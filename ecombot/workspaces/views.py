"""Help, settings and role replies (pure: results in, Block Kit out; user text escaped here)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ecombot.actor import Caller
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t
from ecombot.slack.router import Command, help_lines
from ecombot.slack.text import esc, mention
from ecombot.workspaces import messages as _messages  # noqa: F401  (registers the strings)
from ecombot.workspaces.models import Workspace
from ecombot.workspaces.service import SettingChange

UNDO_ACTION = "workspaces.settings_undo"
LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文"}
_SETTING_LABEL_KEYS = {
    "timezone": "settings.timezone",
    "currency": "settings.currency",
    "language": "settings.language",
}


def _setting_label(locale: str, key: str) -> str:
    return t(locale, _SETTING_LABEL_KEYS[key])


def _show_value(key: str, value: str) -> str:
    return esc(f"{LANGUAGE_NAMES.get(value, value)} ({value})" if key == "language" else value)


def help_message(caller: Caller, commands: Sequence[Command]) -> bk.Message:
    """Every command with its one-line description, in the caller's language."""
    locale = caller.locale
    lines = help_lines(commands, locale)
    language = LANGUAGE_NAMES.get(caller.workspace_language, caller.workspace_language)
    blocks: list[bk.Block] = [
        bk.header(t(locale, "help.title")),
        bk.section(t(locale, "help.intro")),
        *bk.sections(lines),
        bk.context(t(locale, "help.footer", language=language)),
    ]
    return bk.ephemeral(t(locale, "help.title") + "\n" + "\n".join(lines), blocks)


def settings_message(caller: Caller, workspace: Workspace) -> bk.Message:
    """The workspace settings, and how to change them if the caller may."""
    locale = caller.locale
    leads = ", ".join(mention(u) for u in workspace.ops_leads) or t(locale, "common.none")
    role = t(locale, "settings.role_manager" if caller.is_manager else "settings.role_member")
    pairs = [
        f"*{t(locale, 'settings.timezone')}*\n{esc(workspace.timezone)}",
        f"*{t(locale, 'settings.currency')}*\n{esc(workspace.currency)}",
        f"*{t(locale, 'settings.language')}*\n{_show_value('language', workspace.language)}",
        f"*{t(locale, 'settings.ops_leads')}*\n{leads}",
    ]
    you = t(locale, "settings.you", role=role, language=LANGUAGE_NAMES[locale], tz=esc(caller.tz))
    how = t(locale, "settings.how_to_change" if caller.is_manager else "settings.read_only")
    title = t(locale, "settings.title")
    # A header is plain text: the workspace's name goes in as it is.
    name = f" · {workspace.name}" if workspace.name else ""
    blocks = [bk.header(f"{title}{name}"), bk.fields(pairs), bk.context(you), bk.context(how)]
    text = f"{title}: {esc(workspace.timezone)}, {esc(workspace.currency)}, {esc(workspace.language)}"
    return bk.ephemeral(text, blocks)


def setting_changed_message(locale: str, change: SettingChange) -> bk.Message:
    """Confirmation of a change, with an Undo button (or that nothing needed changing)."""
    label = _setting_label(locale, change.key)
    if not change.changed:
        text = t(locale, "settings.unchanged", setting=label, value=_show_value(change.key, change.new))
        return bk.ephemeral(text, [bk.section(text)])
    text = t(
        locale,
        "settings.changed",
        setting=label,
        old=_show_value(change.key, change.old),
        new=_show_value(change.key, change.new),
    )
    blocks: list[bk.Block] = [bk.section(text)]
    if change.key == "language":
        blocks.append(bk.context(t(locale, "settings.language_note", language=LANGUAGE_NAMES[change.new])))
    undo_value = json.dumps({"key": change.key, "value": change.old}, separators=(",", ":"))
    blocks.append(bk.actions(bk.button(t(locale, "settings.undo"), UNDO_ACTION, undo_value)))
    return bk.ephemeral(text, blocks)


def setting_undone_message(locale: str, change: SettingChange) -> bk.Message:
    """Confirmation that an Undo took effect (replaces the original confirmation)."""
    text = t(
        locale,
        "settings.undone",
        setting=_setting_label(locale, change.key),
        value=_show_value(change.key, change.new),
    )
    return bk.ephemeral(text, [bk.section(text)])


def ops_lead_message(locale: str, user_id: str, leads: Sequence[str], *, added: bool) -> bk.Message:
    """Confirmation of an ops lead change."""
    shown = ", ".join(mention(u) for u in leads) or t(locale, "common.none")
    key = "settings.lead_added" if added else "settings.lead_removed"
    text = t(locale, key, user=user_id, leads=shown)
    return bk.ephemeral(text, [bk.section(text)])
