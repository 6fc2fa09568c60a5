"""doc_templates: every kind renders, passes the ND30 checks, escapes, and fails loudly."""
import copy
import io
import re
import subprocess
import sys
import zipfile

import pytest
from docx import Document

from doc_templates import (
    KINDS,
    ConversionError,
    PdfConverter,
    TemplateError,
    check_nd30,
    render,
    render_many,
    samples,
    validate_template,
)
from doc_templates.build_templates import build
from doc_templates.engine import check_template, template_bytes


def texts(docx_bytes: bytes) -> str:
    """All visible text of a .docx, paragraphs and table cells."""
    doc = Document(io.BytesIO(docx_bytes))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def part(docx_bytes: bytes, name: str = "word/document.xml") -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx_bytes)).read(name)


def docx_with(text: str) -> bytes:
    """A one-paragraph .docx holding `text` (what an admin might upload)."""
    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_and_passes_nd30(kind):
    assert check_nd30(render(kind, samples.sample(kind))) == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_committed_template_matches_the_builder(kind):
    assert part(template_bytes(kind)) == part(build(kind))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_bundled_templates_validate(kind):
    validate_template(kind, template_bytes(kind))


def test_quyet_dinh_prints_the_context_data():
    out = texts(render("quyet_dinh", samples.quyet_dinh()))
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỢNG TIẾN" in out
    assert "Phượng Tiến, ngày 05 tháng 01 năm 2026" in out
    assert "Số: 05/QĐ-UBND" in out
    assert "KT. CHỦ TỊCH" in out and "PHÓ CHỦ TỊCH" in out
    assert "- Lưu: VT, VHXH." in out
    assert "Tặng Giấy khen cho 02 tập thể và 04 cá nhân" in out
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in out


def test_annex_starts_on_a_new_page():
    doc = Document(io.BytesIO(render("quyet_dinh", samples.quyet_dinh())))
    annex = next(p for p in doc.paragraphs if p.text == "DANH SÁCH")
    assert annex.paragraph_format.page_break_before


def test_last_legal_basis_ends_with_a_period_when_there_is_no_proposal():
    ctx = samples.quyet_dinh() | {"proposal": None}
    lines = [t for t in texts(render("quyet_dinh", ctx)).split("\n") if t.startswith("Căn cứ")]
    assert [line[-1] for line in lines] == [";", ";", "."]


def test_a_missing_number_prints_a_blank_to_fill_by_hand():
    ctx = copy.deepcopy(samples.quyet_dinh())
    ctx["header"]["number"] = None
    out = render("quyet_dinh", ctx)
    assert re.search(r"Số: \u00a0+/QĐ-UBND", texts(out))
    assert check_nd30(out) == []


def test_a_missing_date_prints_a_blank_and_still_passes():
    ctx = copy.deepcopy(samples.to_trinh())
    ctx["header"]["date"] = None
    out = render("to_trinh", ctx)
    assert "ngày\u00a0" in texts(out)
    assert check_nd30(out) == []


@pytest.mark.parametrize("name", ["{{ x }}", "<script>alert(1)</script>", "A & B", "{% raw %}"])
def test_names_print_literally(name):
    ctx = copy.deepcopy(samples.quyet_dinh())
    ctx["awardees"][0]["name"] = name
    assert name in texts(render("quyet_dinh", ctx))


def test_a_missing_value_fails_naming_the_variable():
    ctx = samples.quyet_dinh()
    del ctx["authority"]
    with pytest.raises(TemplateError, match="authority"):
        render("quyet_dinh", ctx)


def test_a_missing_field_fails_naming_it():
    ctx = copy.deepcopy(samples.giay_khen())
    del ctx["decision"]["date"]
    with pytest.raises(TemplateError, match="date"):
        render("giay_khen", ctx)


def test_validate_template_rejects_an_unknown_variable():
    with pytest.raises(TemplateError, match="secret_key"):
        validate_template("quyet_dinh", docx_with("Xin chào {{ secret_key }}"))


