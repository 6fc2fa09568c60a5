"""Electronic originals in the workflow: the chairman signs the quyết định at approval, the văn thư adds the
commune's signature, /verify says ours/intact/not ours, and a signed report shows its signer on the dossier.
Real LibreOffice (PDF/A), real pyHanko, the demo PKI of `make run`."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import DEMO_PASSWORD
from doc_templates import demo_pki, signing
from extractors.signatures import read_signatures, verify_issued

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture
def pki(request):
    """The demo keys as `make run` loads them, in the test's installation (SQLite, or each database)."""
    from workflows import esign

    installation = request.getfixturevalue("env" if "env" in request.fixturenames else "sqlite_env")
    return esign.load_demo(installation.var_dir / "pki", DEMO_PASSWORD)


@pytest.fixture(scope="module")
def other_pki(tmp_path_factory):
    """Another CA with the same names: only the chain tells it apart."""
    return demo_pki.create(tmp_path_factory.mktemp("other"), DEMO_PASSWORD)


def _decision():
    from storage.db import read_session
    from storage.files import store
    from storage.models import Document

    with read_session() as s:
        doc = s.scalar(select(Document).where(Document.kind == "quyet_dinh").order_by(Document.id.desc()))
        pdf = store().read(doc.pdf_sha256) if doc.pdf_sha256 else None
        return doc.id, doc.number, doc.signed_at, doc.sealed_at, pdf


def _post(client, path, data, page):
    from workflow_helpers import csrf_token

    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def test_the_decision_is_signed_by_the_chairman_then_sealed_by_the_van_thu(env, pki, tmp_path):
    from storage.db import read_session
    from storage.files import store
    from storage.models import Document, Dossier, RegisterEntry, Transition
    from webapp import create_app
    from workflow_helpers import appraised_dossiers, login

    ids = appraised_dossiers(1, nominees=2)
    app = create_app({"TESTING": True})
    chair = app.test_client()
    login(chair, "chutich")
    assert "Mật khẩu chứng thư số" in chair.get("/approvals").get_data(as_text=True)

    wrong = _post(chair, "/approvals", {"dossier_ids": ids, "password": "sai-mat-khau"}, "/approvals")
    assert wrong.status_code == 422 and "sai mật khẩu" in wrong.get_data(as_text=True)
    with read_session() as s:
        assert s.get(Dossier, ids[0]).state == "appraised"
        assert s.scalar(select(RegisterEntry).where(RegisterEntry.kind == "quyet_dinh")) is None, "no number used"

    ok = _post(chair, "/approvals", {"dossier_ids": ids, "password": DEMO_PASSWORD}, "/approvals")
    assert ok.status_code == 302, ok.get_data(as_text=True)[:400]
    doc_id, number, signed_at, sealed_at, pdf = _decision()
    assert signed_at is not None and sealed_at is None
    roots = [pki["ca"].read_bytes()]
    one = read_signatures(pdf, roots)["signatures"]
    assert [s["signer"]["name"] for s in one] == ["Ma Văn Thành (DEMO)"] and one[0]["status"] == "valid"

    clerk = app.test_client()
    login(clerk, "vanthu")
    inbox = clerk.get("/").get_data(as_text=True)
    assert "Văn bản chờ đóng dấu số" in inbox and number in inbox
    r = _post(clerk, f"/documents/{doc_id}/seal", {"password": DEMO_PASSWORD}, f"/documents/{doc_id}")
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    assert "Văn bản chờ đóng dấu số" not in clerk.get("/").get_data(as_text=True)
    from api_helpers import Api

    shown = Api(app.test_client(), "vanthu").get(f"/documents/{doc_id}").get_json()
    assert shown["signed_at"] and shown["sealed_at"]
    again = _post(clerk, f"/documents/{doc_id}/seal", {"password": DEMO_PASSWORD}, f"/documents/{doc_id}")
    assert again.status_code == 409, "a signed document is never signed again"

    _, _, _, sealed_at, sealed = _decision()
    sigs = read_signatures(sealed, roots)["signatures"]
    assert [s["signer"]["name"] for s in sigs] == ["Ma Văn Thành (DEMO)", "Ủy ban nhân dân xã Phượng Tiến (DEMO)"]
    assert all(s["status"] == "valid" and s["trusted"] for s in sigs)
    assert verify_issued(sealed, roots)["status"] == "ours_intact"
    from doc_templates.pdf import pdfa_part

    assert pdfa_part(sealed) == "2B", "the electronic original is PDF/A-2b"
    broken = one_byte_changed(sealed)
    assert verify_issued(bytes(broken), roots)["status"] in ("ours_modified", "modified", "unreadable")
    assert not verify_issued(bytes(broken), roots)["intact"]

    with read_session() as s:
        rows = list(s.scalars(select(Transition).where(Transition.dossier_id == ids[0]).order_by(Transition.id)))
        assert [t.action for t in rows][-2:] == ["approve", "seal_document"]
        assert len(rows[-1].files) == 6 and rows[-1].role == "van_thu", "before/after of the decision and 2 giấy khen"
        certs = list(s.scalars(select(Document).where(Document.parent_id == doc_id).order_by(Document.id)))
        assert len(certs) == 2 and all(c.signed_at and c.sealed_at for c in certs)
        code, cert_pdf = certs[0].verify_code, store().read(certs[0].pdf_sha256)
    assert [s["signer"]["name"] for s in read_signatures(cert_pdf, roots)["signatures"]] == [
        "Ma Văn Thành (DEMO)", "Ủy ban nhân dân xã Phượng Tiến (DEMO)"]
    _render_png(cert_pdf, tmp_path, "giay-khen")
    from workflows import history

    with read_session() as s:
        problems = [p for p in history.verify(s, store()) if "(appraise," not in p]   # the helper's unsealed rows
        assert problems == [], "the history chain and every file it names (signed PDFs too) are intact"
    qr = chair.get(f"/verify/{code}").get_data(as_text=True)         # the QR code's page says it too
    assert 'data-status="ours_intact"' in qr and "Ủy ban nhân dân xã Phượng Tiến (DEMO)" in qr
    page = chair.get(f"/dossiers/{ids[0]}").get_data(as_text=True)
    assert "Ký số cơ quan (đóng dấu số)" in page

    first = _render_png(sealed, tmp_path)
    red = sum(1 for r, g, b in first.get_flattened_data() if r > 180 and g < 90 and b < 90)
    blue = sum(1 for r, g, b in first.get_flattened_data() if b > 120 and r < 90 and g < 90)
    assert red > 2000 and blue > 300, "the seal (red) and the chairman's signature (blue) are drawn on page 1"


