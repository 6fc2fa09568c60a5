"""A giấy khen can be checked as genuine: its QR code's link shows the decision, the awardee and the date."""
from __future__ import annotations

import io
import zipfile
from datetime import UTC

from sqlalchemy import select

from api_helpers import Api, appraised


def test_the_verification_link_of_a_certificate_shows_what_it_certifies(client, env):
    from storage.db import read_session
    from storage.models import Document

    d = appraised(client, env, "donvi20")
    out = Api(client, "chutich").post("/approvals", json={"dossier_ids": [d]}).get_json()
    with read_session() as s:
        cert = s.scalar(select(Document).where(Document.kind == "giay_khen").limit(1))
        code, name, sha = cert.verify_code, cert.nominee.name, cert.sha256
    from storage.files import store

    xml = zipfile.ZipFile(io.BytesIO(store().read(sha))).read("word/document.xml").decode()
    assert f"/verify/{code}" in xml, "the certificate prints its verification link"
    page = client.get(f"/verify/{code}")                       # anyone, no login: a citizen checks a paper
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and name in html and out["decision"]["number"] in html
    day, month, year = out["decision"]["date"].split("-")[::-1]
    assert f"{day}/{month}/{year}" in html
    fake = client.get("/verify/khong-phai-ma-that")
    assert fake.status_code == 404 and "Không tìm thấy giấy khen" in fake.get_data(as_text=True)


def test_a_cancelled_certificate_says_cancelled_when_and_why_on_the_public_page(sqlite_env):
    """Issue 14 #12: a giấy khen whose number the admin cancelled no longer verifies as genuine."""
    import re
    from datetime import timedelta, timezone

    from storage.db import read_session
    from storage.models import Document, RegisterEntry
    from webapp import create_app
    from workflow_helpers import appraised_dossiers, csrf_token, login, user_id
    from workflows import dossiers

    dossiers.approve(user_id("chutich"), appraised_dossiers(1, nominees=2))
    with read_session() as s:
        cert = s.scalar(select(Document).where(Document.kind == "giay_khen").order_by(Document.id).limit(1))
        other = s.scalar(select(Document).where(Document.kind == "giay_khen").order_by(Document.id.desc()).limit(1))
        code, other_code, entry_id, number = cert.verify_code, other.verify_code, cert.register_entry_id, cert.number
    admin = create_app({"TESTING": True}).test_client()
    login(admin, "admin")
    r = admin.post(f"/admin/registers/{entry_id}/cancel",
                   data={"csrf_token": csrf_token(admin, "/admin/registers"), "note": "Ghi sai tên người được khen"})
    assert r.status_code == 302
    with read_session() as s:
        at = s.get(RegisterEntry, entry_id).cancelled_at
    at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(timezone(timedelta(hours=7)))

    public = create_app({"TESTING": True}).test_client()
    html = public.get(f"/verify/{code}").get_data(as_text=True)
    assert "ĐÃ BỊ HỦY" in html and "do hệ thống cấp và còn lưu trong sổ" not in html
    assert "Ghi sai tên người được khen" in html and number in html
    assert at.strftime("%d/%m/%Y %H:%M") in html
    genuine = public.get(f"/verify/{other_code}").get_data(as_text=True)
    assert "do hệ thống cấp và còn lưu trong sổ" in genuine and "ĐÃ BỊ HỦY" not in genuine
    assert not re.search(r"0x[0-9a-f]{6}", html)
