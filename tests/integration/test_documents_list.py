"""The "Văn bản" list names the unit of each paper (issue 11, smaller items)."""
from __future__ import annotations

import re

from api_helpers import Api
from workflow_helpers import appraised_dossiers, login, user_id


def test_the_document_list_has_a_unit_column(client, env):
    for clerk in ("donvi01", "donvi02"):
        api = Api(client, clerk)
        assert api.post("/dossiers", json={"unit_id": api.unit_id(), "campaign_id": api.campaign_id()}).status_code == 201
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
