"""The campaign-year dashboard, its exports, the báo cáo tổng hợp, full-text search and the late-units flag."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from webapp import charts
from webapp.downloads import document_file, download_name
from workflows import criteria, deadlines, dossiers, exports, machine, stats, summary, visibility
from workflows import search as searching
from workflows.errors import Invalid
from workflows.fields import FIELD_LABELS, METRICS

bp = Blueprint("dashboard", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def me():
    return visibility.actor(g.db, current_user.id)


def _board(user, year: int | None) -> stats.Dashboard:
    known = stats.years(g.db, user)
    if not known:
        abort(404)
    if year is None:
        year = known[0]
    if year not in known:
        abort(404)
    return stats.build(g.db, user, year, dossiers.today())


@bp.get("/dashboard")
@login_required
def show():
    """Where the commune (or the province) stands this year, at a glance; printable."""
    user = me()
    board = _board(user, request.args.get("year", type=int))
    return render_template(
        "dashboard/show.html", board=board, user=user, years=stats.years(g.db, user), charts=_charts(board),
        metrics=METRICS, labels=FIELD_LABELS, note=stats.COUNTED_NOTE,
        official=board.totals(), provisional=board.totals(provisional=True),
        assessments=criteria.assess([r for r in board.rows if r.provisional]),
        proposals=criteria.proposals(board.rows), reports=summary.listing(g.db, user, board.year))


def _charts(board: stats.Dashboard) -> dict:
    return {
        "funnel": charts.bars("Tiến độ hồ sơ", board.funnel),
        "metrics": charts.bars("Số liệu chính thức", [(FIELD_LABELS[k], v) for k, v in board.totals().items()],
                               charts.PALETTE[2]),
        "rating": charts.bars("Tự xếp loại", board.by_rating(provisional=True), charts.PALETTE[3]),
        "antt": charts.bars("An toàn về ANTT", board.by_antt(provisional=True), charts.PALETTE[1]),
    }


@bp.get("/dashboard/<int:year>/export.xlsx")
@login_required
def export_xlsx(year: int):
    """Every dashboard table in one workbook."""
    board = _board(me(), year)
    return send_file(io.BytesIO(exports.to_xlsx(board)), mimetype=XLSX, as_attachment=True,
                     download_name=download_name(f"tong-hop-thi-dua-{year}", "xlsx"))


@bp.get("/dashboard/<int:year>/export.csv")
@login_required
def export_csv(year: int):
    """One dashboard table as CSV (`table` = units, totals, awards, proposals, late)."""
    name = request.args.get("table", "units")
    if name not in exports.TABLES:
        raise Invalid("Bảng phải là một trong: " + ", ".join(exports.TABLES) + ".", "table")
    board = _board(me(), year)
    return send_file(io.BytesIO(exports.to_csv(board, name)), mimetype="text/csv; charset=utf-8",
                     as_attachment=True, download_name=download_name(f"{name}-{year}", "csv"))


@bp.post("/dashboard/<int:year>/bao-cao")
@login_required
def issue_report(year: int):
    """The police issue the year's báo cáo tổng hợp from the figures on the dashboard."""
    doc_id = summary.issue(me().id, year)
    flash("Đã lập báo cáo tổng hợp; bản PDF đang được tạo.", "success")
    return redirect(url_for(".show", year=year, _anchor=f"bao-cao-{doc_id}"))


@bp.get("/bao-cao-tong-hop/<int:document_id>/file")
@login_required
def report_file(document_id: int):
    """Download a báo cáo tổng hợp as .docx or .pdf (the commune's officers, or the province)."""
    fmt = request.args.get("format", "docx")
    return document_file(summary.get(g.db, me(), document_id), fmt)


@bp.get("/search")
@login_required
def search():
    """Search every report the user may see, without caring about accents."""
    query = (request.args.get("q") or "").strip()
    results = []
    if query:
        searching.catch_up()
        results = searching.find(g.db, me(), query)
    return render_template("dashboard/search.html", query=query, results=results)


@bp.app_context_processor
def _inbox_flags():
    """`late_units()` for the inbox include: the flagged dossiers and the units that never registered."""
    def late_units() -> list[deadlines.Late]:
        if not current_user.is_authenticated or not machine.may(current_user.role, "see_overdue_flags"):
            return []
        return deadlines.overdue_units(g.db, me(), dossiers.today())

    return {"late_units": late_units}
