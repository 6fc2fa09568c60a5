#!/usr/bin/env python3
"""Extraction benchmark: pages/s (text, scans), OCR overhead vs bare tesseract, 2-core vs 1-core."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors import (
    extract,  # noqa: E402
    ocr,  # noqa: E402
)

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "dev"
SCANS = ["dev_05", "dev_06", "dev_08", "dev_10", "dev_12"]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """Wall seconds and result of one call."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def pages_per_second(pdfs: list[Path], workers: int) -> float:
    """Pages extracted per wall second."""
    pages, secs = 0, 0.0
    for pdf in pdfs:
        s, result = timed(extract, pdf, workers=workers)
        pages, secs = pages + result.pages, secs + s
    return pages / secs


def ocr_overhead(tmp: Path) -> float:
    """Our OCR time per page / bare `tesseract` time on the same rendered images."""
    ours = bare = 0.0
    for name in SCANS[:3]:
        image = ocr.render_pdf_page(str(DEV / f"{name}.pdf"), 1)
        path = tmp / f"{name}.pgm"
        image.save(path)
        s, _ = timed(subprocess.run, ["tesseract", str(path), "stdout", "-l", "vie", "--psm", "3", "tsv"],
                     capture_output=True, env=ocr.tesseract_env())
        bare += s
        ours += timed(ocr.ocr_image, image, 1)[0]
    return ours / bare


def scaling(tmp: Path) -> tuple[float, float, float]:
    """(1-worker s, 2-worker s, ratio) on a 10-page scanned PDF."""
    parts = [str(DEV / f"{n}.pdf") for n in SCANS[:4] if n != "dev_10"] + [str(DEV / "dev_05.pdf")] * 2
    ten = tmp / "ten.pdf"
    subprocess.run(["pdfunite", *parts, str(ten)], check=True)
    one = timed(extract, ten, workers=1)[0]
    two = timed(extract, ten, workers=2)[0]
    return one, two, two / one


def main() -> int:
    if not DEV.is_dir():
        print(f"corpus not found: {DEV}")
        return 1
    extract(DEV / "dev_14.pdf")  # warm up spaCy and imports
    text = [p for p in sorted(DEV.glob("*.pdf")) if p.stem not in SCANS]
    print(f"text-layer: {pages_per_second(text, 1):.1f} pages/s (1 worker)")
    print(f"scans:      {pages_per_second([DEV / f'{n}.pdf' for n in SCANS], os.cpu_count() or 1):.2f} pages/s "
          f"({os.cpu_count()} workers)")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"OCR per page / bare tesseract: {ocr_overhead(Path(tmp)):.2f}")
        one, two, ratio = scaling(Path(tmp))
        print(f"10-page scan: 1 worker {one:.1f}s, 2 workers {two:.1f}s, ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
