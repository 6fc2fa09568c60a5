"""Page images of stored files, for the dossier page; cached beside the file store.

Rendering an uploaded file is work on untrusted input: it happens in a child process under a memory
and time ceiling (`extractors.probe.render_preview`), never in the web process, and the image is
bounded in pixels whatever the page's shape.
"""
from __future__ import annotations

import uuid
from pathlib import Path

from extractors.probe import TooComplex, render_preview
from storage.files import private_dir, store

WIDTH, HEIGHT = 900, 1800

PREVIEW_FAILED = ("Không hiển thị được trang này: tệp quá phức tạp để vẽ trong giới hạn bộ nhớ và thời gian "
                  "của máy chủ. Tệp gốc vẫn được lưu nguyên vẹn; có thể tải tệp gốc về để xem.")


class PreviewUnavailable(TooComplex):
    code = "preview_unavailable"


def page_png(sha256: str, mime: str, page: int) -> Path:
    """A PNG of `page` (1-based) of a stored PDF or image, rendered once and cached."""
    files = store()
    out = files.root.parent / "previews" / f"{sha256}-{page}.png"
    if out.exists():
        return out
    private_dir(out.parent)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        render_preview(files.path(sha256), mime, page, tmp, width=WIDTH, height=HEIGHT)
        tmp.replace(out)
    except TooComplex:
        raise PreviewUnavailable(PREVIEW_FAILED) from None
    finally:
        tmp.unlink(missing_ok=True)
    return out
