"""Every string of the scorecards domain, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        "help.scorecard_show": (
            "Your scorecard (anyone's for ops leads): tasks, standups, blockers, campaigns, retro actions, targets",
            "个人绩效卡（运营负责人可看任何人）：任务、站会、阻碍、活动、复盘行动项、目标",
        ),
        "help.scorecard_team": (
            "One line per member (ops leads and admins)",
            "团队每人一行（运营负责人和管理员）",
        ),
        "help.scorecard_target": (
            "Set someone's personal target (ops leads)",
            "设置成员的个人目标（运营负责人）",
        ),
        "help.scorecard_schedule": (
            "Each member gets last month's card by DM on the 1st at 10:00 their time (ops leads)",
            "每月 1 日 10:00（各自时区）私信每位成员上月的绩效卡（运营负责人）",
        ),
        "scorecards.title": ("Scorecard · {period}", "绩效卡 · {period}"),
        "scorecards.team_title": ("Team scorecards · {period}", "团队绩效 · {period}"),
        "scorecards.tasks": (
            "*Tasks* due in the period: {due} — {on_time} done on time, {late} done late, {overdue} open and overdue, {open} still open (on time: {rate})",
            "*任务*（本期到期）：{due} 个 — 按时完成 {on_time}，逾期完成 {late}，逾期未完成 {overdue}，尚未到期 {open}（按时率 {rate}）",
        ),
        "scorecards.standups": (
            "*Standups*: answered {answered} of {days} days ({rate}); {on_time} on time ({on_time_rate} of answers)",
            "*站会*：{days} 天中回答 {answered} 天（{rate}）；按时 {on_time} 次（占回答的 {on_time_rate}）",
        ),
        "scorecards.blockers": (
            "*Blockers* raised: {raised}, resolved: {resolved}",
            "*阻碍*：提出 {raised} 个，已解决 {resolved} 个",
        ),
        "scorecards.actions": (
            "*Retro action items* due: {due} — {on_time} done on time, {late} done late ({rate} on time)",
            "*复盘行动项*（本期到期）：{due} 个 — 按时完成 {on_time}，逾期完成 {late}（按时率 {rate}）",
        ),
        "scorecards.campaigns": ("*Campaigns owned*: {count}", "*负责的活动*：{count} 个"),
        "scorecards.campaigns_none": ("*Campaigns owned*: none in the period", "*负责的活动*：本期无"),
        "scorecards.campaigns_private": (
            "   • {count} of private channels: shown only in their channel",
            "   • 另有 {count} 个私有频道的活动：仅在其频道中显示",
        ),
        "scorecards.campaign_line": (
            "   • {name}: ROAS {roas} · revenue {revenue}",
            "   • {name}：ROAS {roas} · 销售额 {revenue}",
        ),
        "scorecards.target_line": (
            "Target *{metric}*: {value} of {goal}",
            "目标 *{metric}*：{value} / {goal}",
        ),
        "scorecards.metric.tasks_done": ("tasks done", "完成任务数"),
        "scorecards.metric.tasks_on_time": ("tasks on time", "任务按时率"),
        "scorecards.metric.standup_participation": ("standup participation", "站会参与率"),
        "scorecards.metric.standup_on_time": ("standups on time", "站会按时率"),
        "scorecards.metric.blockers_resolved": ("blockers resolved", "阻碍解决率"),
        "scorecards.metric.actions_on_time": ("retro actions on time", "复盘行动项按时率"),
        "scorecards.metric.campaign_revenue": ("campaign revenue", "活动销售额"),
        "scorecards.definitions": (
            "Tasks: those with a due date in the period; on time = done by the due date (workspace time). Standups: days on the roster and not away; on time = answered before the report. A blocker is resolved when the next answer has none. Campaigns: those owned that ran in the period, over their whole run, against their own targets. Retro action items: their tasks due in the period. No combined score: the figures speak for themselves.",
            "任务：本期有截止日期的任务；按时 = 截止日（工作区时间）前完成。站会：在名单上且未请假的天数；按时 = 汇总发出前回答。阻碍在下一次回答中不再出现即视为解决。活动：本期进行中的、由其负责的活动，按全程数据对比各自目标。复盘行动项：本期到期的对应任务。不合成总分：数据本身说明情况。",
        ),
        "scorecards.team_line": (
            "{user}: tasks on time {tasks} (overdue {overdue}) · standups {standups} · blockers resolved {blockers} · actions on time {actions} · campaigns at ROAS target {campaigns}",
            "{user}：任务按时 {tasks}（逾期 {overdue}）· 站会 {standups} · 阻碍解决 {blockers} · 行动项按时 {actions} · 活动达成 ROAS 目标 {campaigns}",
        ),
        "scorecards.team_legend": (
            "a/b = how many of how many; `/scorecard @user` shows a card with its definitions.",
            "a/b = 达成数/总数；`/scorecard @成员` 查看带定义的完整绩效卡。",
        ),
        "scorecards.team_empty": ("Nobody yet.", "暂无成员。"),
        "scorecards.target_set": (
            "Target for {user}: *{metric}* {value} per {period}{before}.",
            "{user} 的目标：每{period} *{metric}* {value}{before}。",
        ),
        "scorecards.target_before": (" (was {value})", "（原为 {value}）"),
        "scorecards.period.month": ("month", "月"),
        "scorecards.period.week": ("week", "周"),
        "scorecards.monthly_on": (
            "Each member will get last month's card by DM on the 1st at 10:00 their time.",
            "每月 1 日 10:00（各自时区），每位成员将收到上月的绩效卡私信。",
        ),
        "scorecards.monthly_off": ("Monthly scorecard DMs are off.", "已关闭每月绩效卡私信。"),
        "scorecards.monthly_intro": ("Your scorecard for last month:", "你上月的绩效卡："),
        "parse.bad_scorecard_period": (
            "`{part}` is not a period: `month`, `week`, `last-month` or `2026-11`.",
            "`{part}` 不是期间：`month`、`week`、`last-month` 或 `2026-11`。",
        ),
        "parse.bad_target_value": (
            "`{part}` is not a target value (`80%`, `12`, `¥50,000`).",
            "`{part}` 不是有效目标值（`80%`、`12`、`¥50,000`）。",
        ),
        "parse.bad_target_metric": (
            "`{part}` is not a scorecard figure: tasks_done, tasks_on_time, standup_participation, standup_on_time, blockers_resolved, actions_on_time, campaign_revenue.",
            "`{part}` 不是绩效卡指标：tasks_done、tasks_on_time、standup_participation、standup_on_time、blockers_resolved、actions_on_time、campaign_revenue。",
        ),
        "error.scorecard_leads_only": (
            "Only ops leads and admins can do this.",
            "只有运营负责人和管理员可以这样做。",
        ),
        "error.scorecard_own_only": (
            "You can see your own scorecard; only ops leads and admins see others'.",
            "你可以查看自己的绩效卡；只有运营负责人和管理员可以查看他人的。",
        ),
        "error.scorecard_unknown_metric": (
            "`{part}` is not a scorecard figure ({known}).",
            "`{part}` 不是绩效卡指标（{known}）。",
        ),
        "error.scorecard_bad_period": ("`{part}` should be month or week.", "`{part}` 应为 month 或 week。"),
        "error.scorecard_bad_value": (
            "A target is not negative, and a rate at most 100 %.",
            "目标不能为负，比率不超过 100%。",
        ),
    }
)


add_messages(
    {
        "scorecards.upcoming.card": ("Your scorecard for last month, by DM", "上月绩效卡片（私信）"),
    }
)
