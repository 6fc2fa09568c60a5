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
