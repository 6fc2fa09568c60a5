"""Figures of a campaign year for the dashboard, the báo cáo tổng hợp and the exports.

Which figures count: a dossier's figures are its latest report's checked fields (`current_fields`:
the last correction, else the machine's reading), once that report has been read. The **official
totals** sum the dossiers in state `approved` (the Chairman's decision confirms them); the
**provisional totals** sum every dossier whose report is in the pipeline (report_submitted,
under_appraisal, appraised, approved) — returned and rejected dossiers are left out of both.

Scope: the commune's officers see their commune; a `province` user sees every commune of its province
(the province of the commune its account belongs to); a unit's clerk sees no dashboard.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, defer, selectinload

from storage.models import Campaign, Commune, Document, DocumentDossier, Dossier, Nominee, Report, Unit
from workflows import deadlines, machine, visibility
from workflows.documents import DEFAULT_AWARD
from workflows.fields import FIELD_LABELS, METRICS, RATINGS

COUNTED_STATES = ("approved",)
PROVISIONAL_STATES = ("report_submitted", "under_appraisal", "appraised", "approved")
FUNNEL = (("registered", "Đã đăng ký"), ("reported", "Đã nộp báo cáo"), ("returned", "Đang bị trả lại"),
          ("appraised", "Đã thẩm định"), ("approved", "Đã phê duyệt"))
COUNTED_NOTE = ("Số liệu chính thức cộng từ báo cáo (thông tin đã kiểm tra, sửa) của các hồ sơ đã được "
                "Chủ tịch UBND xã phê duyệt; số liệu tạm tính cộng thêm các hồ sơ đã nộp báo cáo, đang "
                "kiểm tra hoặc thẩm định. Hồ sơ bị trả lại hoặc không phê duyệt không được cộng.")


def years(session: Session, user) -> list[int]:
    """The campaign years of the user's commune(s), newest first."""
    stmt = select(Campaign.year).where(Campaign.commune_id.in_(visibility.scope_communes(user))).distinct()
    return sorted(session.scalars(stmt), reverse=True)


# ---------------------------------------------------------------- rows
@dataclass
class UnitFigures:
    """One registered unit's dossier of the year and the figures of its latest report."""

    dossier_id: int
    unit_id: int
    unit_name: str
    unit_kind: str
    commune_id: int
    commune_name: str
    state: str
    targets: dict
    deadline: date | None
    report_id: int | None = None
    report_number: str | None = None
    report_date: str | None = None
    self_rating: str | None = None
    antt_standard: bool | None = None
    metrics: dict = field(default_factory=dict)
    documents: list = field(default_factory=list)      # (kind, number, issued_on) of the dossier's papers

    @property
    def has_figures(self) -> bool:
        return self.report_id is not None

    @property
    def counted(self) -> bool:
        return self.has_figures and self.state in COUNTED_STATES

    @property
    def provisional(self) -> bool:
        return self.has_figures and self.state in PROVISIONAL_STATES


@dataclass(frozen=True)
class Award:
    """A giấy khen granted in the year."""

    name: str
    kind: str
    unit_name: str
    commune_name: str
    award: str
    decision_number: str | None


