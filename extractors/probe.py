"""Checks on an uploaded file before it is accepted: type by content, readability, limits, active content.

Runs during the upload request. Images are checked here from their headers (and a reduced-size decode of
a JPEG). A PDF is parsed into its objects in a child process under a memory and time ceiling
(`CHILD_MEMORY_MB`, `CHILD_TIME_S`), so a file built to exhaust memory (a content stream that inflates to
gigabytes, a cyclic page tree) fails its own check and never the web server. Decisions are taken on
parsed objects (names with #xx escapes are decoded by the parser), never on raw-byte patterns. The limits
and the choices for odd files are in docs/reliability.md.
"""
from __future__ import annotations

import json
import logging
import mmap
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
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

log = logging.getLogger(__name__)

ZIP_END = b"PK\x05\x06"
TAIL = 1024          # PDF readers look for %%EOF in the last KiB, and for %PDF- in the first

MAX_ASPECT = 10.0            # longer side / shorter side of a page: a report page, a long receipt at most
CHILD_MEMORY_MB = 768        # address space of the process that parses a PDF
CHILD_TIME_S = 30            # wall-clock and CPU time it may take
MAX_STREAM_MB = 64           # one decoded content, font or form stream
MAX_DECODED_MB = 256         # all decoded non-image streams of a file together

# What makes a PDF active, by parsed names: an action that runs something, a script, an attached program.
# Attached data is common and harmless (Adobe Scan attaches a JSON file to every page); an attached file
# is refused when its name or its first bytes say it is a program or an archive that may hold one.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/GoToE"}
SCRIPT_KEYS = {"/JS", "/JavaScript"}
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!",
                 b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf", b"\xd0\xcf\x11\xe0", b"\x1f\x8b")
PROGRAM_SUFFIXES = {".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".msi", ".ps1", ".vbs", ".vbe", ".js",
                    ".jse", ".wsf", ".hta", ".jar", ".lnk", ".sh", ".elf", ".apk", ".app", ".zip", ".rar", ".7z",
                    ".docm", ".xlsm", ".pptm", ".iso", ".img"}

SCRIPT_MESSAGE = ("Tệp PDF có chứa mã lệnh (JavaScript) hoặc lệnh chạy chương trình, hệ thống không nhận. "
                  "Hãy in lại báo cáo ra PDF (Microsoft Print to PDF) rồi tải lên.")
EMBEDDED_MESSAGE = ("Tệp PDF có đính kèm một chương trình chạy được hoặc tệp nén bên trong, hệ thống không "
                    "nhận. Hãy in lại báo cáo ra PDF (Microsoft Print to PDF) rồi tải lên.")
PASSWORD_MESSAGE = "Tệp PDF được đặt mật khẩu, hệ thống không đọc được. Hãy tải lên bản không khóa."
BROKEN_MESSAGE = "Tệp PDF bị hỏng hoặc không đầy đủ, không đọc được. Hãy xuất lại hoặc quét lại."
TOO_COMPLEX_MESSAGE = ("Tệp PDF quá phức tạp để kiểm tra và hiển thị an toàn (vượt giới hạn bộ nhớ hoặc thời gian "
                       "xử lý). Hãy in lại báo cáo ra PDF hoặc quét lại rồi tải lên.")


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


class OddPageShape(ProbeError):
    code = "odd_page_shape"


class TooComplex(ProbeError):
    code = "too_complex"


