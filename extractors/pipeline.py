"""Bytes or path in → Extraction out: text layer first, OCR for the other pages in parallel."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from . import blanks, ocr, quality, stamps, structure, textlayer
from .layout import build_lines
from .model import Extraction, ExtractionError, OcrUnavailable, Page, Word
from .probe import ProbeError, probe

Progress = Callable[[int, int], None]


def extract(source: str | Path | bytes, *, progress: Progress | None = None,
            workers: int | None = None) -> Extraction:
    """Extract the schema fields from a PDF or page image given as a path or bytes."""
    if isinstance(source, (bytes, bytearray)):
        return _extract_bytes(bytes(source), progress, workers)
    path = Path(source)
    if not path.is_file():
        raise ExtractionError(f"Không tìm thấy tệp: {path}")
    from .multipage import read_other, sniff_other  # Word files, HEIC photos: formats the probe does not know
    if sniff_other(path):
        return build(read_other(path, progress, workers))
    kind = _check(path)
    pages = read_pages(path, kind, progress, workers)
    return build(pages)


def _extract_bytes(data: bytes, progress: Progress | None, workers: int | None) -> Extraction:
    """Spill bytes to a temporary file (pdftoppm and pdfplumber read files)."""
    with tempfile.TemporaryDirectory(prefix="extract-") as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(data)
        return extract(path, progress=progress, workers=workers)


def _check(path: Path) -> str:
    """Return the MIME type, or raise ExtractionError with the probe's Vietnamese message."""
    try:
        return probe(path).mime
    except ProbeError as exc:
        raise ExtractionError(exc.message) from exc
    except OSError as exc:
        raise ExtractionError(f"Không đọc được tệp: {exc.strerror or exc}") from exc


def read_pages(path: Path, mime: str, progress: Progress | None, workers: int | None) -> list[Page]:
    """All pages of the document, as lines of words, in page order."""
    if mime == "application/pdf":
        return _read_pdf(path, progress, workers)
    return _read_image(path, progress, workers)


def _read_pdf(path: Path, progress: Progress | None, workers: int | None) -> list[Page]:
    """Per page, the text layer when it is the page; OCR in parallel for the others (scans, a layer
    holding only a signature stamp, a broken OCR layer).  Annotation text joins its page; signature
    stamps are kept on the page as evidence."""
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            boxes = {i + 1: b for i, p in enumerate(pdf.pages) if (b := textlayer.annotation_boxes(p))}
            drawn = stamps.annotation_blocks(str(path), boxes)
            annotated = {n: _split_annotations(pdf.pages[n - 1], n, blocks) for n, blocks in drawn.items()}
            layer = [textlayer.read_page(p, i + 1, annotated.get(i + 1, ([], []))[1])
                     for i, p in enumerate(pdf.pages)]
            covers = [textlayer.image_cover(p) for p in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise ExtractionError("Tệp PDF bị hỏng, không đọc được. Hãy xuất lại hoặc quét lại.") from exc
    good = {p.number: p for p, cover in zip(layer, covers, strict=False) if textlayer.usable(p, cover)}
    jobs = {p.number: (ocr.ocr_pdf_page, str(path), p.number, p.width) for p in layer if p.number not in good}
    pages = _run(good, jobs, len(layer), progress, workers)
    for page in pages:
        found, extra = annotated.get(page.number, ([], []))
        page.stamps = found
        if page.source == "ocr" and extra:
            _add_words(page, extra, page.width / layer[page.number - 1].width)
        stamps.take_printed_stamp(page)
    return pages


def _split_annotations(pdf_page, number: int, blocks: list[list[Word]]) -> tuple[list, list[Word]]:
    """Annotation text blocks of one page → (signature stamps, other words such as a number stamped
    into the blank of `Số:`).  Words of the page itself that lie under an annotation are left out."""
    own = textlayer.page_words(pdf_page)
    found, extra = [], []
    for block in blocks:
        group = [w for w in block if not stamps.overlaps(w, own)]
        if not group:
            continue
        text = stamps.reading_text(group)
        if stamps.is_stamp_text(text):
            found.append(stamps.parse_stamp(text, number))
        else:
            extra.extend(group)
    return found, extra


def _add_words(page: Page, words: list[Word], scale: float) -> None:
    """Put annotation words (PDF points) on an OCR'd page (pixels), then rebuild its lines."""
    moved = [Word(w.text, w.x0 * scale, w.x1 * scale, w.top * scale, w.bottom * scale, 1.0, w.bold)
             for w in words]
    page.lines = build_lines([w for ln in page.lines for w in ln.words] + moved, page.number, "ocr")


def _read_image(path: Path, progress: Progress | None, workers: int | None) -> list[Page]:
    """Every frame of a JPEG, PNG or (multi-page) TIFF goes to OCR."""
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        frames = [ocr.ink_channel(ImageOps.exif_transpose(_frame(im, i))) for i in range(getattr(im, "n_frames", 1))]
    jobs = {i + 1: (ocr.ocr_image, frame, i + 1) for i, frame in enumerate(frames)}
    return _run({}, jobs, len(frames), progress, workers)


def _frame(im, index: int):
    """A copy of frame `index` of a (multi-frame) image."""
    im.seek(index)
    return im.copy()


def _run(done: dict, jobs: dict, total: int, progress: Progress | None, workers: int | None) -> list[Page]:
    """Run OCR jobs on a bounded thread pool (each job is a Tesseract subprocess)."""
    pages = dict(done)
    _report(progress, len(pages), total)
    if jobs:
        limit = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
        with ThreadPoolExecutor(max_workers=limit) as pool:
            futures = [pool.submit(fn, *args) for fn, *args in jobs.values()]
            for future in as_completed(futures):
                page = _result(future)
                pages[page.number] = page
                _report(progress, len(pages), total)
    return [pages[n] for n in sorted(pages)]


def _result(future) -> Page:
    """A finished OCR page, or an ExtractionError saying OCR failed."""
    try:
        return future.result()
    except OcrUnavailable:
        raise                                   # the server's tools, not the file: the job retries
    except (OSError, RuntimeError, ValueError) as exc:  # the detail (exc) is logged by the caller
        raise ExtractionError("Không nhận dạng được chữ trên một trang của tệp (ảnh quá nhỏ, hỏng hoặc có định dạng "
                              "lạ). Hãy chụp hoặc quét lại rõ hơn rồi nộp lại.") from exc


def _report(progress: Progress | None, done: int, total: int) -> None:
    """Tell the caller how many pages are finished."""
    if progress is not None:
        progress(done, total)


def build(pages: list[Page]) -> Extraction:
    """Apply the rules to the pages of the file's first document (a document attached behind it is
    not read), withdraw handwritten values, and package the result."""
    from .rules import read_fields

    first = structure.first_document(pages)
    fields, provenance = read_fields(first)
    blanks.check(fields, provenance, first)
    blanks.under_seal(fields, provenance, first)
    found = [s.to_dict() for p in pages for s in p.stamps]
    if found:
        provenance["_signature_stamp"] = found
    return Extraction(fields=fields, provenance=provenance, pages=len(pages), stamps=found,
                      page_sources=[p.source for p in pages], quality=quality.assess(pages),
                      text="\f".join(p.text for p in pages))
