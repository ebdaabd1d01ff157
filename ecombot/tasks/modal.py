"""The task form (create and edit), built from plain text: mentions shown as names, nothing escaped."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t
from ecombot.slack.text import plain
from ecombot.tasks import messages as _messages  # noqa: F401  (registers the strings)
from ecombot.tasks.models import PRIORITIES, RECURRENCES
from ecombot.tasks.service import CAMPAIGN_LIMIT, TITLE_LIMIT

MODAL = "tasks.modal"


@dataclass(frozen=True)
class Prefill:
    """What the form starts with; `number` set means editing that task."""

    title: str = ""
    owner: str = ""
    due: date | None = None
    campaign: str = ""
    priority: str = "normal"
    recurrence: str = ""
    parent: int | None = None
    source_url: str = ""
    number: int | None = None
    channel: str = ""


def task_modal(
    locale: str, prefill: Prefill, *, campaigns: Sequence[str], names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The create/edit form. A title carrying mentions shows them as names (inputs are plain text)."""
    title_el: dict[str, Any] = {"type": "plain_text_input", "max_length": TITLE_LIMIT, "multiline": False}
    if prefill.title:
        title_el["initial_value"] = plain(prefill.title, names)[:TITLE_LIMIT]
    owner_el: dict[str, Any] = {"type": "users_select"}
    if prefill.owner:
        owner_el["initial_user"] = prefill.owner
    due_el: dict[str, Any] = {"type": "datepicker"}
    if prefill.due:
        due_el["initial_date"] = prefill.due.isoformat()
    priority_options = [bk.option(t(locale, f"tasks.priority.{p}"), p) for p in PRIORITIES]
    priority = prefill.priority if prefill.priority in PRIORITIES else "normal"
    repeat_options = [bk.option(t(locale, "tasks.modal.recurrence_none"), "none")] + [
        bk.option(t(locale, "tasks.every", rule=t(locale, f"tasks.every.{r}")), r) for r in RECURRENCES
    ]
    repeat_index = RECURRENCES.index(prefill.recurrence) + 1 if prefill.recurrence in RECURRENCES else 0
    blocks: list[bk.Block] = [
        bk.input_block("title", t(locale, "tasks.modal.title"), title_el),
        bk.input_block("owner", t(locale, "tasks.modal.owner"), owner_el),
        bk.input_block("due", t(locale, "tasks.modal.due"), due_el, optional=True),
    ]
    known = list(dict.fromkeys([c for c in [prefill.campaign, *campaigns] if c]))[:100]
    if known:
        campaign_options = [bk.option(f"#{c}", c) for c in known]
        campaign_el: dict[str, Any] = {"type": "static_select", "options": campaign_options}
        if prefill.campaign:
            campaign_el["initial_option"] = campaign_options[known.index(prefill.campaign)]
        blocks.append(
            bk.input_block("campaign", t(locale, "tasks.modal.campaign"), campaign_el, optional=True)
        )
    new_label = "tasks.modal.campaign_new" if known else "tasks.modal.campaign"
    new_el = {"type": "plain_text_input", "max_length": CAMPAIGN_LIMIT}
    blocks.append(bk.input_block("campaign_new", t(locale, new_label), new_el, optional=True))
    parent_el: dict[str, Any] = {"type": "plain_text_input", "max_length": 10}
    if prefill.parent:
        parent_el["initial_value"] = str(prefill.parent)
    blocks += [
        bk.input_block(
            "priority",
            t(locale, "tasks.modal.priority"),
            {
                "type": "static_select",
                "options": priority_options,
                "initial_option": priority_options[PRIORITIES.index(priority)],
            },
        ),
        bk.input_block(
            "recurrence",
            t(locale, "tasks.modal.recurrence"),
            {
                "type": "static_select",
                "options": repeat_options,
                "initial_option": repeat_options[repeat_index],
            },
        ),
        bk.input_block("parent", t(locale, "tasks.modal.parent"), parent_el, optional=True),
    ]
    if prefill.source_url:
        blocks.append(bk.context(t(locale, "tasks.modal.source", url=prefill.source_url)))
    heading = (
        t(locale, "tasks.modal.title_edit", number=prefill.number)
        if prefill.number
        else t(locale, "tasks.modal.title_new")
    )
    metadata = {"channel": prefill.channel, "number": prefill.number, "source_url": prefill.source_url}
    return bk.modal(
        heading,
        blocks,
        callback_id=MODAL,
        submit=t(locale, "tasks.modal.submit"),
        close=t(locale, "tasks.modal.close"),
        private_metadata=json.dumps(metadata, separators=(",", ":")),
    )
