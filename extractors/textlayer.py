"""Read the text layer of a PDF with pdfplumber: words with positions, lines, ruled tables."""
from __future__ import annotations

from pdfminer.pdftypes import resolve1

from .layout import build_lines, clean_words
from .model import Page, Word
from .quality import marked_share, valid_share

MIN_CHARS = 40          # fewer visible characters than this: the page is treated as a scan
MIN_VALID_SHARE = 0.5   # a broken font encoding yields text that is not Vietnamese syllables
SCAN_COVER = 0.5        # an image covering this share of the page makes it a scan (perhaps with a layer)
# A layer over a scan is the page only when it reads like Vietnamese: syllables valid and marked
# (an OCR layer made without Vietnamese loses the marks: "UBND TINH KIEN GIANG", "S& 5?AD /UBND")
# and spread over the page, not a stamp box in a corner.
LAYER_VALID_SHARE = 0.85
LAYER_MARKED_SHARE = 0.4
LAYER_MIN_CHARS = 400
LAYER_MIN_SPAN = 0.3    # share of the page height between the layer's first and last line


def read_page(pdf_page, number: int, extra: list[Word] | None = None) -> Page:
    """Words → lines for one pdfplumber page (plus words drawn by its annotations, `extra`), with the
    column boundaries of its ruled table."""
    raw = pdf_page.extract_words(extra_attrs=["fontname"], keep_blank_chars=False)
    words = clean_words([_word(w) for w in raw] + list(extra or []))
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


def page_words(pdf_page) -> list[Word]:
    """The page's own words (no annotations), for telling annotation text from the text under it."""
    return [_word(w) for w in pdf_page.extract_words(keep_blank_chars=False)]


def image_cover(pdf_page) -> float:
    """Share of the page area covered by its largest image (a scan's page image covers it all)."""
    area = float(pdf_page.width) * float(pdf_page.height) or 1.0
    best = 0.0
    for im in pdf_page.images:
        w = min(im["x1"], pdf_page.width) - max(im["x0"], 0)
        h = min(im["bottom"], pdf_page.height) - max(im["top"], 0)
        best = max(best, max(0.0, w) * max(0.0, h) / area)
    return min(1.0, best)


def annotation_boxes(pdf_page) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) of the annotations that can draw text (widgets, free text, stamps),
    read shallowly from the page's /Annots (a deep resolve recurses forever on some signed files)."""
    try:
        refs = resolve1(pdf_page.page_obj.annots) or []
    except Exception:  # noqa: BLE001 - a damaged /Annots array: no annotation text
        return []
    top = float(pdf_page.bbox[3])
    boxes = (_annotation_box(ref, top) for ref in refs)
    return [box for box in boxes if box is not None]


def _annotation_box(ref, top: float) -> tuple[float, float, float, float] | None:
    """The box of one text-drawing annotation, None for other kinds or a malformed one."""
    try:
        annot = resolve1(ref)
        kind = getattr(resolve1(annot.get("Subtype")), "name", "")
        x0, y0, x1, y1 = (float(resolve1(v)) for v in resolve1(annot.get("Rect")))
    except Exception:  # noqa: BLE001 - one malformed annotation is skipped
        return None
    if kind not in ("Widget", "FreeText", "Stamp"):
        return None
    return min(x0, x1), top - max(y0, y1), max(x0, x1), top - min(y0, y1)


def usable(page: Page, cover: float = 0.0) -> bool:
    """True when the text layer is the page: on a page without a scan image, real text (not a broken
    font encoding); over a scan image, a layer that covers the page and reads as marked Vietnamese —
    a signature stamp alone, or an OCR layer that lost its marks, sends the page to OCR."""
    text = page.text
    visible = sum(1 for c in text if not c.isspace())
    if cover < SCAN_COVER:
        return visible >= MIN_CHARS and valid_share(text) >= MIN_VALID_SHARE
    span = (page.lines[-1].bottom - page.lines[0].top) / page.height if page.lines and page.height else 0.0
    return (visible >= LAYER_MIN_CHARS and span >= LAYER_MIN_SPAN
            and valid_share(text) >= LAYER_VALID_SHARE and marked_share(text) >= LAYER_MARKED_SHARE)
