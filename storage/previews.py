"""Page images of stored files, for the dossier page; cached beside the file store."""
from __future__ import annotations

import io
from pathlib import Path

from storage.files import store

WIDTH = 900


def page_png(sha256: str, mime: str, page: int) -> Path:
    """A PNG of `page` (1-based) of a stored PDF or image, rendered once and cached."""
    files = store()
    out = files.root.parent / "previews" / f"{sha256}-{page}.png"
    if out.exists():
        return out
    image = _render_pdf(files.path(sha256), page) if mime == "application/pdf" else _image(files.path(sha256), page)
    image.thumbnail((WIDTH, WIDTH * 2))
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PNG", optimize=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(out)
    return out


def _render_pdf(path: Path, page: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        p = pdf[page - 1]
        scale = WIDTH / p.get_width()
        return p.render(scale=scale).to_pil()
    finally:
        pdf.close()


def _image(path: Path, page: int):
    from PIL import Image

    im = Image.open(path)
    im.seek(page - 1)
    return im.copy()
