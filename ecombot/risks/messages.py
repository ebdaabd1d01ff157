"""Every string of the risks domain, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        # help
        "help.risk_add": (
            "Add a risk: category, likelihood and impact 1–5, owner, review cadence, contingency plan",
            "登记风险：类别、可能性与影响（1–5）、负责人、复查周期、应急预案",
        ),
        "help.risk_list": (
            "Risks by score (likelihood × impact) with a 5×5 heat summary and undrilled plans",
            "按风险分（可能性 × 影响）排列的风险、5×5 热力汇总和未演练的预案",
        ),
        "help.risk_show": ("A risk with its plan, drills and history", "查看风险的预案、演练和变更记录"),
        "help.risk_update": (
            "Change a risk (its owner, creator or an ops lead)",
            "修改风险（负责人、登记人或运营负责人）",
        ),
        "help.risk_status": (
            "Mark a risk open, mitigated, occurred or closed, with a note",
            "将风险标记为未关闭、已缓解、已发生或已关闭，可附说明",
        ),
        "help.risk_drill": ("Record a drill of a risk's contingency plan", "记录一次应急预案演练"),
        # categories, statuses, reviews, levels
        "risks.category.policy": ("Policy compliance", "政策合规"),
        "risks.category.payment": ("Payment security", "支付安全"),
        "risks.category.ip": ("Intellectual property", "知识产权"),
        "risks.category.supply": ("Supply", "供应链"),
        "risks.category.platform": ("Platform rules", "平台规则"),
        "risks.category.data": ("Data", "数据安全"),
        "risks.category.other": ("Other", "其他"),
        "risks.status.open": ("open", "未关闭"),
        "risks.status.mitigated": ("mitigated", "已缓解"),
        "risks.status.occurred": ("occurred", "已发生"),
        "risks.status.closed": ("closed", "已关闭"),
        "risks.review.weekly": ("weekly", "每周"),
        "risks.review.monthly": ("monthly", "每月"),
        "risks.likelihood_level.1": ("1 · rare", "1 · 极少"),
        "risks.likelihood_level.2": ("2 · unlikely", "2 · 不太可能"),
        "risks.likelihood_level.3": ("3 · possible", "3 · 可能"),
        "risks.likelihood_level.4": ("4 · likely", "4 · 很可能"),
        "risks.likelihood_level.5": ("5 · almost certain", "5 · 几乎确定"),
        "risks.impact_level.1": ("1 · negligible", "1 · 可忽略"),
        "risks.impact_level.2": ("2 · minor", "2 · 较小"),
        "risks.impact_level.3": ("3 · moderate", "3 · 中等"),
        "risks.impact_level.4": ("4 · major", "4 · 重大"),
        "risks.impact_level.5": ("5 · severe", "5 · 严重"),
        "risks.field.title": ("title", "标题"),
        "risks.field.category": ("category", "类别"),
        "risks.field.likelihood": ("likelihood", "可能性"),
        "risks.field.impact": ("impact", "影响"),
        "risks.field.owner": ("owner", "负责人"),
        "risks.field.review": ("review", "复查周期"),
        "risks.field.plan": ("plan", "预案"),
        "risks.field.status": ("status", "状态"),
        "risks.event.created": ("added", "登记"),
        "risks.event.updated": ("changed", "修改"),
        "risks.event.status": ("status", "状态"),
        "risks.event.reviewed": ("reviewed", "已复查"),
        "risks.event.drill": ("drill", "演练"),
        "risks.event.flagged": ("review unanswered, ops leads told", "未复查，已通知运营负责人"),
        "risks.event_drill_day": ("on {day}", "日期 {day}"),
        "risks.by_bot": ("ecombot", "ecombot 机器人"),
        # lines and cards
        "risks.score": ("score {score} ({likelihood}×{impact})", "风险分 {score}（{likelihood}×{impact}）"),
        "risks.heat_axes": ("I = impact, L = likelihood", "I = 影响，L = 可能性"),
        "risks.list_title_open": ("Open risks ({count})", "未关闭的风险（{count}）"),
        "risks.list_title_all": ("All risks ({count})", "全部风险（{count}）"),
        "risks.list_empty": ("No risk here yet. `/risk add` records one.", "暂无风险。用 `/risk add` 登记。"),
        "risks.list_more": ("…and {count} more", "……还有 {count} 项"),
        "risks.stale_drills": (
            ":warning: Plans not drilled in {days} days: {risks}. `/risk drill` records a drill.",
            ":warning: 超过 {days} 天未演练的预案：{risks}。用 `/risk drill` 记录演练。",
        ),
        "risks.card_review": ("Reviewed {review} by its owner.", "负责人{review}复查。"),
        "risks.card_plan": ("Plan: {plan}", "应急预案：{plan}"),
        "risks.no_plan": ("_none yet_", "_暂无_"),
        "risks.card_drill": ("Last drill: {day} ({days} days ago).", "上次演练：{day}（{days} 天前）。"),
        "risks.card_never_drilled": ("The plan has never been drilled.", "预案从未演练。"),
        "risks.history": ("History", "变更记录"),
        "risks.added": (":white_check_mark: Added {ref}.", ":white_check_mark: 已登记 {ref}。"),
        "risks.updated": ("{ref} changed: {changes}.", "{ref} 已修改：{changes}。"),
        "risks.unchanged": ("{ref}: nothing changed.", "{ref}：没有变化。"),
        "risks.status_changed": (
            "{ref} is {status} now (was {before}).",
            "{ref} 现为{status}（原为{before}）。",
        ),
        "risks.status_noted": (
            "{ref} stays {status}; your note is in its history.",
            "{ref} 仍为{status}；说明已记入变更记录。",
        ),
        "risks.drilled": (
            ":white_check_mark: Drill of {ref} on {day} recorded.",
            ":white_check_mark: 已记录 {ref} 在 {day} 的演练。",
        ),
        # reviews
        "risks.review_ask": (
            ":mag: Time for the {cadence} review of {ref}: is it still as it is?",
            ":mag: 请进行 {ref} 的{cadence}复查：情况是否仍然如此？",
        ),
        "risks.button.valid": ("Still valid", "仍然有效"),
        "risks.button.update": ("Update", "更新"),
        "risks.button.mitigated": ("Mitigated", "已缓解"),
        "risks.reviewed_valid": (
            ":white_check_mark: {ref} reviewed: still valid.",
            ":white_check_mark: {ref} 已复查：仍然有效。",
        ),
        "risks.reviewed_mitigated": (
            ":white_check_mark: {ref} reviewed: mitigated.",
            ":white_check_mark: {ref} 已复查：已缓解。",
        ),
        "risks.reviewed_updated": (
            ":white_check_mark: {ref} reviewed and updated.",
            ":white_check_mark: {ref} 已复查并更新。",
        ),
        "risks.reviewed_before": ("{ref} was reviewed already.", "{ref} 已经复查过了。"),
        "risks.unreviewed": (
            ":warning: {ref} has not been reviewed by {owner} since it was asked on {asked}.",
            ":warning: {owner} 自 {asked} 起仍未复查 {ref}。",
        ),
        # form
        "risks.form.add_title": ("Add a risk", "登记风险"),
        "risks.form.update_title": ("Update the risk", "更新风险"),
        "risks.form.title": ("Risk", "风险"),
        "risks.form.category": ("Category", "类别"),
        "risks.form.likelihood": ("Likelihood", "可能性"),
        "risks.form.impact": ("Impact", "影响"),
        "risks.form.owner": ("Owner", "负责人"),
        "risks.form.review": ("Review", "复查周期"),
        "risks.form.plan": ("Contingency plan", "应急预案"),
        "risks.form.status": ("Status", "状态"),
        "risks.form.submit": ("Save", "保存"),
        "risks.form.cancel": ("Cancel", "取消"),
        # home
        "risks.home_title": ("High risks", "高风险"),
        "risks.home_unreviewed": ("Reviews left unanswered: {risks}", "未复查：{risks}"),
        # parse and errors
        "parse.bad_risk_id": ("`{part}` is not a risk id (like `R3`).", "`{part}` 不是风险编号（如 `R3`）。"),
        "parse.bad_risk_category": (
            "`{part}` is not a category: policy, payment, ip, supply, platform, data or other.",
            "`{part}` 不是类别：policy、payment、ip、supply、platform、data 或 other（或 政策、支付、知识产权、供应、平台、数据、其他）。",
        ),
        "parse.bad_risk_review": (
            "`{part}` should be `weekly` or `monthly`.",
            "`{part}` 应为 `weekly`（每周）或 `monthly`（每月）。",
        ),
        "parse.bad_risk_status": (
            "`{part}` is not a status: open, mitigated, occurred or closed.",
            "`{part}` 不是状态：open、mitigated、occurred 或 closed。",
        ),
        "parse.bad_risk_filter": (
            "`{part}`: list `open`, `all`, someone's (`@user`) or a category.",
            "`{part}`：可列出 `open`、`all`、某人的（`@成员`）或某个类别。",
        ),
        "error.risk_title_missing": ("Give the risk a title.", "请填写风险标题。"),
        "error.risk_title_too_long": (
            "A risk's title has at most {limit} characters.",
            "风险标题最多 {limit} 个字符。",
        ),
        "error.risk_bad_category": (
            "`{part}` is not a category ({known}).",
            "`{part}` 不是类别（{known}）。",
        ),
        "error.risk_bad_level": (
            "Likelihood and impact go from 1 to 5 (got {part}).",
            "可能性和影响为 1 到 5（收到 {part}）。",
        ),
        "error.risk_bad_review": ("`{part}` should be weekly or monthly.", "`{part}` 应为每周或每月。"),
        "error.risk_bad_status": ("`{part}` is not a status.", "`{part}` 不是状态。"),
        "error.risk_plan_too_long": ("A plan has at most {limit} characters.", "预案最多 {limit} 个字符。"),
        "error.risk_not_found": ("There is no risk R{number} here.", "这里没有风险 R{number}。"),
        "error.risk_not_editable": ("`{part}` cannot be changed this way.", "`{part}` 不能这样修改。"),
        "error.risk_change_forbidden": (
            "Only R{number}'s owner (<@{owner}>), whoever added it and ops leads change it.",
            "只有 R{number} 的负责人（<@{owner}>）、登记人和运营负责人可以修改。",
        ),
        "error.risk_status_forbidden": (
            "Only R{number}'s owner (<@{owner}>) and ops leads change its status or review it.",
            "只有 R{number} 的负责人（<@{owner}>）和运营负责人可以更改状态或复查。",
        ),
        "error.risk_drill_future": ("A drill is recorded once it happened.", "演练发生后才能记录。"),
    }
)
