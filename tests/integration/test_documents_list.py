"""The "Văn bản" list names the unit of each paper (issue 11, smaller items)."""
from __future__ import annotations

import re

from api_helpers import Api
from workflow_helpers import appraised_dossiers, login, user_id


def test_the_document_list_has_a_unit_column(client, env):
    for clerk in ("donvi01", "donvi02"):
        api = Api(client, clerk)
        assert api.post("/dossiers", json={"unit_id": api.unit_id(),
                                           "campaign_id": api.campaign_id()}).status_code == 201
    login(client, "congan")
    html = client.get("/documents").get_data(as_text=True)
    assert "<th>Đơn vị</th>" in html
    rows = re.findall(r"<tr><td>Bản đăng ký thi đua</td>.*?</tr>", html, re.S)
    assert len(rows) == 2
    assert "Trường Tiểu học Phượng Tiến" in rows[0] and "Trường Mầm non Phượng Tiến" in rows[1]   # newest first


def test_a_decision_for_many_units_names_two_and_counts_the_rest(client, env):
    from workflows import dossiers

    ids = appraised_dossiers(5)
    dossiers.approve(user_id("chutich"), ids)
    login(client, "chutich")
    html = client.get("/documents?kind=quyet_dinh").get_data(as_text=True)
    assert "và 3 đơn vị khác" in html
    login(client, "donvi01")
    assert "Tổ dân phố thử nghiệm" not in client.get("/documents").get_data(as_text=True)


def _docx_text(data: bytes) -> str:
    import io

    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _dang_ky(api: Api, dossier_id: int) -> str:
    docs = api.get(f"/dossiers/{dossier_id}").get_json()["documents"]
    doc_id = next(d["id"] for d in docs if d["kind"] == "dang_ky")
    return _docx_text(api.get(f"/documents/{doc_id}/file?format=docx").data)


def test_the_registration_is_signed_by_the_units_head_not_the_clerks_account(client, env):
    login(client, "donvi01")
    html = client.get("/dossiers/new").get_data(as_text=True)
    assert "Họ tên thủ trưởng đơn vị" in html and 'value="Ma Thị Hồng"' in html     # known from before
    clerk = Api(client, "donvi01")
    r = clerk.post("/dossiers", json={"unit_id": clerk.unit_id(), "campaign_id": clerk.campaign_id(),
                                      "head_name": "Nguyễn Thị Hoa", "head_title": "Phó Hiệu trưởng phụ trách"})
    assert r.status_code == 201, r.get_json()
    paper = _dang_ky(clerk, r.get_json()["id"])
    assert "Nguyễn Thị Hoa" in paper and "PHÓ HIỆU TRƯỞNG PHỤ TRÁCH" in paper
    assert "Cán bộ Trường Mầm non" not in paper                   # the clerk's account name
    login(client, "congan")
    html = client.get(f"/dossiers/new?unit_id={clerk.unit_id()}").get_data(as_text=True)
    assert 'value="Nguyễn Thị Hoa"' in html


def test_a_unit_with_no_known_head_must_name_one(client, env):
    from storage.db import write_session
    from storage.models import Unit

    with write_session() as session:
        unit = session.get(Unit, 2)
        unit.head_name = unit.head_title = None
    clerk = Api(client, "donvi02")
    r = clerk.post("/dossiers", json={"unit_id": 2, "campaign_id": clerk.campaign_id()})
    assert r.status_code == 422, r.get_json()
    assert "họ tên và chức vụ của thủ trưởng đơn vị" in r.get_json()["error"]["message"]
    r = clerk.post("/dossiers", json={"unit_id": 2, "campaign_id": clerk.campaign_id(), "head_name": "Hoàng Văn Tuấn",
                                      "head_title": "Hiệu trưởng"})
    assert r.status_code == 201
    assert "HIỆU TRƯỞNG" in _dang_ky(clerk, r.get_json()["id"])