def one_byte_changed(pdf: bytes) -> bytes:
    """One byte of the signed part changed (in the producer's name: the file stays readable)."""
    at = pdf.index(b"LibreOffice")           # in the first revision, which every signature covers
    return pdf[:at] + b"l" + pdf[at + 1:]


def _render_png(pdf: bytes, where, name: str = "decision"):
    """The page with the signature block, as an image, for a person to look at (kept under /work/cache)."""
    import os

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    doc.init_forms()                                        # the signature widgets are drawn too
    out = os.environ.get("ESIGN_PNG_DIR")
    for i in range(len(doc)):
        image = doc[i].render(scale=1.5, may_draw_forms=True).to_pil()
        image.save(where / f"{name}-page-{i + 1}.png")
        if out:
            os.makedirs(out, exist_ok=True)
            image.save(os.path.join(out, f"{name}-page-{i + 1}.png"))
    return doc[0].render(scale=1.5, may_draw_forms=True).to_pil().convert("RGB")


SOFTHSM = next((p for p in ("/usr/lib/softhsm/libsofthsm2.so",
                            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so") if Path(p).exists()), None)
PIN = "246810"


@pytest.fixture
def deputy_on_token(sqlite_env, pki, tmp_path, monkeypatch):
    """The vice-chairman's key moved onto a SoftHSM2 token, registered as his signing key (a token reference)."""
    import pkcs11
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        pkcs12,
    )
    from pkcs11 import Attribute, CertificateType, ObjectClass

    from storage.db import write_session
    from storage.files import store
    from storage.models import User
    from workflows import esign

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "pct-token", "--so-pin", "87654321",
                    "--pin", PIN], check=True, capture_output=True)
    key, cert, _ = pkcs12.load_key_and_certificates(pki["phochutich.p12"].read_bytes(), DEMO_PASSWORD.encode())
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", "pct-token", "--label", "pct", "--id", "01",
                    "--pin", PIN], check=True, capture_output=True)
    pem.unlink()
    pkcs11.lib(SOFTHSM).reinitialize()   # the token was made after this process loaded the library
    with pkcs11.lib(SOFTHSM).get_token(token_label="pct-token").open(user_pin=PIN, rw=True) as session:
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.TOKEN: True,
                               Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.LABEL: "pct",
                               Attribute.ID: b"\x01", Attribute.VALUE: cert.public_bytes(Encoding.DER),
                               Attribute.SUBJECT: cert.subject.public_bytes()})
    with write_session() as s:
        deputy = s.scalar(select(User).where(User.username == "phochutich"))
        esign.add_key(s, store(), commune_id=deputy.commune_id, user_id=deputy.id,
                      image_png=pki["phochutich.png"].read_bytes(),
                      token={"module": SOFTHSM, "token_label": "pct-token", "key_label": "pct"})


