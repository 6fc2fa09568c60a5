"""Cheap checks on an uploaded file before it is accepted: type by content, readability, size limits.

Runs during the upload request, so it reads only what it must (page count, image headers, a
reduced-size decode of a JPEG, one pass over the raw bytes for embedded formats), never the text
or the full pixels of every page. The limits and the choices for odd files are in docs/reliability.md.
"""
from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path

MIME_BY_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)

# Formats that must never be taken for a PDF just because "%PDF-" follows within the first KiB.
FOREIGN_MAGIC = (
    b"MZ", b"\x7fELF", b"PK\x03\x04", b"PK\x05\x06", b"GIF8", b"<", b"\xef\xbb\xbf<", b"\xfe\xff", b"\xff\xfe",
    b"7z\xbc\xaf", b"Rar!", b"{\\rtf", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"BM", b"RIFF", b"#!",
) + tuple(magic for magic, _ in MIME_BY_MAGIC)

ZIP_END = b"PK\x05\x06"
# An action of type JavaScript or Launch, or a JavaScript entry of the document's name tree. Long enough
# a pattern that compressed stream data does not match it by chance.
ACTIVE_PDF = re.compile(rb"/S\s*/(?:JavaScript|Launch)(?![A-Za-z0-9])|/JavaScript\s*(?:<<|\d+\s+\d+\s+R)")
TAIL = 1024          # PDF readers look for %%EOF in the last KiB, and for %PDF- in the first


class ProbeError(Exception):
    """The file cannot be accepted; `code` says why, the message says it in Vietnamese."""

    code = "unreadable_file"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnsupportedType(ProbeError):
    code = "unsupported_type"


class Polyglot(UnsupportedType):
    """The file is two formats at once (a PDF that is also a ZIP, an image carrying a PDF)."""

    code = "polyglot_file"


class Unreadable(ProbeError):
    code = "unreadable_file"


class ActiveContent(ProbeError):
    code = "active_content"


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
    for magic, mime in MIME_BY_MAGIC:
        if head.startswith(magic):
            return mime
    # Some producers put a few bytes of junk before %PDF; readers accept it within 1 KiB,
    # but not when the junk is the header of another format (an .exe or a page of HTML).
    if b"%PDF-" in head[:TAIL] and not head.startswith(FOREIGN_MAGIC):
        return "application/pdf"
    return None


