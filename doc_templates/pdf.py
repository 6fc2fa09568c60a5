"""PDF through LibreOffice: many .docx per soffice start, one private profile per process slot."""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from doc_templates.errors import ConversionError

SMALL_BATCH = 8  # below this, a second soffice process does not pay for its start-up
FILTERS = {False: "pdf:writer_pdf_Export",
           True: 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'}  # PDF/A-2b


class PdfConverter:
    """Convert .docx bytes to PDF with batched `soffice --convert-to pdf` runs.

    Each slot (`workers`; default 1, as a second soffice gained nothing on 2 cores) has its own
    LibreOffice profile directory, reused between calls so only the first call pays for creating
    it. A batch is split over the slots, which run in parallel. Fonts are embedded (LibreOffice's
    default).
    """

    def __init__(self, soffice: str | None = None, workdir: str | os.PathLike | None = None,
                 timeout: float = 60, per_document: float = 5, workers: int | None = None,
                 pdfa: bool = False):
        self.soffice = soffice or shutil.which("soffice") or shutil.which("libreoffice")
        self._own_dir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="doc_templates-lo-"))
        self.timeout, self.per_document = timeout, per_document
        self.workers = max(1, workers or 1)
        self.pdfa = pdfa
        self._locks = [threading.Lock() for _ in range(self.workers)]

    def to_pdf(self, docx: bytes, pdfa: bool | None = None) -> bytes:
        """Convert one .docx and return the PDF bytes."""
        return self.to_pdf_many([docx], pdfa=pdfa)[0]

    def to_pdf_many(self, docs: list[bytes], pdfa: bool | None = None) -> list[bytes]:
        """Convert many .docx files, in order, with one soffice run per slot.

        `pdfa` (default: the converter's) chooses PDF/A-2b output.
        """
        if not docs:
            return []
        pdfa = self.pdfa if pdfa is None else pdfa
        slots = min(self.workers, max(1, len(docs) // SMALL_BATCH))
        size = -(-len(docs) // slots)
        groups = [(i, docs[i * size:(i + 1) * size], pdfa) for i in range(slots)]
        if slots == 1:
            return self._convert(0, docs, pdfa)
        with ThreadPoolExecutor(slots) as pool:
            parts = list(pool.map(lambda g: self._convert(*g), groups))
        return [pdf for part in parts for pdf in part]

    def _convert(self, slot: int, docs: list[bytes], pdfa: bool) -> list[bytes]:
        """Run one soffice process over `docs` with the profile of `slot`."""
        if not self.soffice:
            raise ConversionError("Không tìm thấy LibreOffice (lệnh soffice): chưa cài đặt "
                                  "libreoffice-writer nên không chuyển được sang PDF.")
        with self._locks[slot], tempfile.TemporaryDirectory(dir=self._ensure_dir()) as tmp:
            names = [Path(tmp, f"{i:05d}.docx") for i in range(len(docs))]
            for name, data in zip(names, docs, strict=False):
                name.write_bytes(data)
            self._run(slot, tmp, names, pdfa)
            return [self._read_pdf(name) for name in names]

    def _ensure_dir(self) -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True)
        return self.workdir

    def _run(self, slot: int, outdir: str, names: list[Path], pdfa: bool) -> None:
        """Start soffice in its own process group; kill the whole group on timeout."""
        assert self.soffice, "checked by _convert"
        profile = (self.workdir / f"profile-{slot}").resolve().as_uri()
        cmd = [self.soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
               "--nologo", "--norestore", "--nodefault", "--nolockcheck",
               "--convert-to", FILTERS[bool(pdfa)], "--outdir", outdir, *map(str, names)]
        timeout = self.timeout + self.per_document * len(names)
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True, env=_environment())
        except OSError as exc:
            raise ConversionError(f"Không chạy được LibreOffice ({self.soffice}): {exc}.") from exc
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ConversionError(f"LibreOffice quá thời gian ({timeout:.0f} giây) khi chuyển "
                                  f"{len(names)} văn bản sang PDF; đã dừng tiến trình.") from None
        if proc.returncode != 0:
            raise ConversionError(f"LibreOffice báo lỗi (mã {proc.returncode}) khi chuyển sang PDF: "
                                  f"{err.decode('utf-8', 'replace').strip()[:300]}")

    @staticmethod
    def _read_pdf(docx_path: Path) -> bytes:
        pdf = docx_path.with_suffix(".pdf")
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise ConversionError(f"LibreOffice không tạo được PDF cho văn bản thứ "
                                  f"{int(docx_path.stem) + 1} (tệp .docx có thể bị hỏng).")
        return pdf.read_bytes()

    def close(self) -> None:
        """Remove the profiles and scratch files (when the converter made its own directory)."""
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _environment() -> dict:
    env = dict(os.environ)
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")
    return env


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill soffice and its children (oosplash starts soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


_default: tuple[int, PdfConverter] | None = None


def to_pdf(docx: bytes, pdfa: bool = False) -> bytes:
    """Convert one .docx with this process's shared converter (PDF/A-2b when `pdfa`)."""
    global _default
    if _default is None or _default[0] != os.getpid():
        import atexit

        _default = (os.getpid(), PdfConverter())
        atexit.register(_default[1].close)  # remove its profile when the process ends
    return _default[1].to_pdf(docx, pdfa=pdfa)


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """Concatenate PDF files into one (e.g. every certificate of a decision, to print at once)."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for data in pdfs:
        merged.import_pages(pdfium.PdfDocument(data))
    buf = io.BytesIO()
    merged.save(buf)
    return buf.getvalue()


def pdfa_part(pdf: bytes) -> str | None:
    """The PDF/A level its XMP metadata claims ("2B" for pdfaid:part=2 conformance=B), or None."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        meta = PdfFileReader(io.BytesIO(pdf), strict=False).root.get("/Metadata")
        xmp = meta.get_object().data.decode("utf-8", "replace") if meta is not None else ""
    except Exception:  # noqa: BLE001 — a damaged file simply claims nothing
        return None
    part = re.search(r'pdfaid:part(?:>|=["\'])\s*(\d)', xmp)
    level = re.search(r'pdfaid:conformance(?:>|=["\'])\s*([ABU])', xmp, re.I)
    return f"{part.group(1)}{level.group(1).upper() if level else ''}" if part else None