@pytest.mark.skipif(SOFTHSM is None or shutil.which("softhsm2-util") is None, reason="softhsm2 is not installed")
def test_a_deputy_signs_kt_chu_tich_with_a_token_and_approval_needs_the_pin(sqlite_env, pki, deputy_on_token):
    from storage.db import read_session
    from storage.models import Dossier
    from workflow_helpers import appraised_dossiers, user_id
    from workflows import dossiers
    from workflows.errors import Invalid

    ids = appraised_dossiers(1)
    with pytest.raises(Invalid, match="Cần nhập mã PIN"):
        dossiers.approve(user_id("phochutich"), ids)
    with pytest.raises(Invalid, match="sai mã PIN"):
        dossiers.approve(user_id("phochutich"), ids, password="000000")
    with read_session() as s:
        assert s.get(Dossier, ids[0]).state == "appraised"
    dossiers.approve(user_id("phochutich"), ids, password=PIN)
    _, _, _, _, pdf = _decision()
    sigs = read_signatures(pdf, [pki["ca"].read_bytes()])["signatures"]
    assert sigs[0]["signer"]["name"] == "Chu Tiến Dũng (DEMO)" and sigs[0]["status"] == "valid"
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() for page in doc.pages)
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text
    block = signing.find_block(pdf, "PHÓ CHỦ TỊCH", "Chu Tiến Dũng")
    page, (_, y0, _, y1) = signing._widget(signing._reader(pdf), signing.SIGNER_FIELD)
    assert page == block.page and block.name[3] < (y0 + y1) / 2 < block.title[1], "between title and name"


def test_verify_upload_says_ours_intact_modified_or_not_ours(sqlite_env, pki, other_pki):
    from webapp import create_app
    from workflow_helpers import appraised_dossiers, user_id
    from workflows import dossiers

    dossiers.approve(user_id("chutich"), appraised_dossiers(1), password=DEMO_PASSWORD)
    _, _, _, _, ours = _decision()
    client = create_app({"TESTING": True}).test_client()        # anyone, without signing in

    def check(data: bytes) -> str:
        import io

        from workflow_helpers import csrf_token
        r = client.post("/verify", data={"file": (io.BytesIO(data), "van-ban.pdf"),
                                         "csrf_token": csrf_token(client, "/verify")},
                        content_type="multipart/form-data")
        assert r.status_code == 200
        return r.get_data(as_text=True)

    html = check(ours)
    assert 'data-status="ours_intact"' in html and "còn nguyên vẹn" in html and "Ma Văn Thành (DEMO)" in html
    tampered = ours + b"\n% appended after signing\n"
    assert 'data-status="ours_modified"' in check(tampered)
    theirs = signing.sign_as_signer(_pdfa_without_signature(ours), signing.pkcs12_signer(
        other_pki["chutich.p12"].read_bytes(), DEMO_PASSWORD), other_pki["chutich.png"].read_bytes(),
        title="CHỦ TỊCH", name="Ma Văn Thành")
    assert 'data-status="not_ours"' in check(theirs)
    assert 'data-status="unreadable"' in check(b"not a pdf at all")