def probe(path: str | Path, *, max_pages: int = 300, max_megapixels: float = 100.0) -> Probe:
    """Check type, readability, page count and pixel count; raise ProbeError if any fails."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise Unreadable("Tệp rỗng (0 byte), không có nội dung để đọc. Hãy chọn lại tệp báo cáo.")
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as raw:
        mime = sniff(raw[:TAIL])
        if mime is None:
            raise UnsupportedType("Tệp không phải PDF, JPEG, PNG hoặc TIFF (kiểm tra theo nội dung tệp).")
        _check_single_format(raw, mime)
        if mime == "application/pdf":
            _check_pdf_bytes(raw)
            encrypted = raw.find(b"/Encrypt") != -1
    if mime == "application/pdf":
        return _probe_pdf(path, max_pages, max_megapixels, encrypted)
    return _probe_image(path, mime, max_pages, max_megapixels)


def _check_single_format(raw: mmap.mmap, mime: str) -> None:
    """Refuse polyglots: a file that a ZIP reader, or (for an image) a PDF reader, would also open."""
    if _ends_with_zip_directory(raw):
        raise Polyglot("Tệp vừa là " + _label(mime) + " vừa là tệp nén ZIP (tệp ghép nhiều định dạng), "
                       "hệ thống không nhận. Hãy lưu lại thành một tệp " + _label(mime) + " thông thường.")
    if mime != "application/pdf" and raw.find(b"%PDF-") != -1:
        raise Polyglot("Tệp ảnh có chứa cả một tệp PDF bên trong (tệp ghép nhiều định dạng), hệ thống không "
                       "nhận. Hãy tải lên riêng tệp ảnh hoặc riêng tệp PDF.")


def _ends_with_zip_directory(raw: mmap.mmap) -> bool:
    """True if a ZIP end-of-central-directory record closes the file exactly (as ZIP readers require)."""
    size = len(raw)
    start = max(0, size - 22 - 0xFFFF)
    at = raw.rfind(ZIP_END, start)
    while at != -1:
        if at + 22 <= size and at + 22 + struct.unpack("<H", raw[at + 20:at + 22])[0] == size:
            return True
        at = raw.rfind(ZIP_END, start, at)
    return False


def _label(mime: str) -> str:
    return {"application/pdf": "PDF", "image/png": "ảnh PNG", "image/jpeg": "ảnh JPEG"}.get(mime, "ảnh TIFF")


def _check_pdf_bytes(raw: mmap.mmap) -> None:
    """A PDF must end with %%EOF (else it was cut off) and must not carry scripts or embedded programs."""
    if b"%%EOF" not in raw[-TAIL:]:
        raise Unreadable("Tệp PDF không đầy đủ (thiếu phần kết thúc tệp, có thể tải lên bị ngắt hoặc tệp bị "
                         "ghép thêm dữ liệu). Hãy xuất lại hoặc quét lại rồi tải lên.")
    if ACTIVE_PDF.search(raw):
        raise ActiveContent("Tệp PDF có chứa mã lệnh (JavaScript) hoặc lệnh chạy chương trình, hệ thống không nhận. "
                            "Hãy in lại báo cáo ra PDF (Microsoft Print to PDF) rồi tải lên.")


def _probe_pdf(path: Path, max_pages: int, max_megapixels: float, encrypted: bool) -> Probe:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if encrypted and "password" in str(exc).lower():
            raise Unreadable("Tệp PDF được đặt mật khẩu, hệ thống không đọc được. Hãy tải lên bản không khóa.")
        raise Unreadable("Tệp PDF bị hỏng hoặc không đầy đủ, không đọc được. Hãy xuất lại hoặc quét lại.")
    try:
        pages = len(pdf)
        if pages == 0:
            raise Unreadable("Tệp PDF không có trang nào.")
        if pages > max_pages:
            raise TooManyPages(f"Tệp có {pages} trang, vượt giới hạn {max_pages} trang.")
        if pdfium_c.FPDFDoc_GetJavaScriptActionCount(pdf) > 0:     # also finds scripts in object streams
            raise ActiveContent("Tệp PDF có chứa mã lệnh (JavaScript), hệ thống không nhận. "
                                "Hãy in lại báo cáo ra PDF (Microsoft Print to PDF) rồi tải lên.")
        # Page sizes in points; at 300 dpi a page of w×h pt is (w/72·300)×(h/72·300) pixels.
        biggest = 0.0
        for i in range(pages):
            w, h = pdf.get_page_size(i)
            biggest = max(biggest, (w / 72 * 300) * (h / 72 * 300) / 1e6)
        if biggest > max_megapixels:
            raise TooManyPixels(
                f"Trang quá lớn ({biggest:.0f} megapixel ở 300 dpi), vượt giới hạn {max_megapixels:g} megapixel."
            )
        return Probe("application/pdf", pages, round(biggest, 2))
    finally:
        pdf.close()


def _probe_image(path: Path, mime: str, max_pages: int, max_megapixels: float) -> Probe:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            frames = _check_frames(im, max_pages, max_megapixels)
            biggest = max(w * h for w, h in frames) / 1e6
            im.seek(0)
            _check_decodes(im, mime)
    except ProbeError:
        raise
    except Image.DecompressionBombError as exc:
        # PIL refuses twice its MAX_IMAGE_PIXELS (~179 MP) at open, before we can read the size ourselves.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:.0f} megapixel" if found else "quá nhiều điểm ảnh"
        raise TooManyPixels(f"Ảnh quá lớn ({size}), vượt giới hạn {max_megapixels:g} megapixel.")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise Unreadable("Tệp ảnh bị hỏng hoặc không đầy đủ, không đọc được. Hãy chụp hoặc quét lại.")
    return Probe(mime, len(frames), round(biggest, 2))


def _check_frames(im, max_pages: int, max_megapixels: float) -> list[tuple[int, int]]:
    """Page count and the size of every page, from the headers only."""
    frames = getattr(im, "n_frames", 1)
    if frames > max_pages:
        raise TooManyPages(f"Tệp ảnh có {frames} trang, vượt giới hạn {max_pages} trang.")
    sizes = []
    for i in range(frames):
        im.seek(i)
        w, h = im.size
        if w * h / 1e6 > max_megapixels:
            raise TooManyPixels(f"Ảnh quá lớn ({w}×{h} điểm ảnh, {w * h / 1e6:.0f} megapixel), "
                                f"vượt giới hạn {max_megapixels:g} megapixel.")
        sizes.append((w, h))
    return sizes


def _check_decodes(im, mime: str) -> None:
    """PNG: every chunk's checksum; JPEG: a decode at 1/8 scale (cheap), which fails on cut-off data."""
    if mime == "image/jpeg":
        im.draft("L", (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
        im.load()
    else:
        im.verify()
