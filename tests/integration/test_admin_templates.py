"""The admin's pages: templates are data (checked at upload, used by the next paper, revertible), the
phôi offsets and print, and the numbering register with cancelled numbers."""
from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest
from docx import Document as Docx
from sqlalchemy import select

from workflow_helpers import appraised_dossiers, csrf_token, login, user_id

MARKER = "MẪU CỦA XÃ PHIÊN BẢN 2"


@pytest.fixture
def web(sqlite_env):
    from webapp import create_app

    client = create_app({"TESTING": True}).test_client()
    login(client, "admin")
    return client


def edited(kind: str, old: str, new: str) -> bytes:
    """The built-in template of `kind` with `old` replaced by `new` in its body."""
    from doc_templates.engine import template_bytes

    src = zipfile.ZipFile(io.BytesIO(template_bytes(kind)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            dst.writestr(item, data)
    return out.getvalue()


def upload(web, kind: str, data: bytes):
    return web.post(f"/admin/templates/{kind}", data={
        "csrf_token": csrf_token(web, "/admin/templates"), "note": "thử",
        "file": (io.BytesIO(data), f"{kind}.docx")}, content_type="multipart/form-data")


def text_of(docx: bytes) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(docx)).paragraphs)


def test_a_template_with_an_undefined_variable_is_refused_at_upload_with_the_reason(web):
    from storage.db import read_session
    from storage.models import DocumentTemplate

    r = upload(web, "dang_ky", edited("dang_ky", "{{ subject }}", "{{ ten_don_vi_sai }}"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "dùng biến không được phép" in html and "ten_don_vi_sai" in html
    with read_session() as session:
        assert session.scalars(select(DocumentTemplate)).all() == []


def test_bad_jinja_is_refused_too(web):
    r = upload(web, "quyet_dinh", edited("quyet_dinh", "{{ subject }}", "{{ subject "))
    assert r.status_code == 422 and "lỗi cú pháp Jinja" in r.get_data(as_text=True)


def activate(web, template_id: int):
    return web.post(f"/admin/templates/versions/{template_id}/activate",
                    data={"csrf_token": csrf_token(web, "/admin/templates")})


def test_an_accepted_template_is_previewed_then_used_by_the_next_paper_once_activated(web):
    from storage.db import read_session
    from storage.files import store
    from storage.models import Document
    from workflows import dossiers, templates, visibility

    r = upload(web, "dang_ky", edited("dang_ky", "{{ subject }}", MARKER + " {{ subject }}"))
    assert r.status_code == 302 and "/admin/templates/versions/" in r.headers["Location"]
    preview = web.get(r.headers["Location"]).get_data(as_text=True)
    assert "Kích hoạt" in preview and "preview.pdf" in preview
    page = web.get("/admin/templates").get_data(as_text=True)
    assert "mẫu mặc định" in page and "Xem trước và kích hoạt" in page      # not used yet
    assert MARKER not in text_of(web.get("/admin/templates/dang_ky/current.docx").data)
    template_id = int(r.headers["Location"].rsplit("/", 1)[1])

    assert activate(web, template_id).status_code == 302
    page = web.get("/admin/templates").get_data(as_text=True)
    assert "mẫu tải lên, phiên bản 1" in page and "Trở lại mẫu mặc định" in page
    assert MARKER in text_of(web.get("/admin/templates/dang_ky/current.docx").data)

    clerk = user_id("donvi01")
    with read_session() as session:
        unit_id = visibility.actor(session, clerk).unit_id
    dossier_id = dossiers.register(clerk, unit_id, 1, {})
    with read_session() as session:
        [doc] = session.scalars(select(Document).where(Document.kind == "dang_ky")).all()
        assert MARKER in text_of(store().read(doc.sha256)) and str(dossier_id) in str(doc.dossier_ids)
        kind_row = next(k for k in templates.overview(session, 1) if k.kind == "dang_ky")
    r = web.post("/admin/templates/dang_ky/revert", data={"csrf_token": csrf_token(web, "/admin/templates")})
    assert r.status_code == 302
    assert MARKER not in text_of(web.get("/admin/templates/dang_ky/current.docx").data)
    assert activate(web, kind_row.active.id).status_code == 302
    assert MARKER in text_of(web.get("/admin/templates/dang_ky/current.docx").data)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_preview_is_the_sample_paper_as_pdf(web):
    import pypdfium2 as pdfium

    r = upload(web, "giay_khen", edited("giay_khen", "{{ reason|clause(true) }}",
                                        MARKER + " {{ reason|clause(true) }}"))
    assert r.status_code == 302
    pdf = web.get(r.headers["Location"] + "/preview.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdfium.PdfDocument(pdf.data)[0].get_textpage().get_text_range()
    assert MARKER in text and "Nguyễn Thị Hoa" in text


def test_a_finished_paper_without_fields_is_refused_as_a_giay_khen_template(web):
    """Issue 11 #1: a finished decision uploaded as the giấy khen template was saved and issued 16
    copies of itself. It names no awardee and no decision: refused, nothing stored."""
    import doc_templates
    from doc_templates import samples
    from storage.db import read_session
    from storage.models import DocumentTemplate

    finished_decision = doc_templates.render("quyet_dinh", samples.quyet_dinh())
    r = upload(web, "giay_khen", finished_decision)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "không phải là mẫu “Giấy khen”" in html and "awardee.name" in html and "decision.number" in html
    with read_session() as session:
        assert session.scalars(select(DocumentTemplate)).all() == []


@pytest.mark.parametrize("kind, old, new, case", [
    ("to_trinh", "({{ nominees|awardee_summary }})", "({{ nominees[0].name }})", "danh sách rỗng"),
    ("quyet_dinh", "{{ a.name }}", "{{ a.name|truncate(30, true, '', 0) if a.no < 150 else a.position.upper() }}",
     "danh sách 200 trường hợp"),
    ("giay_khen", "{{ awardee|awardee_line }}", "{{ awardee|awardee_line }} {{ awardee.position.upper() }}",
     "các giá trị không bắt buộc để trống"),
])
def test_a_template_that_breaks_on_edge_case_data_is_refused_naming_the_case(web, kind, old, new, case):
    r = upload(web, kind, edited(kind, old, new))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and case in html


@pytest.mark.parametrize("attack, message", [
    ("{{ lipsum(200000) }}", "lipsum"),
    ("{{ 'x' * 300000000 }}", "quá lớn"),
    ("{{ '%300000000s'|format(1) }}", "độ rộng định dạng quá lớn"),
    ("{% for i in range(10**9) %}.{% endfor %}", "số quá lớn"),
    ("{% include 'other.docx' %}", "include"),
    ("{{ header.date.replace }}", "không phải chữ hay số"),
    ("{{ cycler }}{{ joiner }}", "không phải chữ hay số"),
])
def test_a_template_that_would_pin_or_bloat_the_worker_or_print_object_reprs_is_refused_clearly(web, attack, message):
    """Issue 14 #13 and Low: rendering has time and size limits; no object repr reaches a paper."""
    r = upload(web, "giay_khen", edited("giay_khen", "{{ reason|clause(true) }}",
                                        "{{ reason|clause(true) }}" + attack))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and message in html and "0x" not in html


def _finished_decision() -> bytes:
    import doc_templates
    from doc_templates import samples

    return doc_templates.render("quyet_dinh", samples.quyet_dinh())


@pytest.mark.parametrize("broken, message", [
    (lambda: edited("giay_khen", "{{ awardee|awardee_line }}", "{{ awardee.name }} {{ awardee.honorific.upper() }}"),
     "honorific"),
    (_finished_decision, "không phải là mẫu “Giấy khen”"),
])
def test_a_broken_active_template_fails_the_approval_clearly_and_uses_no_number(web, sqlite_env, broken, message):
    """Issue 14 #11 and issue 11 #1: a template active from before today's checks, that fails on real
    data or has no fields at all, never turns the Chairman's approval into a 500 nor into 16 copies of
    an old decision: nothing is issued, no number is used, the dossiers wait."""
    from storage.db import read_session, write_session
    from storage.files import store
    from storage.models import DocumentTemplate, Dossier, RegisterEntry

    broken = broken()
    with write_session() as session:
        session.add(DocumentTemplate(commune_id=1, kind="giay_khen", version=1, sha256=store().put_bytes(broken),
                                     active=True, filename="giay_khen.docx", uploaded_by_id=user_id("admin")))
    ids = appraised_dossiers(2, nominees=2)
    chairman = create_app_client("chutich")
    r = chairman.post("/approvals", data={"csrf_token": csrf_token(chairman, "/approvals"),
                                          "dossier_ids": [str(i) for i in ids]})
    html = r.get_data(as_text=True)
    assert r.status_code == 422, html[:300]
    assert "Không tạo được giấy khen" in html and "Thao tác chưa được thực hiện" in html and message in html
    with read_session() as session:
        assert session.scalars(select(RegisterEntry)).all() == []
        assert {d.state for d in session.scalars(select(Dossier).where(Dossier.id.in_(ids)))} == {"appraised"}


def create_app_client(username: str):
    from webapp import create_app

    client = create_app({"TESTING": True}).test_client()
    login(client, username)
    return client


def test_only_the_admin_manages_templates(sqlite_env):
    from webapp import create_app

    client = create_app({"TESTING": True}).test_client()
    login(client, "chutich")
    assert client.get("/admin/templates").status_code == 403


def test_certificate_contexts_rebuilt_from_rows_give_the_same_papers(sqlite_env):
    import doc_templates
    import settings
    from storage.db import read_session
    from storage.files import store
    from storage.models import Document
    from workflows import documents, dossiers

    decision_id, _ = dossiers.approve(user_id("chutich"), appraised_dossiers(2, nominees=2))
    with read_session() as session:
        pairs = documents.certificate_contexts(session, session.get(Document, decision_id), settings.get().public_url)
        assert len(pairs) == 4
        for doc, ctx in pairs:
            assert doc_templates.render("giay_khen", ctx) == store().read(doc.sha256)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_printing_on_phoi_gives_one_merged_pdf_with_one_page_per_certificate(web, sqlite_env):
    import pypdfium2 as pdfium

    r = web.post("/admin/print-settings", data={"csrf_token": csrf_token(web, "/admin/templates"),
                                                 "x": "4,5", "y": "-3"})
    assert r.status_code == 302
    from workflows import dossiers

    decision_id, _ = dossiers.approve(user_id("chutich"), appraised_dossiers(3, nominees=1))
    assert "Đang chờ tạo PDF" in web.get(f"/printing/decisions/{decision_id}").get_data(as_text=True)
    assert "Đang chờ tạo PDF" in web.get("/printing/").get_data(as_text=True)
    sqlite_env.run_jobs()
    page = web.get(f"/printing/decisions/{decision_id}").get_data(as_text=True)
    assert "Đã tạo đủ 4 bản PDF" in page and "In trên phôi (3 tờ" in page and "sang phải 4.5 mm" in page
    r = web.post(f"/printing/decisions/{decision_id}/phoi.pdf",
                 data={"csrf_token": csrf_token(web, f"/printing/decisions/{decision_id}")})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = pdfium.PdfDocument(r.data)
    assert len(pdf) == 3
    assert all(p.get_size()[0] > p.get_size()[1] for p in pdf)   # A4 landscape


def test_offsets_out_of_range_are_refused(web):
    r = web.post("/admin/print-settings", data={"csrf_token": csrf_token(web, "/admin/templates"),
                                                "x": "120", "y": "0"})
    assert r.status_code == 422 and "mm" in r.get_data(as_text=True)


def test_the_register_page_lists_every_number_including_cancelled_ones(web):
    from storage.db import read_session
    from workflows import dossiers, numbering

    dossiers.approve(user_id("chutich"), appraised_dossiers(1, nominees=2))
    with read_session() as session:
        gk = next(e for e in numbering.entries(session, 1, 2026) if e.number == "01/GK")
    r = web.post(f"/admin/registers/{gk.id}/cancel", data={"csrf_token": csrf_token(web, "/admin/registers"),
                                                           "note": "In hỏng phôi"})
    assert r.status_code == 302
    html = web.get("/admin/registers").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", html, re.S)
    assert any("01/QĐ-UBND" in row and "Đã cấp" in row for row in rows)
    assert any("01/GK" in row and "Đã hủy" in row and "In hỏng phôi" in row for row in rows)
    assert any("02/GK" in row and "Đã cấp" in row for row in rows)


def test_a_broken_phoi_template_fails_printing_with_a_clear_message_not_a_500(web, sqlite_env):
    from storage.db import write_session
    from storage.files import store
    from storage.models import DocumentTemplate
    from workflows import dossiers

    broken = edited("giay_khen_phoi", "{{ awardee|awardee_line }}",
                    "{{ awardee|awardee_line }}{{ awardee.honorific.upper() }}")
    with write_session() as session:
        session.add(DocumentTemplate(commune_id=1, kind="giay_khen_phoi", version=1, sha256=store().put_bytes(broken),
                                     active=True, filename="phoi.docx", uploaded_by_id=user_id("admin")))
    decision_id, _ = dossiers.approve(user_id("chutich"), appraised_dossiers(1, nominees=1))
    r = web.post(f"/printing/decisions/{decision_id}/phoi.pdf",
                 data={"csrf_token": csrf_token(web, f"/printing/decisions/{decision_id}")})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Không tạo được giấy khen (in lên phôi)" in html
