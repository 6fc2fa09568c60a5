"""A giấy khen can be checked as genuine: its QR code's link shows the decision, the awardee and the date."""
from __future__ import annotations

import io
import zipfile

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
