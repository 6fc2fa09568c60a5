"""The dashboard's tables as .xlsx (openpyxl) and CSV: totals, units, awards, proposals, late dossiers.

Labels are Vietnamese (unit kinds, states). Text that a clerk typed can start with `= + - @` or a tab/CR,
which spreadsheet programs would run as a formula: such cells are written as text (a leading `'` in CSV,
a string cell in xlsx). The xlsx prints on A4 landscape, fitted to the page width, header row repeated.
"""
from __future__ import annotations

import csv
import io

from workflows import criteria
from workflows.documents import UNIT_KIND_LABELS
from workflows.fields import FIELD_LABELS, METRICS
from workflows.machine import STATE_LABELS
from workflows.stats import COUNTED_NOTE, Dashboard

TABLES = ("units", "totals", "awards", "proposals", "late")
SHEET_TITLES = {"totals": "Tổng hợp", "units": "Đơn vị", "awards": "Khen thưởng", "proposals": "Đề xuất",
                "late": "Quá hạn"}


def table(board: Dashboard, name: str) -> list[list]:
    """One table as rows (the first is the header); numbers stay numbers."""
    return {"totals": _totals, "units": _units, "awards": _awards, "proposals": _proposals,
            "late": _late}[name](board)


def _totals(board: Dashboard) -> list[list]:
    provisional = board.totals(provisional=True)
    rows: list[list] = [["Nội dung", "Số liệu chính thức (hồ sơ đã phê duyệt)", "Tạm tính (kể cả hồ sơ đang xét)"]]
    for label, value in board.summary_lines():
        key = next((k for k in METRICS if FIELD_LABELS[k] == label), None)
        rows.append([label, value, provisional[key] if key else None])
    return rows


def _units(board: Dashboard) -> list[list]:
    head: list = ["Xã", "Đơn vị", "Loại", "Trạng thái hồ sơ", "Được cộng vào số liệu chính thức", "Báo cáo số",
            "Tự xếp loại", "Đạt chuẩn ANTT"] + [FIELD_LABELS[k] for k in METRICS]
    rows: list[list] = [head]
    for r in board.rows:
        antt = "" if r.antt_standard is None else {True: "Đạt", False: "Chưa đạt"}[r.antt_standard]
        rows.append([r.commune_name, r.unit_name, UNIT_KIND_LABELS.get(r.unit_kind, r.unit_kind),
                     STATE_LABELS.get(r.state, r.state),
                     "Có" if r.counted else "Không", r.report_number or "", r.self_rating or "", antt]
                    + [r.metrics.get(k) for k in METRICS])
    return rows


def _awards(board: Dashboard) -> list[list]:
    return [["Tên tập thể, cá nhân", "Đơn vị", "Xã", "Hình thức", "Quyết định số"]] + [
        [a.name, a.unit_name, a.commune_name, a.award, a.decision_number or ""] for a in board.awards]


def _proposals(board: Dashboard) -> list[list]:
    return [["Đơn vị", "Xã", "Hình thức đề nghị", "Căn cứ"]] + [
        [a.row.unit_name, a.row.commune_name, a.rule.award, "\n".join(a.evidence)]
        for a in criteria.proposals(board.rows)]


def _late(board: Dashboard) -> list[list]:
    head: list[list] = [["Đơn vị", "Trạng thái", "Hạn nộp báo cáo", "Số ngày quá hạn"]]
    return head + [[x.unit_name, STATE_LABELS.get(x.state or "", x.state), x.deadline, x.days_late]
                   for x in board.late]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Would a spreadsheet program take this text for a formula (or a DDE command)?"""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """A CSV cell: None empty, formula-like text prefixed with “'” so that it stays text."""
    if value is None:
        return ""
    return "'" + value if is_formula_like(value) else value


def to_csv(board: Dashboard, name: str) -> bytes:
    """One table as CSV, UTF-8 with a BOM so that spreadsheet programs read the Vietnamese letters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table(board, name):
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _as_text(ws) -> None:
    """Every formula-like string of the sheet is a plain text cell (openpyxl writes “=…” as a formula)."""
    for row in ws.iter_rows():
        for cell in row:
            if is_formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def _print_setup(ws) -> None:
    """A4 landscape, fitted to one page wide, the header row repeated on every page."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"


def to_xlsx(board: Dashboard) -> bytes:
    """Every table on its own sheet, with a bold header row, frozen, and the counting rule noted."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for name in ("totals", "units", "awards", "proposals", "late"):
        ws = wb.create_sheet(SHEET_TITLES[name])
        for row in table(board, name):
            ws.append(row)
        for cell in ws[1]:
            cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        _as_text(ws)
        _print_setup(ws)
        for col in ws.columns:
            ws.column_dimensions[col[0].column_letter].width = min(60, max(10, *(len(str(c.value or ""))
                                                                                 for c in col[:50])) + 2)
    wb["Tổng hợp"].append([])
    wb["Tổng hợp"].append([COUNTED_NOTE])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
