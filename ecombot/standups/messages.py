"""The standups domain's strings, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        # help
        "help.standup_setup": (
            "Set up this channel's standup in a form (admins and ops leads).",
            "用表单设置本频道的站会（仅管理员和运营负责人）。",
        ),
        "help.standup_config": (
            "Set it up or change it in one line; options in any order.",
            "用一行命令设置或修改站会；选项顺序不限。",
        ),
        "help.standup_join": ("Take part in this channel's standup.", "加入本频道的站会。"),
        "help.standup_leave": ("Stop taking part.", "退出本频道的站会。"),
        "help.standup_show": (
            "The setup, today's status (who answered, who is away) and the calendar.",
            "查看设置、今天的状态（谁已回答、谁请假）和日历。",
        ),
        "help.standup_answer": (
            "Answer now in a form (early from 18:00 the day before, or late).",
            "现在用表单回答（可从前一个工作日 18:00 起提前回答，也可补交）。",
        ),
        "help.standup_pause": (
            "Pause the standup: no prompts, no report (admins and ops leads).",
            "暂停站会：不发提醒，不发汇总（仅管理员和运营负责人）。",
        ),
        "help.standup_resume": (
            "Resume a paused standup (admins and ops leads).",
            "恢复已暂停的站会（仅管理员和运营负责人）。",
        ),
        "help.standup_off": (
            "End this channel's standup; its history stays.",
            "结束本频道的站会；历史记录保留。",
        ),
        "help.standup_skip": (
            "Skip a day: no prompt, no reminder, shown as away.",
            "跳过某天：不提醒，报告中显示为请假。",
        ),
        "help.standup_vacation": (
            "Away for a while: `2026-12-21..2026-12-31` or `until:fri`.",
            "请假一段时间：`2026-12-21..2026-12-31` 或 `until:fri`。",
        ),
        "help.standup_holiday": (
            "Workspace holidays: add a range with a name, list them, or remove one.",
            "工作区假日：添加日期范围及名称、查看列表或删除。",
        ),
        "help.standup_report": (
            "Answers in a range (yours or someone's).",
            "查看某段时间的回答（自己或他人）。",
        ),
        "help.standup_stats": (
            "Participation, on-time rate, blockers and how many became tasks.",
            "参与率、准时率、阻碍数以及转为任务的数量。",
        ),
        "help.standup_export": ("The answers as CSV, sent to you by DM.", "将回答导出为 CSV，私信发送给您。"),
        # configuration
        "standups.created": (
            ":white_check_mark: The standup of {channel} is set up: {days} at {prompt} (each person's own time), report at {summary} ({tz}).",
            ":white_check_mark: 已设置 {channel} 的站会：{days}，每人当地时间 {prompt} 提醒，{summary}（{tz}）发布汇总。",
        ),
        "standups.updated": (
            ":white_check_mark: The standup of {channel} is updated.",
            ":white_check_mark: 已更新 {channel} 的站会。",
        ),
        "standups.participants": ("Participants ({count}): {people}", "参与者（{count}）：{people}"),
        "standups.participants_from_channel": (
            "Participants: everyone in the channel (bots left out); I'm looking them up now.",
            "参与者：频道中的所有成员（不含机器人）；正在获取名单。",
        ),
        "standups.cant_see_channel": (
            ":warning: I can't see {channel}, so its standup cannot post there. Invite me with `/invite @ecombot` in the channel, then run `/standup setup` again.",
            ":warning: 我看不到 {channel}，站会无法在那里发布。请在该频道中用 `/invite @ecombot` 邀请我，然后重新运行 `/standup setup`。",
        ),
        "standups.tracked_private_title": (
            "Blocker raised by {name} in a private channel's standup (see the linked report)",
            "{name} 在私有频道站会中提出的阻碍（见关联的汇总）",
        ),
        "standups.participants_set": (
            ":busts_in_silhouette: Taking part in the {channel} standup ({count}): {people}",
            ":busts_in_silhouette: {channel} 站会共有 {count} 人参与：{people}",
        ),
        "standups.joined": (
            ":wave: You take part in the {channel} standup now.",
            ":wave: 您已加入 {channel} 的站会。",
        ),
        "standups.joined_already": (
            "You already take part in the {channel} standup.",
            "您已经在 {channel} 的站会中。",
        ),
        "standups.left": ("You no longer take part in the {channel} standup.", "您已退出 {channel} 的站会。"),
        "standups.left_already": (
            "You were not taking part in the {channel} standup.",
            "您本来就不在 {channel} 的站会中。",
        ),
        "standups.paused": (
            ":double_vertical_bar: The {channel} standup is paused.",
            ":double_vertical_bar: {channel} 的站会已暂停。",
        ),
        "standups.resumed": (
            ":arrow_forward: The {channel} standup runs again.",
            ":arrow_forward: {channel} 的站会已恢复。",
        ),
        "standups.off": (
            ":stop_button: The {channel} standup is over; its history stays. Set up a new one with `/standup setup`.",
            ":stop_button: {channel} 的站会已结束，历史记录保留。可用 `/standup setup` 重新设置。",
        ),
        "standups.skipped": (
            ":palm_tree: You're away on {day}: no prompt, no reminder.",
            ":palm_tree: 您 {day} 请假：不会收到提醒。",
        ),
        "standups.vacation": (
            ":palm_tree: You're away from {first} to {last}: no prompts, no reminders.",
            ":palm_tree: 您 {first} 至 {last} 请假：期间不会收到提醒。",
        ),
        "standups.back": (
            ":leftwards_arrow_with_hook: You're not away then after all.",
            ":leftwards_arrow_with_hook: 已取消请假。",
        ),
        "standups.holidays_added": (
            ":calendar: No standup from {first} to {last} ({name}).",
            ":calendar: {first} 至 {last} 不开站会（{name}）。",
        ),
        "standups.holiday_removed": (
            ":calendar: {day} is a standup day again.",
            ":calendar: {day} 恢复为站会日。",
        ),
        "standups.holidays_title": ("Workspace holidays", "工作区假日"),
        "standups.holidays_none": ("No workspace holidays from today on.", "今天以后没有工作区假日。"),
        # the setup form
        "standups.form.participants": ("Participants", "参与者"),
        "standups.form.participants_hint": (
            "Leave empty for everyone in this channel (bots left out).",
            "留空则为频道中的所有成员（不含机器人）。",
        ),
        "standups.form.question": ("Question {index}", "问题 {index}"),
        "standups.form.blockers": ("Which question asks about blockers?", "哪个问题是关于阻碍的？"),
        "standups.form.no_blockers": ("None", "没有"),
        "standups.form.blockers_empty": (
            "That question is empty: pick one you ask, or None.",
            "该问题为空：请选择一个已填写的问题，或选择“没有”。",
        ),
        "standups.form.days": ("Days", "日期"),
        "standups.form.prompt_time": ("Ask at (each person's own time)", "提醒时间（每人当地时间）"),
        "standups.form.summary_time": ("Report at (workspace time)", "汇总时间（工作区时间）"),
        "standups.form.reminder": ("Reminder", "提醒"),
        "standups.form.mode": ("Report", "汇总方式"),
        "standups.form.calendar": ("Calendar", "日历"),
        "standups.calendar.cn": (
            "Mainland China (holidays and 调休 make-up days)",
            "中国大陆（法定节假日及调休）",
        ),
        "standups.calendar.none": ("Weekdays only", "仅按星期"),
        # show
        "standups.show_title": ("Standup of {channel}", "{channel} 的站会"),
        "standups.show_when": (
            "{days}, prompt at {prompt} in each person's own time, report at {summary} ({tz}), reminder {reminder}, {mode}.",
            "{days}，每人当地时间 {prompt} 提醒，{summary}（{tz}）发布汇总，提醒：{reminder}，{mode}。",
        ),
        "standups.reminder_before": ("{minutes} min before", "提前 {minutes} 分钟"),
        "standups.reminder_off": ("off", "关闭"),
        "standups.mode.thread": ("answers in a thread", "回答在话题中"),
        "standups.mode.channel": ("one message", "一条消息"),
        "standups.status_paused": ("Paused.", "已暂停。"),
        "standups.show_questions": ("Questions", "问题"),
        "standups.show_today": (
            "{day}: {answered} of {total} answered",
            "{day}：{total} 人中 {answered} 人已回答",
        ),
        "standups.show_waiting": ("Waiting for: {people}", "尚未回答：{people}"),
        "standups.show_away": ("Away: {people}", "请假：{people}"),
        "standups.show_no_day": (
            "No standup today; the next one is {day}.",
            "今天没有站会；下一次是 {day}。",
        ),
        "standups.calendar_cn": (
            "Calendar: mainland China's official holidays and make-up working days (known for {first}–{last}).",
            "日历：中国大陆法定节假日及调休（已知 {first}–{last} 年）。",
        ),
        "standups.calendar_none": ("Calendar: weekdays only.", "日历：仅按星期。"),
        "standups.calendar_unknown": (
            ":warning: The official calendar for {year} is not known yet: until it is, {year} follows the weekdays only. Update ecombot when it is published.",
            ":warning: {year} 年的法定假日安排尚未发布或未安装：在此之前按星期安排。发布后请升级 ecombot。",
        ),
        "standups.blockers_mark": ("(blockers)", "（阻碍）"),
        # prompts and answers
        "standups.prompt": (
            ":sunrise: Standup for {channel}, {day}. Reply here to answer one question at a time, or use the form.",
            ":sunrise: {channel} 的站会（{day}）。直接在这里回复，逐条回答问题；也可以使用表单。",
        ),
        "standups.prompt_yesterday": ("Last time you planned: {text}", "上次您计划：{text}"),
        "standups.answer_button": ("Answer in a form", "用表单回答"),
        "standups.edit_button": ("Edit my answers", "修改回答"),
        "standups.skip_button": ("Skip today", "今天跳过"),
        "standups.thanks": (
            ":white_check_mark: Thanks, your answers for {channel} ({day}) are in.",
            ":white_check_mark: 谢谢，您在 {channel}（{day}）的回答已记录。",
        ),
        "standups.thanks_late": (
            ":white_check_mark: Thanks, your answers were added to the {channel} report of {day}, marked late.",
            ":white_check_mark: 谢谢，您的回答已补充到 {channel}（{day}）的汇总中，并标记为迟交。",
        ),
        "standups.thanks_added": (
            ":white_check_mark: Thanks, your answers were added to the {channel} report of {day}.",
            ":white_check_mark: 谢谢，您的回答已补充到 {channel}（{day}）的汇总中。",
        ),
        "standups.dm_nothing_asked": (
            "No standup question is waiting for you right now. `/standup answer` opens the form for your next standup.",
            "目前没有等待您回答的站会问题。使用 `/standup answer` 可打开下一次站会的表单。",
        ),
        "standups.dm_too_long": (
            "That answer has {length} characters and was not saved: keep it to {limit} and send it again.",
            "该回答共 {length} 个字符，未保存：请控制在 {limit} 个以内后重新发送。",
        ),
        "standups.reminder": (
            ":alarm_clock: The {channel} standup report goes out at {summary} and you haven't answered yet.",
            ":alarm_clock: {channel} 的站会汇总将于 {summary} 发布，您还没有回答。",
        ),
        "standups.form_title": ("Standup", "站会"),
        "standups.form_submit": ("Send", "提交"),
        "standups.form_close": ("Cancel", "取消"),
        "standups.form_intro": ("Standup of {channel} for {day}", "{channel} 的站会：{day}"),
        "standups.form_late": (
            "The report is out: your answers will be added to it, marked late.",
            "汇总已发布：您的回答将作为迟交补充进去。",
        ),
        "standups.form_added": (
            "The report is out: your answers will be added to it.",
            "汇总已发布：您的回答将补充进去。",
        ),
        "standups.form_early": ("Answering early, for {day}.", "提前回答 {day} 的站会。"),
        "standups.no_day": (
            "There is no standup day ahead in the next three weeks.",
            "未来三周内没有站会日。",
        ),
        "standups.nothing_to_answer": (
            "You don't take part in any standup. Join one with `/standup join` in its channel.",
            "您没有参加任何站会。请在对应频道使用 `/standup join` 加入。",
        ),
        # reports
        "standups.report_title": ("Standup · {day}", "站会 · {day}"),
        "standups.report_counts": (
            "{answered} of {total} answered · blockers: {blockers}",
            "{total} 人中 {answered} 人已回答 · {blockers} 个阻碍",
        ),
        "standups.report_blockers": (":construction: *Blockers*", ":construction: *阻碍*"),
        "standups.report_blocker": ("<@{user}>: {text}", "<@{user}> 提出：{text}"),
        "standups.report_member_late": ("*<@{user}>* (late)", "*<@{user}>*（迟交）"),
        "standups.report_member_updated": (
            "*<@{user}>* (updated after the report)",
            "*<@{user}>*（汇总后更新）",
        ),
        "standups.report_missing": ("No answer: {people}", "未回答：{people}"),
        "standups.report_away": ("Away: {people}", "请假：{people}"),
        "standups.report_later": (
            "Answering later (their prompt comes after this report): {people}",
            "稍后回答（提醒时间在本汇总之后）：{people}",
        ),
        "standups.report_moved": (
            "(This part of the report moved up after an answer changed.)",
            "（回答更新后，这部分汇总已移到上方。）",
        ),
        "standups.report_in_thread": ("Each person's answers are in the thread.", "每个人的回答见话题回复。"),
        "standups.report_continued": ("(continued)", "（续）"),
        "standups.report_nobody": ("Nobody answered.", "没有人回答。"),
        "standups.track_button": ("Track as task", "转为任务"),
        "standups.tracked": (
            ":white_check_mark: Blocker of <@{user}> tracked as task #{number}.",
            ":white_check_mark: 已将 <@{user}> 的阻碍转为任务 #{number}。",
        ),
        "standups.tracked_already": (
            "That blocker is already task #{number}.",
            "该阻碍已经是任务 #{number}。",
        ),
        # history, stats, export
        "standups.history_title": ("Standup answers · {first} – {last}", "站会回答 · {first} – {last}"),
        "standups.history_empty": ("No answers in that range.", "该时间段内没有回答。"),
        "standups.history_page": ("Answers {first}–{last} of {total}", "第 {first}–{last} 条，共 {total} 条"),
        "standups.history_next": ("Next", "下一页"),
        "standups.stats_title": ("Standup statistics · last {days} days", "站会统计 · 最近 {days} 天"),
        "standups.stats_line": (
            "<@{user}>: answered {answered}/{days} ({rate}), on time {on_time}, blockers {blockers}, tracked {tracked}",
            "<@{user}>：回答 {answered}/{days}（{rate}），准时 {on_time}，阻碍 {blockers}，转为任务 {tracked}",
        ),
        "standups.stats_empty": ("No standup days in that period yet.", "该期间内还没有站会。"),
        "standups.export_sent": (
            ":page_facing_up: {count} answers from {first} to {last}: I'm sending the CSV to you by DM.",
            ":page_facing_up: {first} 至 {last} 共 {count} 条回答：CSV 将通过私信发送给您。",
        ),
        "standups.export_failed": (
            ":warning: Slack did not take the standup export file. Try `/standup export` again in a minute.",
            ":warning: Slack 未能接收站会导出文件。请稍后再运行 `/standup export`。",
        ),
        "standups.export_file": (
            "Standup answers of {channel}, {first} – {last}",
            "{channel} 站会回答，{first} – {last}",
        ),
        # home
        "standups.home_title": ("Standups", "站会"),
        "standups.home_answered": (
            ":white_check_mark: {channel} · {day}: answered",
            ":white_check_mark: {channel} · {day}：已回答",
        ),
        "standups.home_to_answer": (
            ":hourglass: {channel} · {day}: to answer",
            ":hourglass: {channel} · {day}：待回答",
        ),
        "standups.home_away": (":palm_tree: {channel} · {day}: away", ":palm_tree: {channel} · {day}：请假"),
        "standups.home_team": (
            "Team: {answered} of {total} answered",
            "团队：{total} 人中 {answered} 人已回答",
        ),
        # refusals
        "error.standup_not_found": (
            "This channel has no standup yet: an admin or ops lead can run `/standup setup` here.",
            "本频道还没有站会：管理员或运营负责人可在此运行 `/standup setup`。",
        ),
        "error.standup_gone": ("That standup no longer runs.", "该站会已不再进行。"),
        "error.standup_replaced": (
            "This channel has a new standup by now; the old one stays off.",
            "本频道已经有新的站会；旧的站会保持关闭。",
        ),
        "error.standup_answer_gone": ("Those answers are no longer there.", "这些回答已不存在。"),
        "error.standup_away_gone": ("That time away is no longer there.", "该请假记录已不存在。"),
        "error.standup_manager_only": (
            "Only workspace admins and ops leads can set up or change a standup.",
            "只有工作区管理员和运营负责人可以设置或修改站会。",
        ),
        "error.standup_question_count": (
            "Ask between 1 and {most} questions.",
            "问题数量需在 1 到 {most} 之间。",
        ),
        "error.standup_bad_question": (
            "Each question needs some text, at most {limit} characters.",
            "每个问题都需要内容，且不超过 {limit} 个字符。",
        ),
        "error.standup_two_blockers": (
            "Only one question can be the blockers question.",
            "只能有一个问题是阻碍问题。",
        ),
        "error.standup_no_days": ("Pick at least one day.", "请至少选择一天。"),
        "error.standup_reminder_before_prompt": (
            "A reminder {minutes} min before the {summary} report would come before the {prompt} prompt: pick a shorter one, or off.",
            "汇总 {summary} 前 {minutes} 分钟的提醒会早于 {prompt} 的提问：请缩短提醒时间，或关闭提醒。",
        ),
        "error.standup_prompt_after_summary": (
            "People would be asked at {prompt}, after the {summary} report: ask earlier or report later.",
            "提醒时间 {prompt} 晚于汇总时间 {summary}：请提前提醒或推迟汇总。",
        ),
        "error.standup_bad_mode": (
            "`{value}` is not a report mode: use thread or channel.",
            "`{value}` 不是汇总方式：请用 thread 或 channel。",
        ),
        "error.standup_bad_calendar": (
            "`{value}` is not a calendar: use cn or none.",
            "`{value}` 不是日历：请用 cn 或 none。",
        ),
        "error.standup_bad_reminder": (
            "A reminder comes 1 minute to 12 hours before the report, or is off.",
            "提醒时间需为汇总前 1 分钟到 12 小时，或关闭。",
        ),
        "error.standup_bad_range": ("The range ends before it starts.", "结束日期早于开始日期。"),
        "error.standup_range_past": ("That range is already over.", "该日期范围已经过去。"),
        "error.standup_range_too_long": (
            "Keep a range to at most {most} days.",
            "日期范围不能超过 {most} 天。",
        ),
        "error.standup_holiday_not_found": ("{day} is not a workspace holiday.", "{day} 不是工作区假日。"),
        "error.standup_answers_missing": ("Answer at least one question.", "请至少回答一个问题。"),
        "error.standup_not_member": (
            "You don't take part in this standup: join it with `/standup join` in its channel.",
            "您没有参加这个站会：请在对应频道使用 `/standup join` 加入。",
        ),
        "error.standup_no_blocker": (
            "That answer has no blocker to track.",
            "该回答中没有可转为任务的阻碍。",
        ),
        "parse.bad_range": (
            "`{part}` is not a range of days. Try `2026-10-01..2026-10-07` or `mon..fri`.",
            "`{part}` 不是日期范围。可以写 `2026-10-01..2026-10-07` 或 `mon..fri`。",
        ),
        "parse.bad_days": (
            "`{part}` is not a set of days. Try `mon-fri`, `mon,wed,fri` or `周一-周五`.",
            "`{part}` 不是有效的星期。可以写 `mon-fri`、`mon,wed,fri` 或 `周一-周五`。",
        ),
        "parse.bad_questions": (
            '`{part}` is not a list of questions. Separate them with `|`, and mark the blockers one with `!`: `"Yesterday?|Today?|!Blockers?"`.',
            '`{part}` 不是问题列表。用 `|` 分隔问题，并用 `!` 标记阻碍问题：`"昨天?|今天?|!阻碍?"`。',
        ),
        "parse.bad_mode": (
            "`{part}` is not a report mode: use thread or channel.",
            "`{part}` 不是汇总方式：请用 thread 或 channel。",
        ),
        "parse.bad_calendar": (
            "`{part}` is not a calendar: use cn or none.",
            "`{part}` 不是日历：请用 cn 或 none。",
        ),
        "parse.bad_reminder": (
            "`{part}` is not a reminder: use `30m`, `1h` or `off`.",
            "`{part}` 不是有效的提醒：请用 `30m`、`1h` 或 `off`。",
        ),
        "parse.bad_period": (
            "`{part}` is not a period: use `30d` or `8w`.",
            "`{part}` 不是有效的时间段：请用 `30d` 或 `8w`。",
        ),
        "error.standup_use_in_channel": (
            "Run this in the channel the standup is for (not in a DM).",
            "请在站会所在的频道中运行此命令（不要在私信中）。",
        ),
    }
)


add_messages(
    {
        "standups.upcoming.prompt": (
            "Your standup questions for {channel}, by DM",
            "{channel} 的站会问题（私信）",
        ),
        "standups.upcoming.report": ("Standup report in {channel}", "{channel} 的站会汇总"),
    }
)
