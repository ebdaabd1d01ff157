"""`/abtest` subcommands: new, log, show, decide, list."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.experiments import service, views
from ecombot.experiments.handlers.grammar import DecideArgs, LogArgs
from ecombot.experiments.service import Draft
from ecombot.scheduling.service import Outgoing
from ecombot.slack.reply import Reply


def on_new_command(caller: Caller, draft: Draft, session: Session) -> Reply:
    """Start a test."""
    experiment = service.create(session, caller, draft)
    return Reply(message=views.created_message(experiment, caller.locale))


def on_log_command(caller: Caller, args: LogArgs, session: Session) -> Reply:
    """Log a variant's figures."""
    experiment = service.get(session, caller.team_id, args.name)
    row, replaced = service.log(session, caller, experiment, args.entry)
    return Reply(message=views.logged_message(experiment, row, replaced, caller.locale))


def on_show_command(caller: Caller, name: str, session: Session) -> Reply:
    """Where the test stands."""
    experiment = service.get(session, caller.team_id, name)
    reading = service.read(session, experiment)
    return Reply(message=views.reading_message(reading, caller.currency, caller.locale))


def on_decide_command(caller: Caller, args: DecideArgs, session: Session) -> Reply:
    """Record the decision; the result and the decision go to the test's channel, once."""
    experiment = service.decide(session, caller, args.name, args.variant, args.reason)
    reading = service.read(session, experiment)
    target = experiment.channel_id or experiment.owner_id
    post = views.decision_post(reading, caller.currency, caller.workspace_language)
    outbox = [Outgoing(target, dict(post), f"experiments.decision:{experiment.id}")]
    return Reply(message=views.reading_message(reading, caller.currency, caller.locale), outbox=outbox)


def on_list_command(caller: Caller, _: None, session: Session) -> Reply:
    """Running and decided tests."""
    rows = [(e, service.read(session, e)) for e in service.listing(session, caller.team_id)]
    return Reply(message=views.list_message(rows, caller.locale))
