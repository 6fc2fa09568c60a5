#!/usr/bin/env python3
"""Dev-only: `python -m extractors` with Tesseract's output cached, with or without the diacritic correction.

    harness.py FILE.pdf [--no-correct] [--dump DIR]

Tesseract's output is cached by the sha256 of the page image and its arguments under
$DIACRITICS_CACHE (default /work/cache/diacritics/tess), so the scorer can run the extractor twice
on the real-dev scans (with and without `extractors.vi_correct`) in seconds.  `--dump DIR` writes
the OCR line texts of each page (after correction, with every change) for the word-level review.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors import ocr  # noqa: E402
from extractors.__main__ import main  # noqa: E402

CACHE = Path(os.environ.get("DIACRITICS_CACHE", "/work/cache/diacritics/tess"))
_tesseract = ocr._tesseract


def cached_tesseract(image, extra, lang=ocr.LANG, config="tsv"):
    """Tesseract's stdout for this image and these arguments, from the cache when seen before."""
    key = hashlib.sha256(image.tobytes() + repr((image.size, image.mode, extra, lang, config)).encode()).hexdigest()
    path = CACHE / key[:2] / key
    if path.exists():
        return path.read_text(encoding="utf-8")
    out = _tesseract(image, extra, lang=lang, config=config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out, encoding="utf-8")
    return out


def run(argv: list[str]) -> int:
    """Patch, then run the extractor's CLI on the remaining arguments."""
    ocr._tesseract = cached_tesseract
    if "--no-correct" in argv:
        argv.remove("--no-correct")
        try:
            from extractors import vi_correct
            vi_correct.correct_ocr_line = lambda line: line
        except ImportError:
            pass
    if "--dump" in argv:
        i = argv.index("--dump")
        dump, argv = Path(argv[i + 1]), argv[:i] + argv[i + 2:]
        _dump_lines(dump, Path(argv[0]).stem)
    return main(argv + ["--workers", "1"])


def _dump_lines(folder: Path, stem: str) -> None:
    """Record each OCR page's lines (and the corrections made) in folder/stem.jsonl."""
    from extractors import vi_correct
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
