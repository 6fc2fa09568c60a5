"""OCR for pages without usable text: render, deskew, auto-rotate (OSD), Tesseract TSV → words."""
from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile

import numpy as np
from PIL import Image

from . import lexicon, vi_correct
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
    except FileNotFoundError as exc:
        raise OcrUnavailable(f"Máy chủ chưa cài {args[0]}: không đọc được bản quét. "
                             "Báo quản trị cài đặt rồi bấm “Đọc lại”.") from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable(f"{args[0]} không phản hồi sau {PAGE_TIMEOUT_S} giây; đã dừng. "
                             "Hãy bấm “Đọc lại”.") from exc


def render_pdf_page(path: str, number: int, dpi: int = DPI) -> Image.Image:
    """Render one PDF page for OCR (see `ink_channel`)."""
    return ink_channel(render_colour(path, number, dpi))


def render_colour(path: str, number: int, dpi: int = DPI) -> Image.Image:
    """Render one PDF page with pdftoppm, without its annotations (signature stamps and numbers
    stamped by an e-office system are read as text, not OCR'd)."""
    proc = run_tool(["pdftoppm", "-r", str(dpi), "-hide-annotations", "-f", str(number), "-l", str(number), path])
    if proc.returncode != 0:
        raise OcrUnavailable(f"pdftoppm lỗi ở trang {number}: {proc.stderr.decode('utf-8', 'replace')[-200:]}")
    return Image.open(io.BytesIO(proc.stdout))


SEAL_MIN_SHARE = 0.002  # red pixels (of a 8× reduced page) that make a seal, not a red underline


