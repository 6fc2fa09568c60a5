"""Digitally signed papers (ND30 Phụ lục I): real LibreOffice PDF/A, real pyHanko, a real SoftHSM2 token."""
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from doc_templates import PdfConverter, check_nd30, demo_pki, render, samples, signing
from doc_templates.errors import SigningError
from doc_templates.pdf import pdfa_part
from extractors.signatures import read_signatures, verify_issued

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
PASSWORD = "mật-khẩu-demo"
MM = 72 / 25.4
VN = dt.timezone(dt.timedelta(hours=7))
SOFTHSM = next((p for p in ("/usr/lib/softhsm/libsofthsm2.so",
                            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so") if Path(p).exists()), None)
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "real-dev"
VICE = "Chu Tiến Dũng"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return demo_pki.create(tmp_path_factory.mktemp("pki"), PASSWORD)


@pytest.fixture(scope="module")
def other_pki(tmp_path_factory):
    """A second, untrusted CA (same names: only the chain tells them apart)."""
    return demo_pki.create(tmp_path_factory.mktemp("other-pki"), PASSWORD)


def contexts() -> dict:
    qd, gk = samples.quyet_dinh(), samples.giay_khen()
    for ctx in (qd, gk):
        ctx["signer"]["name"] = VICE           # the holder of the demo vice-chairman's certificate
    return {"quyet_dinh": qd, "giay_khen": gk}


@pytest.fixture(scope="module")
def docx():
    return {kind: render(kind, ctx) for kind, ctx in contexts().items()}


@pytest.fixture(scope="module")
def pdfa(docx, tmp_path_factory):
    with PdfConverter(workdir=tmp_path_factory.mktemp("lo"), pdfa=True) as conv:
        return dict(zip(docx, conv.to_pdf_many(list(docx.values())), strict=False))


def key(pki, name: str):
    return signing.pkcs12_signer(pki[f"{name}.p12"].read_bytes(), PASSWORD)


def sign_both(pdf: bytes, pki) -> bytes:
    signed = signing.sign_as_signer(pdf, key(pki, "phochutich"), pki["phochutich.png"].read_bytes(),
                                    title="PHÓ CHỦ TỊCH", name=VICE)
    return signing.sign_as_body(signed, key(pki, "ubnd"), pki["ubnd.png"].read_bytes())


@pytest.fixture(scope="module")
def signed(pdfa, pki):
    return {kind: sign_both(pdf, pki) for kind, pdf in pdfa.items()}


def roots(pki) -> list[bytes]:
    return [pki["ca"].read_bytes()]


# --- PDF/A and the ND30 check ---------------------------------------------------------------------

def test_conversion_emits_pdfa_2b_and_the_nd30_check_still_passes(pdfa, docx):
    assert {pdfa_part(pdf) for pdf in pdfa.values()} == {"2B"}
    assert check_nd30(docx["quyet_dinh"]) == [] and check_nd30(docx["giay_khen"]) == []


def test_a_pdf_that_is_not_pdfa_is_refused(pki, docx, tmp_path):
    with PdfConverter(workdir=tmp_path) as conv:
        plain = conv.to_pdf(docx["giay_khen"])
    assert pdfa_part(plain) is None
    with pytest.raises(SigningError, match="PDF/A-2"):
        signing.sign_as_signer(plain, key(pki, "phochutich"), pki["phochutich.png"].read_bytes(),
                               title="PHÓ CHỦ TỊCH", name=VICE)


# --- what a reader of the signed file sees --------------------------------------------------------

@pytest.mark.parametrize("kind", ["quyet_dinh", "giay_khen"])
def test_issued_paper_validates_by_the_vice_chairman_and_the_commune(signed, pki, kind):
    before = dt.datetime.now(VN) - dt.timedelta(minutes=5)
    result = read_signatures(signed[kind], roots(pki))
    assert result["status"] == "signed"
    person, body = result["signatures"]
    assert person["signer"]["name"].startswith(VICE) and person["signer"]["title"] == "Phó Chủ tịch UBND xã"
    assert body["signer"]["name"].startswith("Ủy ban nhân dân xã Phượng Tiến")
    assert "DEMO — không có giá trị pháp lý" in body["signer"]["organisation"]
    for sig in (person, body):
        assert sig["status"] == "valid" and sig["trusted"] and not sig["changed_after_signing"]
        assert sig["signed_at"].endswith("+07:00")
        assert before <= dt.datetime.fromisoformat(sig["signed_at"]) <= dt.datetime.now(VN)
    verdict = verify_issued(signed[kind], roots(pki))
    assert (verdict["status"], verdict["ours"], verdict["intact"]) == ("ours_intact", True, True)
    assert [s["name"].split(" (")[0] for s in verdict["signers"]] == [VICE, "Ủy ban nhân dân xã Phượng Tiến"]


def test_changing_one_byte_breaks_it(signed, pki):
    data = bytearray(signed["quyet_dinh"])
    at = data.index(b"LibreOffice")          # the producer in the signed part of the file
    data[at] = ord("X")
    result = read_signatures(bytes(data), roots(pki))
    assert result["status"] == "signed"
    assert all(s["status"] == "modified" and "bị sửa đổi sau khi ký" in s["message"] for s in result["signatures"])
    verdict = verify_issued(bytes(data), roots(pki))
    assert not verdict["intact"] and "bị sửa đổi sau khi ký" in verdict["message"]


def append_change(pdf: bytes) -> bytes:
    """An incremental update after signing: a harmless-looking change of the document language."""
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    writer.root[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_anything_appended_after_signing_is_reported(signed, pki):
    verdict = verify_issued(append_change(signed["giay_khen"]), roots(pki))
    assert verdict["ours"] and not verdict["intact"] and verdict["status"] == "ours_modified"


def test_the_body_does_not_seal_a_paper_changed_after_the_signer_signed(pdfa, pki):
    person = signing.sign_as_signer(pdfa["giay_khen"], key(pki, "phochutich"), pki["phochutich.png"].read_bytes(),
                                    title="PHÓ CHỦ TỊCH", name=VICE)
    with pytest.raises(SigningError, match="bị sửa đổi sau khi ký"):
        signing.sign_as_body(append_change(person), key(pki, "ubnd"), pki["ubnd.png"].read_bytes())


def test_a_certificate_from_another_ca_is_not_ours(pdfa, pki, other_pki):
    foreign = sign_both(pdfa["giay_khen"], other_pki)
    result = read_signatures(foreign, roots(pki))
    assert [s["status"] for s in result["signatures"]] == ["untrusted", "untrusted"]
    assert result["signatures"][0]["signer"]["name"].startswith(VICE)      # who signed is still shown
    verdict = verify_issued(foreign, roots(pki))
    assert (verdict["status"], verdict["ours"]) == ("not_ours", False)
    assert verify_issued(foreign, roots(other_pki))["status"] == "ours_intact"


# --- nothing signed can change --------------------------------------------------------------------

def test_signed_papers_are_never_signed_again(signed, pdfa, pki):
    with pytest.raises(SigningError, match="không được ký lại"):
        signing.sign_as_signer(signed["giay_khen"], key(pki, "phochutich"), pki["phochutich.png"].read_bytes(),
                               title="PHÓ CHỦ TỊCH", name=VICE)
    with pytest.raises(SigningError, match="đã có chữ ký số của cơ quan"):
        signing.sign_as_body(signed["giay_khen"], key(pki, "ubnd"), pki["ubnd.png"].read_bytes())
    with pytest.raises(SigningError, match="chưa có chữ ký số của người có thẩm quyền"):
        signing.sign_as_body(pdfa["giay_khen"], key(pki, "ubnd"), pki["ubnd.png"].read_bytes())


def test_wrong_password_and_missing_signature_block_are_clear(pki, pdfa):
    with pytest.raises(SigningError, match="sai mật khẩu"):
        signing.pkcs12_signer(pki["ubnd.p12"].read_bytes(), "sai")
    with pytest.raises(SigningError, match="Không tìm thấy khối chữ ký"):
        signing.sign_as_signer(pdfa["giay_khen"], key(pki, "chutich"), pki["chutich.png"].read_bytes(),
                               title="CHỦ TỊCH", name="Ma Văn Thành")


# --- where the images are -------------------------------------------------------------------------

def words(pdf: bytes, page: int = 0) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return doc.pages[page].extract_words()


def line(ws: list[dict], text: str) -> dict:
    """The lowest run of words spelling `text` (PDF coordinates: x0, x1, y0 = bottom, y1 = top)."""
    tokens = text.split()
    hits = [ws[i:i + len(tokens)] for i in range(len(ws)) if [w["text"] for w in ws[i:i + len(tokens)]] == tokens]
    run = max(hits, key=lambda r: r[0]["top"])
    return {"x0": run[0]["x0"], "x1": run[-1]["x1"], "top": run[0]["top"], "bottom": run[0]["bottom"]}


def widgets(pdf: bytes) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    out = {}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        out[field["/T"]] = [float(v) for v in field["/Rect"]]
    return out


@pytest.mark.parametrize("kind", ["quyet_dinh", "giay_khen"])
def test_images_are_placed_as_nd30_says(signed, kind):
    import pypdfium2 as pdfium

    height = pdfium.PdfDocument(signed[kind])[0].get_size()[1]
    ws = words(signed[kind])
    title, name = line(ws, "PHÓ CHỦ TỊCH"), line(ws, VICE)
    rects = widgets(signed[kind])
    sx0, sy0, sx1, sy1 = rects[signing.SIGNER_FIELD]
    # the signer's image lies between the title line and the name line, centred on them
    assert height - title["bottom"] >= sy1 and sy0 >= height - name["top"]
    gap_mid = height - (title["bottom"] + name["top"]) / 2
    assert (sy0 + sy1) / 2 == pytest.approx(gap_mid, abs=1)
    column_mid = ((title["x0"] + title["x1"]) / 2 + (name["x0"] + name["x1"]) / 2) / 2
    assert (sx0 + sx1) / 2 == pytest.approx(column_mid, abs=1)
    assert sx1 - sx0 > 30 * MM                           # a signature, not a dot
    # the seal: real size, covering about a third of the signature on its left
    cx0, cy0, cx1, cy1 = rects[signing.BODY_FIELD]
    assert cx1 - cx0 == pytest.approx(36 * MM, abs=0.5) and cy1 - cy0 == pytest.approx(36 * MM, abs=0.5)
    assert (cx1 - sx0) / (sx1 - sx0) == pytest.approx(1 / 3, abs=0.02)
    assert (cy0 + cy1) / 2 == pytest.approx((sy0 + sy1) / 2, abs=1)


def test_the_annex_in_the_same_file_is_not_signed_again(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed["quyet_dinh"]), strict=False)
    first, annex = (ref.get_object() for ref in reader.root["/Pages"]["/Kids"])
    assert len(reader.embedded_signatures) == 2
    assert len(first["/Annots"]) == 2 and "/Annots" not in annex      # both signatures on the decision


def test_a_signature_block_on_a_later_page_is_found_there(pki, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    ctx = samples.to_trinh()
    ctx["nominees"] = [n | {"no": i + 1} for i, n in enumerate(samples.to_trinh()["nominees"] * 8)]
    with PdfConverter(workdir=tmp_path, pdfa=True) as conv:
        pdf = conv.to_pdf(render("to_trinh", ctx))
    signer = ctx["signer"]
    block = signing.find_block(pdf, signer["title"], signer["name"])
    assert block.page >= 1                            # the list pushed the block off page one
    signed = signing.sign_as_signer(pdf, key(pki, "chutich"), pki["chutich.png"].read_bytes(),
                                    title=signer["title"], name=signer["name"])
    signed = signing.sign_as_body(signed, key(pki, "ubnd"), pki["ubnd.png"].read_bytes())
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    pages = [ref.idnum for ref in reader.root["/Pages"]["/Kids"]]        # LibreOffice writes a flat tree
    for ref in reader.root["/AcroForm"]["/Fields"]:
        assert pages.index(ref.get_object().raw_get("/P").idnum) == block.page
    ws, rects = words(signed, block.page), widgets(signed)
    name = line(ws, signer["name"])
    height = 841.89
    assert rects[signing.SIGNER_FIELD][1] >= height - name["top"]       # above the name, on that page


def render_page(pdf: bytes, tmp_path: Path, dpi: int = 72):
    from PIL import Image

    src = tmp_path / "in.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(src),
                    str(tmp_path / "page")], check=True)
    return Image.open(tmp_path / "page.png").convert("RGB")


def count(image, box, pdf_height: float, colour) -> int:
    """Pixels of one colour (blue or red ink) inside a widget rectangle (PDF points, 72 dpi image)."""
    x0, y0, x1, y1 = box
    crop = image.crop((int(x0), int(pdf_height - y1), int(x1), int(pdf_height - y0)))
    test = {"blue": lambda r, g, b: b > 120 and b > r + 60,
            "red": lambda r, g, b: r > 150 and r > g + 80 and r > b + 80}[colour]
    return sum(1 for px in crop.get_flattened_data() if test(*px))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_rendered_paper_shows_a_blue_signature_under_a_red_seal(signed, tmp_path):
    image = render_page(signed["quyet_dinh"], tmp_path)
    rects = widgets(signed["quyet_dinh"])
    signature, seal = rects[signing.SIGNER_FIELD], rects[signing.BODY_FIELD]
    right_of_seal = (seal[2] + 1, signature[1], signature[2], signature[3])
    assert count(image, right_of_seal, image.height, "blue") > 100
    assert count(image, seal, image.height, "red") > 300
    assert count(image, seal, image.height, "blue") < count(image, right_of_seal, image.height, "blue")


# --- an annex in its own file ---------------------------------------------------------------------

def test_separate_annex_gets_the_bodys_signature_with_number_and_time_top_right(pdfa, pki):
    import pypdfium2 as pdfium

    annex = signing.sign_separate_annex(pdfa["quyet_dinh"], key(pki, "ubnd"), number="05/QĐ-UBND")
    [sig] = read_signatures(annex, roots(pki))["signatures"]
    assert sig["status"] == "valid" and sig["signer"]["name"].startswith("Ủy ban nhân dân xã")
    doc = pdfium.PdfDocument(annex)                  # flatten the widget to read what it prints
    doc.init_forms()
    width, _ = doc[0].get_size()
    doc[0].flatten()
    buf = io.BytesIO()
    doc.save(buf)
    top = [w for w in words(buf.getvalue()) if w["top"] < 20 * MM and w["x0"] > width / 2]
    texts = [w["text"] for w in top]
    assert texts[0] == "05/QĐ-UBND"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", texts[1])
    assert texts[1] == sig["signed_at"]              # the printed time is the signing time
    assert max(w["x1"] for w in top) <= width - 15 * MM + 1
    from pyhanko.pdf_utils.reader import PdfFileReader
    field = PdfFileReader(io.BytesIO(annex), strict=False).root["/AcroForm"]["/Fields"][0].get_object()
    xobjects = field["/AP"]["/N"].get_object()["/Resources"].get("/XObject", {})
    assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())   # no image


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) not installed")
def test_signed_files_keep_every_font_embedded(pdfa, pki, tmp_path):
    path = tmp_path / "annex.pdf"
    path.write_bytes(signing.sign_separate_annex(pdfa["quyet_dinh"], key(pki, "ubnd"), number="05/QĐ-UBND"))
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(rows) >= 2 and all(row.split()[-5] == "yes" for row in rows)


