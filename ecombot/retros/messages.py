"""Every string of the retros domain, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        # help
        "help.retro_schedule": (
            "Schedule this channel's weekly retro (default Friday 16:00, closing Monday 10:00, 3 votes each)",
            "设置本频道的每周复盘（默认周五 16:00 开始，周一 10:00 结束，每人 3 票）",
        ),
        "help.retro_now": ("Start a retro in this channel now", "立即在本频道开始一次复盘"),
        "help.retro_close": (
            "Close this channel's open retro now: summary, action items become tasks",
            "立即结束本频道的复盘：发布总结，行动项转为任务",
        ),
        "help.retro_actions": (
            "Open action items across retros: yours, everyone's or someone's",
            "各次复盘中未完成的行动项：我的、全部或某人的",
        ),
        "help.retro_history": (
            "Past retros with links, and how many actions were done on time",
            "以往复盘的链接，以及行动项按时完成的数量",
        ),
        "help.retro_off": ("Stop this channel's weekly retro", "停止本频道的每周复盘"),
        # weekdays
        "retros.weekday.mon": ("Mon", "周一"),
        "retros.weekday.tue": ("Tue", "周二"),
        "retros.weekday.wed": ("Wed", "周三"),
        "retros.weekday.thu": ("Thu", "周四"),
        "retros.weekday.fri": ("Fri", "周五"),
        "retros.weekday.sat": ("Sat", "周六"),
        "retros.weekday.sun": ("Sun", "周日"),
        # checks
        "retros.check_too_early": (
            ":hourglass: check {check}: no full day of data since the retro yet",
            ":hourglass: 检验 {check}：复盘后还没有完整一天的数据",
        ),
        "retros.check_no_data": (
            ":grey_question: check {check}: no data for it yet",
            ":grey_question: 检验 {check}：暂无数据",
        ),
        "retros.check_met": (
            ":chart_with_upwards_trend: the numbers say it worked: {value} ({check}) from {first} to {last}",
            ":chart_with_upwards_trend: 数据显示有效：{first} 至 {last} 为 {value}（目标 {check}）",
        ),
        "retros.check_not_met": (
            ":chart_with_downwards_trend: the numbers say not yet: {value}, wanted {check} ({first} to {last})",
            ":chart_with_downwards_trend: 数据显示尚未达到：{value}，目标 {check}（{first} 至 {last}）",
        ),
        # action items
        "retros.item_due": ("due {date}", "截止 {date}"),
        "retros.item_due_next": ("due at the next retro", "下次复盘前完成"),
        "retros.item_check": ("check: {check}", "检验：{check}"),
        "retros.status.overdue": ("*overdue*", "*已逾期*"),
        "retros.status.open": ("open", "进行中"),
        "retros.status.late": ("done late", "逾期完成"),
        "retros.status.done": ("done on time", "按时完成"),
        "retros.status.pending": ("becomes a task at the close", "结束时转为任务"),
        "retros.follow_ups_title": (
            "*Action items from earlier retros* (overdue first)",
            "*以往复盘的行动项*（逾期的在前）",
        ),
        "retros.follow_ups_none": (
            "No open action items from earlier retros.",
            "以往复盘没有未完成的行动项。",
        ),
        "retros.follow_ups_more": (
            "…and {count} more: `/retro actions all`",
            "……还有 {count} 项：`/retro actions all`",
        ),
        # evidence
        "retros.evidence_title": ("*This week's evidence*", "*本周数据与事件*"),
        "retros.evidence_none": (
            "Nothing stood out: targets met, no anomaly, budgets on pace, nothing overdue.",
            "本周无异常：目标达成，无异常波动，预算进度正常，无逾期任务。",
        ),
        "retros.ev_kpi_span": ("{first} – {last}", "{first}至{last}"),
        "retros.ev_missed": (
            "Target missed: *{kpi}* {value} vs {goal} ({span})",
            "未达目标：*{kpi}* {value}，目标 {goal}（{span}）",
        ),
        "retros.ev_anomaly_up": (
            "Anomaly: *{kpi}* unusually high ({days})",
            "异常：*{kpi}* 异常偏高（{days}）",
        ),
        "retros.ev_anomaly_down": (
            "Anomaly: *{kpi}* unusually low ({days})",
            "异常：*{kpi}* 异常偏低（{days}）",
        ),
        "retros.ev_budget": (
            "Budget *{name}*: {used} used ({spent} of {budget}, past the {threshold}% threshold) with {elapsed} of the period gone",
            "预算 *{name}*：已用 {used}（{spent} / {budget}，超过 {threshold}% 阈值），期间仅过去 {elapsed}",
        ),
        "retros.ev_campaign": (
            "Campaign *{name}* ended: revenue {revenue}, ROAS {roas}",
            "活动 *{name}* 已结束：销售额 {revenue}，ROAS {roas}",
        ),
        "retros.ev_overdue": ("{count} overdue tasks: {tasks}", "{count} 个逾期任务：{tasks}"),
        "retros.ev_blocker": (
            "Blocker still open for {user} since {since}: {text}",
            "{user} 的阻碍自 {since} 起仍未解决：{text}",
        ),
        "retros.ev_undrilled": (
            "Contingency plans not drilled in {days} days: {risks}",
            "超过 {days} 天未演练的应急预案：{risks}",
        ),
        "retros.campaign_results": (
            "*The campaign's results against its targets*",
            "*活动结果与目标对比*",
        ),
        # the prompt
        "retros.title": ("Weekly retro · {first} – {last}", "每周复盘 · {first} 至 {last}"),
        "retros.title_campaign": ("Campaign review: {name}", "活动复盘：{name}"),
        "retros.title_short": ("Retro", "复盘"),
        "retros.prompt_fallback": (
            "{title}: add what went well, what to improve and action items",
            "{title}：请填写做得好的、待改进的和行动项",
        ),
        "retros.rule_closes": ("closes {when}", "{when} 结束"),
        "retros.rule_anonymous": ("anonymous: nobody can see who wrote what", "匿名：任何人都看不到作者"),
        "retros.rule_named": ("entries show their author", "显示作者"),
        "retros.rule_votes": ("{votes} votes each on what to improve", "每人可为待改进项投 {votes} 票"),
        "retros.kind_title.well": ("*Went well* ({count})", "*做得好的*（{count}）"),
        "retros.kind_title.improve": ("*To improve* ({count})", "*待改进*（{count}）"),
        "retros.kind_title.action": ("*Action items* ({count})", "*行动项*（{count}）"),
        "retros.vote_hint": (
            "_Vote for what matters most; counts are shown when the retro closes._",
            "_为最重要的事项投票；票数在复盘结束时公布。_",
        ),
        "retros.vote_select": ("Vote for…", "投票给……"),
        "retros.votes_count": ("*{count} votes*", "*{count} 票*"),
        "retros.votes_one": ("*1 vote*", "*1 票*"),
        "retros.button.well": ("Went well", "做得好的"),
        "retros.button.improve": ("To improve", "待改进"),
        "retros.button.action": ("Action item", "行动项"),
        "retros.button.vote": ("Vote", "投票"),
        "retros.button.undo": ("Undo", "撤销"),
        "retros.closed_note": (
            "This retro is closed: the summary is in the thread; action items are tasks now.",
            "本次复盘已结束：总结见话题，行动项已转为任务。",
        ),
        "retros.too_many": (
            "{count} entries: see the summary in the thread.",
            "共 {count} 条，详见话题中的总结。",
        ),
        # the form
        "retros.form_title.well": ("Went well", "做得好的"),
        "retros.form_title.improve": ("To improve", "待改进"),
        "retros.form_title.action": ("Action item", "行动项"),
        "retros.form_label.well": ("What went well?", "哪些做得好？"),
        "retros.form_label.improve": ("What should we improve?", "哪些需要改进？"),
        "retros.form_label.action": ("What will we do?", "我们要做什么？"),
        "retros.form_owner": ("Owner", "负责人"),
        "retros.form_due": ("Due", "截止日期"),
        "retros.form_due_hint": ("Empty: the next retro ({date}).", "留空：下次复盘（{date}）。"),
        "retros.form_check": ("Check it against a KPI", "用 KPI 检验"),
        "retros.form_check_hint": (
            "Optional, e.g. conversion_rate>=3% or aov>=150: the next retro shows whether the numbers say it worked.",
            "可选，例如 conversion_rate>=3% 或 aov>=150：下次复盘会显示数据是否证明有效。",
        ),
        "retros.form_anonymous": (
            ":see_no_evil: This retro is anonymous: your name is not stored with what you write.",
            ":see_no_evil: 本次复盘为匿名：不会保存你的名字。",
        ),
        "retros.form_submit": ("Add", "添加"),
        "retros.form_cancel": ("Cancel", "取消"),
        "retros.kind.well": ("what went well", "做得好的"),
        "retros.kind.improve": ("what to improve", "待改进项"),
        "retros.kind.action": ("action item", "行动项"),
        "retros.added": (
            ":white_check_mark: Added {kind} to the retro.",
            ":white_check_mark: 已添加{kind}。",
        ),
        "retros.added_before": ("That was added already.", "这一条已经添加过了。"),
        "retros.added_anonymous": ("It shows without your name.", "不会显示你的名字。"),
        "retros.voted": (
            ":ballot_box_with_ballot: Vote counted for “{text}”: {left} of {votes} left. Click again to take it back.",
            ":ballot_box_with_ballot: 已为“{text}”投票：还剩 {left}/{votes} 票。再点一次可撤回。",
        ),
        "retros.unvoted": (
            "Vote taken back from “{text}”: {left} of {votes} left.",
            "已撤回对“{text}”的投票：还剩 {left}/{votes} 票。",
        ),
        # the close
        "retros.summary_title": ("Retro summary", "复盘总结"),
        "retros.summary_fallback": (
            "Retro summary: {well} went well, {improve} to improve, {actions} action items",
            "复盘总结：做得好的 {well} 条，待改进 {improve} 条，行动项 {actions} 条",
        ),
        "retros.summary_owner": ("{owner} ({count}):", "{owner}（{count} 项）："),
        "retros.summary_tasks_note": (
            "_Each action item is a task now: reminders follow, and the next retro opens with them._",
            "_每个行动项都已转为任务：会有提醒，下次复盘会首先回顾它们。_",
        ),
        "retros.none": ("(none)", "（无）"),
        "retros.dm_owner_one": (
            "From the retro in {channel}, you own this action item (a task now, with reminders):",
            "在 {channel} 的复盘中，你负责这个行动项（已转为任务，会有提醒）：",
        ),
        "retros.dm_owner": (
            "From the retro in {channel}, you own {count} action items (tasks now, with reminders):",
            "在 {channel} 的复盘中，你负责 {count} 个行动项（已转为任务，会有提醒）：",
        ),
        # replies
        "retros.scheduled": (
            "Weekly retro in {channel}: opens {day} {time}, closes {close_day} {close_time} ({zone}); {anonymous}; {votes} votes each.",
            "{channel} 的每周复盘：{day} {time} 开始，{close_day} {close_time} 结束（{zone}）；{anonymous}；每人 {votes} 票。",
        ),
        "retros.rescheduled": (
            "Weekly retro in {channel} changed: opens {day} {time}, closes {close_day} {close_time} ({zone}); {anonymous}; {votes} votes each.",
            "{channel} 的每周复盘已更新：{day} {time} 开始，{close_day} {close_time} 结束（{zone}）；{anonymous}；每人 {votes} 票。",
        ),
        "retros.scheduled_hint": (
            "`/retro now` starts one at once · `/retro close` ends it early · `/retro off` stops the schedule",
            "`/retro now` 立即开始 · `/retro close` 提前结束 · `/retro off` 停止每周复盘",
        ),
        "retros.next_opening": ("Next one: {when}", "下一次：{when}"),
        "retros.off": (
            "The weekly retro in {channel} is off. A retro still open closes as planned.",
            "{channel} 的每周复盘已停止。尚未结束的复盘仍按计划结束。",
        ),
        "retros.off_undone": ("The weekly retro in {channel} is back on.", "{channel} 的每周复盘已恢复。"),
        "retros.started": (
            "Retro started in {channel}; it closes {when}.",
            "已在 {channel} 开始复盘，将于 {when} 结束。",
        ),
        "retros.closed": (
            "Closed {count} retro(s): the summary is in the thread; {tasks} action items became tasks.",
            "已结束 {count} 次复盘：总结见话题，{tasks} 个行动项已转为任务。",
        ),
        "retros.actions_title": (
            "Open retro action items of {owner} ({count})",
            "{owner} 未完成的复盘行动项（{count}）",
        ),
        "retros.actions_all_title": ("Open retro action items ({count})", "未完成的复盘行动项（{count}）"),
        "retros.actions_none": ("No open retro action items.", "没有未完成的复盘行动项。"),
        "retros.actions_none_mine": (
            "You have no open retro action items. `/retro actions all` shows everyone's.",
            "你没有未完成的复盘行动项。`/retro actions all` 查看全部。",
        ),
        "retros.list_more": ("…and {count} more", "……还有 {count} 项"),
        "retros.history_title": ("Past retros", "以往复盘"),
        "retros.history_none": ("No retro has closed here yet.", "这里还没有结束的复盘。"),
        "retros.history_line": (
            "{retro} in {channel}: {actions} action items, {on_time} done on time, {done} done",
            "{retro}（{channel}）：{actions} 个行动项，按时完成 {on_time} 个，已完成 {done} 个",
        ),
        "retros.kind_name.weekly": ("Weekly retro", "每周复盘"),
        "retros.kind_name.adhoc": ("Retro", "复盘"),
        "retros.kind_name.campaign": ("Campaign review", "活动复盘"),
        "retros.home_title": ("My retro action items", "我的复盘行动项"),
        "retros.review_started": (
            "Campaign review started for *{name}*; it closes {when}.",
            "已开始 *{name}* 的活动复盘，将于 {when} 结束。",
        ),
        "retros.review_exists": (
            "*{name}* has its campaign review already (in {channel}).",
            "*{name}* 已经有活动复盘（在 {channel}）。",
        ),
        # errors
        "error.retro_managers_only": (
            "Only workspace admins and ops leads schedule, start and close retros.",
            "只有工作区管理员和运营负责人可以安排、开始和结束复盘。",
        ),
        "error.retro_use_in_channel": (
            "Use this in the channel the retro is for.",
            "请在要复盘的频道中使用此命令。",
        ),
        "error.retro_bad_votes": (
            "Votes per person must be 1 to {most} (got {part}).",
            "每人票数应为 1 到 {most}（收到 {part}）。",
        ),
        "error.retro_close_is_open": (
            "A retro cannot close at the moment it opens: pick another close day or time.",
            "复盘不能在开始的同一时刻结束：请换一个结束日期或时间。",
        ),
        "error.retro_no_schedule": ("There is no weekly retro here.", "这里没有每周复盘。"),
        "error.retro_schedule_replaced": (
            "<#{channel}> has a new retro schedule already; change that one with `/retro schedule`.",
            "<#{channel}> 已有新的复盘安排；请用 `/retro schedule` 修改。",
        ),
        "error.retro_already_open": (
            "A retro is open in <#{channel}> already: add to it, or `/retro close` it first.",
            "<#{channel}> 已有进行中的复盘：请直接参与，或先用 `/retro close` 结束。",
        ),
        "error.retro_not_found": ("That retro no longer exists.", "该复盘已不存在。"),
        "error.retro_none_open": ("No retro is open in <#{channel}>.", "<#{channel}> 没有进行中的复盘。"),
        "error.retro_closed": (
            "This retro is closed: its summary is in the thread.",
            "本次复盘已结束，总结见话题。",
        ),
        "error.retro_bad_kind": ("`{part}` is not a kind of entry.", "`{part}` 不是有效的条目类型。"),
        "error.retro_text_missing": ("Write something first.", "请先填写内容。"),
        "error.retro_text_too_long": ("At most {limit} characters.", "最多 {limit} 个字符。"),
        "error.retro_bad_form": ("This form is out of date; open it again.", "表单已过期，请重新打开。"),
        "error.retro_full": (
            "This retro has {most} entries, as many as one message can show; add more in its thread.",
            "本次复盘已有 {most} 条，已达一条消息的上限；请在话题中补充。",
        ),
        "error.retro_action_owner_missing": ("Pick who owns it.", "请选择负责人。"),
        "error.retro_due_past": ("The due date is in the past.", "截止日期已过。"),
        "error.retro_entry_gone": ("That entry no longer exists.", "该条目已不存在。"),
        "error.retro_vote_improve_only": (
            "Votes go to what to improve.",
            "只能为待改进项投票。",
        ),
        "error.retro_no_votes_left": (
            "You have used your {votes} votes: click one of your votes again to take it back first.",
            "你的 {votes} 票已用完：可再次点击已投的项目撤回后再投。",
        ),
        "error.retro_bad_check": (
            "`{part}` is not a check. Write it like `conversion_rate>=3%` or `aov>=150`.",
            "`{part}` 不是有效的检验。请写成 `conversion_rate>=3%` 或 `aov>=150`。",
        ),
        "error.retro_check_unknown_kpi": (
            "`{part}` is not a KPI. Known: {known}.",
            "`{part}` 不是 KPI。可用：{known}。",
        ),
        "error.retro_bad_check_value": (
            "`{part}` is not a value to check against.",
            "`{part}` 不是有效的检验值。",
        ),
        "error.retro_review_forbidden": (
            "The campaign's owner, admins and ops leads start its review.",
            "活动负责人、管理员和运营负责人可以开始活动复盘。",
        ),
    }
)


add_messages(
    {
        "retros.upcoming.open": ("Weekly retro opens in {channel}", "{channel} 的每周复盘开始"),
    }
)