def _pdfa_without_signature(signed: bytes) -> bytes:
    """The file as it was before its first signature (the original revision of an incremental update)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    contents_at = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].byte_range[1]
    cut = signed.rfind(b"%%EOF", 0, contents_at)      # the end of the revision the update was appended to
    assert cut > 0
    return signed[:cut + len(b"%%EOF")] + b"\n"


def test_a_report_signed_with_another_certificate_shows_its_signer_on_the_dossier(env, pki, other_pki, tmp_path):
    from storage.db import read_session
    from storage.models import Dossier, Transition, Unit
    from webapp import create_app
    from workflow_helpers import appraised_dossiers, login, user_id
    from workflows import dossiers

    dossiers.approve(user_id("chutich"), appraised_dossiers(1), password=DEMO_PASSWORD)
    _, _, _, _, ours = _decision()
    report = signing.sign_as_signer(_pdfa_without_signature(ours), signing.pkcs12_signer(
        other_pki["phochutich.p12"].read_bytes(), DEMO_PASSWORD), other_pki["phochutich.png"].read_bytes(),
        title="CHỦ TỊCH", name="Ma Văn Thành")
    path = tmp_path / "bao-cao-ky-so.pdf"
    path.write_bytes(report)
    with read_session() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.name == "Trường Mầm non Phượng Tiến"))
        campaign_id = s.scalar(select(Dossier.campaign_id).limit(1))
    dossier_id = dossiers.register(user_id("donvi01"), unit_id, campaign_id)
    dossiers.submit_report(user_id("donvi01"), dossier_id, path, "bao-cao-ky-so.pdf")
    env.run_jobs()

    app = create_app({"TESTING": True})
    client = app.test_client()
    login(client, "congan")
    html = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Chữ ký số trên tệp" in html and "Chu Tiến Dũng (DEMO)" in html
    assert "signature-untrusted" in html, "a certificate from a CA the admin did not configure is not trusted"
    with read_session() as s:
        row = s.scalars(select(Transition).where(Transition.dossier_id == dossier_id,
                                                 Transition.action == "check_signatures")).one()
        assert "Chu Tiến Dũng (DEMO)" in row.comment
        from storage.files import store
        from workflows import history

        assert [p for p in history.verify(s, store()) if "(appraise," not in p] == []  # the helper's rows aside

    broken = one_byte_changed(report)
    path.write_bytes(broken)
    dossiers.submit_report(user_id("donvi01"), dossier_id, path, "bao-cao-sua.pdf")
    env.run_jobs()
    html = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    start = html.find("Chữ ký số trên tệp")
    assert re.search(r'signature-(modified|invalid)".*?class="error-text"', html, re.DOTALL), html[start:start + 1500]


def test_the_admin_imports_a_key_and_a_trusted_root(sqlite_env, pki, other_pki):
    """A new certificate for the chairman (checked with its password, which is not kept), then its CA trusted."""
    import io

    from storage.db import read_session
    from storage.models import SigningKey
    from webapp import create_app
    from workflow_helpers import appraised_dossiers, csrf_token, login, user_id
    from workflows import dossiers

    client = create_app({"TESTING": True}).test_client()
    login(client, "admin")

    def send(path, **data):
        files = {k: (io.BytesIO(v), k) for k, v in data.items() if isinstance(v, bytes)}
        rest = {k: v for k, v in data.items() if not isinstance(v, bytes)}
        return client.post(path, data={**rest, **files, "csrf_token": csrf_token(client, "/admin/signing")},
                           content_type="multipart/form-data")

    p12, png = other_pki["chutich.p12"].read_bytes(), other_pki["chutich.png"].read_bytes()
    chair = str(user_id("chutich"))
    r = send("/admin/signing/keys", holder=chair, image=png, p12=p12, password="sai")
    assert r.status_code == 422 and "sai mật khẩu" in r.get_data(as_text=True)
    assert send("/admin/signing/keys", holder=chair, image=b"GIF89a", p12=p12,
                password=DEMO_PASSWORD).status_code == 422
    assert send("/admin/signing/keys", holder=chair, image=png, p12=p12, password=DEMO_PASSWORD).status_code == 302
    page = client.get("/admin/signing").get_data(as_text=True)
    assert "Ma Văn Thành (DEMO)" in page and "CA thử nghiệm — DEMO" in page
    with read_session() as s:
        keys = list(s.scalars(select(SigningKey).where(SigningKey.user_id == int(chair))))
        assert [k.active for k in keys] == [False, True], "the old key is kept, retired"
        assert DEMO_PASSWORD not in repr([k.__dict__ for k in keys])

    dossiers.approve(user_id("chutich"), appraised_dossiers(1), password=DEMO_PASSWORD)
    _, _, _, _, pdf = _decision()
    from workflows import esign

    assert esign.verify(pdf)["status"] == "not_ours"
    assert send("/admin/signing/roots", cert=b"-----BEGIN CERTIFICATE-----\nxx\n").status_code == 422
    assert send("/admin/signing/roots", cert=other_pki["ca"].read_bytes(), label="CA khác").status_code == 302
    assert esign.verify(pdf)["status"] == "ours_intact"