# --- a hardware token through PKCS#11 (SoftHSM2) --------------------------------------------------

@pytest.fixture
def token(tmp_path, monkeypatch, pki):
    """A SoftHSM2 token holding the vice-chairman's key (imported) and certificate."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "xa-phuong-tien",
                    "--so-pin", "87654321", "--pin", "246810"], check=True, capture_output=True)
    key_obj, cert, _ = pkcs12.load_key_and_certificates(pki["phochutich.p12"].read_bytes(), PASSWORD.encode())
    pem = tmp_path / "key.pem"
    pem.write_bytes(key_obj.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", "xa-phuong-tien", "--label", "pct",
                    "--id", "01", "--pin", "246810"], check=True, capture_output=True)
    pem.unlink()                                     # from now on the key exists only in the token
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    pkcs11.lib(SOFTHSM).reinitialize()   # the token was made after this process loaded the library

    with pkcs11.lib(SOFTHSM).get_token(token_label="xa-phuong-tien").open(user_pin="246810", rw=True) as session:
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.TOKEN: True,
                               Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.LABEL: "pct",
                               Attribute.ID: b"\x01", Attribute.VALUE: cert.public_bytes(Encoding.DER),
                               Attribute.SUBJECT: cert.subject.public_bytes()})
    return {"module": SOFTHSM, "token_label": "xa-phuong-tien", "key_label": "pct"}


@pytest.mark.skipif(SOFTHSM is None or shutil.which("softhsm2-util") is None, reason="softhsm2 is not installed")
def test_signing_with_a_pkcs11_token(token, pdfa, pki):
    with signing.token_signer(token["module"], "246810", token_label=token["token_label"],
                              key_label=token["key_label"]) as signer:
        signed = signing.sign_as_signer(pdfa["giay_khen"], signer, pki["phochutich.png"].read_bytes(),
                                        title="PHÓ CHỦ TỊCH", name=VICE)
    signed = signing.sign_as_body(signed, key(pki, "ubnd"), pki["ubnd.png"].read_bytes())
    [person, body] = read_signatures(signed, roots(pki))["signatures"]
    assert person["status"] == body["status"] == "valid" and person["signer"]["name"].startswith(VICE)
    with pytest.raises(SigningError, match="sai mã PIN"):
        with signing.token_signer(token["module"], "000000", token_label=token["token_label"],
                                  key_label=token["key_label"]):
            pass


# --- reports that arrive signed -------------------------------------------------------------------

@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_real_signed_reports_show_signer_organisation_and_time():
    result = read_signatures((CORPUS / "real_41.pdf").read_bytes(), [])
    assert result["status"] == "signed" and len(result["signatures"]) == 4
    first = result["signatures"][0]
    assert first["signer"]["name"] == "Nguyễn Đức Vũ"
    assert first["signer"]["organisation"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert first["signed_at"].startswith("2025-10-09T09:03") and first["signed_at_source"] == "timestamp"
    assert all(s["status"] == "untrusted" and s["intact"] for s in result["signatures"])  # no roots given
    stamped = read_signatures((CORPUS / "real_26.pdf").read_bytes(), [])
    assert [s["signer"]["name"] for s in stamped["signatures"]] == ["Ủy ban nhân dân tỉnh Quảng Ngãi",
                                                                    "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"]
    assert read_signatures((CORPUS / "real_01.pdf").read_bytes(), [])["status"] == "unsigned"
    assert read_signatures((CORPUS / "real_36.pdf").read_bytes(), [])["status"] == "encrypted"


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n", b"not a pdf at all" * 50, bytes(range(256)) * 40])
def test_hostile_input_gives_a_status_not_an_exception(data):
    result = read_signatures(data, [b"garbage root"])
    assert result["status"] in ("unreadable", "unsigned") and result["signatures"] == []
    assert verify_issued(data, [])["ours"] is False


def test_truncated_signed_file_is_reported_not_raised(signed, pki):
    data = signed["giay_khen"]
    for cut in (len(data) // 2, len(data) - 5000, len(data) - 10):
        result = read_signatures(data[:cut], roots(pki))
        assert result["status"] in ("signed", "unreadable", "unsigned")
        assert verify_issued(data[:cut], roots(pki))["intact"] is False
