"""OCR for pages without usable text: render, deskew, auto-rotate (OSD), Tesseract TSV → words."""
from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile

import numpy as np
from PIL import Image

from .layout import build_lines, clean_words
from .model import OcrUnavailable, Page, Word

DPI = 300
LANG = "vie"
MAX_SKEW = 4.0
LOW_CONFIDENCE = 0.45  # below this the page may be upside down or sideways: ask OSD


def tesseract_env() -> dict:
    """Environment for one single-threaded Tesseract process (parallelism is per page)."""
    return dict(os.environ, OMP_THREAD_LIMIT="1")


PAGE_TIMEOUT_S = 180      # one page never takes this long; a hung tool is killed and reported


def run_tool(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """Run an external tool with a timeout; a missing, hung or crashed tool raises OcrUnavailable."""
    try:
        return subprocess.run(args, capture_output=True, env=env, timeout=PAGE_TIMEOUT_S)
    except FileNotFoundError:
        raise OcrUnavailable(f"Máy chủ chưa cài {args[0]}: không đọc được bản quét. Báo quản trị cài đặt rồi bấm “Đọc lại”.")
    except subprocess.TimeoutExpired:
        raise OcrUnavailable(f"{args[0]} không phản hồi sau {PAGE_TIMEOUT_S} giây; đã dừng. Hãy bấm “Đọc lại”.")


def render_pdf_page(path: str, number: int, dpi: int = DPI) -> Image.Image:
    """Render one PDF page to a grayscale image with pdftoppm."""
    proc = run_tool(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(number), "-l", str(number), path])
    if proc.returncode != 0:
        raise OcrUnavailable(f"pdftoppm lỗi ở trang {number}: {proc.stderr.decode('utf-8', 'replace')[-200:]}")
    return Image.open(io.BytesIO(proc.stdout)).convert("L")


def estimate_skew(image: Image.Image) -> float:
    """Skew angle in degrees, by maximising the variance of the row profile of ink."""
    small = image.copy()
    small.thumbnail((800, 800))
    ink = Image.fromarray((np.asarray(small) < 128).astype(np.uint8) * 255)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25):
        profile = np.asarray(ink.rotate(angle, resample=Image.NEAREST)).sum(axis=1, dtype=np.int64)
        score = float(np.var(profile))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def deskew(image: Image.Image) -> Image.Image:
    """Rotate the page so text lines are horizontal."""
    angle = estimate_skew(image)
    if abs(angle) < 0.4:  # Tesseract copes with less; a full-page rotation costs time
        return image
    return image.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=255)


def osd_rotation(image: Image.Image) -> int:
    """Degrees (0/90/180/270) Tesseract OSD says the page is rotated by."""
    out = _tesseract(image, ["--psm", "0"], lang="osd", config=None)
    match = re.search(r"Rotate:\s*(\d+)", out)
    return int(match.group(1)) if match else 0


def _tesseract(image: Image.Image, extra: list[str], lang: str = LANG, config: str | None = "tsv") -> str:
    """Run the tesseract CLI on the image (an uncompressed PGM file: cheaper than stdin or PNG)."""
    with tempfile.NamedTemporaryFile(suffix=".pgm", dir=_scratch()) as tmp:
        image.save(tmp, format="PPM")
        tmp.flush()
        args = ["tesseract", tmp.name, "stdout", "-l", lang, *extra] + ([config] if config else [])
        proc = run_tool(args, env=tesseract_env())
    if proc.returncode != 0 and not proc.stdout:
        raise OcrUnavailable("Tesseract lỗi (mã " + str(proc.returncode) + "): "
                             + proc.stderr.decode("utf-8", "replace")[-200:])
    return proc.stdout.decode("utf-8", "replace")


def _scratch() -> str | None:
    """A RAM-backed folder for page images when the system has one."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def parse_tsv(tsv: str) -> list[Word]:
    """Words with boxes and confidences (0–1) from Tesseract's TSV output."""
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = map(int, cols[6:10])
        conf = max(0.0, float(cols[10])) / 100
        words.append(Word(cols[11], left, left + width, top, top + height, conf))
    return clean_words(words)


def ocr_image(image: Image.Image, number: int) -> Page:
    """Deskew, OCR, and if the result is poor check orientation with OSD and retry."""
    image = image.convert("L")
    stats = image_stats(image)
    image = deskew(image)
    words = parse_tsv(_tesseract(image, ["--psm", "3"]))
    if _mean_conf(words) < LOW_CONFIDENCE or image.width > image.height:
        words, image = _retry_rotated(image, words)
    lines = build_lines(words, number, "ocr")
    return Page(number, float(image.width), float(image.height), lines, "ocr",
                ocr_confidence=round(_mean_conf(words), 3), image_stats=stats)


def _retry_rotated(image: Image.Image, words: list[Word]) -> tuple[list[Word], Image.Image]:
    """Ask OSD for the orientation; OCR again if it says the page is turned."""
    try:
        rotation = osd_rotation(image)
    except RuntimeError:
        return words, image
    if rotation == 0:
        return words, image
    turned = image.rotate(-rotation, expand=True, fillcolor=255)
    return parse_tsv(_tesseract(turned, ["--psm", "3"])), turned


def _mean_conf(words: list[Word]) -> float:
    """Mean word confidence, 0 when nothing was read."""
    return sum(w.conf for w in words) / len(words) if words else 0.0


def image_stats(image: Image.Image) -> dict:
    """Size and brightness, for the scan quality gate."""
    small = np.asarray(image.resize((max(1, image.width // 8), max(1, image.height // 8))))
    return {"width": image.width, "height": image.height, "mean": float(small.mean())}


def render_dpi(width_pt: float) -> int:
    """300 dpi for paper-sized pages; less for pages whose size is an image's pixel count."""
    return DPI if width_pt <= 700 else max(72, int(DPI * 612 / width_pt))


def ocr_pdf_page(path: str, number: int, width_pt: float = 595.0) -> Page:
    """Render and OCR one page of a PDF (runs in a worker thread)."""
    return ocr_image(render_pdf_page(path, number, render_dpi(width_pt)), number)
