#!/usr/bin/env python3
"""Dev-only: `python -m extractors FILE` with OCR pages cached, with or without the diacritic correction.

    harness.py [--no-correct] [--dump DIR] FILE.pdf

Tesseract's output is cached by the sha256 of the page image and its arguments, and each OCR page
(before correction) is pickled, under $VI_CORRECT_CACHE (default /work/cache/diacritics), so the scorer
can run the extractor on the real-dev scans with and without `extractors.vi_correct` in seconds:
    score_extraction.py DIR --cmd ".venv/bin/python bench/vi_correct_dev/harness.py [--no-correct]"
`--dump DIR` writes each OCR line before and after correction (DIR/NAME.jsonl) for the word-level review.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors import ocr, vi_correct  # noqa: E402
from extractors.__main__ import main  # noqa: E402

CACHE = Path(os.environ.get("VI_CORRECT_CACHE", "/work/cache/diacritics"))
_tesseract, _ocr_pdf_page, _correct = ocr._tesseract, ocr.ocr_pdf_page, vi_correct.correct_ocr_line


def cached_tesseract(image, extra, lang=ocr.LANG, config="tsv"):
    """Tesseract's stdout for this image and these arguments, from the cache when seen before."""
    args = repr((image.size, image.mode, extra, lang, config)).encode()
    key = hashlib.sha256(image.tobytes() + args).hexdigest()
    path = CACHE / "tess" / key[:2] / key
    if path.exists():
        return path.read_text(encoding="utf-8")
    out = _tesseract(image, extra, lang=lang, config=config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out, encoding="utf-8")
    return out


def cached_page(path: str, number: int, width_pt: float = 595.0):
    """The OCR page before correction (pickled once), then corrected line by line as ocr_image does."""
    key = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:24]
    store = CACHE / "pages" / f"{key}-{number}-{width_pt:.1f}.pickle"
    if store.exists():
        page = pickle.loads(store.read_bytes())
    else:
        vi_correct.correct_ocr_line = lambda line: line
        try:
            page = _ocr_pdf_page(path, number, width_pt)
        finally:
            vi_correct.correct_ocr_line = _correct
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_bytes(pickle.dumps(page))
    page = copy.deepcopy(page)
    page.lines = [vi_correct.correct_ocr_line(line) for line in page.lines]
    return page


def run(argv: list[str]) -> int:
    """Patch, then run the extractor's CLI on the remaining arguments."""
    ocr._tesseract, ocr.ocr_pdf_page = cached_tesseract, cached_page
    if "--no-correct" in argv:
        argv.remove("--no-correct")
        vi_correct.correct_ocr_line = lambda line: line
    if "--dump" in argv:
        i = argv.index("--dump")
        dump, argv = Path(argv[i + 1]), argv[:i] + argv[i + 2:]
        _record(dump, Path(argv[0]).stem)
    return main(argv + ["--workers", "1"])


def _record(folder: Path, stem: str) -> None:
    """Record each OCR line before and after correction in folder/stem.jsonl."""
    folder.mkdir(parents=True, exist_ok=True)
    out = (folder / f"{stem}.jsonl").open("w", encoding="utf-8")
    correct = vi_correct.correct_ocr_line

    def recording(line):
        before = line.text
        line = correct(line)
        out.write(json.dumps({"page": line.page, "before": before, "after": line.text}, ensure_ascii=False) + "\n")
        out.flush()
        return line
    vi_correct.correct_ocr_line = recording


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
