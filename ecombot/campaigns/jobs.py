"""Scheduled campaign work: the evaluation of each campaign past its end date, posted once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

from sqlmodel import Session

from ecombot.campaigns import evaluation, service
from ecombot.scheduling.service import Firing
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)


def evaluate_ended_campaigns(session: Session, now: datetime) -> list[Firing]:
    """Each campaign closed or past its end (in its workspace's zone) and not evaluated yet: its
    evaluation, claimed once per campaign."""
    settings: dict[str, tuple[str, str]] = {}

    def of(team_id: str) -> tuple[str, str]:
        if team_id not in settings:
            workspace = workspaces.get_workspace(session, team_id)
            settings[team_id] = (workspace.timezone, workspace.language)
        return settings[team_id]

    firings: list[Firing] = []
    for campaign in service.due_for_evaluation(session, now, lambda team: of(team)[0]):
        assert campaign.id is not None
        zone, language = of(campaign.team_id)
        try:
            # One campaign that cannot be evaluated must not hold up the others.
            with session.begin_nested():
                messages = evaluation.evaluate(session, campaign, now, locale=language, today_zone=zone)
        except Exception:
            log.exception("the evaluation of campaign %s (team %s) failed", campaign.id, campaign.team_id)
            continue
        slot = datetime.combine(campaign.end or campaign.start, time(0), tzinfo=UTC)
        firings.append(Firing(evaluation.evaluation_key(campaign.id), slot, campaign.team_id, messages))
    return firings