def test_validate_template_rejects_an_unknown_field():
    with pytest.raises(TemplateError, match="header.mat_khau"):
        validate_template("quyet_dinh", docx_with("{{ header.mat_khau }}"))


@pytest.mark.parametrize("text", ["{{ header.issuer ", "{% for a in awardees %}", "{{ a|khong_co }}"])
def test_validate_template_rejects_syntax_errors(text):
    with pytest.raises(TemplateError, match="Mẫu"):
        validate_template("quyet_dinh", docx_with(text))


def test_validate_template_rejects_a_file_that_is_not_docx():
    with pytest.raises(TemplateError, match="docx"):
        validate_template("quyet_dinh", b"not a zip")


def bundled_with(kind: str, extra: str) -> bytes:
    """The bundled template of `kind` with `extra` printed after its subject."""
    src = zipfile.ZipFile(io.BytesIO(template_bytes(kind)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ subject }}", ("{{ subject }}" + extra).encode(), 1)
            dst.writestr(item, data)
    return out.getvalue()


def test_a_variable_allowed_for_one_kind_is_refused_for_another():
    validate_template("quyet_dinh", bundled_with("quyet_dinh", "{{ awardees|length }}"))
    with pytest.raises(TemplateError, match="awardees"):
        validate_template("dang_ky", bundled_with("dang_ky", "{{ awardees|length }}"))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_template_without_the_fields_its_kind_requires_is_refused(kind):
    with pytest.raises(TemplateError, match="thiếu các trường bắt buộc"):
        validate_template(kind, docx_with("Quyết định số 05/QĐ-UBND đã ký, không có trường nào."))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_bundled_templates_pass_the_whole_upload_check(kind):
    assert check_nd30(check_template(kind, template_bytes(kind)), KINDS[kind].profile) == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_edge_cases_hold_long_names_zero_and_200_records_and_missing_optional_values(kind):
    labels = [label for label, _ in samples.edge_cases(kind)]
    assert any("200" in label for label in labels) and any("rỗng" in label for label in labels)
    for _, ctx in samples.edge_cases(kind):
        render(kind, ctx)


