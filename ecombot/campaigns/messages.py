"""Every string of the campaigns domain, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        # help
        "help.campaign_new": (
            "Create a campaign with its budget, dates and targets (no text: a form)",
            "创建营销活动：预算、日期和目标（不带参数则打开表单）",
        ),
        "help.campaign_log": (
            "Record a day of results from one source (again: replaces it)",
            "记录某来源一天的结果（再次记录即替换）",
        ),
        "help.campaign_show": (
            "A campaign's results against budget and targets",
            "查看活动结果、预算与目标达成",
        ),
        "help.campaign_list": ("Campaigns: active, ended or all", "活动列表：进行中、已结束或全部"),
        "help.campaign_close": ("Close a campaign now and post its evaluation", "立即结束活动并发布评估"),
        "help.campaign_edit": (
            "Change a campaign's budget, dates, owner or targets",
            "修改活动的预算、日期、负责人或目标",
        ),
        "help.campaign_delete": ("Delete a campaign (asks first; Undo)", "删除活动（先确认，可撤销）"),
        "help.campaign_sources": (
            "The platforms ecombot knows and what each one's revenue means",
            "支持的平台及各平台销售额口径",
        ),
        # usage errors
        "parse.bad_number": ("`{part}` is not a positive number.", "`{part}` 不是正数。"),
        "parse.bad_source": (
            "`{part}` is not a source I know: see `/campaign sources`.",
            "不认识来源 `{part}`：见 `/campaign sources`。",
        ),
        # errors
        "error.campaign_not_found": ("There is no campaign named {name}.", "没有名为 {name} 的活动。"),
        "error.campaign_gone": ("That campaign no longer exists.", "该活动已不存在。"),
        "error.campaign_import_gone": ("That import is no longer available.", "该导入记录已不存在。"),
        "error.campaign_exists": (
            "A campaign named {name} exists already (names ignore case).",
            "已有名为 {name} 的活动（名称不区分大小写）。",
        ),
        "error.campaign_name_missing": ("Give the campaign a name.", "请填写活动名称。"),
        "error.campaign_name_long": (
            "Campaign names are at most {limit} characters.",
            "活动名称最多 {limit} 个字符。",
        ),
        "error.campaign_category_long": (
            "Categories are at most {limit} characters.",
            "类别最多 {limit} 个字符。",
        ),
        "error.campaign_dates": (
            "The end ({end}) is before the start ({start}).",
            "结束日期（{end}）早于开始日期（{start}）。",
        ),
        "error.campaign_bad_number": (
            "`{field}` must be a positive number (amounts in the workspace currency).",
            "`{field}` 必须是正数（金额以工作区币种计）。",
        ),
        "error.campaign_refunds_over_revenue": ("Refunds cannot exceed revenue.", "退款不能超过销售额。"),
        "error.campaign_overlap": (
            "{source} already has results for {first}..{last}, a different span: those days would count twice. Log the same span, or fix the other one first.",
            "{source} 已有 {first}..{last} 的结果，区间不同，这些天会被重复计算。请按相同区间记录，或先修正原记录。",
        ),
        "error.campaign_not_editable": ("`{field}` cannot be changed.", "`{field}` 不能修改。"),
        "error.campaign_owner_bot": ("The bot cannot own a campaign.", "机器人不能作为活动负责人。"),
        "error.campaign_manage": (
            "Only admins, ops leads and the campaign's owner (<@{owner}>) can change it.",
            "只有管理员、运营负责人和活动负责人（<@{owner}>）可以修改此活动。",
        ),
        "error.campaign_create_for_other": (
            "Only admins and ops leads can create a campaign owned by someone else; leave out `owner:` to own it yourself.",
            "只有管理员和运营负责人可以为他人创建活动；去掉 `owner:` 即由你本人负责。",
        ),
        "error.campaign_log": (
            "Only the owner (<@{owner}>), ops leads, admins and members of <#{channel}> (run it there) can log results.",
            "只有负责人（<@{owner}>）、运营负责人、管理员以及 <#{channel}> 的成员（请在该频道中执行）可以记录结果。",
        ),
        "error.campaign_log_owner": (
            "Only the owner (<@{owner}>), ops leads and admins can log results of this campaign (it has no channel).",
            "只有负责人（<@{owner}>）、运营负责人和管理员可以记录此活动的结果（活动没有频道）。",
        ),
        "error.campaign_private": (
            "This campaign belongs to a private channel; look at it there.",
            "该活动属于私有频道，请在该频道中查看。",
        ),
        "error.import_encoding": (
            "The file's text encoding is not UTF-8, UTF-16 or GB18030.",
            "文件编码不是 UTF-8、UTF-16 或 GB18030。",
        ),
        "error.import_unreadable": (
            "The file is not a CSV, TSV or XLSX file I can read.",
            "无法读取该文件（需为 CSV、TSV 或 XLSX）。",
        ),
        "error.import_no_header": (
            "No header row with the columns of a Google Ads, Meta, 巨量千川 or generic report was found in the first 30 rows.",
            "前 30 行中没有找到 Google Ads、Meta、巨量千川或通用格式的表头。",
        ),
        "error.import_missing_columns": (
            "This looks like a {layout} report, but it has no column for: {columns}.",
            "这像是 {layout} 报表，但缺少这些列：{columns}。",
        ),
        "error.import_no_campaign_column": (
            "The file has no campaign column: name the campaign (`--campaign NAME`).",
            "文件没有活动名称列：请指定活动（`--campaign 名称`）。",
        ),
        "error.import_currency": (
            "The file is in {currency} but this workspace counts in {expected}: nothing was imported (amounts are never mixed). Export it in {expected}.",
            "文件币种为 {currency}，而工作区使用 {expected}：未导入任何数据（不混用币种）。请以 {expected} 导出。",
        ),
        "error.import_currency_rows": (
            "Rows of the file are in {currency} (lines {lines}) but this workspace counts in {expected}: nothing was imported (amounts are never mixed). Export it in {expected}.",
            "文件中有 {currency} 金额（第 {lines} 行），而工作区使用 {expected}：未导入任何数据（不混用币种）。请以 {expected} 导出。",
        ),
        "error.import_too_big": ("The file has more than {limit} rows.", "文件超过 {limit} 行。"),
        "error.import_too_big_bytes": ("The file is larger than {limit} MB.", "文件大于 {limit} MB。"),
        # replies
        "campaigns.created": ("Campaign *{name}* created.", "已创建活动 *{name}*。"),
        "campaigns.logged_created": (
            "Recorded {source} for {day} in *{name}*.",
            "已记录 *{name}* {day} 的 {source} 数据。",
        ),
        "campaigns.logged_changed": (
            "Replaced {source} for {day} in *{name}*: {changes}.",
            "已替换 *{name}* {day} 的 {source} 数据：{changes}。",
        ),
        "campaigns.logged_unchanged": (
            "{source} for {day} in *{name}* was already exactly that; nothing changed.",
            "*{name}* {day} 的 {source} 数据与记录一致，未作修改。",
        ),
        "campaigns.field.name": ("name", "名称"),
        "campaigns.field.budget": ("budget", "预算"),
        "campaigns.field.start": ("start", "开始日期"),
        "campaigns.field.end": ("end", "结束日期"),
        "campaigns.field.channel_id": ("channel", "频道"),
        "campaigns.field.owner_id": ("owner", "负责人"),
        "campaigns.field.category": ("category", "类别"),
        "campaigns.field.target_roas": ("target ROAS", "目标 ROAS"),
        "campaigns.field.target_revenue": ("target revenue", "目标销售额"),
        "campaigns.field.target_cpa": ("target CPA", "目标 CPA"),
        "campaigns.field.target_orders": ("target orders", "目标订单数"),
        "campaigns.field.spend": ("spend", "花费"),
        "campaigns.field.revenue": ("revenue", "销售额"),
        "campaigns.field.orders": ("orders", "订单"),
        "campaigns.field.clicks": ("clicks", "点击"),
        "campaigns.field.impressions": ("impressions", "展现"),
        "campaigns.field.sessions": ("sessions", "访客"),
        "campaigns.field.refunds": ("refunds", "退款"),
        "campaigns.field.new_customers": ("new customers", "新客"),
        "campaigns.field.span": ("dates", "日期区间"),
        "campaigns.edited": ("*{name}* changed: {changes}.", "*{name}* 已修改：{changes}。"),
        "campaigns.edited_nothing": (
            "*{name}* already had those values; nothing changed.",
            "*{name}* 已是这些值，未作修改。",
        ),
        "campaigns.closed": (
            "*{name}* is closed. Its evaluation is being posted in {channel}.",
            "*{name}* 已结束，评估正在发布到 {channel}。",
        ),
        "campaigns.closed_nowhere": (
            "*{name}* is closed. It has no channel, so its evaluation comes to you by DM.",
            "*{name}* 已结束。活动没有频道，评估将私信发给你。",
        ),
        "campaigns.closed_already": ("*{name}* was closed already.", "*{name}* 早已结束。"),
        "campaigns.delete_question": (
            "Delete *{name}* and its {rows} result rows?",
            "删除 *{name}* 及其 {rows} 条结果记录？",
        ),
        "campaigns.deleted": ("*{name}* deleted.", "已删除 *{name}*。"),
        "campaigns.undeleted": ("*{name}* is back.", "已恢复 *{name}*。"),
        "campaigns.delete_kept": ("Kept *{name}*.", "已保留 *{name}*。"),
        "campaigns.button.delete": ("Delete", "删除"),
        "campaigns.button.keep": ("Keep it", "保留"),
        "campaigns.button.undo": ("Undo", "撤销"),
        "campaigns.button.review": ("Start campaign review", "开始活动复盘"),
        "campaigns.button.create": ("Create {name}", "创建 {name}"),
        # show
        "campaigns.status.planned": ("planned", "未开始"),
        "campaigns.status.active": ("active", "进行中"),
        "campaigns.status.ended": ("ended", "已结束"),
        "campaigns.status.closed": ("closed", "已关闭"),
        "campaigns.dates": ("{start} – {end}", "{start} 至 {end}"),
        "campaigns.open_end": ("no end date", "未设结束日期"),
        "campaigns.owner_line": (
            "Owner <@{owner}> · {channel} · {status}",
            "负责人 <@{owner}> · {channel} · {status}",
        ),
        "campaigns.no_channel": ("no channel", "无频道"),
        "campaigns.category": ("category {category}", "类别 {category}"),
        "campaigns.budget_line": (
            "*Spend* {spent} of {budget} ({used})",
            "*花费* {spent} / 预算 {budget}（{used}）",
        ),
        "campaigns.pace_line": (
            "Expected by today {expected} · pace {pace} · projected {projected}",
            "截至今日应花费 {expected} · 进度 {pace} · 预计总花费 {projected}",
        ),
        "campaigns.projected_over": (
            " · :warning: {amount} over budget at this pace",
            " · :warning: 按此进度将超支 {amount}",
        ),
        "campaigns.no_pace": ("No end date: no pace.", "未设结束日期，无法计算进度。"),
        "campaigns.no_results": (
            "No results yet: `/campaign log {name} spend:… revenue:… orders:…`",
            "尚无结果：`/campaign log {name} spend:… revenue:… orders:…`",
        ),
        "campaigns.total_title.one": ("*Results* ({source})", "*结果*（{source}）"),
        "campaigns.total_title.many": (
            "*Platform-reported total* ({count} sources, each by its own definition; attributed orders may be counted by more than one platform)",
            "*平台报告合计*（{count} 个来源，各按自身口径；归因订单可能被多个平台重复计算）",
        ),
        "campaigns.fig.revenue": ("Revenue", "销售额"),
        "campaigns.fig.net_revenue": ("Net of refunds", "扣退款后"),
        "campaigns.fig.orders": ("Orders", "订单"),
        "campaigns.fig.spend": ("Spend", "花费"),
        "campaigns.fig.roas": ("ROAS", "ROAS（投产比）"),
        "campaigns.fig.net_roas": ("Net ROAS", "净 ROAS"),
        "campaigns.fig.cpa": ("CPA", "CPA（单均成本）"),
        "campaigns.fig.ctr": ("CTR", "点击率"),
        "campaigns.fig.cpc": ("CPC", "CPC（点击成本）"),
        "campaigns.fig.cpm": ("CPM", "CPM（千次展现成本）"),
        "campaigns.fig.cvr": ("Conversion", "转化率"),
        "campaigns.fig.aov": ("AOV", "客单价"),
        "campaigns.fig.refund_rate": ("Refund rate", "退款率"),
        "campaigns.fig.clicks": ("Clicks", "点击"),
        "campaigns.fig.impressions": ("Impressions", "展现"),
        "campaigns.fig.sessions": ("Sessions", "访客"),
        "campaigns.fig.new_customers": ("New customers", "新客"),
        "campaigns.target.met": (
            "target {target} :white_check_mark: met",
            "目标 {target} :white_check_mark: 达成",
        ),
        "campaigns.target.missed": ("target {target} :x: missed by {gap}", "目标 {target} :x: 差 {gap}"),
        "campaigns.sources_title": ("*By source*", "*按来源*"),
        "campaigns.source_row": (
            "{source}: spend {spend} · revenue {revenue} · ROAS {roas} · orders {orders} · CPA {cpa}",
            "{source}：花费 {spend} · 销售额 {revenue} · ROAS {roas} · 订单 {orders} · CPA {cpa}",
        ),
        "campaigns.best_worst": (
            "Best day {best} ({best_revenue}, ROAS {best_roas}) · worst day {worst} ({worst_revenue}, ROAS {worst_roas})",
            "最佳 {best}（{best_revenue}，ROAS {best_roas}）· 最差 {worst}（{worst_revenue}，ROAS {worst_roas}）",
        ),
        "campaigns.ranges_note": (
            "{count} rows cover a date range without a daily breakdown: counted in the totals, not in any single day.",
            "{count} 条记录覆盖一个日期区间（无按日明细）：计入合计，不计入单日。",
        ),
        "campaigns.footnote": (
            "ROAS = revenue / spend; net ROAS = (revenue − refunds) / spend; CPA = spend / orders; CTR = clicks / impressions; CPC = spend / clicks; CPM = 1000 · spend / impressions; conversion = orders / sessions; AOV = revenue / orders; refund rate = refunds / revenue. Ratios of sums over the rows that give both figures; n/a where the denominator is zero. Revenue: {definitions}.",
            "ROAS = 销售额 / 花费；净 ROAS = （销售额 − 退款）/ 花费；CPA = 花费 / 订单；点击率 = 点击 / 展现；CPC = 花费 / 点击；CPM = 1000 · 花费 / 展现；转化率 = 订单 / 访客；客单价 = 销售额 / 订单；退款率 = 退款 / 销售额。均为合计之比（仅计同时有分子分母的记录）；分母为零显示 n/a。销售额口径：{definitions}。",
        ),
        # list
        "campaigns.list_title.active": ("Active and planned campaigns", "进行中和未开始的活动"),
        "campaigns.list_title.ended": ("Ended campaigns", "已结束的活动"),
        "campaigns.list_title.all": ("All campaigns", "全部活动"),
        "campaigns.list_empty": (
            "No campaigns to show here. Create one: `/campaign new &lt;name&gt; budget:&lt;amount&gt;`",
            "这里没有可显示的活动。创建：`/campaign new &lt;名称&gt; budget:&lt;金额&gt;`",
        ),
        "campaigns.list_row": (
            "*{name}* · {status} · {dates} · spend {spent} of {budget} ({used}) · ROAS {roas}",
            "*{name}* · {status} · {dates} · 花费 {spent} / {budget}（{used}）· ROAS {roas}",
        ),
        "campaigns.list_hidden": (
            "{count} campaigns of private channels are listed only there.",
            "另有 {count} 个私有频道的活动仅在该频道中列出。",
        ),
        # sources
        "campaigns.sources_intro": (
            "Each source's revenue means something different. ecombot shows every figure with the definition it used, and never adds platform-attributed conversions up as if they were distinct orders.",
            "各来源的销售额含义不同。ecombot 展示每个数字时都注明口径，且不会把平台归因的转化当作不同订单相加。",
        ),
        "campaigns.sources_row": (
            "*{label}* (`{code}`; also {names}): {definition}",
            "*{label}*（`{code}`；也可写 {names}）：{definition}",
        ),
        "campaigns.attributed": ("platform-attributed", "平台归因"),
        "campaigns.shop_reported": ("shop-reported", "店铺口径"),
        # form
        "campaigns.form.title": ("New campaign", "新建活动"),
        "campaigns.form.submit": ("Create", "创建"),
        "campaigns.form.name": ("Name", "名称"),
        "campaigns.form.budget": ("Budget ({currency})", "预算（{currency}）"),
        "campaigns.form.start": ("Start", "开始日期"),
        "campaigns.form.end": ("End", "结束日期"),
        "campaigns.form.channel": ("Channel for results and the evaluation", "结果与评估发布频道"),
        "campaigns.form.owner": ("Owner", "负责人"),
        "campaigns.form.category": ("Budget category", "预算类别"),
        "campaigns.form.targets": ("Targets (optional)", "目标（可选）"),
        "campaigns.form.target_roas": ("Target ROAS", "目标 ROAS"),
        "campaigns.form.target_revenue": ("Target revenue", "目标销售额"),
        "campaigns.form.target_cpa": ("Target CPA", "目标 CPA"),
        "campaigns.form.target_orders": ("Target orders", "目标订单数"),
        "campaigns.form.bad_amount": (
            "Write an amount such as 50000, 5万 or ¥50,000.",
            "请填写金额，例如 50000、5万 或 ¥50,000。",
        ),
        "campaigns.form.bad_count": ("Write a whole number.", "请填写整数。"),
        # imports
        "campaigns.importer": (
            "ad reports (Google Ads, Meta Ads Manager, 巨量千川, the generic CSV)",
            "广告报表（Google Ads、Meta 广告管理工具、巨量千川、通用 CSV）",
        ),
        "campaigns.import_done": (
            "*{filename}* ({layout}): {created} new, {changed} replaced, {unchanged} unchanged.",
            "*{filename}*（{layout}）：新增 {created} 条，替换 {changed} 条，未变 {unchanged} 条。",
        ),
        "campaigns.import_campaigns": ("Campaigns: {names}", "涉及活动：{names}"),
        "campaigns.import_again": (
            "The same file was imported on {when}: importing it again changed nothing it had recorded.",
            "同一文件已于 {when} 导入过：再次导入不会重复计算。",
        ),
        "campaigns.import_combined": (
            "{count} rows for a campaign, source and day already in the file were added to it (a report split by device or network).",
            "{count} 行与文件中同一活动、来源和日期的行相加（按设备或网络拆分的报表）。",
        ),
        "campaigns.import_totals": (
            "{count} total rows skipped (totals are computed, not imported).",
            "跳过 {count} 行合计（合计由系统计算，不导入）。",
        ),
        "campaigns.import_skipped": ("*{count} rows skipped:*", "*跳过 {count} 行：*"),
        "campaigns.import_skip_line": ("line {line}: {reason}", "第 {line} 行：{reason}"),
        "campaigns.import_more": ("…and {count} more", "……另有 {count} 行"),
        "campaigns.import_unknown": (
            "*{names} campaigns I do not know yet.* Their rows are kept: create the campaign and they are recorded.",
            "*{names} 个未知活动。* 其数据已暂存：创建活动后即记录。",
        ),
        "campaigns.import_unknown_row": ("{name} ({rows} rows)", "{name}（{rows} 行）"),
        "campaigns.import_pending_applied": (
            "Recorded {rows} rows waiting for *{name}* from the import.",
            "已从导入记录中为 *{name}* 记录 {rows} 行数据。",
        ),
        "campaigns.import_failed": ("Could not import {filename}: {reason}", "无法导入 {filename}：{reason}"),
        "campaigns.layout.google": ("Google Ads", "Google Ads 报表"),
        "campaigns.layout.meta": ("Meta Ads Manager", "Meta 广告管理工具"),
        "campaigns.layout.douyin": ("巨量千川", "巨量千川"),
        "campaigns.layout.generic": ("generic", "通用格式"),
        "campaigns.skip.missing": ("{part} is missing", "缺少 {part}"),
        "campaigns.skip.bad_number": ("not a number: {part}", "不是数字：{part}"),
        "campaigns.skip.negative": ("negative: {part}", "为负数：{part}"),
        "campaigns.skip.bad_date": ("not a date: {part}", "不是日期：{part}"),
        "campaigns.skip.bad_range": ("the range ends before it starts: {part}", "区间结束早于开始：{part}"),
        "campaigns.skip.bad_source": ("unknown source {part}", "未知来源 {part}"),
        "campaigns.skip.refunds_over_revenue": (
            "refunds exceed revenue ({part})",
            "退款超过销售额（{part}）",
        ),
        "campaigns.skip.refunds_over": ("refunds exceed revenue", "退款超过销售额"),
        "campaigns.skip.not_allowed": ("you may not log results for {part}", "你无权记录 {part} 的结果"),
        "campaigns.skip.overlap": (
            "overlaps results recorded for another span (from {part}): would count twice",
            "与已记录的其他区间（自 {part}）重叠，会重复计算",
        ),
        "campaigns.skip.bad_number_field": ("a figure is out of range", "数值超出范围"),
        # evaluation
        "campaigns.eval_title": ("Campaign evaluation: {name}", "活动评估：{name}"),
        "campaigns.eval_intro": (
            "{dates} · owner <@{owner}> · {reason}",
            "{dates} · 负责人 <@{owner}> · {reason}",
        ),
        "campaigns.eval_reason.closed": ("closed by <@{user}>", "由 <@{user}> 结束"),
        "campaigns.eval_reason.ended": ("ended", "已到结束日期"),
        "campaigns.eval_targets": ("*Targets*", "*目标达成*"),
        "campaigns.eval_no_targets": ("No targets were set.", "未设定目标。"),
        "campaigns.eval_target_line": (
            "{figure}: {actual} vs target {target}: {verdict}",
            "{figure}：{actual}，目标 {target}：{verdict}",
        ),
        "campaigns.eval_met": (":white_check_mark: met ({gap})", ":white_check_mark: 达成（{gap}）"),
        "campaigns.eval_missed": (":x: missed by {gap} ({share} of target)", ":x: 差 {gap}（达成 {share}）"),
        "campaigns.eval_na": ("n/a (no data)", "n/a（无数据）"),
        "campaigns.eval_budget": (
            "*Budget*: spent {spent} of {budget} ({used}); {left}",
            "*预算*：花费 {spent} / {budget}（{used}）；{left}",
        ),
        "campaigns.eval_under": ("{amount} unspent", "剩余 {amount}"),
        "campaigns.eval_over": ("{amount} over budget", "超支 {amount}"),
        "campaigns.eval_trend": (
            "*Daily trend*: {days} days; revenue from {first} to {last}; best {best}, worst {worst}. The chart is in the thread.",
            "*每日趋势*：共 {days} 天；销售额从 {first} 到 {last}；最佳 {best}，最差 {worst}。图表见讨论串。",
        ),
        "campaigns.eval_no_results": (
            "No results were recorded for this campaign.",
            "该活动没有记录任何结果。",
        ),
        "campaigns.chart_title": ("{name}: daily spend, revenue and ROAS", "{name}：每日花费、销售额与 ROAS"),
        "campaigns.chart_alt": (
            "Daily spend (bars), revenue and ROAS (lines) of {name}, {first} to {last}",
            "{name} 每日花费（柱）、销售额与 ROAS（线），{first} 至 {last}",
        ),
        "campaigns.chart_note": (
            "Revenue as each platform reports it; ROAS = revenue / spend",
            "销售额为各平台报告口径；ROAS = 销售额 / 花费",
        ),
        "campaigns.over_budget": (
            ":rotating_light: *{name}* has spent {spent}, past its budget of {budget} by {over} (owner <@{owner}>).",
            ":rotating_light: *{name}* 已花费 {spent}，超出预算 {budget} {over}（负责人 <@{owner}>）。",
        ),
        # home
        "campaigns.home_title": ("Active campaigns", "进行中的活动"),
        "campaigns.home_row": (
            "*{name}* · spend {spent} of {budget} ({used}) · ROAS {roas}{target}",
            "*{name}* · 花费 {spent} / {budget}（{used}）· ROAS {roas}{target}",
        ),
        "campaigns.home_target": (" (target {target})", "（目标 {target}）"),
        "campaigns.home_more": ("{count} more: `/campaign list`", "另有 {count} 个：`/campaign list`"),
    }
)
