"""OCR for pages without usable text: render, deskew, auto-rotate (OSD), Tesseract TSV → words."""
from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile

import numpy as np
from PIL import Image

from . import lexicon
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


SKEW_WIDTH = 700          # skew is estimated on a copy about this wide (box-reduced: cheap)
MIN_SKEW = 0.2            # below this Tesseract copes and a rotation is not worth its time


def estimate_skew(image: Image.Image) -> float:
    """Skew angle in degrees (PIL's rotate convention): the shear that makes the row profile of ink
    sharpest.  Runs on a box-reduced copy, shearing the ink pixels' coordinates instead of rotating
    images: a coarse 0.5° search, then 0.1° around the best (≈10 ms for an A4 page at 300 dpi)."""
    factor = max(1, image.width // SKEW_WIDTH)
    small = image.reduce(factor) if factor > 1 else image
    ys, xs = np.nonzero(np.asarray(small) < 128)
    if len(ys) < 50:
        return 0.0
    xs = xs.astype(np.float32) - small.width / 2
    ys = ys.astype(np.float32) + small.width      # keep sheared rows non-negative

    def sharpness(angle: float) -> float:
        rows = np.rint(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
        profile = np.bincount(rows).astype(np.float64)
        return float(np.dot(profile, profile))

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(coarse - 0.4, coarse + 0.41, 0.1), key=sharpness)
    return round(float(fine), 2)


def deskew(image: Image.Image) -> Image.Image:
    """Rotate the page so text lines are horizontal (≈70 ms at 300 dpi, so only when it is skewed)."""
    angle = estimate_skew(image)
    if abs(angle) < MIN_SKEW:
        return image
    return image.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=255)


def _runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Mask of the pixels in horizontal runs of ink at least `length` long (rows of a 2-D array)."""
    cs = np.concatenate([np.zeros((ink.shape[0], 1), np.int32), np.cumsum(ink, axis=1, dtype=np.int32)], axis=1)
    full = (cs[:, length:] - cs[:, :-length]) == length          # window [j, j+length) all ink
    hits = np.concatenate([np.zeros((ink.shape[0], 1), np.int32), np.cumsum(full, axis=1, dtype=np.int32)], axis=1)
    mask = np.zeros(ink.shape, bool)
    cover = hits[:, 1:] - np.concatenate([np.zeros((ink.shape[0], length), np.int32), hits[:, :-length]], axis=1)[:, :hits.shape[1] - 1]
    mask[:, :cover.shape[1]] = cover > 0
    return mask


def has_ruled_table(image: Image.Image) -> bool:
    """Cheap test on a 4× reduced copy: three or more long horizontal rules (a ruled table)."""
    small = np.asarray(image.reduce(4)) < 160
    length = small.shape[1] // 8
    rows = np.flatnonzero(small.sum(axis=1) >= length)
    if len(rows) < 3:
        return False
    hit = rows[_runs(small[rows], length).any(axis=1)]
    return len(hit) >= 3 and int((np.diff(hit) > 2).sum()) + 1 >= 3


def remove_rules(image: Image.Image) -> Image.Image:
    """Whiten the ruling of tables (long horizontal and vertical ink runs, found on a 2× reduced copy):
    Tesseract then reads the cells, including the lone row numbers, instead of line noise."""
    small = np.asarray(image.reduce(2)) < 170
    h, w = small.shape
    mask = np.zeros(small.shape, bool)
    for view, target, length in ((small, mask, w // 8), (small.T, mask.T, h // 25)):
        idx = np.flatnonzero(view.sum(axis=1) >= length)
        if len(idx):
            target[idx] |= _runs(view[idx], length)
    mask |= np.roll(mask, 1, axis=0) | np.roll(mask, -1, axis=0) | np.roll(mask, 1, axis=1) | np.roll(mask, -1, axis=1)
    full = mask.repeat(2, axis=0).repeat(2, axis=1)
    out = np.array(image)
    out[full[:out.shape[0], :out.shape[1]]] = 255
    return Image.fromarray(out)


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
    image = image if image.mode == "L" else image.convert("L")
    stats = image_stats(image)
    image = deskew(image)
    page_image = remove_rules(image) if has_ruled_table(image) else image
    words = parse_tsv(_tesseract(page_image, ["--psm", "3"]))
    if _mean_conf(words) < LOW_CONFIDENCE or image.width > image.height:
        words, image = _retry_rotated(image, words)
    lines = [lexicon.correct_line(line) for line in build_lines(words, number, "ocr")]
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
    small = np.asarray(image.reduce(8) if min(image.size) >= 16 else image)
    return {"width": image.width, "height": image.height, "mean": float(small.mean())}


def render_dpi(width_pt: float) -> int:
    """300 dpi for paper-sized pages; less for pages whose size is an image's pixel count."""
    return DPI if width_pt <= 700 else max(72, int(DPI * 612 / width_pt))


def ocr_pdf_page(path: str, number: int, width_pt: float = 595.0) -> Page:
    """Render and OCR one page of a PDF (runs in a worker thread)."""
    return ocr_image(render_pdf_page(path, number, render_dpi(width_pt)), number)
