"""Every string of the KPIs domain, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        # help
        "help.kpi_show": (
            "Each KPI of a period: change, target, month-to-date pace",
            "某期间的各项 KPI：环比、目标、本月进度",
        ),
        "help.kpi_funnel": ("The conversion funnel, the weakest step marked", "流量转化漏斗，标出最弱环节"),
        "help.kpi_target": ("Set a KPI target (admins and ops leads)", "设置 KPI 目标（管理员和运营负责人）"),
        "help.kpi_targets": ("Every target with its attainment", "全部目标及达成情况"),
        "help.kpi_log": (
            "Record a day's shop figure (sessions, add to cart…)",
            "记录某天的店铺数据（访客、加购等）",
        ),
        "help.kpi_export": (
            "The KPIs of a period as CSV, a line per day, by DM",
            "某期间的 KPI（每天一行）CSV，私信发送",
        ),
        "kpis.export_sent": (
            "The KPIs of {period}, a line per day, are on their way to you by DM as a CSV file.",
            "{period} 的 KPI（每天一行）将以 CSV 文件私信发送给你。",
        ),
        # names
        "kpis.name.gmv": ("GMV", "成交额 GMV"),
        "kpis.name.orders": ("Orders", "订单数"),
        "kpis.name.aov": ("AOV", "客单价"),
        "kpis.name.customers": ("Customers", "购买客户数"),
        "kpis.name.new_customers": ("New customers", "新客数"),
        "kpis.name.repeat_rate": ("Repeat purchase rate", "复购率"),
        "kpis.name.conversion_rate": ("Conversion rate", "转化率"),
        "kpis.name.refund_rate": ("Refund rate", "退款率"),
        "kpis.name.spend": ("Ad spend", "广告花费"),
        "kpis.name.roas": ("ROAS", "ROAS（投产比）"),
        "kpis.name.cpa": ("CPA", "CPA（单均成本）"),
        "kpis.step.sessions": ("Sessions", "访客"),
        "kpis.step.product_views": ("Product views", "商品浏览"),
        "kpis.step.add_to_cart": ("Add to cart", "加购"),
        "kpis.step.checkouts": ("Checkout", "下单"),
        "kpis.step.orders": ("Paid orders", "支付订单"),
        # refusals
        "error.kpis_managers_only": (
            "Only workspace admins and ops leads can set KPI targets.",
            "只有工作区管理员和运营负责人可以设置 KPI 目标。",
        ),
        "error.kpis_figures_managers_only": (
            "Only workspace admins and ops leads can record shop figures: they feed every KPI and target.",
            "只有工作区管理员和运营负责人可以记录店铺数据：它们决定所有 KPI 和目标。",
        ),
        "error.kpis_unknown_kpi": (
            "There is no KPI {part}. Known: {known}.",
            "没有 KPI {part}。支持：{known}。",
        ),
        "error.kpis_unknown_metric": (
            "There is no shop figure {part}. Known: {known}.",
            "没有店铺数据项 {part}。支持：{known}。",
        ),
        "error.kpis_bad_value": ("Values are numbers from 0 up.", "数值须为非负数。"),
        "error.kpis_bad_period": (
            "{part} is not a period: try today, yesterday, week, month, 2026-11 or 2026-W47.",
            "{part} 不是有效期间：可写 today、yesterday、week、month、2026-11 或 2026-W47。",
        ),
        "error.kpis_orders_no_header": (
            "No header row of an orders file (generic, Shopify or Tmall) was found in the first 30 rows.",
            "前 30 行中没有找到订单文件（通用、Shopify 或天猫）的表头。",
        ),
        "error.kpis_figures_no_header": (
            "No header row of daily figures (date, metric, value; or 生意参谋 店铺整体) was found.",
            "没有找到每日数据（date, metric, value；或生意参谋店铺整体）的表头。",
        ),
        "parse.bad_kpi_value": (
            "`{part}` is not a target: write `150000`, `35%` or a growth such as `+25%`.",
            "`{part}` 不是有效目标：可写 `150000`、`35%` 或增长 `+25%`。",
        ),
        "parse.bad_basis": (
            "`{part}` must be `vs:last_year` or `vs:previous`.",
            "`{part}` 须为 `vs:last_year` 或 `vs:previous`。",
        ),
        "parse.bad_target_period": (
            "`{part}` is not a target period: `month`, `week`, `2026-12` or `2026-W49`.",
            "`{part}` 不是目标期间：`month`、`week`、`2026-12` 或 `2026-W49`。",
        ),
        # show
        "kpis.show_title": ("KPIs · {period}", "KPI 看板 · {period}"),
        "kpis.line": ("*{name}* {value}{change}{target}", "*{name}* 本期 {value}{change}{target}"),
        "kpis.change_pct": (" · {sign}{value} vs {before}", " · 较上期 {sign}{value}（{before}）"),
        "kpis.change_pp": (" · {sign}{value} pp vs {before}", " · 较上期 {sign}{value} 个百分点（{before}）"),
        "kpis.change_new": (" · new (was 0)", " · 新增（上期为 0）"),
        "kpis.target_line": (" · target {target}: {attained}", " · 目标 {target}：{attained}"),
        "kpis.attained": ("{share} :white_check_mark:", "达成 {share} :white_check_mark:"),
        "kpis.not_attained": ("{share}", "达成 {share}"),
        "kpis.pace": (" · on pace for {projected}", " · 按进度预计 {projected}"),
        "kpis.previous_note": ("Compared with {period}.", "对比期间：{period}。"),
        "kpis.no_data": (
            "No orders or figures for this period yet: `ecombot import orders FILE`, drop a file in a DM to the bot, or `/kpi log sessions 1200`.",
            "该期间还没有订单或数据：`ecombot import orders FILE`、私信发送文件，或 `/kpi log sessions 1200`。",
        ),
        "kpis.definitions": (
            "GMV = order totals of non-cancelled orders (by order date in the workspace's zone); AOV = GMV / orders; customers = distinct buyers; new customers = first order ever in the period; repeat rate = customers with ≥ 2 orders / customers; conversion = orders / sessions (over the days with traffic figures); refund rate = refunds / GMV; ad spend, ROAS (platform-attributed revenue / spend) and CPA (spend / platform conversions) from campaigns. Rates change in percentage points; n/a where a denominator is zero.",
            "GMV = 未取消订单的订单金额合计（按工作区时区的下单日期）；客单价 = GMV / 订单数；购买客户 = 去重买家；新客 = 首单落在该期间；复购率 = 下单 ≥ 2 次的客户 / 购买客户；转化率 = 订单 / 访客（仅计有流量数据的日期）；退款率 = 退款 / GMV；广告花费、ROAS（平台归因销售额 / 花费）与 CPA（花费 / 平台转化）来自活动数据。比率的变化以百分点表示；分母为零显示 n/a。",
        ),
        # funnel
        "kpis.funnel_title": ("Conversion funnel · {period}", "转化漏斗 · {period}"),
        "kpis.funnel_step": ("{bar} *{name}* {value}{rate}", "{bar} *{name}*：数量 {value}{rate}"),
        "kpis.funnel_rate": (" · {rate} of the step before", " · 上一步的 {rate}"),
        "kpis.funnel_weakest": (" :warning: weakest step", " :warning: 最弱环节"),
        "kpis.funnel_empty": (
            "No funnel figures for this period: log sessions, product_views, add_to_cart and checkouts (`/kpi log`), or import a 生意参谋 export.",
            "该期间没有漏斗数据：用 `/kpi log` 记录 sessions、product_views、add_to_cart、checkouts，或导入生意参谋报表。",
        ),
        "kpis.funnel_note": (
            "Each step: its count / the count of the step before.",
            "各步骤转化 = 本步人数 / 上一步人数。",
        ),
        # targets
        "kpis.target_set": (
            "Target for *{name}* ({period}): {value}.",
            "*{name}*（{period}）目标：{value}。",
        ),
        "kpis.target_changed": (
            "Target for *{name}* ({period}): {before} → {value}.",
            "*{name}*（{period}）目标：{before} → {value}。",
        ),
        "kpis.growth": ("{sign}{value} vs {basis}", "较{basis} {sign}{value}"),
        "kpis.basis.last_year": ("the same period last year", "去年同期"),
        "kpis.basis.previous": ("the previous period", "上一期"),
        "kpis.targets_title": ("KPI targets", "KPI 目标"),
        "kpis.targets_empty": (
            "No targets yet: `/kpi target gmv +25% period:month`.",
            "还没有目标：`/kpi target gmv +25% period:month`。",
        ),
        "kpis.targets_row": (
            "• *{name}* · {period} · {value} · this {kind}: {actual} ({attained})",
            "• *{name}* · {period} · {value} · 本{kind}：{actual}（{attained}）",
        ),
        "kpis.kind.month": ("month", "月"),
        "kpis.kind.week": ("week", "周"),
        # log
        "kpis.logged": ("*{metric}* on {day}: {value}.", "已记录 {day} 的 *{metric}*：{value}。"),
        "kpis.logged_changed": (
            "*{metric}* on {day}: {before} → {value}.",
            "{day} 的 *{metric}*：{before} → {value}。",
        ),
        # imports
        "kpis.importer_orders": (
            "orders (generic CSV, Shopify's export, Tmall's 订单报表)",
            "订单（通用 CSV、Shopify 导出、天猫订单报表）",
        ),
        "kpis.importer_figures": (
            "daily shop figures (date, metric, value; 生意参谋 店铺整体)",
            "每日店铺数据（date, metric, value；生意参谋店铺整体）",
        ),
        "kpis.orders_imported": (
            ":inbox_tray: *{filename}* ({layout}): {rows} orders from {first} to {last}: {new} new, {updated} already there (updated).",
            ":inbox_tray: *{filename}*（{layout}）：{first} 至 {last} 共 {rows} 笔订单：新增 {new}，已有 {updated}（已更新）。",
        ),
        "kpis.figures_imported": (
            ":inbox_tray: *{filename}* ({layout}): {rows} daily figures from {first} to {last} ({metrics}).",
            ":inbox_tray: *{filename}*（{layout}）：{first} 至 {last} 共 {rows} 条每日数据（{metrics}）。",
        ),
        "kpis.nothing_imported": (
            ":inbox_tray: *{filename}*: nothing to import.",
            ":inbox_tray: *{filename}*：没有可导入的内容。",
        ),
        "kpis.import_managers_only": (
            ":no_entry: Only workspace admins and ops leads can import orders and shop figures: they feed every KPI and target.",
            ":no_entry: 只有工作区管理员和运营负责人可以导入订单和店铺数据：它们决定所有 KPI 和目标。",
        ),
        "kpis.import_failed": ("Could not import {filename}: {reason}", "无法导入 {filename}：{reason}"),
        "kpis.skipped": ("*{count} lines skipped:*", "*跳过 {count} 行：*"),
        "kpis.skip_line": ("line {line}: {reason}", "第 {line} 行：{reason}"),
        "kpis.skip_more": ("…and {count} more", "……另有 {count} 行"),
        "kpis.skip.missing": ("{part} is missing", "缺少 {part}"),
        "kpis.skip.bad_date": ("not a date: {part}", "不是日期：{part}"),
        "kpis.skip.bad_number": ("not an amount: {part}", "不是金额：{part}"),
        "kpis.skip.bad_status": ("unknown status {part}", "未知状态 {part}"),
        "kpis.skip.unpaid": ("not paid ({part}): no sale", "未付款（{part}）：不计入销售"),
        "kpis.skip.duplicate": (
            "order {part} appears again further down: the later line counts",
            "订单 {part} 在后面再次出现：以后面的为准",
        ),
        "kpis.skip.unknown_metric": ("unknown figure {part}", "未知数据项 {part}"),
        "kpis.skip.bad_value": ("not a value: {part}", "不是数值：{part}"),
        # digests
        "help.kpi_digest": (
            "Daily, weekly or monthly digests to a channel (admins and ops leads)",
            "按日、周、月向频道推送数据简报（管理员和运营负责人）",
        ),
        "kpis.digest_title.daily": ("Daily KPIs · {period}", "每日数据 · {period}"),
        "kpis.digest_title.weekly": ("Weekly KPIs · {period}", "每周数据 · {period}"),
        "kpis.digest_title.monthly": ("Monthly report · {period}", "数据月报 · {period}"),
        "kpis.digest_vs.daily": (
            "Compared with the same weekday last week ({period}).",
            "对比上周同日（{period}）。",
        ),
        "kpis.digest_vs.weekly": ("Compared with the week before ({period}).", "对比前一周（{period}）。"),
        "kpis.digest_vs.monthly": (
            "Compared with the month before ({period}) and the same month last year.",
            "对比上月（{period}）及去年同月。",
        ),
        "kpis.year_ago_pct": (
            " · {sign}{value} vs last year ({before})",
            " · 同比 {sign}{value}（{before}）",
        ),
        "kpis.year_ago_pp": (
            " · {sign}{value} pp vs last year ({before})",
            " · 同比 {sign}{value} 个百分点（{before}）",
        ),
        "kpis.monthly_campaigns": ("*Campaigns, best and worst ROAS*", "*活动 ROAS 最高与最低*"),
        "kpis.monthly_campaign": (
            "• {name}: ROAS {roas} · spend {spend} · revenue {revenue}",
            "• {name}：ROAS {roas} · 花费 {spend} · 销售额 {revenue}",
        ),
        "kpis.monthly_budgets": ("*Budget use*", "*预算使用*"),
        "kpis.monthly_budget": (
            "• {category}: {spent} of {budget} ({used})",
            "• {category}：已花费 {spent} / {budget}（{used}）",
        ),
        "kpis.monthly_funnel": ("*Funnel*", "*转化漏斗*"),
        "kpis.chart_title": ("{name}, last 8 {kind}, with its target", "{name}：最近 8 {kind}及目标"),
        "kpis.chart_target": ("Target", "目标"),
        "kpis.chart_note": ("GMV = order totals of non-cancelled orders", "GMV = 未取消订单的订单金额合计"),
        "kpis.kind_plural.daily": ("days (same weekday)", "个同星期日"),
        "kpis.kind_plural.weekly": ("weeks", "周"),
        "kpis.kind_plural.monthly": ("months", "个月"),
        "kpis.digest_set": (
            "The {kind} digest goes to {channel} at {time}{day} ({zone}). `/kpi digest now {kind}` posts one now.",
            "{kind}简报将于 {time}{day}（{zone}）发送到 {channel}。`/kpi digest now {kind}` 立即发送一次。",
        ),
        "kpis.digest_day": (" on {day}", "（每周 {day}）"),
        "kpis.digest_monthly_day": (" on the 1st", "（每月 1 日）"),
        "kpis.digest_off": ("The {kind} digest is off.", "{kind}简报已关闭。"),
        "kpis.digest_off_already": ("There was no {kind} digest.", "没有{kind}简报。"),
        "kpis.digest_now": ("Posting the {kind} digest in {channel}.", "正在向 {channel} 发送{kind}简报。"),
        "error.kpis_digest_channel": (
            "Run it in the channel the digest should go to, or name one: `channel:#c`.",
            "请在目标频道中执行，或指定频道：`channel:#c`。",
        ),
        "kpis.kind.daily": ("daily", "每日"),
        "kpis.kind.weekly": ("weekly", "每周"),
        "kpis.kind.monthly": ("monthly", "每月"),
        # anomalies
        "kpis.anomaly_up": (
            ":rotating_light: *{name}* on {day} was {value}, {change} above normal ({normal}, the median of the same weekday over the last 8 weeks; z = {z}).",
            ":rotating_light: {day} 的 *{name}* 为 {value}，比正常水平（{normal}，近 8 周同星期中位数）高 {change}（z = {z}）。",
        ),
        "kpis.anomaly_down": (
            ":rotating_light: *{name}* on {day} was {value}, {change} below normal ({normal}, the median of the same weekday over the last 8 weeks; z = {z}).",
            ":rotating_light: {day} 的 *{name}* 为 {value}，比正常水平（{normal}，近 8 周同星期中位数）低 {change}（z = {z}）。",
        ),
        "kpis.anomaly_festival_up": (
            ":rotating_light: *{name}* on the festival day {day} was {value}, {change} above the same day last year ({normal}).",
            ":rotating_light: 大促日 {day} 的 *{name}* 为 {value}，比去年同日（{normal}）高 {change}。",
        ),
        "kpis.anomaly_festival_down": (
            ":rotating_light: *{name}* on the festival day {day} was {value}, {change} below the same day last year ({normal}).",
            ":rotating_light: 大促日 {day} 的 *{name}* 为 {value}，比去年同日（{normal}）低 {change}。",
        ),
        "kpis.anomaly_channel": ("Moved most: {channel}.", "变化最大的渠道：{channel}。"),
        "kpis.anomaly_ongoing": ("Ongoing: {days} days in a row.", "已持续 {days} 天。"),
        "kpis.anomaly_how": (
            "Flagged when |z| ≥ 3.5, z = (day − median) / (1.4826 × MAD) over the same weekday of the last 8 weeks; festival days (11.11, 12.12, 618, 38 and your campaigns' days) are compared with the same day last year; a week-long shift becomes the new normal.",
            "当 |z| ≥ 3.5 时预警，z = （当日 − 中位数）/（1.4826 × MAD），基于近 8 周同星期；大促日（11.11、12.12、618、38 及本工作区活动日）与去年同日对比；持续一周的变化视为新常态。",
        ),
        "kpis.anomaly_chart": ("{name} on {day} against its normal", "{name}（{day}）与正常水平对比"),
        "kpis.anomaly_normal": ("Normal", "正常水平"),
        # home
        "kpis.home_title": ("This month's KPIs", "本月 KPI"),
        "kpis.home_row": (
            "*{name}* {value} · target {target} ({attained})",
            "*{name}* {value} · 目标 {target}（{attained}）",
        ),
    }
)


add_messages(
    {
        "kpis.upcoming.daily": ("Daily KPI digest in {channel}", "{channel} 的 KPI 日报"),
        "kpis.upcoming.weekly": ("Weekly KPI digest in {channel}", "{channel} 的 KPI 周报"),
        "kpis.upcoming.monthly": ("Monthly KPI report in {channel}", "{channel} 的 KPI 月报"),
    }
)
