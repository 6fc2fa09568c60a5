"""PDF conversion through LibreOffice: page geometry, embedded fonts, and the official Mẫu 1.2."""
import shutil
import subprocess
from pathlib import Path

import pytest

from doc_templates import ConversionError, PdfConverter, merge_pdfs, render, samples

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")
PHULUC3 = Path("/work/shared/reference/nd30/Phuluc3.docx")
MM = 72 / 25.4


@pytest.fixture(scope="module")
def converter(tmp_path_factory):
    with PdfConverter(workdir=tmp_path_factory.mktemp("lo")) as conv:
        yield conv


@pytest.fixture(scope="module")
def pdfs(converter):
    kinds = ["quyet_dinh", "giay_khen", "giay_khen_phoi"]
    docs = [render(k, samples.sample(k)) for k in kinds]
    return dict(zip(kinds, converter.to_pdf_many(docs), strict=False))


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    import pypdfium2 as pdfium

    return [page.get_size() for page in pdfium.PdfDocument(pdf)]


def test_quyet_dinh_is_a4_portrait_with_the_annex_on_page_two(pdfs):
    sizes = page_sizes(pdfs["quyet_dinh"])
    assert len(sizes) == 2
    for w, h in sizes:
        assert w == pytest.approx(595, abs=1) and h == pytest.approx(842, abs=1)


@pytest.mark.parametrize("kind", ["giay_khen", "giay_khen_phoi"])
def test_certificates_are_one_a4_landscape_page(pdfs, kind):
    [(w, h)] = page_sizes(pdfs[kind])
    assert w == pytest.approx(842, abs=1) and h == pytest.approx(595, abs=1)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) not installed")
def test_fonts_are_embedded(pdfs, tmp_path):
    path = tmp_path / "qd.pdf"
    path.write_bytes(pdfs["quyet_dinh"])
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)
    assert all("LiberationSerif" in row or "TimesNewRoman" in row for row in rows)


def words(pdf: bytes, page_no: int = 0) -> list[dict]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return doc.pages[page_no].extract_words()


@pytest.fixture(scope="module")
def official_mau_1_2(converter):
    """The page of Phụ lục III holding the official Mẫu 1.2, converted the same way."""
    if not PHULUC3.exists():
        pytest.skip("the official Phụ lục III is not available")
    import io

    import pdfplumber

    pdf = converter.to_pdf(PHULUC3.read_bytes())
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i, page in enumerate(doc.pages):
            text = page.extract_text() or ""
            if "Mẫu 1.2 -" in text and "CỘNG HÒA" in text:
                return words(pdf, i)
    pytest.skip("Mẫu 1.2 not found in Phụ lục III")


def left_edge_mm(ws: list[dict]) -> float:
    return min(w["x0"] for w in ws) / MM


def quoc_hieu_centre_mm(ws: list[dict]) -> float:
    first = next(w for w in ws if w["text"] == "CỘNG")
    last = next(w for w in ws if w["text"] == "NAM" and abs(w["top"] - first["top"]) < 2)
    return (first["x0"] + last["x1"]) / 2 / MM


def test_text_starts_at_the_nd30_left_margin(pdfs):
    assert 29 <= left_edge_mm(words(pdfs["quyet_dinh"])) <= 36


def test_header_matches_the_official_mau_1_2(pdfs, official_mau_1_2):
    ours = words(pdfs["quyet_dinh"])
    assert quoc_hieu_centre_mm(ours) == pytest.approx(quoc_hieu_centre_mm(official_mau_1_2), abs=4)
    assert 29 <= left_edge_mm(official_mau_1_2) <= 36  # both within ND30's 30–35 mm left margin


def test_merge_pdfs_keeps_every_page(pdfs):
    merged = merge_pdfs([pdfs["giay_khen"], pdfs["quyet_dinh"]])
    assert len(page_sizes(merged)) == 3


def test_a_timeout_kills_soffice_and_says_so(tmp_path):
    conv = PdfConverter(workdir=tmp_path, timeout=0.05, per_document=0)
    with pytest.raises(ConversionError, match="quá thời gian"):
        conv.to_pdf(render("dang_ky", samples.dang_ky()))


def test_a_broken_file_raises_conversion_error(converter):
    with pytest.raises(ConversionError, match="thứ 1"):
        converter.to_pdf(b"PK\x03\x04 this is not a docx")
