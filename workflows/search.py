"""Searching the reports' text for a user: only the dossiers it may see (a province user: its communes)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import search as index
from storage.db import read_session, write_session
from storage.models import Dossier, Report, Unit
from workflows import visibility


@dataclass(frozen=True)
class Result:
    """A matching page of a report, with where it belongs."""

    hit: index.Hit
    dossier_id: int
    unit_name: str
    year: int
    filename: str
    pages: int


def catch_up() -> int:
    """Index the reports the search index missed (read or corrected since); returns how many."""
    with read_session() as session:
        stale = index.stale_report_ids(session)
    if not stale:
        return 0
    with write_session() as session:
        return index.index_reports(session, index.stale_report_ids(session))


def find(session: Session, user, query: str, limit: int = 50) -> list[Result]:
    """The pages matching `query` in the reports `user` may see, best first."""
    visible = visibility.visible_dossiers(user).with_only_columns(Dossier.id)
    hits = index.search(session, query, visible, limit=limit)
    if not hits:
        return []
    info = {r.id: r for r in session.execute(
        select(Report.id, Report.dossier_id, Report.filename, Report.pages, Unit.name.label("unit_name"),
               Dossier.campaign_id)
        .join(Dossier, Dossier.id == Report.dossier_id).join(Unit, Unit.id == Dossier.unit_id)
        .where(Report.id.in_({h.report_id for h in hits})))}
    years = _years(session, {r.campaign_id for r in info.values()})
    return [Result(h, info[h.report_id].dossier_id, info[h.report_id].unit_name, years[info[h.report_id].campaign_id],
                   info[h.report_id].filename, info[h.report_id].pages) for h in hits]


def _years(session: Session, campaign_ids: set[int]) -> dict[int, int]:
    from storage.models import Campaign

    return dict(session.execute(select(Campaign.id, Campaign.year).where(Campaign.id.in_(campaign_ids))).all())
