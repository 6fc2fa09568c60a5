"""What a clerk uploads from a real office (issue 11, points 7 and 8): a Word report, several phone photos
as the pages of one report in the chosen order, an iPhone HEIC, a sideways phone photo, a PDF wrapping a
72 dpi scan, and a macro document that must still be refused."""
from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from test_hostile_files import VIETNAMESE, assert_refused_and_nothing_changed, make_client, upload_bytes

from api_helpers import login_html

UNIT_TESTS = Path(__file__).resolve().parents[1] / "unit"
ORIENTATION = 0x0112


def _helpers(name: str):
    spec = importlib.util.spec_from_file_location(f"uploads_{name}", UNIT_TESTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


word = _helpers("test_extract_word")
photos = _helpers("test_extract_photos")
pytestmark = pytest.mark.skipif(not photos.FONTS.is_dir(), reason="fonts-liberation2 is not installed")


@pytest.fixture
def clerk(sqlite_env):
    from api_helpers import Api

    api = Api(make_client(), "donvi01")
    r = api.post("/dossiers", json={"unit_id": api.unit_id(), "campaign_id": api.campaign_id(), "targets": {}})
    assert r.status_code == 201, r.get_json()
    return api, r.get_json()["id"]


def jpeg(image: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=90, **kw)
    return buf.getvalue()


def upload_many(api, dossier_id: int, files: list[tuple[bytes, str]]):
    return api.client.post(f"/api/v1/dossiers/{dossier_id}/reports", headers=api.headers,
                           data={"file": [(io.BytesIO(data), name) for data, name in files]},
                           content_type="multipart/form-data")


def preview(api, report_id: int, page: int = 1) -> Image.Image:
    login_html(api.client, "donvi01")
    r = api.client.get(f"/reports/{report_id}/pages/{page}.png")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return Image.open(io.BytesIO(r.data))


def test_a_word_report_is_accepted_read_without_ocr_previewed_as_pdf_and_downloaded_as_uploaded(
        clerk, sqlite_env, tmp_path):
    api, dossier_id = clerk
    data = word.build_report(tmp_path / "bao-cao.docx").read_bytes()
    r = upload_bytes(api, dossier_id, data, "bao-cao.docx")
    assert r.status_code == 202, r.get_json()
    report_id = r.get_json()["report_id"]
    sqlite_env.run_jobs()
    report = api.get(f"/reports/{report_id}").get_json()
    assert report["status"] == "done", report["error"]
    assert report["fields"]["issuer"] == "TRƯỜNG THCS PHƯỢNG TIẾN"
    assert {p["source"] for p in report["provenance"].values() if isinstance(p, dict) and "source" in p} == {"word"}
    page = preview(api, report_id)
    assert page.height > page.width and page.width > 500            # an A4 page printed by LibreOffice
    assert page.convert("L").getextrema()[0] < 100                  # with ink on it
    download = api.client.get(f"/reports/{report_id}/file")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Disposition"].endswith(".docx")


def test_three_photos_read_as_pages_1_to_3_in_the_order_sent(clerk, sqlite_env):
    api, dossier_id = clerk
    header, middle, signature = (photos.page(items) for items in (photos.HEADER, photos.MIDDLE, photos.SIGNATURE))
    files = [(jpeg(header), "anh-1.jpg"), (jpeg(middle), "anh-2.jpg"), (jpeg(signature), "anh-3.jpg")]
    r = upload_many(api, dossier_id, files)
    assert r.status_code == 202, r.get_json()
    report_id = r.get_json()["report_id"]
    sqlite_env.run_jobs()
    report = api.get(f"/reports/{report_id}").get_json()
    assert report["status"] == "done", report["error"]
    assert report["pages"] == 3 and report["filename"] == "anh-1.pdf"
    assert report["fields"]["issuer"] == "TRƯỜNG THCS PHƯỢNG TIẾN"
    assert report["fields"]["signer_name"] == "Nguyễn Văn An"
    assert report["provenance"]["issuer"]["page"] == 1 and report["provenance"]["signer_name"]["page"] == 3
    from storage.db import read_session
    from storage.models import Report

    with read_session() as s:
        originals = s.get(Report, report_id).originals
    assert [o["filename"] for o in originals] == ["anh-1.jpg", "anh-2.jpg", "anh-3.jpg"]
    assert all((sqlite_env.var_dir / "files").rglob(o["sha256"]) for o in originals)


def test_the_web_form_takes_several_files_in_the_chosen_order(clerk, sqlite_env):
    api, dossier_id = clerk
    login_html(api.client, "donvi01")
    from api_helpers import csrf_token

    token = csrf_token(api.client, f"/dossiers/{dossier_id}/upload")
    signature, header = photos.page(photos.SIGNATURE), photos.page(photos.HEADER)
    r = api.client.post(f"/dossiers/{dossier_id}/upload", content_type="multipart/form-data",
                        data={"csrf_token": token, "file": [(io.BytesIO(jpeg(signature)), "chu-ky.jpg"),
                                                            (io.BytesIO(jpeg(header)), "dau.jpg")]})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    from storage.db import read_session
    from storage.models import Report

    with read_session() as s:
        report = s.query(Report).filter_by(dossier_id=dossier_id).one()
        assert report.draft and report.pages == 2 and report.filename == "chu-ky.pdf"
        assert [o["filename"] for o in report.originals] == ["chu-ky.jpg", "dau.jpg"]
    assert preview(api, report.id, 2).size == preview(api, report.id, 1).size
    html = api.client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Ghép theo thứ tự từ 2 tệp gốc" in html and "2. dau.jpg" in html
    second = api.client.get(f"/reports/{report.id}/originals/2")
    assert second.status_code == 200 and second.data == jpeg(header)
    assert api.client.get(f"/reports/{report.id}/originals/3").status_code == 404


def test_an_iphone_heic_is_accepted_and_previewed(clerk):
    from pillow_heif import register_heif_opener

    register_heif_opener()
    api, dossier_id = clerk
    buf = io.BytesIO()
    photos.one_page_report().convert("RGB").save(buf, "HEIF")
    r = upload_bytes(api, dossier_id, buf.getvalue(), "IMG_0001.HEIC")
    assert r.status_code == 202, r.get_json()
    page = preview(api, r.get_json()["report_id"])
    assert page.height > page.width


def test_a_sideways_phone_photo_previews_upright(clerk):
    api, dossier_id = clerk
    upright = photos.one_page_report()
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    r = upload_bytes(api, dossier_id, jpeg(upright.rotate(90, expand=True), exif=exif), "IMG_2026.jpg")
    assert r.status_code == 202, r.get_json()
    page = preview(api, r.get_json()["report_id"]).convert("L")
    assert page.height > page.width
    top = page.crop((0, 0, page.width, page.height // 4)).getextrema()[0]
    assert top < 100                                                 # the header is at the top, as printed


def test_a_pdf_wrapping_a_72_dpi_a4_scan_is_accepted(clerk):
    api, dossier_id = clerk
    buf = io.BytesIO()
    Image.new("L", (2480, 3508), 255).save(buf, "PDF", resolution=72)     # pages of 2480 × 3508 pt
    r = upload_bytes(api, dossier_id, buf.getvalue(), "scan.pdf")
    assert r.status_code == 202, r.get_json()


@pytest.mark.parametrize("name", ["macro.docm", "macro.docx"])
def test_a_word_file_with_macros_is_refused_and_nothing_changes(clerk, sqlite_env, tmp_path, name):
    api, dossier_id = clerk
    source = word.build_report(tmp_path / "r.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            content = zin.read(info)
            if name.endswith(".docm") and info.filename == "[Content_Types].xml":
                content = content.replace(b"wordprocessingml.document.main+xml",
                                          b"ms-word.document.macroEnabled.main+xml")
            zout.writestr(info, content)
        zout.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert_refused_and_nothing_changed(api, sqlite_env, dossier_id, buf.getvalue(), name, 422, "active_content")
    r = upload_bytes(api, dossier_id, buf.getvalue(), name)
    assert "macro" in r.get_json()["error"]["message"] and VIETNAMESE.search(r.get_json()["error"]["message"])


def test_the_web_form_takes_a_word_report(clerk, sqlite_env, tmp_path):
    from api_helpers import csrf_token
    from storage.db import read_session
    from storage.models import Report

    api, dossier_id = clerk
    login_html(api.client, "donvi01")
    token = csrf_token(api.client, f"/dossiers/{dossier_id}/upload")
    data = word.build_report(tmp_path / "bao-cao.docx").read_bytes()
    r = api.client.post(f"/dossiers/{dossier_id}/upload", content_type="multipart/form-data",
                        data={"csrf_token": token, "file": (io.BytesIO(data), "Báo cáo 2026.docx")})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    with read_session() as s:
        report = s.query(Report).filter_by(dossier_id=dossier_id).one()
        assert report.mime.endswith("wordprocessingml.document") and report.originals is None


def test_an_old_doc_file_is_accepted_and_read(clerk, sqlite_env, tmp_path):
    api, dossier_id = clerk
    doc = word.convert(word.build_report(tmp_path / "r.docx"), "doc", tmp_path)
    r = upload_bytes(api, dossier_id, doc.read_bytes(), "bao-cao.doc")
    assert r.status_code == 202, r.get_json()
    sqlite_env.run_jobs()
    report = api.get(f"/reports/{r.get_json()['report_id']}").get_json()
    assert report["status"] == "done", report["error"]
    assert report["fields"]["signer_name"] == "Nguyễn Văn An"


def test_a_too_large_upload_names_the_limit(sqlite_env, monkeypatch):
    from api_helpers import Api

    api = Api(make_client(monkeypatch, MAX_UPLOAD_MB=1), "donvi01")
    dossier_id = api.post("/dossiers", json={"unit_id": api.unit_id(),
                                            "campaign_id": api.campaign_id()}).get_json()["id"]
    photo = jpeg(Image.effect_noise((1200, 1200), 80))
    r = upload_many(api, dossier_id, [(photo, "a.jpg"), (photo, "b.jpg"), (photo, "c.jpg")])
    assert r.status_code == 413 and "1 MB" in r.get_json()["error"]["message"]


def test_one_bad_page_among_several_is_named(clerk):
    api, dossier_id = clerk
    good = jpeg(photos.page(photos.HEADER))
    r = upload_many(api, dossier_id, [(good, "anh-1.jpg"), (b"not an image", "anh-2.jpg")])
    assert r.status_code == 415
    assert r.get_json()["error"]["message"].startswith("Tệp thứ 2 (anh-2.jpg):")
