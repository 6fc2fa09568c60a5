"""Page structure of a scanned file: where the first document ends.

Files clerks upload often carry more than one document: a decision with another body's letter
stapled behind it, a công văn with the decision it forwards, a report followed by an application
form.  Every ND30 document opens with the Quốc hiệu and tiêu ngữ ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
NAM / Độc lập - Tự do - Hạnh phúc", or "ĐẢNG CỘNG SẢN VIỆT NAM" for a Party body) at the top of its
first page; a later page that opens the same way starts another document, unless it says it belongs
to the first (an annex: "Kèm theo …", "PHỤ LỤC", "DANH SÁCH", "BIỂU").  The fields describe the first.
"""
from __future__ import annotations

import re
import unicodedata

from .model import Page

TOP_LINES = 6           # the Quốc hiệu is within the first lines of a page
MOTTO_RE = re.compile(r"cong hoa xa hoi|xa hoi chu nghia|doc lap\W+tu do|dang cong san viet nam")
ANNEX_RE = re.compile(r"kem theo|phu luc|danh sach|\bbieu\b|mau so|mau\s+\d")
ANNEX_LINES = 14        # an annex says so near its top


def fold(text: str) -> str:
    """Lower case without marks (đ → d)."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def first_document(pages: list[Page]) -> list[Page]:
    """The pages of the file's first document (all of them when nothing else is attached)."""
    for index, page in enumerate(pages[1:], start=1):
        if starts_document(page):
            return pages[:index]
    return pages


def starts_document(page: Page) -> bool:
    """True when the page opens with a Quốc hiệu (or the Party motto) and is not an annex."""
    top = " ".join(fold(ln.text) for ln in page.lines[:TOP_LINES])
    if not MOTTO_RE.search(top):
        return False
    head = " ".join(fold(ln.text) for ln in page.lines[:ANNEX_LINES])
    return not ANNEX_RE.search(head)