def seal_box(image: Image.Image) -> tuple[float, float, float, float] | None:
    """Box (x0, top, x1, bottom, in the image's pixels) of the red seal or name stamp on a colour
    page, or None (bitonal and grey scans have no colour to tell a seal by)."""
    if image.mode != "RGB":
        return None
    factor = 8 if min(image.size) >= 80 else 1
    rgb = np.asarray(image.reduce(factor)).astype(np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    red = (r > 110) & (r - g > 50) & (r - b > 40)
    if red.mean() < SEAL_MIN_SHARE:
        return None
    ys, xs = np.nonzero(red)
    x0, x1 = np.percentile(xs, [2, 98])
    y0, y1 = np.percentile(ys, [2, 98])
    return float(x0 * factor), float(y0 * factor), float((x1 + 1) * factor), float((y1 + 1) * factor)


def ink_channel(image: Image.Image) -> Image.Image:
    """The grey image OCR reads: the red channel of a colour page — black print stays black, blue
    handwriting stays dark (so the blank rule still sees it), and a red seal or name stamp fades into
    the paper instead of hiding the signer's lines — else the grey page."""
    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        return image.convert("RGB").getchannel("R")
    return image.convert("L")


SKEW_WIDTH = 700          # skew is estimated on a copy about this wide (box-reduced: cheap)
MIN_SKEW = 0.2            # below this Tesseract copes and a rotation is not worth its time


def estimate_skew(image: Image.Image) -> float:
    """Skew angle in degrees (PIL's rotate convention): the shear that makes the row profile of ink
    sharpest.  Runs on a box-reduced copy, shearing the ink pixels' coordinates instead of rotating
    images: a coarse 0.5° search, then 0.1° around the best (≈10 ms for an A4 page at 300 dpi)."""
    factor = max(1, image.width // SKEW_WIDTH)
    small = image.reduce(factor) if factor > 1 else image
    rows, cols = np.nonzero(np.asarray(small) < 128)
    if len(rows) < 50:
        return 0.0
    xs = cols.astype(np.float32) - small.width / 2
    ys = rows.astype(np.float32) + small.width      # keep sheared rows non-negative

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
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)


def _runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Mask of the pixels in horizontal runs of ink at least `length` long (rows of a 2-D array)."""
    n, width = ink.shape
    if width < length:
        return np.zeros(ink.shape, bool)
    cs = np.concatenate([np.zeros((n, 1), np.int32), np.cumsum(ink, axis=1, dtype=np.int32)], axis=1)
    full = (cs[:, length:] - cs[:, :-length]) == length          # window [j, j+length) all ink
    hits = np.concatenate([np.zeros((n, 1), np.int32), np.cumsum(full, axis=1, dtype=np.int32)], axis=1)
    j = np.arange(width)
    last = np.minimum(j, width - length) + 1                       # window starts in [j-length+1, j]
    first = np.maximum(0, j - length + 1)
    return (hits[:, last] - hits[:, first]) > 0


def has_ruled_table(image: Image.Image) -> bool:
    """Cheap test on a 4× reduced copy: two or more long horizontal rules of the same extent (a ruled
    table, perhaps only its heading row at the foot of a page) — not an underline and a signature line."""
    reduced = np.asarray(image.reduce(4))
    small = _thicken(reduced < _rule_threshold(reduced))
    length = small.shape[1] // 8
    rows = np.flatnonzero(small.sum(axis=1) >= length)
    if len(rows) < 2:
        return False
    runs = _runs(small[rows], length)
    hit = np.flatnonzero(runs.any(axis=1))
    extents = []
    for group in np.split(hit, np.flatnonzero(np.diff(rows[hit]) > 2) + 1) if len(hit) else []:
        xs = np.flatnonzero(runs[group].any(axis=0))
        extents.append((xs[0], xs[-1]))
    tol = small.shape[1] // 30
    return any(abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol
               for i, a in enumerate(extents) for b in extents[i + 1:])


def _thicken(ink: np.ndarray) -> np.ndarray:
    """Ink where a pixel or a neighbour above, below, left or right is ink (3×3 cross dilation)."""
    thick = ink.copy()
    thick[1:] |= ink[:-1]
    thick[:-1] |= ink[1:]
    thick[:, 1:] |= ink[:, :-1]
    thick[:, :-1] |= ink[:, 1:]
    return thick


def _rule_masks(small: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the long horizontal and vertical ink runs (table ruling) of a binarised page.  A rule
    of a blurred, noisy scan is thin and broken, and a slight residual skew moves it by a pixel along
    its length, so each pixel counts as ink when it or a neighbour across the rule is, and gaps of a
    pixel or two along it are bridged."""
    h, w = small.shape
    masks = []
    for view, length in ((small, w // 8), (small.T, h // 25)):
        thick = _thicken(view)
        mask = np.zeros(view.shape, bool)
        idx = np.flatnonzero(thick.sum(axis=1) >= length)
        if len(idx):
            mask[idx] = _runs(thick[idx], length)
        masks.append(mask)
    return masks[0], masks[1].T


def _rule_threshold(reduced: np.ndarray) -> int:
    """Grey level below which a pixel is ink for the ruling: a thin rule halved by the reduction is
    light grey (170–200), so the cut sits just under the paper's own grey (its median)."""
    paper = float(np.median(reduced[::4, ::4]))
    return int(max(120, min(200, paper - 45)))


def remove_rules(image: Image.Image) -> tuple[Image.Image, list[dict]]:
    """Whiten the ruling of tables (long horizontal and vertical ink runs, found on a 2× reduced copy):
    Tesseract then reads the cells, including the lone row numbers, instead of line noise.  The grids
    (cell boundaries) are measured first, from the same binarised copy, and returned with the image."""
    reduced = np.asarray(image.reduce(2))
    small = reduced < _rule_threshold(reduced)
    horizontal, vertical = _rule_masks(small)
    grids = find_grids(small, horizontal)
    for grid in grids:                          # inside a table, only the rules that cut a band:
        x0, y0, x1, y1 = (int(v) for v in grid["box"])  # not a letter in line with a rule
        keep = np.zeros((y1 - y0 + 1, x1 - x0 + 7), bool)
        for top, bottom, cuts in zip(grid["ys"], grid["ys"][1:], grid["cuts"], strict=False):
            for x in cuts:
                keep[int(top) - y0:int(bottom) - y0 + 1, max(0, int(x) - x0):int(x) - x0 + 7] = True
        vertical[y0:y1 + 1, max(0, x0 - 3):x1 + 4] &= keep[:, :vertical[y0:y1 + 1, max(0, x0 - 3):x1 + 4].shape[1]]
    grids = [_scaled(grid, 2) for grid in grids]
    mask = (horizontal | vertical) & small      # the ruling's own ink, not the letters beside it
    mask |= np.roll(mask, 1, axis=0) | np.roll(mask, -1, axis=0) | np.roll(mask, 1, axis=1) | np.roll(mask, -1, axis=1)
    full = mask.repeat(2, axis=0).repeat(2, axis=1)
    out = np.array(image)
    out[full[:out.shape[0], :out.shape[1]]] = 255
    return Image.fromarray(out), grids


GRID_MIN_CUT = 0.95     # share of a row band's height a vertical rule must cover to cut it into cells


def find_grids(small: np.ndarray, horizontal: np.ndarray, scale: int = 1) -> list[dict]:
    """Ruled tables of a binarised page: for each, its box, the y of its horizontal rules and, per row
    band between two rules, the x of the vertical rules crossing it (merged rows have fewer).  A stack
    of two or more rules of the same extent whose bands are closed left and right is a table; lone
    rules (an underline, a signature line) are not.  Coordinates in the full image (`scale`)."""
    h, w = small.shape
    rows = np.flatnonzero(horizontal.sum(axis=1) >= w // 8)
    if len(rows) < 2:
        return []
    rules = []
    for run in np.split(rows, np.flatnonzero(np.diff(rows) > 3) + 1):
        xs = np.flatnonzero(horizontal[run].any(axis=0))
        rules.append((float(run.mean()), int(xs[0]), int(xs[-1])))
    tables, current = [], [rules[0]]
    for rule in rules[1:]:
        left, right = min(r[1] for r in current), max(r[2] for r in current)
        shared = min(rule[2], right) - max(rule[1], left)
        if shared >= 0.5 * (rule[2] - rule[1]) and rule[0] - current[-1][0] < h / 4:
            current.append(rule)          # a rule broken by noise is shorter than the table: overlap
        else:
            tables.append(current)
            current = [rule]
    tables.append(current)
    grids = [_grid(small, table) for table in tables]
    return [_scaled(grid, scale) for grid in grids if grid]


def _scaled(grid: dict, scale: float) -> dict:
    """The grid in the coordinates of an image `scale` times larger."""
    return {"box": tuple(v * scale for v in grid["box"]), "ys": [y * scale for y in grid["ys"]],
            "cuts": [[x * scale for x in cuts] for cuts in grid["cuts"]]}


def _grid(small: np.ndarray, table: list) -> dict | None:
    """Cell boundaries of one stack of horizontal rules, or None when its bands are not closed."""
    if len(table) < 2:
        return None
    x0, x1 = min(r[1] for r in table), max(r[2] for r in table)
    ys = [r[0] for r in table]
    cuts: list[list[float]] = []
    thick = small.copy()
    thick[1:] |= small[:-1]                 # bridge one-pixel breaks along a vertical rule
    thick[:-1] |= small[1:]
    for top, bottom in zip(ys, ys[1:], strict=False):
        band = thick[int(top) + 3:int(bottom) - 2, max(0, x0 - 3):x1 + 4]
        if band.shape[0] < 4:
            cuts.append([])
            continue
        cover = band.mean(axis=0)
        cover = np.maximum(cover, np.maximum(np.roll(cover, 1), np.roll(cover, -1)))
        xs = np.flatnonzero(cover >= GRID_MIN_CUT)
        groups = np.split(xs, np.flatnonzero(np.diff(xs) > 2) + 1) if len(xs) else []
        cuts.append([float(g.mean()) + max(0, x0 - 3) for g in groups if len(g)])
    closed = [c for c in cuts if len(c) >= 2 and c[0] - x0 < 12 and x1 - c[-1] < 12]
    if len(closed) < max(1, (len(cuts) + 1) // 2):
        return None
    columns = _common_cuts(cuts)
    cuts = [[x for x in columns if any(abs(x - c) <= 4 for c in band)] for band in cuts]
    return {"box": (x0, ys[0], x1, ys[-1]), "ys": ys, "cuts": cuts}


def _common_cuts(cuts: list[list[float]]) -> list[float]:
    """The x of the table's vertical rules: cuts found in at least two bands and 40 % of them (any
    band of a table of one or two: a heading and a group row) — a tall letter is not a rule."""
    xs = sorted(x for band in cuts for x in band)
    need = 1 if len(cuts) <= 2 else max(2, round(0.4 * len(cuts)))
    out = []
    group: list[float] = []
    for x in xs + [float("inf")]:
        if group and x - group[-1] > 4:
            if len(group) >= need:
                out.append(sum(group) / len(group))
            group = []
        group.append(x)
    return out


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
    """Deskew, OCR, and if the result is poor check orientation with OSD and retry.  A blank page
    (the back of a duplex scan, a page holding only a faint seal) is not OCR'd."""
    image = image if image.mode == "L" else image.convert("L")
    stats = image_stats(image)
    if ink_share(image) < BLANK_INK:
        return Page(number, float(image.width), float(image.height), [], "ocr", image_stats=stats, blank=True)
    image = deskew(image)
    page_image, grids = remove_rules(image) if has_ruled_table(image) else (image, [])
    words = parse_tsv(_tesseract(page_image, ["--psm", "3"]))
    if _mean_conf(words) < LOW_CONFIDENCE or image.width > image.height:
        turned_words, turned = _retry_rotated(image, words)
        if turned is not image:
            grids = []       # measured on the unturned page
        words, image = turned_words, turned
    lines = [vi_correct.correct_ocr_line(lexicon.correct_line(line)) for line in build_lines(words, number, "ocr")]
    return Page(number, float(image.width), float(image.height), lines, "ocr",
                ocr_confidence=round(_mean_conf(words), 3), image_stats=stats, grids=grids)


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
    return sum(w.conf or 0.0 for w in words) / len(words) if words else 0.0   # Tesseract words all have one


def image_stats(image: Image.Image) -> dict:
    """Size and brightness, for the scan quality gate."""
    small = np.asarray(image.reduce(8) if min(image.size) >= 16 else image)
    return {"width": image.width, "height": image.height, "mean": float(small.mean())}


def render_dpi(width_pt: float) -> int:
    """300 dpi for paper-sized pages; less for pages whose size is an image's pixel count."""
    return DPI if width_pt <= 700 else max(72, int(DPI * 612 / width_pt))


def ocr_pdf_page(path: str, number: int, width_pt: float = 595.0) -> Page:
    """Render and OCR one page of a PDF (runs in a worker thread); note where a red seal sits."""
    colour = render_colour(path, number, render_dpi(width_pt))
    page = ocr_image(ink_channel(colour), number)
    page.seal = seal_box(colour) if (page.width, page.height) == colour.size else None
    return page


BLANK_INK = 0.002       # share of dark pixels below which a page is blank (a duplex back, a faint seal)
BLANK_MARGIN = 0.06     # scanner edges and punch holes are left out


def ink_share(image: Image.Image) -> float:
    """Share of clearly dark pixels inside the margins, on a 4× reduced copy."""
    small = np.asarray(image.reduce(4) if min(image.size) >= 64 else image)
    h, w = small.shape
    inner = small[int(h * BLANK_MARGIN):int(h * (1 - BLANK_MARGIN)), int(w * BLANK_MARGIN):int(w * (1 - BLANK_MARGIN))]
    if inner.size == 0:
        return 0.0
    paper = float(np.median(inner))
    return float((inner < min(128, paper - 70)).mean())
