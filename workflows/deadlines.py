"""Report deadlines of a campaign year, and the scheduled check that flags late dossiers.

A dossier is overdue when it is still `registered` (no report) or `returned` (not resubmitted) after its
unit's report deadline: the campaign's `hamlet_report_deadline` for a hamlet (xóm), else `report_deadline`.

Scheduling (either one):
- every worker runs it at start and then hourly (workflows/worker.py), so no extra process is needed;
- or a system cron entry: `15 0 * * * cd /srv/app && .venv/bin/python -m workflows.deadlines`.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from storage.db import read_session, write_session
from storage.models import Campaign, Dossier, OverdueFlag, Unit, utcnow

OPEN_STATES = ("registered", "returned")


def deadline_for(campaign: Campaign, unit_kind: str) -> date | None:
    """The report deadline of a unit of this kind in this campaign year."""
    if unit_kind == "hamlet" and campaign.hamlet_report_deadline:
        return campaign.hamlet_report_deadline
    return campaign.report_deadline


def is_overdue(state: str, deadline: date | None, on: date) -> bool:
    """Still without a (resubmitted) report after the deadline."""
    return state in OPEN_STATES and deadline is not None and on > deadline


@dataclass(frozen=True)
class Late:
    """A late dossier, as the inbox and the dashboard show it."""

    dossier_id: int
    unit_name: str
    unit_kind: str
    state: str
    deadline: date
    days_late: int
    flagged_at: object = None
    commune_id: int | None = None


def late_dossiers(session: Session, dossiers: Select, on: date) -> list[Late]:
    """The overdue dossiers among `dossiers` (a select of Dossier), computed now, most late first."""
    stmt = (dossiers.where(Dossier.state.in_(OPEN_STATES))
            .join(Campaign, Campaign.id == Dossier.campaign_id)
            .with_only_columns(Dossier.id, Dossier.state, Unit.name, Unit.kind, Campaign))
    out = []
    for dossier_id, state, name, kind, campaign in session.execute(stmt):
        deadline = deadline_for(campaign, kind)
        if is_overdue(state, deadline, on):
            out.append(Late(dossier_id, name, kind, state, deadline, (on - deadline).days))
    return sorted(out, key=lambda x: (-x.days_late, x.unit_name))


def mark_overdue(on: date | None = None) -> tuple[int, int]:
    """Flag every dossier now overdue and clear flags of dossiers that moved on; returns (flagged, cleared)."""
    from workflows.dossiers import today

    on = on or today()
    every = select(Dossier).join(Unit, Unit.id == Dossier.unit_id)
    with write_session() as session:
        late = {x.dossier_id: x for x in late_dossiers(session, every, on)}
        flags = {f.dossier_id: f for f in session.scalars(select(OverdueFlag))}
        flagged = sum(_flag(session, flags.get(i), x) for i, x in late.items())
        cleared = 0
        for flag in flags.values():
            if flag.cleared_at is None and flag.dossier_id not in late:
                flag.cleared_at, cleared = utcnow(), cleared + 1
    return flagged, cleared


def _flag(session: Session, flag: OverdueFlag | None, late: Late) -> bool:
    """Open a flag (or reopen a cleared one); False when it is already open."""
    if flag is not None and flag.cleared_at is None:
        return False
    flag = flag or OverdueFlag(dossier_id=late.dossier_id)
    flag.deadline, flag.state, flag.flagged_at, flag.cleared_at = late.deadline, late.state, utcnow(), None
    session.add(flag)
    return True


def flagged(session: Session, dossiers: Select, on: date) -> list[Late]:
    """Open flags among `dossiers` whose dossier is still late (what the police inbox shows)."""
    stmt = (dossiers.join(OverdueFlag, OverdueFlag.dossier_id == Dossier.id)
            .where(OverdueFlag.cleared_at.is_(None), Dossier.state.in_(OPEN_STATES))
            .with_only_columns(Dossier.id, Dossier.state, Unit.name, Unit.kind, OverdueFlag))
    rows = [Late(i, name, kind, state, f.deadline, (on - f.deadline).days, f.flagged_at)
            for i, state, name, kind, f in session.execute(stmt)]
    return sorted(rows, key=lambda x: (-x.days_late, x.unit_name))


def main() -> int:
    flagged_n, cleared = mark_overdue()
    print(f"Hồ sơ quá hạn: đánh dấu mới {flagged_n}, bỏ đánh dấu {cleared}.")
    with read_session() as session:
        print(f"Đang quá hạn: {session.query(OverdueFlag).filter(OverdueFlag.cleared_at.is_(None)).count()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
