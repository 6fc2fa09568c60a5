"""Every time printed on a paper or shown on a page is Vietnam time, whatever the server's zone
(issue 11 #10: a biên bản said “Thời gian: 03 giờ 45 phút” for 10:45)."""
from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from docx import Document as Docx
from sqlalchemy import select

from api_helpers import Api

VN = timezone(timedelta(hours=7))


@pytest.fixture
def server_in_utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _dossier_under_appraisal() -> int:
    from storage.db import write_session
    from storage.models import Campaign, Commune, Dossier, Nominee, Unit

    with write_session() as session:
        unit = Unit(commune_id=session.scalar(select(Commune.id)), name="Xóm Giờ Giấc", kind="hamlet")
        dossier = Dossier(unit=unit, campaign=session.scalar(select(Campaign).where(Campaign.year == 2026)),
                          state="under_appraisal", targets={})
        session.add(dossier)
        session.flush()
        session.add(Nominee(dossier_id=dossier.id, seq=1, name="Nguyễn Văn Giờ", kind="individual",
                            position="Tổ trưởng"))
        return dossier.id


def test_the_bien_ban_prints_the_meeting_time_in_vietnam_time_on_a_utc_server(server_in_utc, client, env):
    from storage.db import read_session
    from storage.files import store
    from storage.models import Document, Transition

    dossier_id = _dossier_under_appraisal()
    vhxh = Api(client, "vhxh")
    nominees = vhxh.get(f"/dossiers/{dossier_id}").get_json()["nominees"]
    r = vhxh.post(f"/dossiers/{dossier_id}/actions/appraise",
                  json={"verdicts": [{"nominee_id": n["id"], "verdict": "accepted"} for n in nominees]})
    assert r.status_code == 200, r.get_json()
    with read_session() as session:
        at = session.scalar(select(Transition.at).where(Transition.dossier_id == dossier_id,
                                                        Transition.action == "appraise"))
        doc = session.scalar(select(Document).where(Document.kind == "bien_ban_tham_dinh"))
        text = "\n".join(p.text for p in Docx(io.BytesIO(store().read(doc.sha256))).paragraphs)
    at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(VN)
    m = re.search(r"Thời gian: (\d\d) giờ (\d\d) phút, ngày (\d\d) tháng (\d\d) năm (\d{4})", text)
    assert m, text[:500]
    printed = datetime(int(m[5]), int(m[4]), int(m[3]), int(m[1]), int(m[2]), tzinfo=VN)
    assert abs(printed - at.replace(second=0, microsecond=0)) <= timedelta(minutes=1)
    assert doc.issued_on == at.date()          # the paper's date is Vietnam's date too


def test_the_printed_time_filters_convert_a_utc_timestamp(server_in_utc):
    from doc_templates import formats

    moment = datetime(2026, 11, 25, 3, 45, tzinfo=UTC)
    assert formats.vn_time(moment) == "10 giờ 45 phút"
    assert formats.vn_datetime(datetime(2026, 11, 25, 20, 5, tzinfo=UTC)) == \
        "03 giờ 05 phút, ngày 26 tháng 11 năm 2026"


def test_the_pages_show_times_in_vietnam_time(server_in_utc):
    from webapp.filters import vn_datetime

    assert vn_datetime(datetime(2026, 11, 25, 3, 45, tzinfo=UTC)) == "25/11/2026 10:45"
    assert vn_datetime(datetime(2026, 11, 25, 20, 5)) == "26/11/2026 03:05"   # stored naive = UTC
