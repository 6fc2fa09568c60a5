"""Page images of stored files, for the dossier page; cached beside the file store.

Rendering an uploaded file is work on untrusted input: it happens in a child process under a memory
and time ceiling (`extractors.probe.render_preview`), never in the web process, and the image is
bounded in pixels whatever the page's shape.
"""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from extractors import wordfile
from extractors.model import ExtractionError
from extractors.probe import TooComplex, render_preview
from storage.files import private_dir, store

WIDTH, HEIGHT = 900, 1800

PREVIEW_FAILED = ("Không hiển thị được trang này: tệp quá phức tạp để vẽ trong giới hạn bộ nhớ và thời gian "
                  "của máy chủ. Tệp gốc vẫn được lưu nguyên vẹn; có thể tải tệp gốc về để xem.")


class PreviewUnavailable(TooComplex):
    code = "preview_unavailable"


WORD_MIMES = {wordfile.DOCX, wordfile.DOC, wordfile.ODT}
WORD_FAILED = ("Không tạo được bản xem trước của tệp Word/LibreOffice (LibreOffice không chuyển được sang PDF). "
               "Tệp gốc vẫn được lưu nguyên vẹn; có thể tải tệp gốc về để xem.")


def _previews_dir() -> Path:
    out = store().root.parent / "previews"
    private_dir(out)
    return out


def word_pdf(sha256: str) -> Path:
    """The PDF LibreOffice prints from a stored Word/LibreOffice file, converted once and cached."""
    out = _previews_dir() / f"{sha256}.pdf"
    if out.exists():
        return out
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".convert-") as tmp:
        try:
            wordfile.convert(store().path(sha256), Path(tmp), "pdf").replace(out)
        except ExtractionError:
            raise PreviewUnavailable(WORD_FAILED) from None
    return out


def page_png(sha256: str, mime: str, page: int) -> Path:
    """A PNG of `page` (1-based) of a stored PDF or image (a Word file: of its PDF), rendered once and cached."""
    out = _previews_dir() / f"{sha256}-{page}.png"
    if out.exists():
        return out
    source = store().path(sha256)
    if mime in WORD_MIMES:
        source, mime = word_pdf(sha256), "application/pdf"
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        render_preview(source, mime, page, tmp, width=WIDTH, height=HEIGHT)
        tmp.replace(out)
    except TooComplex:
        raise PreviewUnavailable(PREVIEW_FAILED) from None
    finally:
        tmp.unlink(missing_ok=True)
    return out
