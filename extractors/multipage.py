"""Several files (photos, scans, PDFs, Word files) read as the consecutive pages of one report, the
formats the upload probe does not check (Word, HEIC), and one PDF built from images and PDFs."""
from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from . import pipeline, wordfile
from .model import Extraction, ExtractionError, Page

Progress = Callable[[int, int], None]

HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
HEIC = "image/heic"
MAX_PAGES = 300          # the upload probe's defaults
MAX_MEGAPIXELS = 100.0
EXIF_ORIENTATION = 0x0112
PAGE_ROTATION = {1: 0, 3: 180, 6: 90, 8: 270}   # EXIF orientation → PDF /Rotate (clockwise)
A4_LONG_IN = 11.69


def sniff_other(path: str | Path) -> str | None:
    """MIME of a Word/LibreOffice document or a HEIC photo (by content), else None."""
    return wordfile.sniff(path) or sniff_heic(path)


def sniff_heic(path: str | Path) -> str | None:
    """`image/heic` for an HEIF/HEIC file (an ISO-BMFF `ftyp` box naming a HEIF brand), else None."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        return None
    if head[4:8] != b"ftyp":
        return None
    size = int.from_bytes(head[:4], "big")
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    return HEIC if brands & HEIC_BRANDS else None


def register_heif() -> None:
    """Let Pillow open HEIC/HEIF (iPhone photos) through pillow-heif."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def read_other(path: str | Path, progress: Progress | None = None, workers: int | None = None) -> list[Page]:
    """Pages of a Word/LibreOffice document (its text) or of a HEIC photo (OCR, like a JPEG)."""
    path = Path(path)
    mime = sniff_other(path)
    if mime == HEIC:
        _check_heic(path)
        return pipeline.read_pages(path, HEIC, progress, workers)
    if mime is None:
        raise ExtractionError("Tệp không phải văn bản Word/LibreOffice hoặc ảnh HEIC.")
    pages = wordfile.read_pages(path)
    if progress is not None:
        progress(len(pages), len(pages))
    return pages


def _check_heic(path: Path) -> None:
    """The upload probe's page and pixel limits, for a HEIC photo."""
    from PIL import Image

    register_heif()
    try:
        with Image.open(path) as im:
            frames, (w, h) = getattr(im, "n_frames", 1), im.size
    except (OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError("Ảnh HEIC bị hỏng hoặc không đầy đủ, không đọc được. Hãy chụp lại.") from exc
    if frames > MAX_PAGES:
        raise ExtractionError(f"Tệp ảnh có {frames} trang, vượt giới hạn {MAX_PAGES} trang.")
    if w * h / 1e6 > MAX_MEGAPIXELS:
        raise ExtractionError(f"Ảnh quá lớn ({w}×{h} điểm ảnh, {w * h / 1e6:.0f} megapixel), vượt giới hạn "
                              f"{MAX_MEGAPIXELS:g} megapixel. Hãy chụp ở độ phân giải thấp hơn.")


def read_file(path: str | Path, progress: Progress | None = None, workers: int | None = None) -> list[Page]:
    """The pages of one file, whatever its kind."""
    path = Path(path)
    if not path.is_file():
        raise ExtractionError(f"Không tìm thấy tệp: {path}")
    if sniff_other(path):
        return read_other(path, progress, workers)
    return pipeline.read_pages(path, pipeline._check(path), progress, workers)


def extract_files(paths: Iterable[str | Path], progress: Progress | None = None,
                  workers: int | None = None) -> Extraction:
    """Read the files, in the order given, as the consecutive pages of one report.

    Page numbers continue from file to file; every provenance record and page report names the
    file its page came from (`file`)."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise ExtractionError("Chưa chọn tệp nào.")
    pages: list[Page] = []
    files: list[str] = []
    for path in paths:
        done = len(pages)
        step = None if progress is None else (lambda d, t, done=done: progress(done + d, done + t))
        for page in read_file(path, step, workers):
            _renumber(page, len(pages) + 1)
            pages.append(page)
            files.append(Path(path).name)
    result = pipeline.build(pages)
    for record in list(result.provenance.values()) + result.quality["pages"]:
        record["file"] = files[record["page"] - 1]
    return result


def _renumber(page: Page, number: int) -> None:
    """Give a page (and its lines) its number in the combined document."""
    page.number = number
    for line in page.lines:
        line.page = number


# ----------------------------------------------------------------- one PDF from images and PDFs
def combine_to_pdf(paths: Iterable[str | Path], out_pdf: str | Path) -> int:
    """Write one PDF with the pages of the given images, PDFs and Word files, in order; return its
    page count.

    A Word/LibreOffice file is printed to PDF by LibreOffice (the preview of a Word report). A JPEG is
    embedded as it is (no re-encoding), its EXIF orientation given as the page's rotation;
    other images (PNG, TIFF frames, HEIC, mirrored JPEGs) are stored as JPEG quality 92. A page is
    sized from the image's dpi, else so that its long side is that of A4."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    try:
        for path in map(Path, paths):
            if wordfile.sniff(path):
                with tempfile.TemporaryDirectory(prefix="combine-") as tmp:
                    _import_pdf(out, wordfile.convert(path, Path(tmp), "pdf"))
            elif _is_pdf(path):
                _import_pdf(out, path)
            else:
                _add_image_pages(out, path)
        out.save(str(out_pdf))
        return len(out)
    finally:
        out.close()


def _import_pdf(out, path: Path) -> None:
    """Append every page of the PDF at `path`."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(path))
    try:
        out.import_pages(src)
    finally:
        src.close()


def _is_pdf(path: Path) -> bool:
    with open(path, "rb") as f:
        return b"%PDF-" in f.read(1024)


def _add_image_pages(pdf, path: Path) -> None:
    """One page per frame of the image."""
    from PIL import Image, ImageOps

    if sniff_heic(path):
        register_heif()
    with Image.open(path) as im:
        orientation = im.getexif().get(EXIF_ORIENTATION, 1)
        frames = getattr(im, "n_frames", 1)
        if im.format == "JPEG" and im.mode in ("L", "RGB", "CMYK") and orientation in PAGE_ROTATION:
            _add_jpeg(pdf, path.read_bytes(), im.size, _dpi(im), PAGE_ROTATION[orientation])
            return
        for i in range(frames):
            im.seek(i)
            frame = ImageOps.exif_transpose(im.copy())
            frame = frame if frame.mode in ("L", "RGB") else frame.convert("RGB")
            buffer = io.BytesIO()
            frame.save(buffer, "JPEG", quality=92)
            _add_jpeg(pdf, buffer.getvalue(), frame.size, _dpi(im), 0)


def _dpi(im) -> float | None:
    """The image's stated resolution when plausible for a scan or photo of a page."""
    dpi = im.info.get("dpi")
    value = float(dpi[0]) if dpi else 0.0
    return value if 100 <= value <= 1200 else None


def _add_jpeg(pdf, data: bytes, size: tuple[int, int], dpi: float | None, rotation: int) -> None:
    """A page the size of the JPEG (at its dpi, else A4's long side), the JPEG data embedded as is."""
    import pypdfium2 as pdfium

    w, h = size
    dpi = dpi or max(w, h) / A4_LONG_IN
    width, height = w * 72 / dpi, h * 72 / dpi
    page = pdf.new_page(width, height)
    image = pdfium.PdfImage.new(pdf)
    image.load_jpeg(io.BytesIO(data), pages=[page], inline=True)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    if rotation:
        page.set_rotation(rotation)
