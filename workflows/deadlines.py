"""Report deadlines of a campaign year, and the scheduled check that flags late dossiers.

A dossier is overdue when it is still `registered` (no report) or `returned` (not resubmitted) after its
unit's report deadline: the campaign's `hamlet_report_deadline` for a hamlet (xóm), else `report_deadline`.
A unit that has not even registered is overdue too once that deadline has passed (`silent_units`: computed
when shown, as there is no dossier to flag). A report sent after the deadline is stored as late
(`Report.days_late`). After `register_deadline` a unit's clerk can no longer register; the police register on
the unit's behalf (`may_register`). Every date is Vietnam's (`workflows.dossiers.today`).

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
from workflows import visibility

OPEN_STATES = ("registered", "returned")


def deadline_for(campaign: Campaign, unit_kind: str) -> date | None:
    """The report deadline of a unit of this kind in this campaign year."""
    if unit_kind == "hamlet" and campaign.hamlet_report_deadline:
        return campaign.hamlet_report_deadline
    return campaign.report_deadline


def days_past(deadline: date | None, on: date) -> int | None:
    """Days after the deadline (negative: days left); None without a deadline."""
    return None if deadline is None else (on - deadline).days


def countdown(deadline: date | None, on: date) -> str:
    """What a unit reads beside its deadline: "Còn 5 ngày", "Hôm nay là hạn cuối", "Quá hạn 2 ngày"."""
    days = days_past(deadline, on)
    if days is None:
        return ""
    if days == 0:
        return "Hôm nay là hạn cuối"
    return f"Quá hạn {days} ngày" if days > 0 else f"Còn {-days} ngày"


def late_by(campaign: Campaign, unit_kind: str, on: date) -> int | None:
    """How many days late a report sent on `on` is (None when on time or without a deadline)."""
    days = days_past(deadline_for(campaign, unit_kind), on)
    return days if days and days > 0 else None


def may_register(role: str, campaign: Campaign, on: date) -> bool:
    """A unit's clerk registers until the registration deadline; the police at any time, for the unit."""
    return role != "unit_staff" or campaign.register_deadline is None or on <= campaign.register_deadline


@dataclass(frozen=True)
class UnitDeadline:
    """One deadline as a unit's home page shows it."""

    label: str
    deadline: date
    note: str          # "Còn 5 ngày", "Quá hạn 2 ngày", "Đã nộp", "Nộp muộn 3 ngày"
    late: bool


def unit_deadlines(campaign: Campaign, unit: Unit, dossier: Dossier | None, on: date) -> list[UnitDeadline]:
    """The unit's own deadlines this year with the days left or past; a step already taken says so."""
    out = []
    if dossier is None and campaign.register_deadline:
        reg = campaign.register_deadline
        out.append(UnitDeadline("Hạn đăng ký thi đua", reg, countdown(reg, on), on > reg))
    d = deadline_for(campaign, unit.kind)
    if d is not None:
        if dossier is None or dossier.state in OPEN_STATES:
            out.append(UnitDeadline("Hạn nộp báo cáo", d, countdown(d, on), on > d))
        else:
            sent = dossier.reports[0] if dossier.reports else None
            late = sent.days_late if sent and sent.days_late else None
            out.append(UnitDeadline("Hạn nộp báo cáo", d, f"Nộp muộn {late} ngày" if late else "Đã nộp", bool(late)))
    return out


def is_overdue(state: str, deadline: date | None, on: date) -> bool:
    """Still without a (resubmitted) report after the deadline."""
    return state in OPEN_STATES and deadline is not None and on > deadline


@dataclass(frozen=True)
class Late:
    """A late dossier, as the inbox and the dashboard show it."""

    dossier_id: int | None          # None: the unit has not even registered
    unit_name: str
    unit_kind: str
    state: str | None
    deadline: date
    days_late: int
    flagged_at: object = None
    commune_id: int | None = None
    unit_id: int | None = None


def late_dossiers(session: Session, dossiers: Select, on: date) -> list[Late]:
    """The overdue dossiers among `dossiers` (a select of Dossier), computed now, most late first."""
    stmt = (dossiers.where(Dossier.state.in_(OPEN_STATES))
            .join(Campaign, Campaign.id == Dossier.campaign_id)
            .with_only_columns(Dossier.id, Dossier.state, Unit.name, Unit.kind, Campaign))
    out = []
    for dossier_id, state, name, kind, campaign in session.execute(stmt):
        deadline = deadline_for(campaign, kind)
        if deadline is not None and is_overdue(state, deadline, on):
            out.append(Late(dossier_id, name, kind, state, deadline, (on - deadline).days))
    return sorted(out, key=lambda x: (-x.days_late, x.unit_name))


def silent_units(session: Session, units: list[Unit], campaign: Campaign | None, on: date) -> list[Late]:
    """The units among `units` that have not registered for `campaign` though their report deadline passed."""
    if campaign is None:
        return []
    registered = set(session.scalars(select(Dossier.unit_id).where(Dossier.campaign_id == campaign.id)))
    out = [Late(None, u.name, u.kind, None, d, (on - d).days, commune_id=u.commune_id, unit_id=u.id)
           for u in units if u.id not in registered
           for d in [deadline_for(campaign, u.kind)] if d is not None and is_overdue("registered", d, on)]
    return sorted(out, key=lambda x: (-x.days_late, x.unit_name))


def mark_overdue(on: date | None = None) -> tuple[int, int]:
    """Flag every dossier now overdue and clear flags of dossiers that moved on; returns (flagged, cleared)."""
    from workflows.dossiers import today

    on = on or today()
    every = select(Dossier).join(Unit, Unit.id == Dossier.unit_id)
    with write_session() as session:
        late = {x.dossier_id: x for x in late_dossiers(session, every, on)}
        flags: dict[int | None, OverdueFlag] = {f.dossier_id: f for f in session.scalars(select(OverdueFlag))}
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
    assert late.state is not None       # a dossier's lateness: units that never registered are not flagged
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


def overdue_units(session: Session, user, on: date) -> list[Late]:
    """What the police inbox shows: the flagged dossiers and, for the latest year, the silent units."""
    campaign = session.scalar(select(Campaign).where(Campaign.commune_id == user.commune_id)
                              .order_by(Campaign.year.desc()).limit(1))
    silent = silent_units(session, visibility.visible_units(session, user), campaign, on)
    late = flagged(session, visibility.visible_dossiers(user), on) + silent
    return sorted(late, key=lambda x: (-x.days_late, x.unit_name))


def main() -> int:
    flagged_n, cleared = mark_overdue()
    print(f"Hồ sơ quá hạn: đánh dấu mới {flagged_n}, bỏ đánh dấu {cleared}.")
    with read_session() as session:
        print(f"Đang quá hạn: {session.query(OverdueFlag).filter(OverdueFlag.cleared_at.is_(None)).count()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
