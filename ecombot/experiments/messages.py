"""Every string of the A/B tests domain, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        "help.abtest_new": (
            "Start an A/B test: hypothesis, metric, variants (the first is the control), planned sample",
            "新建 A/B 测试：假设、指标、版本（第一个为对照组）、计划样本量",
        ),
        "help.abtest_log": (
            "Log a variant's visitors and conversions, for a day or as running totals",
            "记录某版本的访客数和转化数（按天，或累计值）",
        ),
        "help.abtest_show": (
            "Rates with 95 % intervals, uplift, the significance test, the sample still needed, a verdict",
            "各版本转化率及 95% 置信区间、提升幅度、显著性检验、所需样本量和结论",
        ),
        "help.abtest_decide": (
            "Record the decision (a variant or none) and post it to the test's channel",
            "记录决策（选定版本或不采用），并发布到测试频道",
        ),
        "help.abtest_list": ("Running and decided tests with their outcome", "进行中和已决策的测试及其结果"),
        "abtests.metric.conversion": ("conversion rate", "转化率"),
        "abtests.metric.revenue_per_visitor": ("revenue per visitor", "每访客收入"),
        "abtests.title": ("A/B test: {name}", "A/B 测试：{name}"),
        "abtests.hypothesis": ("Hypothesis: {text}", "假设：{text}"),
        "abtests.setup": (
            "Metric: {metric} · control: {control} · planned sample: {planned} visitors per variant · owner {owner}",
            "指标：{metric} · 对照组：{control} · 计划样本：每个版本 {planned} 访客 · 负责人 {owner}",
        ),
        "abtests.variant_line": (
            "*{variant}*: {rate} (95 % CI {low} – {high}), {conversions} / {visitors}",
            "*{variant}*：{rate}（95% 置信区间 {low} – {high}），{conversions} / {visitors}",
        ),
        "abtests.rpv": ("revenue per visitor {value}", "每访客收入 {value}"),
        "abtests.uplift": (
            "uplift {uplift} (95 % CI {low} to {high}), p = {p}",
            "提升 {uplift}（95% 置信区间 {low} 至 {high}），p = {p}",
        ),
        "abtests.uplift_only": ("uplift {uplift}", "提升 {uplift}"),
        "abtests.control": ("control", "对照组"),
        "abtests.z_test": ("Two-proportion z-test: z = {z}, p = {p}", "双比例 z 检验：z = {z}，p = {p}"),
        "abtests.chi_test": (
            "Chi-square test: χ² = {chi} (df {df}), p = {p}",
            "卡方检验：χ² = {chi}（自由度 {df}），p = {p}",
        ),
        "abtests.no_test": ("No test yet: not enough figures.", "数据不足，暂无检验。"),
        "abtests.needed": (
            "To detect the observed difference with 80 % power: about {needed} visitors per variant.",
            "以 80% 的检验效能识别当前观察到的差异：每个版本约需 {needed} 访客。",
        ),
        "abtests.needed_none": (
            "No difference observed yet to size a sample for.",
            "尚未观察到差异，无法估算所需样本。",
        ),
        "abtests.verdict_waiting": (
            "Not enough data yet: about {more} more visitors per variant (planned {planned}). No winner is called before that.",
            "数据尚不足：每个版本还需约 {more} 访客（计划 {planned}）。在此之前不判定胜出版本。",
        ),
        "abtests.verdict_none": (
            "No significant difference (p = {p}): the data does not show that any variant converts differently.",
            "无显著差异（p = {p}）：数据未显示任何版本的转化有差别。",
        ),
        "abtests.verdict_better": (
            "{variant} converts {uplift} better than {control} (±{spread}), p = {p}",
            "{variant} 的转化比 {control} 高 {uplift}（±{spread}），p = {p}",
        ),
        "abtests.verdict_worse": (
            "{variant} converts {uplift} worse than {control} (±{spread}), p = {p}",
            "{variant} 的转化比 {control} 低 {uplift}（±{spread}），p = {p}",
        ),
        "abtests.rpv_note": (
            "Revenue per visitor is shown per variant; its significance needs per-visitor data, so the test and the verdict use conversion.",
            "每访客收入按版本列出；其显著性需要逐访客数据，因此检验和结论以转化率为准。",
        ),
        "abtests.definitions": (
            "Rate = conversions / visitors, with Wilson 95 % intervals; uplift = (variant − control) / control, interval by the log method; α = {alpha}, two-sided; more than two variants: chi-square overall and Bonferroni for each comparison; sample for {power} % power at the observed rates.",
            "转化率 = 转化数 / 访客数，Wilson 95% 置信区间；提升 = （版本 − 对照）/ 对照，区间用对数法；α = {alpha}，双侧；多于两个版本时先做卡方检验，两两比较用 Bonferroni 校正；样本量按观察到的转化率、{power}% 检验效能估算。",
        ),
        "abtests.decision": (
            "Decision: {chosen}. Why: {reason} ({user})",
            "决策：{chosen}。理由：{reason}（{user}）",
        ),
        "abtests.decided_none": ("keep the control, no variant adopted", "保持现状，不采用新版本"),
        "abtests.plan_auto": ("sized from the observed difference", "按观察到的差异估算"),
        "abtests.created": (
            ":test_tube: A/B test *{name}* started: {variants} (control {control}); planned sample per variant: {planned}.",
            ":test_tube: 已开始 A/B 测试 *{name}*：{variants}（对照组 {control}）；每个版本计划样本：{planned}。",
        ),
        "abtests.logged_daily": (
            "Logged *{variant}* of *{name}* for {day} as that day's figures (added to the totals): {conversions} / {visitors}.",
            "已记录 *{name}* 的 *{variant}* 在 {day} 的当日数据（计入总数）：{conversions} / {visitors}。",
        ),
        "abtests.logged_total": (
            "Logged *{variant}* of *{name}* as running totals up to {day} (they replace the days before): {conversions} / {visitors}.",
            "已记录 *{name}* 的 *{variant}* 截至 {day} 的累计数据（取代之前各天）：{conversions} / {visitors}。",
        ),
        "abtests.logged_replaced": (
            "It replaced what was logged for that day.",
            "已替换该日之前记录的数据。",
        ),
        "abtests.list_title": ("A/B tests ({count})", "A/B 测试（{count}）"),
        "abtests.list_empty": (
            "No A/B test yet. `/abtest new` starts one.",
            "暂无 A/B 测试。用 `/abtest new` 新建。",
        ),
        "parse.bad_variants": (
            "`{part}`: give 2 to 6 variants, like `variants:A,B`.",
            "`{part}`：请给出 2 到 6 个版本，例如 `variants:A,B`。",
        ),
        "parse.bad_log_kind": (
            "`{part}` should be `as:daily` or `as:total`.",
            "`{part}` 应为 `as:daily`（当日）或 `as:total`（累计）。",
        ),
        "error.abtest_not_found": ("There is no A/B test named “{name}”.", "没有名为“{name}”的 A/B 测试。"),
        "error.abtest_name_missing": ("Name the test.", "请填写测试名称。"),
        "error.abtest_name_too_long": (
            "A test's name has at most {limit} characters.",
            "测试名称最多 {limit} 个字符。",
        ),
        "error.abtest_hypothesis_missing": (
            'Write the hypothesis: `hypothesis:"…"`.',
            '请填写假设：`hypothesis:"…"`。',
        ),
        "error.abtest_hypothesis_too_long": (
            "A hypothesis has at most {limit} characters.",
            "假设最多 {limit} 个字符。",
        ),
        "error.abtest_bad_variants": (
            "Give 2 to {most} different variants (letters, digits, - and _), like `variants:A,B`.",
            "请给出 2 到 {most} 个不同的版本（字母、数字、- 和 _），例如 `variants:A,B`。",
        ),
        "error.abtest_bad_metric": (
            "`{part}` is not a metric: conversion, revenue_per_visitor or a name in lower case.",
            "`{part}` 不是指标：conversion、revenue_per_visitor 或小写的自定义名称。",
        ),
        "error.abtest_end_before_start": ("The test ends before it starts.", "结束日期早于开始日期。"),
        "error.abtest_name_taken": (
            "An A/B test named “{name}” exists already.",
            "已有名为“{name}”的 A/B 测试。",
        ),
        "error.abtest_unknown_variant": (
            "`{part}` is not a variant of this test ({known}).",
            "`{part}` 不是该测试的版本（{known}）。",
        ),
        "error.abtest_bad_counts": (
            "Conversions must be between 0 and the visitors, and revenue not negative.",
            "转化数应在 0 与访客数之间，收入不能为负。",
        ),
        "error.abtest_future_day": (
            "Figures are logged for days that have happened.",
            "只能记录已经发生的日期的数据。",
        ),
        "error.abtest_decided": ("“{name}” is decided already.", "“{name}”已经决策。"),
        "error.abtest_decide_forbidden": (
            "The test's owner (<@{owner}>) and ops leads decide it.",
            "测试负责人（<@{owner}>）和运营负责人可以决策。",
        ),
        "error.abtest_import_unreadable": (
            "The file is neither UTF-8 nor GB18030 text.",
            "文件既不是 UTF-8 也不是 GB18030 文本。",
        ),
        "error.abtest_import_columns": ("The file lacks the columns: {columns}.", "文件缺少列：{columns}。"),
        "error.abtest_import_kind": ("`{part}` should be daily or total.", "`{part}` 应为 daily 或 total。"),
        "error.abtest_import_line": (
            "Line {line} cannot be used; nothing was imported.",
            "第 {line} 行无法使用；未导入任何数据。",
        ),
        "error.abtest_reason_missing": ('Say why: `reason:"…"`.', '请说明理由：`reason:"…"`。'),
    }
)
