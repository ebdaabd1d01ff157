"""The workspaces domain's strings (help, settings, roles), in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

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
            "Show the workspace's timezone, currency, language and ops leads; admins and ops leads change "
            "them, e.g. `/ecom settings timezone Asia/Shanghai` or `/ecom settings lead add @user`.",
            "查看工作区的时区、货币、语言和运营负责人；管理员和运营负责人可以修改，"
            "例如 `/ecom settings timezone Asia/Shanghai` 或 `/ecom settings lead add @成员`。",
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
        "settings.unchanged": (
            "{setting} is already *{value}*; nothing changed.",
            "{setting}已经是 *{value}*，无需修改。",
        ),
        "error.workspace_unknown": (
            "This workspace is not set up yet; try the command again.",
            "该工作区尚未初始化，请重试。",
        ),
    }
)
