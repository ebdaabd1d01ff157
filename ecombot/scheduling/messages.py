"""The scheduling engine's refusals, for the domains that surface them (and `ecombot jobs`)."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

add_messages(
    {
        "error.schedule_not_found": (
            "There is no schedule {id} in this workspace.",
            "本工作区没有编号为 {id} 的定时任务。",
        ),
        "error.bad_rule": (
            "`{rule}` is not a schedule I can follow: {problem}",
            "无法按 `{rule}` 安排时间：{problem}",
        ),
        "error.delivery_not_found": ("There is no delivery {id}.", "没有编号为 {id} 的投递记录。"),
        "error.delivery_not_failed": (
            "Delivery {id} is {status}, not failed; only failed deliveries can be retried.",
            "投递 {id} 的状态是 {status}，不是失败；只有失败的投递可以重试。",
        ),
    }
)
