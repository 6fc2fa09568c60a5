"""Where things land on the printed page: render a paper to PDF (LibreOffice) and read it back
(pdfplumber). Shared by the layout tests and by hand checks (python tests/layout_check.py DIR)."""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

LAYOUT_KINDS = ("to_trinh", "bien_ban_tham_dinh", "bao_cao_tong_hop", "quyet_dinh", "dang_ky")
SIZES = (1, 13, 40, 200)


def context(kind: str, n: int) -> dict:
    """The sample of `kind` with `n` records, long enough to fill pages realistically."""
    from doc_templates import samples

    base = samples.sample(kind)
    ctx = samples._lists(kind, base, n) | {k: base[k] for k in ("commitments", "legal_bases") if k in base}
    for key in ("nominees", "awardees", "verdicts"):
        for i, item in enumerate(ctx.get(key) or []):
            if i % 4 == 3:
                item["name"] = f"Trung tâm Văn hóa, Thông tin và Thể thao xã Phượng Tiến số {i + 1}"
    return ctx


def pages_text(pdf: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def page_of(pages: list[str], text: str) -> list[int]:
    """1-based numbers of the pages holding `text` (spaces ignored)."""
    key = re.sub(r"\s+", "", text)
    return [i for i, t in enumerate(pages, 1) if key in re.sub(r"\s+", "", t)]


def signature_pages(pdf: bytes, signer: dict) -> tuple[list[int], list[int]]:
    """Pages holding the signer's title and the signer's name."""
    pages = pages_text(pdf)
    return page_of(pages, signer["title"].upper()), page_of(pages, signer["name"])


def split_rows(pdf: bytes) -> list[str]:
    """Table rows split across pages: on a page after the first, a bordered table's first body row
    whose STT cell is empty (the rest of the previous page's last row), or a table continued
    without its header row."""
    import pdfplumber

    problems = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, 1):
            top = min(page.find_tables(), key=lambda t: t.bbox[1], default=None)
            if number == 1 or top is None or top.bbox[1] > 120:   # no table continued at the page's top
                continue
            rows = top.extract()
            if not rows or not rows[0]:
                continue
            first = (rows[0][0] or "").strip()
            if first == "STT":
                rows = rows[1:]
            elif not re.fullmatch(r"\d+|[IVX]+\..*", first) and len(rows[0]) > 2:
                problems.append(f"page {number}: a continued table without its header row")
            if rows and len(rows[0]) > 2 and not (rows[0][0] or "").strip() and \
                    not re.match(r"[IVX]+\.", " ".join(c or "" for c in rows[0]).strip()):
                problems.append(f"page {number}: a row split across the page break: {rows[0]!r}")
    return problems


def render_all(kinds=LAYOUT_KINDS, sizes=SIZES) -> dict[tuple[str, int], bytes]:
    """Every (kind, size) as PDF, converted in one LibreOffice run."""
    import doc_templates

    keys = [(k, n) for k in kinds for n in sizes]
    docs = [doc_templates.render(k, context(k, n)) for k, n in keys]
    with doc_templates.PdfConverter() as conv:
        return dict(zip(keys, conv.to_pdf_many(docs), strict=False))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from doc_templates import samples

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/layout")
    out.mkdir(parents=True, exist_ok=True)
    for (kind, n), pdf in render_all().items():
        (out / f"{kind}-{n}.pdf").write_bytes(pdf)
        titles, names = signature_pages(pdf, samples.sample(kind)["signer"])
        print(f"{kind:20} {n:4}: pages {len(pages_text(pdf)):3}  title on {titles} name on {names}  "
              f"{split_rows(pdf)[:3]}")
