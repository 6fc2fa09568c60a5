"""Word and LibreOffice reports (.docx, .doc, .odt) are read from their own text and tables: the ND30
header table, the figures, the nominee table and the signature block, with the source "word"."""
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractors import ExtractionError, extract, wordfile

REPO = Path(__file__).resolve().parents[2]
HAS_SOFFICE = shutil.which("soffice") is not None

EXPECTED = {
    "doc_type": "BC", "number": "15/BC-THCS", "issue_date": "2026-12-05", "place": "Phượng Tiến",
    "issuer": "TRƯỜNG THCS PHƯỢNG TIẾN", "parent_issuer": "UBND XÃ PHƯỢNG TIẾN",
    "subject": "Kết quả thực hiện phong trào “Toàn dân bảo vệ an ninh Tổ quốc” năm 2026",
    "signing_authority": "KT. HIỆU TRƯỞNG", "signer_title": "PHÓ HIỆU TRƯỞNG", "signer_name": "Nguyễn Văn An",
    "period_year": 2026,
}
NOMINEES = [("Tổ bảo vệ nhà trường", "collective"), ("Lê Thị Hoa", "individual"),
            ("Trần Quốc Bảo", "individual")]


def build_report(path: Path, ruled_header: bool = False) -> Path:
    """A report as a clerk writes it in Word: ND30 header in a borderless (or ruled) 2-column
    table, body, a ruled nominee table, and the signature block in a borderless table."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    doc.styles["Normal"].font.size = Pt(13)

    def lines(cell, rows, align=WD_ALIGN_PARAGRAPH.CENTER):
        cell.paragraphs[0].text = ""
        for i, (text, bold) in enumerate(rows):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.alignment = align
            p.add_run(text).bold = bold

    def borderless(table):
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        table._tbl.tblPr.append(borders)

    header = doc.add_table(rows=1, cols=2)
    if ruled_header:
        header.style = "Table Grid"
    else:
        borderless(header)
    header.columns[0].width = header.rows[0].cells[0].width = Cm(6)
    header.columns[1].width = header.rows[0].cells[1].width = Cm(10)
    lines(header.rows[0].cells[0], [("UBND XÃ PHƯỢNG TIẾN", False), ("TRƯỜNG THCS PHƯỢNG TIẾN", True),
                                    ("Số: 15/BC-THCS", False)])
    lines(header.rows[0].cells[1], [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
                                    ("Độc lập - Tự do - Hạnh phúc", True),
                                    ("Phượng Tiến, ngày 05 tháng 12 năm 2026", False)])
    doc.add_paragraph()
    for text, bold in (("BÁO CÁO", True),
                       ("Kết quả thực hiện phong trào “Toàn dân bảo vệ an ninh Tổ quốc” năm 2026", True)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = bold
    doc.add_paragraph()
    for text in ("I. KẾT QUẢ THỰC HIỆN",
                 "Trong năm 2026, nhà trường đã tổ chức 12 buổi tuyên truyền với 1.250 lượt người tham dự.",
                 "Cung cấp cho cơ quan Công an 4 tin báo, tố giác về tội phạm.",
                 "Nhà trường đề nghị tặng Giấy khen cho 01 tập thể và 02 cá nhân:"):
        doc.add_paragraph(text).paragraph_format.first_line_indent = Cm(1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("STT", "Họ và tên", "Chức vụ", "Hình thức khen thưởng"), strict=False):
        lines(cell, [(text, True)])
    rows = [("I. TẬP THỂ",), ("1", "Tổ bảo vệ nhà trường", "", "Giấy khen"), ("II. CÁ NHÂN",),
            ("1", "Lê Thị Hoa", "Giáo viên chủ nhiệm lớp 9A", "Giấy khen"),
            ("2", "Trần Quốc Bảo", "Nhân viên bảo vệ", "Giấy khen")]
    for values in rows:
        cells = table.add_row().cells
        if len(values) == 1:
            merged = cells[0].merge(cells[3])
            lines(merged, [(values[0], True)], WD_ALIGN_PARAGRAPH.LEFT)
            continue
        for cell, text in zip(cells, values, strict=False):
            lines(cell, [(text, False)], WD_ALIGN_PARAGRAPH.LEFT)
    for cell, width in zip(table.columns, (Cm(1.2), Cm(5.3), Cm(5.5), Cm(4)), strict=False):
        for c in cell.cells:
            c.width = width
    doc.add_paragraph("Trên đây là báo cáo kết quả thực hiện phong trào năm 2026 của nhà trường./.")
    sign = doc.add_table(rows=1, cols=2)
    borderless(sign)
    lines(sign.rows[0].cells[0], [("Nơi nhận:", True), ("- Công an xã;", False), ("- Lưu: VT.", False)],
          WD_ALIGN_PARAGRAPH.LEFT)
    lines(sign.rows[0].cells[1], [("KT. HIỆU TRƯỞNG", True), ("PHÓ HIỆU TRƯỞNG", True), ("", False),
                                  ("", False), ("", False), ("Nguyễn Văn An", True)])
    doc.add_paragraph()          # Word always ends the body with a paragraph after a table
    doc.save(path)
    return path


def convert(docx: Path, target: str, outdir: Path) -> Path:
    """The .docx saved by LibreOffice as .odt or .doc (as a clerk's office would)."""
    profile = (outdir / "profile").resolve().as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                    "--outdir", str(outdir), str(docx)], check=True, capture_output=True, timeout=180)
    return outdir / (docx.stem + "." + target.split(":")[0])


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return build_report(tmp_path_factory.mktemp("word") / "bao_cao.docx")


