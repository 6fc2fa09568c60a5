#!/usr/bin/env python3
"""Diacritic correction speed: OCR lines corrected per second, and its cost next to Tesseract on a page.

Baseline measured in the same run: bare `tesseract -l vie` on one real scanned page.  The corrector then
runs on that page's OCR lines (20 rounds, its pair cache emptied before each).
Target: negligible (< 2 % of the OCR time).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors import ocr, vi_correct  # noqa: E402
from extractors.layout import build_lines  # noqa: E402

PAGE = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real-dev" / "real_25.pdf"
TARGET = 0.02


def main() -> int:
    image = ocr.render_pdf_page(str(PAGE), 1)
    t0 = time.perf_counter()
    words = ocr.parse_tsv(ocr._tesseract(image, ["--psm", "3"]))
    tesseract_s = time.perf_counter() - t0
    lines = [line.text for line in build_lines(words, 1, "ocr")]
    t0 = time.perf_counter()
    vi_correct.model()
    load_s = time.perf_counter() - t0
    rounds = 20
    t0 = time.perf_counter()
    for _ in range(rounds):
        vi_correct.model().log_next.cache_clear()      # each round as a fresh page would
        for text in lines:
            vi_correct.correct_line(text)
    per_page = (time.perf_counter() - t0) / rounds
    ratio = per_page / tesseract_s
    print(f"page {PAGE.name}: {len(lines)} OCR lines; bare tesseract {tesseract_s:.2f} s")
    print(f"model load (once per process): {load_s * 1000:.0f} ms")
    print(f"correction: {len(lines) / per_page:.0f} lines/s, {per_page * 1000:.1f} ms per page "
          f"= {ratio:.2%} of tesseract (target < {TARGET:.0%}) {'OK' if ratio < TARGET else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