@dataclass
class Dashboard:
    """Everything the dashboard, the báo cáo tổng hợp and the exports show for one year."""

    year: int
    on: date
    communes: list[Commune]
    units_total: int
    unregistered: list[tuple[str, str]]              # (commune name, unit name)
    rows: list[UnitFigures]
    awards: list[Award]
    late: list[deadlines.Late]
    province_view: bool = False

    @property
    def counted(self) -> list[UnitFigures]:
        return [r for r in self.rows if r.counted]

    @property
    def funnel(self) -> list[tuple[str, int]]:
        """Units registered / reported / returned / appraised / approved."""
        states = Counter(r.state for r in self.rows)
        values = {"registered": len(self.rows), "reported": len(self.rows) - states["registered"],
                  "returned": states["returned"], "appraised": states["appraised"] + states["approved"]
                  + states["rejected"], "approved": states["approved"]}
        return [(label, values[key]) for key, label in FUNNEL]

    def totals(self, provisional: bool = False) -> dict[str, int]:
        """Sum of each metric over the counted (or provisional) dossiers; a missing figure adds nothing."""
        rows = [r for r in self.rows if (r.provisional if provisional else r.counted)]
        return {k: sum(r.metrics.get(k) or 0 for r in rows) for k in METRICS}

    def by_rating(self, provisional: bool = False) -> list[tuple[str, int]]:
        rows = [r for r in self.rows if (r.provisional if provisional else r.counted)]
        c = Counter(r.self_rating for r in rows)
        return [(k, c[k]) for k in RATINGS] + [("Chưa rõ", c[None])]

    def by_antt(self, provisional: bool = False) -> list[tuple[str, int]]:
        rows = [r for r in self.rows if (r.provisional if provisional else r.counted)]
        c = Counter(r.antt_standard for r in rows)
        return [("Đạt", c[True]), ("Chưa đạt", c[False]), ("Chưa rõ", c[None])]

    def per_commune(self) -> list[dict]:
        """One line per commune: units, registered, approved, overdue, and the official metric totals."""
        out = []
        for commune in self.communes:
            rows = [r for r in self.rows if r.commune_id == commune.id]
            counted = [r for r in rows if r.counted]
            out.append({"name": commune.full_name, "registered": len(rows), "approved": len(counted),
                        "late": sum(x.commune_id == commune.id for x in self.late),
                        "metrics": {k: sum(r.metrics.get(k) or 0 for r in counted) for k in METRICS}})
        return out

    def summary_lines(self) -> list[tuple[str, int]]:
        """The headline figures (label, value): units, dossiers, official metric totals, ANTT, awards."""
        counted = self.counted
        lines = [("Số đơn vị tham gia phong trào", self.units_total),
                 ("Số đơn vị đăng ký thi đua", len(self.rows)),
                 ("Số đơn vị có hồ sơ đã được phê duyệt (số liệu tổng hợp)", len(counted))]
        lines += [(FIELD_LABELS[k], v) for k, v in self.totals().items()]
        lines += [("Số đơn vị đạt “An toàn về an ninh, trật tự”", sum(r.antt_standard is True for r in counted)),
                  ("Số đơn vị tự xếp loại Xuất sắc", sum(r.self_rating == "Xuất sắc" for r in counted)),
                  ("Số tập thể, cá nhân được tặng Giấy khen", len(self.awards))]
        return lines


def build(session: Session, user, year: int, on: date) -> Dashboard:
    """The dashboard of `year` for `user` (its commune, or its province's communes)."""
    communes = list(session.scalars(select(Commune).where(Commune.id.in_(visibility.scope_communes(user)))
                                    .order_by(Commune.name)))
    names = {c.id: c.full_name for c in communes}
    units = session.execute(select(Unit.id, Unit.name, Unit.commune_id)
                            .where(Unit.commune_id.in_([c.id for c in communes])).order_by(Unit.id)).all()
    year_dossiers = visibility.visible_dossiers(user).join(Campaign, Campaign.id == Dossier.campaign_id) \
        .where(Campaign.year == year)
    rows = _rows(session, year_dossiers, names)
    registered = {r.unit_id for r in rows}
    return Dashboard(
        year=year, on=on, communes=communes, units_total=len(units),
        unregistered=[(names[c], n) for i, n, c in units if i not in registered], rows=rows,
        awards=_awards(session, [r.dossier_id for r in rows], names),
        late=_late(rows, on),
        province_view=user.role in machine.ABOVE_COMMUNE)


