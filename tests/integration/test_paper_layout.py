"""Issue 11 #9: the papers with lists keep the ND30 signature block (title and name) on one page with
the last lines of the text, never split a table row, and repeat the header row; the annex groups
“I. Tập thể / II. Cá nhân”. Rendered to PDF by LibreOffice and read back with pdfplumber."""
from __future__ import annotations

import re
import shutil

import pytest
from layout_check import LAYOUT_KINDS, SIZES, pages_text, render_all, split_rows

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")

LAST_LINES = {"to_trinh": "xem xét, quyết định./.", "bien_ban_tham_dinh": "Kết luận:",
              "bao_cao_tong_hop": "Đề nghị tặng", "quyet_dinh": "chịu trách nhiệm thi hành",
              "dang_ky": "Báo cáo kết quả trước ngày"}


@pytest.fixture(scope="module")
def pdfs():
    return render_all()


def _last_page(pages: list[str], text: str) -> int:
    key = re.sub(r"\s+", "", text)
    found = [i for i, t in enumerate(pages, 1) if key in re.sub(r"\s+", "", t)]
    assert found, f"{text!r} is not printed"
    return found[-1]


@pytest.mark.parametrize("kind", LAYOUT_KINDS)
@pytest.mark.parametrize("n", SIZES)
def test_the_signature_block_stays_together_with_the_last_lines_and_no_row_is_split(pdfs, kind, n):
    from doc_templates import samples

    pages = pages_text(pdfs[(kind, n)])
    signer = samples.sample(kind)["signer"]
    title_page = _last_page(pages, signer["title"].upper())
    assert _last_page(pages, signer["name"]) == title_page, f"{kind} × {n}: signer's name alone on a page"
    assert _last_page(pages, LAST_LINES[kind]) == title_page, f"{kind} × {n}: signature without the text"
    assert split_rows(pdfs[(kind, n)]) == []


def test_the_annex_lists_collectives_then_individuals_under_their_headings(pdfs):
    text = "\n".join(pages_text(pdfs[("quyet_dinh", 40)])[1:])     # the annex starts on page 2
    collectives, individuals = text.index("I. Tập thể"), text.index("II. Cá nhân")
    assert collectives < individuals
    assert all(m.start() < individuals for m in re.finditer(r"Trường THCS Phượng\s+Tiến \d+ \(", text))
    assert all(m.start() > individuals for m in re.finditer(r"Nguyễn Thị Hoa", text))