ERRORS = {cls.__name__: cls for cls in (Unreadable, ActiveContent, TooManyPages, TooManyPixels, OddPageShape,
                                        TooComplex)}


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
    """Check type, readability, page count, pixel count, page shape and (PDF) active content and
    complexity; raise ProbeError if any fails."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise Unreadable("Tệp rỗng (0 byte), không có nội dung để đọc. Hãy chọn lại tệp báo cáo.")
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as raw:
        mime = sniff(raw[:TAIL])
        if mime is None:
            return _probe_other(path, raw, max_pages, max_megapixels)
        _check_single_format(raw, mime)
        if mime == "application/pdf":
            _check_pdf_end(raw)
    if mime == "application/pdf":
        return _probe_pdf_isolated(path, max_pages, max_megapixels)
    return _probe_image(path, mime, max_pages, max_megapixels)


def _probe_other(path: Path, raw: mmap.mmap, max_pages: int, max_megapixels: float) -> Probe:
    """Word/LibreOffice documents and HEIC photos, recognised by content; anything else is refused."""
    from . import wordfile
    from .multipage import sniff_heic

    mime = wordfile.sniff(path)
    if mime is not None:          # a .docx/.odt is a ZIP by nature: no polyglot check on the ZIP directory
        return _probe_word(path, raw, mime, max_pages)
    if sniff_heic(path):
        _check_single_format(raw, HEIC)
        return _probe_image(path, HEIC, max_pages, max_megapixels)
    if raw[:4] == b"PK\x03\x04" and _zip_names(path) & MACRO_PARTS:
        raise ActiveContent(MACRO_MESSAGE)
    raise UnsupportedType(UNSUPPORTED_MESSAGE)


HEIC = "image/heic"
UNSUPPORTED_MESSAGE = ("Tệp không phải PDF, ảnh (JPEG, PNG, TIFF, HEIC) hoặc văn bản Word/LibreOffice (.docx, .doc, "
                       ".odt) (kiểm tra theo nội dung tệp, không theo tên). Hãy lưu báo cáo thành một trong các "
                       "định dạng đó rồi tải lên.")
MACRO_MESSAGE = ("Tệp Word có chứa macro hoặc mã lệnh (VBA), hệ thống không nhận. Hãy mở tệp, chọn Lưu thành "
                 "“Word Document (.docx)” hoặc xuất ra PDF rồi tải lên.")
LINK_MESSAGE = ("Tệp Word có liên kết tới một chương trình bên ngoài, hệ thống không nhận. Hãy xóa liên kết đó "
                "hoặc xuất văn bản ra PDF rồi tải lên.")
MACRO_PARTS = {"vbaproject.bin", "vbadata.xml"}          # file names (lower case) that carry Word macros
OLE_MACRO_STREAMS = ("Macros".encode("utf-16-le"), "_VBA_PROJECT".encode("utf-16-le"))
MAX_UNZIPPED_MB = 200
EXTERNAL_TARGET = re.compile(rb'<Relationship\b[^>]*>', re.S)


def _probe_word(path: Path, raw: mmap.mmap, mime: str, max_pages: int) -> Probe:
    """A Word/LibreOffice text document: no macros, no links to programs, not a ZIP bomb, within the page
    limit (as the saving program stated it; a .doc states none, its pages are counted when it is read)."""
    from . import wordfile

    if mime == wordfile.DOC:
        if any(raw.find(stream) != -1 for stream in OLE_MACRO_STREAMS):
            raise ActiveContent(MACRO_MESSAGE)
    else:
        _check_word_package(path)
    pages = wordfile.stated_pages(path)
    if pages is not None and pages > max_pages:
        raise TooManyPages(f"Văn bản có {pages} trang, vượt giới hạn {max_pages} trang. Hãy tách thành các tệp "
                           f"ngắn hơn hoặc chỉ tải lên phần báo cáo.")
    return Probe(mime, pages or 1, 0.0)


def _zip_names(path: Path) -> set[str]:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return {Path(i.filename).name.lower() for i in z.infolist()}
    except (OSError, zipfile.BadZipFile, ValueError):
        return set()


def _check_word_package(path: Path) -> None:
    """The parts of a .docx/.odt: their unpacked size, macro parts, Basic modules, links to programs."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_MB * 2**20:
                raise TooComplex(f"Tệp Word giải nén ra hơn {MAX_UNZIPPED_MB} MB, hệ thống không nhận. Hãy "
                                 "lưu lại văn bản (nén ảnh trong văn bản) hoặc xuất ra PDF rồi tải lên.")
            names = [i.filename for i in infos]
            if {Path(n).name.lower() for n in names} & MACRO_PARTS or any(
                    n.startswith("Basic/") and not n.endswith(("script-lc.xml", "script-lb.xml")) for n in names):
                raise ActiveContent(MACRO_MESSAGE)
            for info in infos:
                if info.filename.endswith(".rels") and info.file_size < 4 * 2**20:
                    _check_relationships(z.read(info))
    except zipfile.BadZipFile:
        raise Unreadable("Tệp Word bị hỏng hoặc không đầy đủ, không đọc được. Hãy mở bằng Word/LibreOffice, "
                         "lưu lại rồi tải lên.") from None