def _late(rows: list[UnitFigures], on: date) -> list[deadlines.Late]:
    """The dossiers past their report deadline today, most late first."""
    late = [deadlines.Late(r.dossier_id, r.unit_name, r.unit_kind, r.state, r.deadline, (on - r.deadline).days,
                           commune_id=r.commune_id)
            for r in rows if r.deadline is not None and deadlines.is_overdue(r.state, r.deadline, on)]
    return sorted(late, key=lambda x: (-x.days_late, x.unit_name))


def _rows(session: Session, dossiers: Select, names: dict[int, str]) -> list[UnitFigures]:
    """One UnitFigures per dossier, with its latest report's checked fields and its papers."""
    stmt = dossiers.with_only_columns(Dossier.id, Dossier.state, Dossier.targets, Unit.id, Unit.name, Unit.kind,
                                      Unit.commune_id, Campaign).order_by(Unit.commune_id, Unit.id)
    rows = [UnitFigures(d_id, u_id, u_name, kind, c_id, names.get(c_id, ""), state, targets or {},
                        deadlines.deadline_for(campaign, kind))
            for d_id, state, targets, u_id, u_name, kind, c_id, campaign in session.execute(stmt)]
    by_id = {r.dossier_id: r for r in rows}
    for report in _latest_reports(session, list(by_id)):
        _fill(by_id[report.dossier_id], report)
    for dossier_id, kind, number, issued_on in _papers(session, list(by_id)):
        by_id[dossier_id].documents.append((kind, number, issued_on))
    return rows


def _latest_reports(session: Session, dossier_ids: list[int]) -> list[Report]:
    """The latest report of each dossier, if it has been read (big columns left unloaded)."""
    if not dossier_ids:
        return []
    latest = (select(func.max(Report.id)).where(Report.dossier_id.in_(dossier_ids), Report.draft.is_(False))
              .group_by(Report.dossier_id))
    stmt = (select(Report).where(Report.id.in_(latest), Report.status == "done")
            .options(defer(Report.text), defer(Report.provenance), defer(Report.quality),
                     selectinload(Report.corrections)))
    return list(session.scalars(stmt))


def _fill(row: UnitFigures, report: Report) -> None:
    fields = report.current_fields or {}
    row.report_id, row.report_number, row.report_date = report.id, fields.get("number"), fields.get("issue_date")
    row.self_rating, row.antt_standard = fields.get("self_rating"), fields.get("antt_standard")
    row.metrics = {k: (fields.get("metrics") or {}).get(k) for k in METRICS}


def _papers(session: Session, dossier_ids: list[int]) -> list[tuple]:
    """(dossier id, kind, number, date) of the papers issued for these dossiers, oldest first."""
    if not dossier_ids:
        return []
    stmt = (select(DocumentDossier.dossier_id, Document.kind, Document.number, Document.issued_on)
            .join(Document, Document.id == DocumentDossier.document_id)
            .where(DocumentDossier.dossier_id.in_(dossier_ids),
                   Document.kind.in_(("dang_ky", "to_trinh", "bien_ban_tham_dinh", "quyet_dinh")))
            .order_by(Document.id))
    return list(session.execute(stmt))


def _awards(session: Session, dossier_ids: list[int], names: dict[int, str]) -> list[Award]:
    """The giấy khen granted to the nominees of these dossiers, with their decision's number."""
    if not dossier_ids:
        return []
    decision = aliased(Document)
    stmt = (select(Nominee.name, Nominee.kind, Nominee.award, Unit.name, Unit.commune_id, decision.number)
            .select_from(Document).join(Nominee, Nominee.id == Document.nominee_id)
            .join(Dossier, Dossier.id == Nominee.dossier_id).join(Unit, Unit.id == Dossier.unit_id)
            .outerjoin(decision, decision.id == Document.parent_id)
            .where(Document.kind == "giay_khen", Nominee.dossier_id.in_(dossier_ids)).order_by(Document.id))
    return [Award(n, k, u, names.get(c, ""), a or DEFAULT_AWARD, num) for n, k, a, u, c, num in session.execute(stmt)]
