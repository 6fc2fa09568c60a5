"""Phone photos: EXIF orientation honoured, HEIC from iPhones read like a JPEG, several images or
PDFs read as the pages of one report in order, and one PDF built from them without re-encoding."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps

from extractors import extract
from extractors.multipage import HEIC, combine_to_pdf, extract_files, read_file, sniff_heic
from extractors.pipeline import build

REPO = Path(__file__).resolve().parents[2]
FONTS = Path("/usr/share/fonts/truetype/liberation2")
HEADER = [(90, 90, "UBND XÃ PHƯỢNG TIẾN", False), (60, 135, "TRƯỜNG THCS PHƯỢNG TIẾN", True),
          (560, 90, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), (640, 135, "Độc lập - Tự do - Hạnh phúc", True),
          (580, 200, "Phượng Tiến, ngày 05 tháng 12 năm 2026", False),
          ("c", 300, "BÁO CÁO", True), ("c", 345, "Kết quả thực hiện phong trào năm 2026", True),
          (150, 450, "Trong năm 2026, nhà trường đã tổ chức 12 buổi tuyên truyền.", False)]
MIDDLE = [(150, 150, "Nhà trường phối hợp với Công an xã giữ gìn an ninh trật tự", False),
          (120, 195, "trong khu vực trường học, không để xảy ra vụ việc phức tạp.", False)]
SIGNATURE = [(150, 150, "Trên đây là báo cáo kết quả thực hiện phong trào năm 2026./.", False),
             (90, 260, "Nơi nhận:", True), (90, 305, "- Công an xã;", False), (90, 350, "- Lưu: VT.", False),
             (760, 260, "KT. HIỆU TRƯỞNG", True), (760, 305, "PHÓ HIỆU TRƯỞNG", True),
             (790, 480, "Nguyễn Văn An", True)]
EXPECTED = {"issuer": "TRƯỜNG THCS PHƯỢNG TIẾN", "place": "Phượng Tiến", "issue_date": "2026-12-05",
            "doc_type": "BC", "signing_authority": "KT. HIỆU TRƯỞNG", "signer_name": "Nguyễn Văn An"}
ORIENTATION = 0x0112

pytestmark = pytest.mark.skipif(not FONTS.is_dir(), reason="fonts-liberation2 is not installed")


def page(items) -> Image.Image:
    """A white A4 page at 150 dpi with the given lines printed on it."""
    im = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(im)
    for x, y, text, bold in items:
        font = ImageFont.truetype(str(FONTS / f"LiberationSerif-{'Bold' if bold else 'Regular'}.ttf"), 30)
        x = (1240 - draw.textlength(text, font=font)) / 2 if x == "c" else x
        draw.text((x, y), text, font=font, fill=0)
    return im


def one_page_report() -> Image.Image:
    return page(HEADER + [(x, y + 1000, text, bold) for x, y, text, bold in SIGNATURE])


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """The upright photo, the same photo stored sideways with EXIF orientation 6 (as phones do)."""
    folder = tmp_path_factory.mktemp("photos")
    upright = one_page_report().convert("RGB")
    upright.save(folder / "upright.jpg", quality=90)
    exif = Image.Exif()
    exif[ORIENTATION] = 6                  # "rotate 90° clockwise to view"
    upright.rotate(90, expand=True).save(folder / "sideways.jpg", quality=90, exif=exif)
    return folder


@pytest.fixture(scope="module")
def upright_fields(photos):
    return extract(photos / "upright.jpg").fields


def test_the_photo_reads_as_the_user_sees_it(upright_fields):
    assert {k: upright_fields[k] for k in EXPECTED} == EXPECTED


def test_a_sideways_photo_with_exif_orientation_reads_the_same_as_the_upright_one(photos, upright_fields):
    with Image.open(photos / "sideways.jpg") as im:
        assert im.size == (1754, 1240) and im.getexif()[ORIENTATION] == 6
    pages = read_file(photos / "sideways.jpg")
    assert pages[0].image_stats["width"] == 1240      # turned upright before OCR, not after a retry
    assert build(pages).fields == upright_fields


def test_an_iphone_heic_photo_reads_like_the_jpeg(photos, upright_fields, tmp_path):
    import pillow_heif

    with Image.open(photos / "upright.jpg") as im:
        heif = pillow_heif.from_pillow(im)
        heif.save(tmp_path / "IMG_0001.HEIC", quality=90)
    assert sniff_heic(tmp_path / "IMG_0001.HEIC") == HEIC
    result = extract(tmp_path / "IMG_0001.HEIC")
    assert result.fields == upright_fields and result.page_sources == ["ocr"]


def test_three_files_are_one_report_with_pages_in_order(tmp_path):
    """Page 1 and 3 are photos, page 2 a PDF (a scanned page): the CLI reads them as one report."""
    page(HEADER).convert("RGB").save(tmp_path / "trang1.jpg", quality=90)
    page(MIDDLE).save(tmp_path / "trang2.png")
    combine_to_pdf([tmp_path / "trang2.png"], tmp_path / "trang2.pdf")
    page(SIGNATURE).convert("RGB").save(tmp_path / "trang3.jpg", quality=90)
    files = [tmp_path / "trang1.jpg", tmp_path / "trang2.pdf", tmp_path / "trang3.jpg"]
    out = subprocess.run([sys.executable, "-m", "extractors", *map(str, files), "--explain"],
                         check=False, capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [(p["page"], p["file"]) for p in data["_pages"]] == [(1, "trang1.jpg"), (2, "trang2.pdf"),
                                                               (3, "trang3.jpg")]
    assert data["issuer"] == EXPECTED["issuer"] and data["signer_name"] == EXPECTED["signer_name"]
    assert (data["_provenance"]["issuer"]["page"], data["_provenance"]["issuer"]["file"]) == (1, "trang1.jpg")
    assert (data["_provenance"]["signer_name"]["page"],
            data["_provenance"]["signer_name"]["file"]) == (3, "trang3.jpg")


def test_pages_continue_from_a_word_file_to_a_photo(tmp_path):
    from test_extract_word import build_report

    report = build_report(tmp_path / "bao_cao.docx")
    page(MIDDLE).save(tmp_path / "phu_luc.png")
    result = extract_files([report, tmp_path / "phu_luc.png"])
    assert result.page_sources == ["word", "ocr"]
    assert [(p["page"], p["file"]) for p in result.quality["pages"]] == [(1, "bao_cao.docx"), (2, "phu_luc.png")]
    assert result.provenance["issuer"]["file"] == "bao_cao.docx"


def test_combined_pdf_keeps_the_jpeg_bytes_and_shows_the_photo_upright(photos, tmp_path):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    page(MIDDLE).save(tmp_path / "b.png")
    combine_to_pdf([photos / "upright.jpg", photos / "upright.jpg"], tmp_path / "two.pdf")
    count = combine_to_pdf([photos / "sideways.jpg", tmp_path / "b.png", tmp_path / "two.pdf"], tmp_path / "all.pdf")
    assert count == 4
    pdf = pdfium.PdfDocument(str(tmp_path / "all.pdf"))
    try:
        assert len(pdf) == 4
        first = pdf[0]
        image = next(first.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        assert bytes(image.get_data(decode_simple=False)) == (photos / "sideways.jpg").read_bytes()
        for index in range(4):
            shown = pdf[index].render(scale=0.2).to_pil()
            assert shown.width < shown.height, f"page {index + 1} is shown sideways"
        upright = ImageOps.grayscale(pdf[0].render(scale=1240 / pdf[0].get_width()).to_pil())
        reference = Image.open(photos / "upright.jpg").convert("L").resize(upright.size)
        diff = np.abs(np.asarray(upright, dtype=float) - np.asarray(reference, dtype=float)).mean()
        assert diff < 8                                  # the same picture, the right way up
    finally:
        pdf.close()


def test_a_pdf_combined_from_a_sideways_photo_reads_upright(photos, upright_fields, tmp_path):
    combine_to_pdf([photos / "sideways.jpg"], tmp_path / "bao_cao.pdf")
    fields = extract(tmp_path / "bao_cao.pdf").fields
    assert {k: fields[k] for k in EXPECTED} == {k: upright_fields[k] for k in EXPECTED} == EXPECTED