@pytest.fixture(scope="module")
def read(report):
    return extract(report)


def test_docx_fields_are_read_from_the_header_table_body_and_signature_block(read):
    assert {k: read.fields[k] for k in EXPECTED} == EXPECTED
    assert read.fields["metrics"]["propaganda_sessions"] == 12
    assert read.fields["metrics"]["propaganda_participants"] == 1250
    assert read.fields["metrics"]["tips_reported"] == 4


def test_docx_nominee_table_gives_every_nominee_with_kind_and_position(read):
    assert [(n["name"], n["kind"]) for n in read.fields["nominees"]] == NOMINEES
    assert read.fields["nominees"][1]["position"] == "Giáo viên chủ nhiệm lớp 9A"
    assert {n["award"] for n in read.fields["nominees"]} == {"Giấy khen"}


def test_docx_is_read_from_its_text_not_ocr(read):
    assert set(read.page_sources) == {"word"}
    assert read.provenance["issuer"]["source"] == "word"
    assert read.provenance["signer_name"]["text"] == "Nguyễn Văn An"
    assert not read.quality["too_poor"]


def test_a_header_table_left_with_its_borders_reads_the_same(read, tmp_path):
    assert extract(build_report(tmp_path / "ke_o.docx", ruled_header=True)).fields == read.fields


def test_type_is_judged_by_content_not_by_name(report, tmp_path):
    disguised = tmp_path / "bao_cao.pdf"
    shutil.copy(report, disguised)
    assert wordfile.sniff(disguised) == wordfile.DOCX
    assert extract(disguised.read_bytes()).fields["number"] == "15/BC-THCS"


def test_a_zip_or_ole_file_that_is_not_a_word_document_is_refused(tmp_path):
    archive = tmp_path / "a.docx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "không phải văn bản")
    ole = tmp_path / "b.doc"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    for path in (archive, ole):
        assert wordfile.sniff(path) is None
        with pytest.raises(ExtractionError, match="Tệp"):
            extract(path)


def test_a_damaged_docx_gets_a_vietnamese_message(report, tmp_path):
    damaged = tmp_path / "hong.docx"
    with zipfile.ZipFile(report) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(ExtractionError, match="Tệp Word bị hỏng"):
        extract(damaged)