def _check_relationships(xml: bytes) -> None:
    """An external relationship whose target is a program (or a macro document) is refused."""
    for rel in EXTERNAL_TARGET.findall(xml):
        target = re.search(rb'Target="([^"]*)"', rel)
        if b'TargetMode="External"' in rel and target:
            name = target.group(1).decode("utf-8", "replace").split("?")[0].split("#")[0].strip().lower()
            if Path(name).suffix in PROGRAM_SUFFIXES | {".dotm"}:      # a program, or a macro template
                raise ActiveContent(LINK_MESSAGE)


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
    return {"application/pdf": "PDF", "image/png": "ảnh PNG", "image/jpeg": "ảnh JPEG",
            HEIC: "ảnh HEIC"}.get(mime, "ảnh TIFF")


def _check_pdf_end(raw: mmap.mmap) -> None:
    """A PDF must end with %%EOF (else it was cut off or has another file appended)."""
    if b"%%EOF" not in raw[-TAIL:]:
        raise Unreadable("Tệp PDF không đầy đủ (thiếu phần kết thúc tệp, có thể tải lên bị ngắt hoặc tệp bị "
                         "ghép thêm dữ liệu). Hãy xuất lại hoặc quét lại rồi tải lên.")


# ---------------------------------------------------------------- work on untrusted files, in a limited child
def _probe_pdf_isolated(path: Path, max_pages: int, max_megapixels: float) -> Probe:
    answer = _isolated("probe", path, max_pages, max_megapixels)
    return Probe("application/pdf", answer["pages"], answer["megapixels"])


def render_preview(path: str | Path, mime: str, page: int, out: str | Path, *, width: int = 900,
                   height: int = 1800) -> None:
    """Write a PNG of `page` (1-based) of a PDF or image into `out`, at most width × height pixels whatever
    the page's geometry, rendered in a child process under the same ceilings as the PDF check; raise
    TooComplex if it cannot be rendered within them."""
    _isolated("render", path, mime, page, out, width, height)


def _isolated(entry: str, *args) -> dict:
    """Run CHILD_ENTRIES[entry](*args) in a fresh Python under CHILD_MEMORY_MB / CHILD_TIME_S; a child that
    runs out of either (or dies) means the file is too complex. Returns the child's JSON answer or raises
    the ProbeError it reported."""
    code = ("import importlib.util, sys; spec = importlib.util.spec_from_file_location('probe_child', sys.argv[1]); "
            "m = importlib.util.module_from_spec(spec); sys.modules['probe_child'] = m; spec.loader.exec_module(m); "
            "m.child_main(sys.argv[2:])")
    argv = [sys.executable, "-I", "-c", code, __file__, entry, *map(str, args)]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=CHILD_TIME_S + 5, text=True)
        answer = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {}
        if done.returncode != 0:
            log.warning("%s of %s ended with %s: %s", entry, Path(args[0]).name, done.returncode, done.stderr[-2000:])
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        log.warning("%s of %s: no answer within %s s", entry, Path(args[0]).name, CHILD_TIME_S)
        answer = {}
    if "error" in answer or not answer:
        raise ERRORS.get(answer.get("error", ""), TooComplex)(answer.get("message") or TOO_COMPLEX_MESSAGE)
    return answer


def child_main(argv: list[str]) -> None:
    """Entry point of the child: limit itself, do the work, print one JSON line."""
    import resource

    limit = CHILD_MEMORY_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_TIME_S, CHILD_TIME_S + 1))
    sys.setrecursionlimit(400)
    try:
        answer = CHILD_ENTRIES[argv[0]](*argv[1:])
    except ProbeError as exc:
        answer = {"error": type(exc).__name__, "message": exc.message}
    except (MemoryError, RecursionError):
        answer = {"error": "TooComplex", "message": TOO_COMPLEX_MESSAGE}
    print(json.dumps(answer))


def _child_probe(path: str, max_pages: str, max_megapixels: str) -> dict:
    info = _probe_pdf(Path(path), int(max_pages), float(max_megapixels))
    return {"pages": info.pages, "megapixels": info.max_megapixels}


def _child_render(path: str, mime: str, page: str, out: str, width: str, height: str) -> dict:
    box = (int(width), int(height))
    image = _render_pdf(path, int(page), box) if mime == "application/pdf" else _render_image(path, int(page), box)
    image.thumbnail(box)
    image.convert("RGB").save(out, "PNG", optimize=True)
    return {"size": list(image.size)}


