"""Cheap checks on an uploaded file before it is accepted: type by content, readability, size limits.

Runs during the upload request, so it reads only what it must (page count, image headers),
never the text or the pixels of every page.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MIME_BY_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


class ProbeError(Exception):
    """The file cannot be accepted; `code` says why, the message says it in Vietnamese."""

    code = "unreadable_file"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnsupportedType(ProbeError):
    code = "unsupported_type"


class Unreadable(ProbeError):
    code = "unreadable_file"


class TooManyPages(ProbeError):
    code = "too_many_pages"


class TooManyPixels(ProbeError):
    code = "too_many_pixels"


@dataclass(frozen=True)
class Probe:
    mime: str
    pages: int
    max_megapixels: float


def sniff(head: bytes) -> str | None:
    """Return the MIME type the first bytes announce, or None."""
    # Some producers put a few bytes of junk before %PDF; readers accept it within 1 KiB.
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for magic, mime in MIME_BY_MAGIC:
        if head.startswith(magic):
            return mime
    return None


def probe(path: str | Path, *, max_pages: int = 300, max_megapixels: float = 100.0) -> Probe:
    """Check type, readability, page count and pixel count; raise ProbeError if any fails."""
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(1024)
    mime = sniff(head)
    if mime is None:
        raise UnsupportedType("Tệp không phải PDF, JPEG, PNG hoặc TIFF (kiểm tra theo nội dung tệp).")
    if mime == "application/pdf":
        return _probe_pdf(path, max_pages, max_megapixels)
    return _probe_image(path, mime, max_pages, max_megapixels)


def _probe_pdf(path: Path, max_pages: int, max_megapixels: float) -> Probe:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Unreadable("Tệp PDF được đặt mật khẩu, hệ thống không đọc được. Hãy tải lên bản không khóa.")
        raise Unreadable("Tệp PDF bị hỏng hoặc không đầy đủ, không đọc được. Hãy xuất lại hoặc quét lại.")
    try:
        pages = len(pdf)
        if pages == 0:
            raise Unreadable("Tệp PDF không có trang nào.")
        if pages > max_pages:
            raise TooManyPages(f"Tệp có {pages} trang, vượt giới hạn {max_pages} trang.")
        # Page sizes in points; at 300 dpi a page of w×h pt is (w/72·300)×(h/72·300) pixels.
        biggest = 0.0
        for i in range(pages):
            w, h = pdf.get_page_size(i)
            biggest = max(biggest, (w / 72 * 300) * (h / 72 * 300) / 1e6)
        if biggest > max_megapixels:
            raise TooManyPixels(
                f"Trang quá lớn ({biggest:.0f} megapixel ở 300 dpi), vượt giới hạn {max_megapixels:.0f} megapixel."
            )
        return Probe("application/pdf", pages, round(biggest, 2))
    finally:
        pdf.close()


def _probe_image(path: Path, mime: str, max_pages: int, max_megapixels: float) -> Probe:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            frames = getattr(im, "n_frames", 1)
            if frames > max_pages:
                raise TooManyPages(f"Tệp ảnh có {frames} trang, vượt giới hạn {max_pages} trang.")
            biggest = 0.0
            for i in range(frames):
                im.seek(i)
                w, h = im.size
                biggest = max(biggest, w * h / 1e6)
                if biggest > max_megapixels:
                    raise TooManyPixels(
                        f"Ảnh quá lớn ({w}×{h} điểm ảnh), vượt giới hạn {max_megapixels:.0f} megapixel."
                    )
            im.seek(0)
            im.verify()
    except ProbeError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Unreadable("Tệp ảnh bị hỏng hoặc không đầy đủ, không đọc được. Hãy chụp hoặc quét lại.")
    return Probe(mime, frames, round(biggest, 2))
