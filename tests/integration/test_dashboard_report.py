"""The báo cáo tổng hợp: numbered by the police register, ND30 layout, totals = sums of the approved reports."""
from __future__ import annotations

import io
import re

from docx import Document as Docx
from sqlalchemy import select
from test_dashboard import approved_sums

from workflow_helpers import csrf_token, login


def table_rows(docx: bytes, index: int) -> list[list[str]]:
    doc = Docx(io.BytesIO(docx))
    return [[c.text.strip() for c in row.cells] for row in doc.tables[index].rows]


def number(text: str) -> int:
    return int(text.replace(".", "")) if text not in ("—", "") else 0


def issue_as(client, username: str) -> int:
    login(client, username)
    r = client.post("/dashboard/2026/bao-cao", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return int(re.search(r"bao-cao-(\d+)", r.headers["Location"]).group(1))


def test_the_bao_cao_totals_equal_the_sums_of_the_approved_reports_fields(client, env):
    import doc_templates
    from storage.db import read_session
    from storage.models import Document, Dossier, SummaryReport
    from workflows import demo_year
    from workflows.fields import FIELD_LABELS, METRICS

    demo_year.generate(60)
    doc_id = issue_as(client, "congan")
    r = client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=docx")
    assert r.status_code == 200
    assert doc_templates.check_nd30(r.data) == []
    totals = {row[1]: number(row[2]) for row in table_rows(r.data, 1)[1:]}    # table 0 is the header
    expected = approved_sums()
    assert {k: totals[FIELD_LABELS[k]] for k in METRICS} == expected
    text = "\n".join(p.text for p in Docx(io.BytesIO(r.data)).paragraphs)
    assert "BÁO CÁO" in text and "đã được Chủ tịch UBND xã phê duyệt" in text     # it says which set it sums
    with read_session() as session:
        doc = session.get(Document, doc_id)
        scope = session.get(SummaryReport, doc_id)
        approved = set(session.scalars(select(Dossier.id).where(Dossier.state == "approved")))
        assert doc.number == "01/BC-CAX" and doc.kind == "bao_cao_tong_hop" and doc.dossier_ids == []
        assert set(scope.dossier_ids) == approved and scope.totals == expected
    per_unit = [t for t in Docx(io.BytesIO(r.data)).tables if t.cell(0, 0).text.strip() == "Loại đơn vị"]
    assert len(per_unit) == len(approved)                 # one table per counted unit


def test_the_bao_cao_proposes_only_units_whose_records_prove_the_criteria(client, env):
    from workflows import demo_year

    demo_year.generate(60)
    doc_id = issue_as(client, "congan")
    data = client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=docx").data
    text = "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)
    proposals = re.findall(r"Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho (.+)\.", text)
    assert proposals, "some generated units meet every criterion the records can prove"
    assert "Cờ thi đua" not in text.split("IV. ĐỀ XUẤT")[1]
    assert "Quyết định số 99/QĐ-UBND" in text and "Bản đăng ký thi đua ngày" in text    # the evidence
    from test_dashboard import board_for

    rows = {r.unit_name: r for r in board_for("congan").rows}
    for name in proposals:
        row = rows[name]
        assert row.state == "approved" and row.antt_standard is True and row.self_rating == "Xuất sắc"


def test_only_the_communes_officers_may_read_the_bao_cao(client, env):
    doc_id = issue_as(client, "congan")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "vhxh")
    assert client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=docx").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "donvi01")
    assert client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=docx").status_code in (403, 404)
    from api_helpers import Api

    assert Api(client, "donvi01").get(f"/documents/{doc_id}").status_code == 404


def test_only_the_police_issue_the_bao_cao(client, env):
    login(client, "chutich")
    r = client.post("/dashboard/2026/bao-cao", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert r.status_code == 403


def test_the_bao_cao_pdf_is_made_in_the_background(sqlite_env, tmp_path):
    import os

    from webapp import create_app
    from workflows import demo_year

    demo_year.generate(12)
    client = create_app({"TESTING": True}).test_client()
    doc_id = issue_as(client, "congan")
    assert client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=pdf").status_code == 409    # not made yet
    sqlite_env.run_jobs()
    r = client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    if os.environ.get("KEEP_PDF"):
        open(os.environ["KEEP_PDF"], "wb").write(r.data)