def _render_pdf(path: str, page: int, box: tuple[int, int]):
    """Render at the scale that fits the page in `box`: the bitmap is bounded by pixels, not by width."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        p = pdf[page - 1]
        w, h = p.get_size()
        scale = min(box[0] / max(w, 1), box[1] / max(h, 1))
        return p.render(scale=scale).to_pil()
    finally:
        pdf.close()


def _render_image(path: str, page: int, box: tuple[int, int]):
    from PIL import Image, ImageOps
    from pillow_heif import register_heif_opener

    register_heif_opener()           # iPhone photos
    im = Image.open(path)
    im.seek(page - 1)
    im.draft("RGB", box)             # JPEG: decode at a reduced size when it is much larger than the box
    return ImageOps.exif_transpose(im)   # a phone photo stored sideways previews upright


CHILD_ENTRIES: dict[str, Callable[..., dict]] = {"probe": _child_probe, "render": _child_render}


def _probe_pdf(path: Path, max_pages: int, max_megapixels: float) -> Probe:
    pages, biggest = _pdf_pages(path, max_pages, max_megapixels)
    _check_pdf_objects(path, max_megapixels)
    return Probe("application/pdf", pages, round(biggest, 2))


def _pdf_pages(path: Path, max_pages: int, max_megapixels: float) -> tuple[int, float]:
    """Page count and the largest page in megapixels at 300 dpi, as pdfium (which renders) sees them."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Unreadable(PASSWORD_MESSAGE) from None
        raise Unreadable(BROKEN_MESSAGE) from None
    try:
        pages = len(pdf)
        if pages == 0:
            raise Unreadable("Tệp PDF không có trang nào.")
        if pages > max_pages:
            raise TooManyPages(f"Tệp có {pages} trang, vượt giới hạn {max_pages} trang. Hãy tách thành các tệp "
                               "ngắn hơn hoặc chỉ tải lên phần báo cáo.")
        biggest = 0.0
        for i in range(pages):
            try:
                w, h = pdf.get_page_size(i)
            except pdfium.PdfiumError:
                raise Unreadable(f"Tệp PDF bị hỏng: không đọc được trang {i + 1} (cấu trúc trang sai). "
                                 "Hãy xuất lại hoặc quét lại rồi tải lên.") from None
            _check_shape(w, h, f"Trang {i + 1}")
            biggest = max(biggest, _read_megapixels(w, h))
        if biggest > max_megapixels:
            raise TooManyPixels(
                f"Trang quá lớn ({biggest:.0f} megapixel khi đọc), vượt giới hạn {max_megapixels:g} megapixel. "
                "Hãy xuất lại hoặc quét lại theo khổ giấy thông thường (A4)."
            )
        return pages, biggest
    finally:
        pdf.close()


def _read_megapixels(w: float, h: float) -> float:
    """Megapixels of a w × h pt page as the reader renders it: 300 dpi for paper-sized pages, less for a page
    whose size is an image's pixel count (a phone photo or a 72 dpi scan wrapped in a PDF), as
    `extractors.ocr.render_dpi` does. Embedded images are judged by their own pixels (`_check_stream`)."""
    dpi = 300 if w <= 700 else max(72, int(300 * 612 / w))
    return (w / 72 * dpi) * (h / 72 * dpi) / 1e6


def _check_shape(w: float, h: float, what: str) -> None:
    """A page much longer than it is wide (or the reverse) is not a page of a report, and no preview of
    it is both readable and bounded in pixels."""
    if min(w, h) <= 0 or max(w, h) / min(w, h) > MAX_ASPECT:
        raise OddPageShape(f"{what} có kích thước bất thường ({w:.0f} × {h:.0f}, dài gấp hơn {MAX_ASPECT:g} "
                           "lần chiều rộng), không phải trang báo cáo. Hãy xuất lại hoặc quét lại theo khổ giấy "
                           "thông thường (A4).")


def _check_pdf_objects(path: Path, max_megapixels: float) -> None:
    """Every object of the file, parsed: no script, launch action or attached file; images within the
    pixel limit; other streams within the decoded-size limits."""
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise Unreadable(PASSWORD_MESSAGE) from None
    except pikepdf.PdfError:
        raise Unreadable(BROKEN_MESSAGE) from None
    decoded = 0
    with pdf:
        for obj in pdf.objects:
            _check_active(obj)
            if isinstance(obj, pikepdf.Stream):
                decoded += _check_stream(obj, max_megapixels)
                if decoded > MAX_DECODED_MB * 2**20:
                    raise TooComplex(TOO_COMPLEX_MESSAGE)