@pytest.mark.parametrize("attack", ["{{ lipsum(200000) }}", "{{ 'a' * 300000000 }}", "{{ 9**9**9 }}",
                                    "{% for i in range(10**9) %}x{% endfor %}", "{{ 'a'|center(300000000) }}",
                                    "{{ '{:>300000000}'.format(1) }}", "{% include 'x.docx' %}",
                                    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
                                    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"])
def test_rendering_is_bounded_in_size_and_refused_clearly(attack):
    with pytest.raises(TemplateError, match="Mẫu|lipsum"):
        render("dang_ky", samples.dang_ky(), template=docx_with(attack))


@pytest.mark.parametrize("loops", [
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% set s = 'ab' * 100000 %}{% for c in s %}{% for d in s %}{% endfor %}{% endfor %}",  # no output, no call
])
def test_rendering_is_bounded_in_time(monkeypatch, loops):
    from doc_templates import limits

    monkeypatch.setattr(limits, "MAX_SECONDS", 0.5)
    with pytest.raises(TemplateError, match="quá lâu"):
        render("dang_ky", samples.dang_ky(), template=docx_with(loops))


@pytest.mark.parametrize("attack", ["{{ header.date.replace }}", "{{ cycler }}", "{{ unit }}",
                                    "{{ (unit.name ~ unit.items|string) }}"])
def test_object_reprs_never_reach_a_paper(attack):
    with pytest.raises(TemplateError, match="Mẫu in ra"):
        render("dang_ky", samples.dang_ky(), template=docx_with(attack))


def test_an_uploaded_template_is_used_instead_of_the_bundled_one():
    out = render("dang_ky", samples.dang_ky(), template=docx_with("Đơn vị: {{ unit.name }}"))
    assert "Đơn vị: Trường THCS Phượng Tiến" in texts(out)


def test_sandbox_blocks_python_internals():
    with pytest.raises(TemplateError):
        render("dang_ky", samples.dang_ky(), template=docx_with("{{ unit.__class__.__mro__ }}"))


def test_render_many_equals_render_and_reports_progress():
    contexts = [samples.giay_khen(i) for i in range(1, 71)]  # big enough for the process pool
    calls = []
    many = render_many("giay_khen", contexts, progress=lambda done, total: calls.append((done, total)))
    assert many == [render("giay_khen", c) for c in contexts]
    assert calls[-1] == (70, 70)


def test_each_certificate_gets_its_own_qr_code():
    a, b = (render("giay_khen", samples.giay_khen(i)) for i in (1, 2))
    media = [n for n in zipfile.ZipFile(io.BytesIO(a)).namelist() if n.startswith("word/media/")]
    assert len(media) == 1 and part(a, media[0]) != part(b, media[0])
    assert part(a, media[0]).startswith(b"\x89PNG")
    assert samples.giay_khen(1)["verify_url"] in texts(a)


def test_form_offsets_move_the_margins():
    base = Document(io.BytesIO(render("giay_khen_phoi", samples.giay_khen_phoi()))).sections[0]
    ctx = samples.giay_khen_phoi() | {"offsets_mm": {"x": 5, "y": -3}}
    moved = Document(io.BytesIO(render("giay_khen_phoi", ctx))).sections[0]
    assert moved.left_margin.mm == pytest.approx(base.left_margin.mm + 5, abs=0.1)
    assert moved.top_margin.mm == pytest.approx(base.top_margin.mm - 3, abs=0.1)


def test_certificate_is_a4_landscape():
    sec = Document(io.BytesIO(render("giay_khen", samples.giay_khen()))).sections[0]
    assert (sec.page_width.twips, sec.page_height.twips) == (16838, 11906)


def _edit(docx_bytes: bytes, change) -> bytes:
    doc = Document(io.BytesIO(docx_bytes))
    change(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_check_nd30_reports_a_wrong_quoc_hieu_size():
    def grow(doc):
        cell = doc.tables[0].rows[0].cells[1]
        from docx.shared import Pt
        cell.paragraphs[0].runs[0].font.size = Pt(16)
    problems = check_nd30(_edit(render("quyet_dinh", samples.quyet_dinh()), grow))
    assert any("Quốc hiệu" in p for p in problems)


def test_check_nd30_reports_a_date_without_leading_zeros():
    def undate(doc):
        p = next(p for p in doc.tables[0].rows[0].cells[1].paragraphs if "ngày" in p.text)
        p.runs[0].text = "Phượng Tiến, ngày 5 tháng 1 năm 2026"
        for r in p.runs[1:]:
            r.text = ""
    problems = check_nd30(_edit(render("to_trinh", samples.to_trinh()), undate))
    assert any("2 chữ số" in p for p in problems)


def test_check_nd30_reports_page_number_on_page_one_and_bad_margins():
    def spoil(doc):
        from docx.shared import Mm
        doc.sections[0].different_first_page_header_footer = False
        doc.sections[0].left_margin = Mm(20)
    problems = check_nd30(_edit(render("dang_ky", samples.dang_ky()), spoil))
    assert any("titlePg" in p for p in problems) and any("Lề left" in p for p in problems)


def test_check_nd30_rejects_a_plain_document():
    assert check_nd30(docx_with("Hello"), profile="ND30")


def test_missing_soffice_raises_a_vietnamese_conversion_error():
    with pytest.raises(ConversionError, match="LibreOffice"):
        PdfConverter(soffice="/khong/co/soffice").to_pdf(b"x")


def test_import_is_light():
    code = ("import sys, doc_templates; heavy = {'docx', 'docxtpl', 'jinja2', 'lxml', 'pypdfium2'};"
            "sys.exit(len(heavy & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
