"""Read the text layer of a PDF with pdfplumber: words with positions, lines, ruled tables."""
from __future__ import annotations

from .layout import build_lines, clean_words
from .model import Page, Word
from .quality import valid_share

MIN_CHARS = 40          # fewer visible characters than this: the page is treated as a scan
MIN_VALID_SHARE = 0.5   # a broken font encoding yields text that is not Vietnamese syllables


def read_page(pdf_page, number: int) -> Page:
    """Words → lines for one pdfplumber page, with the column boundaries of its ruled table."""
    raw = pdf_page.extract_words(extra_attrs=["fontname"], keep_blank_chars=False)
    words = clean_words([_word(w) for w in raw])
    lines = build_lines(words, number, "text-layer")
    columns, boxes = _tables(pdf_page)
    return Page(number, float(pdf_page.width), float(pdf_page.height), lines, "text-layer",
                columns=columns, tables=boxes)


def _word(raw: dict) -> Word:
    """A pdfplumber word dict as a Word."""
    bold = "bold" in raw.get("fontname", "").lower()
    return Word(raw["text"], raw["x0"], raw["x1"], raw["top"], raw["bottom"], None, bold)


def _tables(pdf_page) -> tuple[list[float] | None, list]:
    """x boundaries of the widest ruled table on the page, and the boxes of all its ruled tables."""
    if not pdf_page.lines and not pdf_page.rects:
        return None, []
    tables = [t for t in pdf_page.find_tables() if len(t.cells) >= 2]
    if not tables:
        return None, []
    table = max(tables, key=lambda t: len(t.cells))
    xs = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
    return (xs if len(xs) >= 3 else None), [tuple(t.bbox) for t in tables]


def usable(page: Page) -> bool:
    """True when the page's text layer carries real text."""
    text = page.text
    visible = sum(1 for c in text if not c.isspace())
    return visible >= MIN_CHARS and valid_share(text) >= MIN_VALID_SHARE
