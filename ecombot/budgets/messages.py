"""Every string of the budgets domain, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        # help
        "help.budget_set": (
            "Set a category's budget for a period (admins and ops leads)",
            "设置某类别某期间的预算（管理员和运营负责人）",
        ),
        "help.budget_status": (
            "Each line: budget, spent, remaining, pace, projection; a chart by DM",
            "各预算行：预算、已花费、剩余、进度、预测；图表私信发送",
        ),
        "help.budget_spend": (
            "Record spend outside campaigns (KOL fees, samples)",
            "记录活动以外的花费（达人费、样品等）",
        ),
        "help.budget_refund": ("Correct recorded spend with a refund", "用退款冲减已记录的花费"),
        "help.budget_move": (
            "Move budget between two lines of a period (logged)",
            "在同一期间的两条预算之间调拨（记入日志）",
        ),
        "help.budget_log": (
            "Who changed what about a budget, when, before and after",
            "预算变更日志：谁、何时、改了什么、前后数值",
        ),
        "help.budget_categories": ("The categories, and renaming one", "预算类别，以及重命名"),
        "help.budget_alerts": ("Alert thresholds in percent and their channel", "预警阈值（百分比）及其频道"),
        "help.budget_curve": (
            "Make a line follow an earlier campaign's spend curve (or off)",
            "让预算行按以往活动的花费曲线计算进度（或关闭）",
        ),
        # usage errors
        "parse.bad_budget_period": (
            "`{part}` is not a period. Try `2026-12`, `2026-Q4`, `2026` or `2026-11-01..2026-11-15`.",
            "`{part}` 不是有效期间。可以写 `2026-12`、`2026-Q4`、`2026` 或 `2026-11-01..2026-11-15`。",
        ),
        "parse.bad_thresholds": (
            "`{part}` is not a list of percentages such as `50,80,100`.",
            "`{part}` 不是百分比列表，例如 `50,80,100`。",
        ),
        # refusals
        "error.budget_managers_only": (
            "Only workspace admins and ops leads can change budgets, thresholds, moves and curves.",
            "只有工作区管理员和运营负责人可以修改预算、阈值、调拨和曲线。",
        ),
        "error.budget_spend_owner": (
            "Only admins, ops leads and the line's owner can record spend against it.",
            "只有管理员、运营负责人和该预算行的负责人可以记录花费。",
        ),
        "error.budget_unknown_category": (
            "There is no budget category {part}. Known: {known} (`/budget categories`).",
            "没有预算类别 {part}。已有：{known}（`/budget categories`）。",
        ),
        "error.budget_bad_amount": ("Amounts must be positive numbers.", "金额必须是正数。"),
        "error.budget_bad_name": (
            "A category name has 1 to {limit} characters.",
            "类别名称为 1 到 {limit} 个字符。",
        ),
        "error.budget_name_taken": ("Another category is already called {name}.", "已有其他类别叫 {name}。"),
        "error.budget_owner_bot": ("The bot cannot own a budget line.", "机器人不能作为预算负责人。"),
        "error.budget_note_long": ("Notes are at most {limit} characters.", "备注最多 {limit} 个字符。"),
        "error.budget_refund_too_big": (
            "A refund cannot exceed the spend recorded with `/budget spend` in that period ({recorded}).",
            "退款不能超过该期间用 `/budget spend` 记录的花费（{recorded}）。",
        ),
        "error.budget_move_same": ("Move from one category to another.", "请在两个不同类别之间调拨。"),
        "error.budget_no_line": (
            "There is no {category} budget for that period: set one with `/budget set {category} &lt;amount&gt;`.",
            "该期间没有 {category} 预算：先用 `/budget set {category} &lt;金额&gt;` 设置。",
        ),
        "error.budget_move_too_big": (
            "{category} has only {available} {currency} left to move.",
            "{category} 只剩 {available} {currency} 可调拨。",
        ),
        "error.budget_bad_thresholds": (
            "Thresholds are 1 to {most} percentages between 1 and 500, such as `50,80,100`.",
            "阈值为 1 到 {most} 个 1 至 500 之间的百分比，例如 `50,80,100`。",
        ),
        "error.budget_curve_empty": (
            "{name} has no recorded spend to take a curve from.",
            "{name} 没有可用于生成曲线的花费记录。",
        ),
        "error.budget_line_gone": ("That budget line no longer exists.", "该预算行已不存在。"),
        # categories
        "budgets.categories_title": ("Budget categories", "预算类别"),
        "budgets.category_row": ("• *{name}* (`{code}`){reserve}", "• *{name}*（代码 `{code}`）{reserve}"),
        "budgets.reserve": (" · the reserve pool", " · 专项费用池"),
        "budgets.categories_hint": (
            "Rename one: `/budget categories rename marketing 品牌营销`. Campaigns count against the category they name (`/campaign new … category:marketing`).",
            "重命名：`/budget categories rename marketing 品牌营销`。活动花费计入其类别（`/campaign new … category:marketing`）。",
        ),
        "budgets.renamed": (
            "Category `{code}` is now called *{name}* (was {before}).",
            "类别 `{code}` 已改名为 *{name}*（原为 {before}）。",
        ),
        # replies
        "budgets.set_new": (
            "*{category}* budget for {period}: {amount}. Alerts go to {channel} and to <@{owner}>.",
            "*{category}* {period} 预算：{amount}。预警发送到 {channel} 和 <@{owner}>。",
        ),
        "budgets.set_changed": (
            "*{category}* budget for {period}: {before} → {amount}.",
            "*{category}* {period} 预算：{before} → {amount}。",
        ),
        "budgets.no_channel": ("no channel", "无频道"),
        "budgets.spent": (
            "Recorded {amount} of *{category}* spend on {day}{note}.",
            "已记录 *{category}* {day} 花费 {amount}{note}。",
        ),
        "budgets.refunded": (
            "Recorded a refund of {amount} to *{category}* on {day}{note}.",
            "已记录 *{category}* {day} 退款 {amount}{note}。",
        ),
        "budgets.no_line_yet": (
            "There is no {category} budget line for that day yet, so no alert follows it.",
            "该日期还没有 {category} 预算行，因此不会触发预警。",
        ),
        "budgets.moved": (
            "Moved {amount} from *{source}* ({source_before} → {source_after}) to *{target}* ({target_before} → {target_after}){reason}.",
            "已从 *{source}*（{source_before} → {source_after}）调拨 {amount} 至 *{target}*（{target_before} → {target_after}）{reason}。",
        ),
        "budgets.alerts_set": (
            "Budget alerts at {thresholds} of each line, to {channel} (or the line's own channel) and its owner.",
            "预算预警：每条预算达到 {thresholds} 时，发送到 {channel}（或预算行自己的频道）及其负责人。",
        ),
        "budgets.alerts_show": (
            "Budget alerts fire at {thresholds} of each line; channel: {channel}. Change: `/budget alerts 50,80,100 channel:#c`.",
            "预算预警在每条预算达到 {thresholds} 时触发；频道：{channel}。修改：`/budget alerts 50,80,100 channel:#c`。",
        ),
        "budgets.lines_channel": ("each line's own channel", "各预算行自己的频道"),
        "budgets.curve_set": (
            "*{category}* ({period}) now follows the spend curve of *{campaign}* ({days} days): expected spend grows as that campaign's did.",
            "*{category}*（{period}）现按 *{campaign}* 的花费曲线（{days} 天）计算应花费。",
        ),
        "budgets.curve_off": (
            "*{category}* ({period}) is back to a straight line.",
            "*{category}*（{period}）已恢复为线性进度。",
        ),
        # status
        "budgets.status_title": ("Budgets · {period}", "预算 · {period}"),
        "budgets.status_today": ("running today", "当前期间"),
        "budgets.status_empty": (
            "No budget lines for that period. Set one: `/budget set marketing 50000 period:2026-12`.",
            "该期间没有预算。设置：`/budget set marketing 50000 period:2026-12`。",
        ),
        "budgets.status_line": (
            "*{category}* · {period}{curve}\n{bar} {spent} of {budget} ({used}) · {remaining} left\nExpected by today {expected} · pace {pace} · projected {projected} ({over})",
            "*{category}* · {period}{curve}\n{bar} 已花费 {spent} / {budget}（{used}）· 剩余 {remaining}\n截至今日应花费 {expected} · 进度 {pace} · 预计 {projected}（{over}）",
        ),
        "budgets.curve_note": (" · curve of {campaign}", " · 按 {campaign} 曲线"),
        "budgets.over_by": ("{amount} over", "超支 {amount}"),
        "budgets.under_by": ("{amount} under", "结余 {amount}"),
        "budgets.no_projection": ("no projection yet", "暂无预测"),
        "budgets.status_footnote": (
            "Expected = budget × completed days / days in the period (or the curve's share); pace = spent / expected; projected = spent × days / completed days (or spent / the curve's share). Spent = campaign spend of the category + `/budget spend`.",
            "应花费 = 预算 × 已完成天数 / 期间总天数（或曲线占比）；进度 = 已花费 / 应花费；预计 = 已花费 × 总天数 / 已完成天数（或已花费 / 曲线占比）。已花费 = 该类别活动花费 + `/budget spend`。",
        ),
        "budgets.chart_coming": ("The chart comes to you by DM.", "图表将私信发送给你。"),
        "budgets.chart_title": (
            "Budgets {period}: budget, expected and spent",
            "预算 {period}：预算、应花费与已花费",
        ),
        "budgets.chart_budget": ("Budget", "预算"),
        "budgets.chart_expected": ("Expected by today", "截至今日应花费"),
        "budgets.chart_spent": ("Spent", "已花费"),
        # log
        "budgets.log_title": ("Budget log", "预算日志"),
        "budgets.log_empty": ("Nothing in the budget log yet.", "预算日志为空。"),
        "budgets.log_row": ("{when} · <@{user}> · {what}", "{when} · <@{user}> 操作：{what}"),
        "budgets.log.set": (
            "set {category} {before} → {after} ({reason})",
            "设置 {category} {before} → {after}（{reason}）",
        ),
        "budgets.log.move_out": (
            "moved out of {category}: {before} → {after} ({reason})",
            "从 {category} 调出：{before} → {after}（{reason}）",
        ),
        "budgets.log.move_in": (
            "moved into {category}: {before} → {after} ({reason})",
            "调入 {category}：{before} → {after}（{reason}）",
        ),
        "budgets.log.spend": (
            "spend on {category}: {after} ({reason})",
            "{category} 花费：{after}（{reason}）",
        ),
        "budgets.log.refund": (
            "refund to {category}: {after} ({reason})",
            "{category} 退款：{after}（{reason}）",
        ),
        "budgets.log.alerts": ("alert thresholds {before} → {after}", "预警阈值 {before} → {after}"),
        "budgets.log.curve": ("{category} curve {before} → {after}", "{category} 曲线 {before} → {after}"),
        "budgets.log.owner": (
            "{category} owner <@{before}> → <@{after}>",
            "{category} 负责人 <@{before}> → <@{after}>",
        ),
        "budgets.log.channel": (
            "{category} alert channel {before} → {after}",
            "{category} 预警频道 {before} → {after}",
        ),
        "budgets.log.rename": (
            "category {category} renamed {before} → {after}",
            "类别 {category} 改名 {before} → {after}",
        ),
        # alerts
        "budgets.threshold_alert": (
            ":rotating_light: *{category}* has used {used} of its {period} budget: {spent} of {budget} (threshold {threshold}%).",
            ":rotating_light: *{category}* {period} 预算已使用 {used}：{spent} / {budget}（阈值 {threshold}%）。",
        ),
        "budgets.threshold_spenders": ("Spent since the last alert:", "自上次预警以来的花费："),
        "budgets.spender_row": ("• {who} · {what} · {amount}", "• {who} · {what} · 花费 {amount}"),
        "budgets.spender_unknown": ("(not recorded who)", "（未记录是谁）"),
        "budgets.threshold_projection": (
            "At this pace it ends at {projected} ({over}). To land on budget: {per_day} a day for the {days} days left.",
            "按此进度期末将达 {projected}（{over}）。要落在预算内：剩余 {days} 天每天 {per_day}。",
        ),
        "budgets.pacing_over": (
            ":chart_with_upwards_trend: *{category}* ({period}) is spending ahead of plan: {spent} by {day}, {expected} expected. Projected {projected}, {over} over budget (tolerance {tolerance} this far into the period).",
            ":chart_with_upwards_trend: *{category}*（{period}）花费快于计划：截至 {day} 已花费 {spent}，应花费 {expected}。预计 {projected}，超支 {over}（当前阶段容差 {tolerance}）。",
        ),
        "budgets.pacing_under": (
            ":chart_with_downwards_trend: *{category}* ({period}) is spending behind plan: {spent} by {day}, less than half of the {expected} expected. Projected {projected}, {under} would go unspent.",
            ":chart_with_downwards_trend: *{category}*（{period}）花费慢于计划：截至 {day} 已花费 {spent}，不足应花费 {expected} 的一半。预计 {projected}，将有 {under} 未使用。",
        ),
        "budgets.pacing_land": (
            "To land on budget: {per_day} a day for the {days} days left.",
            "要落在预算内：剩余 {days} 天每天 {per_day}。",
        ),
        "budgets.curve_basis": (
            "Expected spend follows the curve of {campaign}.",
            "应花费按 {campaign} 的花费曲线计算。",
        ),
        # home
        "budgets.home_title": ("Budgets near or over their thresholds", "接近或超过阈值的预算"),
        "budgets.home_row": (
            "{bar} *{category}* · {period} · {spent} of {budget} ({used})",
            "{bar} *{category}* · {period} · 已花费 {spent} / {budget}（{used}）",
        ),
    }
)