def _check_active(obj, depth: int = 0) -> None:
    """Look at a dictionary (or stream dictionary) and the direct objects nested in it."""
    import pikepdf

    if depth > 50:
        raise TooComplex(TOO_COMPLEX_MESSAGE)
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        keys = set(obj.keys())
        if keys & SCRIPT_KEYS or str(obj.get("/S", "")) in ACTIVE_ACTIONS:
            raise ActiveContent(SCRIPT_MESSAGE)
        if "/EF" in keys and _program_name(obj):
            raise ActiveContent(EMBEDDED_MESSAGE)
        children = [obj[k] for k in keys]
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Object) and not child.is_indirect:   # indirect ones are visited alone
            _check_active(child, depth + 1)


def _program_name(filespec) -> bool:
    names = (str(filespec.get(k, "")) for k in ("/UF", "/F", "/DOS", "/Unix", "/Mac"))
    return any(Path(name.strip().lower()).suffix in PROGRAM_SUFFIXES for name in names)


def _check_stream(stream, max_megapixels: float) -> int:
    """Decoded size of a non-image stream (bounded: a bomb stops at the limit); images by their header."""
    if str(stream.get("/Subtype", "")) == "/Image":
        w, h = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
        if w * h / 1e6 > max_megapixels:
            raise TooManyPixels(f"Tệp PDF chứa ảnh quá lớn ({w}×{h} điểm ảnh, {w * h / 1e6:.0f} megapixel), "
                                f"vượt giới hạn {max_megapixels:g} megapixel. Hãy quét lại ở độ phân giải thấp "
                                "hơn (A4 300 dpi khoảng 9 megapixel) rồi xuất PDF.")
        return 0
    limit = MAX_STREAM_MB * 2**20
    filters = stream.get("/Filter")
    if str(filters) in {"/FlateDecode", "/Fl"}:
        size = _inflated_size(stream.read_raw_bytes(), limit)
    else:
        try:
            size = len(stream.read_bytes())
        except Exception:                    # an undecodable stream: pdfium skips it as well
            size = 0
    if size > limit:
        raise TooComplex(TOO_COMPLEX_MESSAGE)
    if str(stream.get("/Type", "")) == "/EmbeddedFile" and stream.read_bytes().startswith(PROGRAM_MAGIC):
        raise ActiveContent(EMBEDDED_MESSAGE)
    return size


def _inflated_size(data: bytes, limit: int) -> int:
    """Bytes a zlib stream inflates to, counting no further than just past `limit`."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        while data and size <= limit:
            size += len(inflater.decompress(data, 1 << 20))
            data = inflater.unconsumed_tail
    except zlib.error:
        pass                                 # damaged data: readers render what inflated
    return size


def _probe_image(path: Path, mime: str, max_pages: int, max_megapixels: float) -> Probe:
    from PIL import Image, UnidentifiedImageError

    if mime == HEIC:
        from pillow_heif import register_heif_opener

        register_heif_opener()
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
        raise TooManyPixels(f"Ảnh quá lớn ({size}), vượt giới hạn {max_megapixels:g} megapixel. Hãy chụp hoặc "
                            "quét ở độ phân giải thấp hơn (ảnh A4 300 dpi khoảng 9 megapixel).") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise Unreadable("Tệp ảnh bị hỏng hoặc không đầy đủ, không đọc được. Hãy chụp hoặc quét lại.") from None
    return Probe(mime, len(frames), round(biggest, 2))


def _check_frames(im, max_pages: int, max_megapixels: float) -> list[tuple[int, int]]:
    """Page count and the size of every page, from the headers only."""
    frames = getattr(im, "n_frames", 1)
    if frames > max_pages:
        raise TooManyPages(f"Tệp ảnh có {frames} trang, vượt giới hạn {max_pages} trang. Hãy tách thành các "
                           "tệp ngắn hơn.")
    sizes = []
    for i in range(frames):
        im.seek(i)
        w, h = im.size
        _check_shape(w, h, f"Trang ảnh {i + 1}")
        if w * h / 1e6 > max_megapixels:
            raise TooManyPixels(f"Ảnh quá lớn ({w}×{h} điểm ảnh, {w * h / 1e6:.0f} megapixel), "
                                f"vượt giới hạn {max_megapixels:g} megapixel. Hãy chụp hoặc quét ở độ phân "
                                "giải thấp hơn (ảnh A4 300 dpi khoảng 9 megapixel).")
        sizes.append((w, h))
    return sizes


def _check_decodes(im, mime: str) -> None:
    """PNG: every chunk's checksum; JPEG: a decode at 1/8 scale (cheap), which fails on cut-off data."""
    if mime == "image/jpeg":
        im.draft("L", (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
        im.load()
    elif mime == HEIC:
        im.load()
    else:
        im.verify()
