"""Retro messages as outbox messages: the prompt when a retro opens, its new versions (chat.update)
as entries come, and at the close the summary in its thread, the prompt's final version and a DM to
each action item's owner. Keys are stable, so each is queued once however often it is attempted."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.errors import NotFound
from ecombot.retros import evidence, service, views
from ecombot.retros.models import Retro, RetroEntry
from ecombot.scheduling.service import Outgoing
from ecombot.tasks.models import Task
from ecombot.workspaces import service as workspaces


def open_with_prompt(
    session: Session, opening: service.Opening, now: datetime, *, zone: str, currency: str
) -> tuple[Retro, Outgoing]:
    """Open the retro and build its prompt: what it shows first is gathered now and kept with it."""
    retro = service.open_retro(session, opening, now)
    today = now.astimezone(ZoneInfo(zone)).date()
    prompt = evidence.prompt_of(session, retro, today, zone=zone, locale=retro.language, currency=currency)
    retro.head = views.head_blocks(retro, prompt, today, zone=zone, locale=retro.language)
    session.add(retro)
    message = views.prompt_message(retro, [], retro.language, currency=currency)
    return retro, Outgoing(retro.channel_id, dict(message), retro.prompt_key)


def updated_prompt(session: Session, retro: Retro, *, currency: str) -> Outgoing:
    """The prompt's next version (revision `retro.revision`), with the entries so far."""
    entries = service.entries_of(session, retro)
    votes = service.vote_counts(session, retro) if retro.closed_at is not None else None
    message = views.prompt_message(retro, entries, retro.language, currency=currency, votes=votes)
    return Outgoing(
        retro.channel_id, dict(message), f"{retro.prompt_key}:r{retro.revision}", update_of=retro.prompt_key
    )


def close_with_summary(
    session: Session, retro: Retro, now: datetime, *, zone: str, currency: str, closed_by: str = ""
) -> tuple[service.Closed, list[Outgoing]] | None:
    """Close the retro: the tasks, the summary in the prompt's thread, the prompt's final version, and
    each owner's DM; None when it was closed already."""
    campaign = _campaign_name(session, retro)
    closed = service.close(session, retro, now, zone=zone, closed_by=closed_by, campaign=campaign)
    if closed is None:
        return None
    retro = closed.retro
    out: list[Outgoing] = []
    for index, message in enumerate(views.summary_messages(closed, retro.language, currency)):
        out.append(
            Outgoing(
                retro.channel_id,
                dict(message),
                f"retros.summary:{retro.id}:{index}",
                thread_of=retro.prompt_key,
            )
        )
    out.append(updated_prompt(session, retro, currency=currency))
    by_owner: dict[str, list[tuple[RetroEntry, Task]]] = {}
    for entry in closed.entries:
        task = closed.tasks.get(entry.id or 0)
        if task is not None:
            by_owner.setdefault(entry.owner_id, []).append((entry, task))
    people = workspaces.callers_of(session, retro.team_id, list(by_owner), now)
    for owner, mine in by_owner.items():
        person = people.get(owner)
        locale = person.locale if person is not None else retro.language
        out.append(
            Outgoing(
                owner,
                dict(
                    views.owner_message(retro, mine, locale, currency, now.astimezone(ZoneInfo(zone)).date())
                ),
                f"retros.owner:{retro.id}:{owner}",
            )
        )
    return closed, out


def _campaign_name(session: Session, retro: Retro) -> str:
    """The campaign a review's tasks belong to ("" once it is gone)."""
    if retro.kind != "campaign" or retro.campaign_id is None:
        return ""
    from ecombot.campaigns import service as campaigns

    for deleted in (False, True):
        try:
            return campaigns.get_by_id(session, retro.team_id, retro.campaign_id, deleted=deleted).name
        except NotFound:
            continue
    return ""
