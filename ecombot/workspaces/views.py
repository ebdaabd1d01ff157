"""Help, settings and role replies."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ecombot.slack import blocks as bk
from ecombot.slack.commands import CommandSpec
from ecombot.slack.context import Caller
from ecombot.slack.i18n import add_messages, t
from ecombot.workspaces.models import Workspace
from ecombot.workspaces.service import SettingChange

USAGE_ECOM = (
    "/ecom help | /ecom settings [timezone|currency|language <value>] | /ecom settings lead add|remove @user"
)
USAGE_SETTINGS = "/ecom settings [timezone <Area/City> | currency <ISO code> | language en|zh-CN]"
USAGE_LEAD = "/ecom settings lead add|remove @user"
UNDO_ACTION = "workspaces.settings_undo"

COMMANDS = (
    CommandSpec("/ecom help", "help.ecom_help"),
    CommandSpec("/ecom settings", "help.ecom_settings"),
    CommandSpec("/ecom settings timezone|currency|language <value>", "help.ecom_settings_change"),
    CommandSpec("/ecom settings lead add|remove @user", "help.ecom_settings_lead"),
)

LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文"}

add_messages(
    {
        "help.title": ("ecombot commands", "ecombot 命令"),
        "help.intro": (
            "I keep your team's daily operations in Slack. Every command answers `help`; "
            "dates take `2026-11-27`, `tomorrow`, `fri`, `+3d` or `下周五`; amounts take `12,000`, `¥12k` or `1.2万`.",
            "我在 Slack 里帮团队管理日常运营。日期可写 `2026-11-27`、`明天`、`fri`、`+3d` 或 `下周五`；"
            "金额可写 `12,000`、`¥12k` 或 `1.2万`。",
        ),
        "help.ecom_help": ("List every command with what it does.", "列出所有命令及其用途。"),
        "help.ecom_settings": (
            "Show this workspace's timezone, currency, language and ops leads.",
            "查看本工作区的时区、货币、语言和运营负责人。",
        ),
        "help.ecom_settings_change": (
            "Change a workspace setting (admins and ops leads), e.g. `/ecom settings timezone Asia/Shanghai`.",
            "修改工作区设置（仅管理员和运营负责人），例如 `/ecom settings timezone Asia/Shanghai`。",
        ),
        "help.ecom_settings_lead": (
            "Make someone an ops lead, or stop (admins and ops leads).",
            "设置或取消运营负责人（仅管理员和运营负责人）。",
        ),
        "help.footer": (
            "Replies come in your Slack language; channel posts use the workspace language ({language}).",
            "回复使用您的 Slack 语言；频道消息使用工作区语言（{language}）。",
        ),
        "settings.title": ("Workspace settings", "工作区设置"),
        "settings.timezone": ("Timezone", "时区"),
        "settings.currency": ("Currency", "货币"),
        "settings.language": ("Language", "语言"),
        "settings.ops_leads": ("Ops leads", "运营负责人"),
        "settings.you": (
            "You: {role}; your messages come in {language}, times in {tz}.",
            "您：{role}；消息语言 {language}，时区 {tz}。",
        ),
        "settings.role_manager": ("admin / ops lead", "管理员 / 运营负责人"),
        "settings.role_member": ("member", "成员"),
        "settings.how_to_change": (
            "Change with `/ecom settings timezone Asia/Shanghai`, `currency USD`, `language en`, "
            "or `/ecom settings lead add @user`.",
            "修改示例：`/ecom settings timezone Asia/Shanghai`、`currency USD`、`language zh-CN`，"
            "或 `/ecom settings lead add @成员`。",
        ),
        "settings.read_only": (
            "Only workspace admins and ops leads can change these.",
            "只有工作区管理员和运营负责人可以修改这些设置。",
        ),
        "settings.changed": (
            ":white_check_mark: {setting} changed from *{old}* to *{new}*.",
            ":white_check_mark: {setting}已从 *{old}* 改为 *{new}*。",
        ),
        "settings.language_note": (
            "Channel posts will now use {language}; people still get replies in their own Slack language.",
            "频道消息将使用{language}；个人回复仍使用各自的 Slack 语言。",
        ),
        "settings.undo": ("Undo", "撤销"),
        "settings.undone": (
            ":leftwards_arrow_with_hook: Undone: {setting} is *{value}* again.",
            ":leftwards_arrow_with_hook: 已撤销：{setting}恢复为 *{value}*。",
        ),
        "settings.lead_added": (
            ":white_check_mark: <@{user}> is now an ops lead. Ops leads: {leads}.",
            ":white_check_mark: <@{user}> 现在是运营负责人。运营负责人：{leads}。",
        ),
        "settings.lead_removed": (
            ":white_check_mark: <@{user}> is no longer an ops lead. Ops leads: {leads}.",
            ":white_check_mark: <@{user}> 不再是运营负责人。运营负责人：{leads}。",
        ),
        "error.not_manager": (
            "Only workspace admins and ops leads can change this. Ask one of them, or ask an admin "
            "to run `/ecom settings lead add @you`.",
            "只有工作区管理员和运营负责人可以修改此项。请联系他们，或请管理员执行 `/ecom settings lead add @您`。",
        ),
        "error.unknown_setting": (
            "`{key}` is not a setting. Use timezone, currency or language.",
            "`{key}` 不是可修改的设置。可用：timezone、currency、language。",
        ),
        "error.bad_timezone": (
            "`{value}` is not a timezone. Use an IANA name such as `Asia/Shanghai`, `America/New_York` "
            "or `Europe/Berlin`.",
            "`{value}` 不是有效时区。请使用 IANA 名称，例如 `Asia/Shanghai`、`America/New_York` 或 `Europe/Berlin`。",
        ),
        "error.bad_currency": (
            "`{value}` is not a currency code. Use an ISO 4217 code such as `CNY`, `USD` or `EUR`.",
            "`{value}` 不是有效货币代码。请使用 ISO 4217 代码，例如 `CNY`、`USD` 或 `EUR`。",
        ),
        "error.bad_language": (
            "`{value}` is not a language I speak. Use `en` or `zh-CN`.",
            "暂不支持语言 `{value}`。可用：`en` 或 `zh-CN`。",
        ),
        "error.not_ops_lead": ("<@{user}> is not an ops lead.", "<@{user}> 不是运营负责人。"),
        "error.workspace_unknown": (
            "This workspace is not set up yet; try the command again.",
            "该工作区尚未初始化，请重试。",
        ),
    }
)

_SETTING_LABEL_KEYS = {
    "timezone": "settings.timezone",
    "currency": "settings.currency",
    "language": "settings.language",
}


def _setting_label(locale: str, key: str) -> str:
    return t(locale, _SETTING_LABEL_KEYS[key])


def _show_value(key: str, value: str) -> str:
    return f"{LANGUAGE_NAMES.get(value, value)} ({value})" if key == "language" else value


def help_message(caller: Caller, commands: Sequence[CommandSpec]) -> bk.Message:
    """Every command with its one-line description, in the caller's language."""
    locale = caller.locale
    lines = [f"`{spec.usage}`  {t(locale, spec.summary_key)}" for spec in commands]
    blocks: list[bk.Block] = [bk.header(t(locale, "help.title")), bk.section(t(locale, "help.intro"))]
    # Several sections so that any number of commands stays under the 3000-character limit.
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > 2800:
            blocks.append(bk.section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(bk.section("\n".join(chunk)))
    language = LANGUAGE_NAMES[caller.workspace_language]
    blocks.append(bk.context(t(locale, "help.footer", language=language)))
    text = t(locale, "help.title") + "\n" + "\n".join(lines)
    return bk.ephemeral(text, blocks)


def settings_message(caller: Caller, workspace: Workspace) -> bk.Message:
    """The workspace settings, and how to change them if the caller may."""
    locale = caller.locale
    leads = ", ".join(f"<@{u}>" for u in workspace.ops_leads) or t(locale, "common.none")
    role = t(locale, "settings.role_manager" if caller.is_manager else "settings.role_member")
    pairs = [
        f"*{t(locale, 'settings.timezone')}*\n{workspace.timezone}",
        f"*{t(locale, 'settings.currency')}*\n{workspace.currency}",
        f"*{t(locale, 'settings.language')}*\n{_show_value('language', workspace.language)}",
        f"*{t(locale, 'settings.ops_leads')}*\n{leads}",
    ]
    you = t(locale, "settings.you", role=role, language=LANGUAGE_NAMES[locale], tz=caller.tz)
    how = t(locale, "settings.how_to_change" if caller.is_manager else "settings.read_only")
    title = t(locale, "settings.title")
    name = f" · {workspace.name}" if workspace.name else ""
    blocks = [bk.header(f"{title}{name}"), bk.fields(pairs), bk.context(you), bk.context(how)]
    text = f"{title}: {workspace.timezone}, {workspace.currency}, {workspace.language}"
    return bk.ephemeral(text, blocks)


def setting_changed_message(locale: str, change: SettingChange) -> bk.Message:
    """Confirmation of a change, with an Undo button."""
    text = t(
        locale,
        "settings.changed",
        setting=_setting_label(locale, change.key),
        old=_show_value(change.key, change.old),
        new=_show_value(change.key, change.new),
    )
    blocks: list[bk.Block] = [bk.section(text)]
    if change.key == "language":
        blocks.append(bk.context(t(locale, "settings.language_note", language=LANGUAGE_NAMES[change.new])))
    undo_value = json.dumps({"key": change.key, "value": change.old})
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
    shown = ", ".join(f"<@{u}>" for u in leads) or t(locale, "common.none")
    key = "settings.lead_added" if added else "settings.lead_removed"
    text = t(locale, key, user=user_id, leads=shown)
    return bk.ephemeral(text, [bk.section(text)])
