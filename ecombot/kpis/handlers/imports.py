"""Orders and daily figures dropped in a DM with the bot (the platform's file importer calls these
after the ack): imported in one transaction, the result returned for the DM."""

from __future__ import annotations

from ecombot.actor import Caller
from ecombot.domain import FileImporter
from ecombot.errors import DomainError
from ecombot.kpis import figures, orders, service, views
from ecombot.slack import blocks as bk
from ecombot.slack.errors import refusal_text
from ecombot.slack.files import SharedFile
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.reply import AfterAck
from ecombot.slack.text import esc


def _orders_recognised(data: bytes, filename: str) -> bool:
    try:
        return orders.detect(orders.read_sheet(data, filename)) is not None
    except (DomainError, ValueError):
        return False


def orders_message(done: service.OrdersImported, locale: str) -> bk.Message:
    """What an orders import did."""
    if not done.rows:
        text = t(locale, "kpis.nothing_imported", filename=esc(done.filename))
    else:
        text = t(
            locale,
            "kpis.orders_imported",
            filename=esc(done.filename),
            layout=done.layout,
            rows=done.rows,
            first=fmt_date(done.first, locale) if done.first else "—",
            last=fmt_date(done.last, locale) if done.last else "—",
            new=done.new,
            updated=done.updated,
        )
    return bk.message(
        text, [bk.section(text), *views.skipped_blocks(done.skipped, done.skipped_count, locale)]
    )


def figures_message(done: service.FiguresImported, locale: str) -> bk.Message:
    """What a daily-figures import did."""
    if not done.rows:
        text = t(locale, "kpis.nothing_imported", filename=esc(done.filename))
    else:
        text = t(
            locale,
            "kpis.figures_imported",
            filename=esc(done.filename),
            layout=done.layout,
            rows=done.rows,
            first=fmt_date(done.first, locale) if done.first else "—",
            last=fmt_date(done.last, locale) if done.last else "—",
            metrics=", ".join(done.metrics),
        )
    return bk.message(
        text, [bk.section(text), *views.skipped_blocks(done.skipped, len(done.skipped), locale)]
    )


def _failed(filename: str, exc: DomainError, locale: str) -> bk.Message:
    reason = esc(refusal_text(locale, exc))
    return bk.message(t(locale, "kpis.import_failed", filename=esc(filename), reason=reason))


def _refused(caller: Caller) -> bk.Message | None:
    """The shop's own numbers feed every KPI and target: admins and ops leads import them."""
    if caller.is_manager:
        return None
    return bk.message(t(caller.locale, "kpis.import_managers_only"))


def import_orders(after: AfterAck, caller: Caller, shared: SharedFile) -> bk.Message:
    """Orders from a DM."""
    if (refused := _refused(caller)) is not None:
        return refused
    with after.session() as session:
        try:
            done = service.import_orders(
                session,
                caller,
                shared.content,
                shared.name,
                currency=caller.currency,
                workspace_tz=caller.workspace_tz,
            )
        except DomainError as exc:
            return _failed(shared.name, exc, caller.locale)
    return orders_message(done, caller.locale)


def import_figures(after: AfterAck, caller: Caller, shared: SharedFile) -> bk.Message:
    """Daily figures from a DM."""
    if (refused := _refused(caller)) is not None:
        return refused
    with after.session() as session:
        try:
            done = service.import_figures(session, caller, shared.content, shared.name)
        except DomainError as exc:
            return _failed(shared.name, exc, caller.locale)
    return figures_message(done, caller.locale)


ORDERS = FileImporter("kpis.importer_orders", _orders_recognised, import_orders)
FIGURES = FileImporter("kpis.importer_figures", figures.recognises, import_figures)
