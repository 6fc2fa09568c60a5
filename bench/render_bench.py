"""Benchmark: doc_templates.render_many vs a bare docxtpl loop; PdfConverter vs one soffice per file."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from doc_templates import PdfConverter, engine, render_many, samples  # noqa: E402
from doc_templates.qr import qr_png  # noqa: E402

N_DOCX, N_BASE_DOCX, N_PDF, N_BASE_PDF = 500, 100, 100, 10


def docxtpl_loop(contexts: list[dict]) -> float:
    """Seconds for the bare loop: new DocxTemplate, swap the QR picture, render, save."""
    from docxtpl import DocxTemplate

    path = engine.TEMPLATE_DIR / "giay_khen.docx"
    env = engine.environment()
    start = time.perf_counter()
    for ctx in contexts:
        tpl = DocxTemplate(path)
        tpl.replace_pic("qr_code", io.BytesIO(qr_png(ctx["verify_url"])))
        tpl.render(ctx, jinja_env=env, autoescape=True)
        tpl.save(io.BytesIO())
    return time.perf_counter() - start


def bench_docx() -> None:
    contexts = [samples.giay_khen(i) for i in range(1, N_DOCX + 1)]
    engine._cache.clear()
    start = time.perf_counter()
    docs = render_many("giay_khen", contexts)
    fast = time.perf_counter() - start
    base = docxtpl_loop(contexts[:N_BASE_DOCX]) * N_DOCX / N_BASE_DOCX
    start = time.perf_counter()
    render_many("giay_khen", contexts, workers=1)
    serial = time.perf_counter() - start
    print(f"giấy khen .docx: render_many {N_DOCX} in {fast:.2f} s = {N_DOCX / fast:.0f} docs/s "
          f"(one process: {N_DOCX / serial:.0f} docs/s)")
    print(f"  bare docxtpl loop: {N_DOCX / base:.0f} docs/s (timed on {N_BASE_DOCX}, extrapolated)")
    print(f"  ratio: {base / fast:.1f}x faster (one process: {base / serial:.1f}x)  "
          f"[{len(docs)} files, {sum(map(len, docs)) // len(docs)} bytes each]")


def bench_pdf() -> None:
    if not shutil.which("soffice"):
        print("PDF: soffice not found, skipped")
        return
    docs = render_many("giay_khen", [samples.giay_khen(i) for i in range(1, N_PDF + 1)])
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with PdfConverter(workdir=tmp) as conv:  # includes creating a fresh LibreOffice profile
            conv.to_pdf_many(docs)
        batched = time.perf_counter() - start
        profile = (Path(tmp) / "profile-0").as_uri()
        start = time.perf_counter()
        for i, data in enumerate(docs[:N_BASE_PDF]):
            src = Path(tmp, f"b{i}.docx")
            src.write_bytes(data)
            subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           capture_output=True, check=True)
        single = (time.perf_counter() - start) * N_PDF / N_BASE_PDF
    print(f"PDF: PdfConverter {N_PDF} .docx -> PDF in {batched:.1f} s ({batched / N_PDF:.2f} s each, "
          f"cold profile included)")
    print(f"  one soffice per file: {single:.1f} s (timed on {N_BASE_PDF} files with a warm "
          f"profile, extrapolated to {N_PDF})")
    print(f"  ratio: {single / batched:.1f}x faster")


if __name__ == "__main__":
    bench_docx()
    bench_pdf()