def test_cli_reads_a_docx_and_explain_names_the_source(report):
    out = subprocess.run([sys.executable, "-m", "extractors", str(report), "--explain"], check=False,
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["issuer"] == EXPECTED["issuer"]
    assert data["_provenance"]["number"]["source"] == "word"
    assert [p["source"] for p in data["_pages"]] == ["word"]


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed; make test installs it")
@pytest.mark.parametrize("target", ["odt", "doc:MS Word 97"])
def test_odt_and_doc_read_the_same_as_the_docx(report, read, target, tmp_path):
    other = convert(report, target, tmp_path)
    assert wordfile.sniff(other) == {"odt": wordfile.ODT, "doc": wordfile.DOC}[other.suffix[1:]]
    result = extract(other)
    assert result.fields == read.fields
    assert set(result.page_sources) == {"word"}


def test_without_libreoffice_a_doc_gets_a_clear_message(report, tmp_path, monkeypatch):
    if not HAS_SOFFICE:
        pytest.skip("needs soffice to make the .doc")
    doc = convert(report, "doc:MS Word 97", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ExtractionError, match="chưa cài LibreOffice"):
        extract(doc)


def build_tab_report(path: Path) -> Path:
    """A report typed without tables: header columns and the signer's title by tab stops, nominees
    as a Word numbered list (the numbers are not in the text), the signer's name indented right."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    for left, right, bold in (("UBND XÃ KIM SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", False),
                              ("THÔN ĐÔNG", "Độc lập - Tự do - Hạnh phúc", True),
                              ("Số: 03/BC-TĐ", "Kim Sơn, ngày 10 tháng 11 năm 2026", False)):
        p = doc.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Cm(7.5))
        p.add_run(left).bold = bold
        p.add_run("\t" + right).bold = right.isupper() or right.startswith("Độc")
    for text in ("BÁO CÁO", "Kết quả phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    doc.add_paragraph("Thôn đề nghị tặng Giấy khen cho 02 cá nhân:")
    for text in ("Ông Hoàng Văn Tú, Trưởng thôn;", "Bà Đặng Thị Mai, Chi hội trưởng Chi hội Phụ nữ."):
        doc.add_paragraph(text, style="List Number")
    doc.add_paragraph("Trên đây là báo cáo của thôn Đông./.")
    p = doc.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(Cm(10))
    p.add_run("Nơi nhận:").bold = True
    p.add_run("\tTRƯỞNG THÔN").bold = True
    doc.add_paragraph("- UBND xã Kim Sơn;")
    for text in ("", "", "Hoàng Văn Tú"):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(8)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    doc.save(path)
    return path


def test_a_report_typed_with_tabs_and_a_numbered_list_is_read(tmp_path):
    result = extract(build_tab_report(tmp_path / "thon_dong.docx"))
    fields = result.fields
    assert (fields["issuer"], fields["parent_issuer"], fields["number"]) == ("THÔN ĐÔNG", "UBND XÃ KIM SƠN",
                                                                             "03/BC-TĐ")
    assert (fields["place"], fields["issue_date"]) == ("Kim Sơn", "2026-11-10")
    assert (fields["signer_title"], fields["signer_name"]) == ("TRƯỞNG THÔN", "Hoàng Văn Tú")
    assert [(n["name"], n["kind"], n["position"]) for n in fields["nominees"]] == [
        ("Hoàng Văn Tú", "individual", "Trưởng thôn"),
        ("Đặng Thị Mai", "individual", "Chi hội trưởng Chi hội Phụ nữ")]
    assert "1. Ông Hoàng Văn Tú" in result.text         # the list's numbers, as Word prints them


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed; make test installs it")
def test_a_word_report_and_a_photo_combine_into_one_pdf_for_preview(report, tmp_path):
    import pypdfium2 as pdfium
    from PIL import Image

    from extractors.multipage import combine_to_pdf

    Image.new("L", (1240, 1754), 255).save(tmp_path / "anh.png")
    count = combine_to_pdf([report, tmp_path / "anh.png"], tmp_path / "ho_so.pdf")
    pdf = pdfium.PdfDocument(str(tmp_path / "ho_so.pdf"))
    try:
        assert len(pdf) == count >= 2
        text = " ".join(" ".join(pdf[i].get_textpage().get_text_range() for i in range(count - 1)).split())
        assert "TRƯỜNG THCS PHƯỢNG TIẾN" in text and "Nguyễn Văn An" in text
        assert not pdf[count - 1].get_textpage().get_text_range().strip()     # the photo's page, last
    finally:
        pdf.close()
