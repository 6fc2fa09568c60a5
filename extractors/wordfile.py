"""Word and LibreOffice reports (.docx, .doc, .odt) read from their own text and tables, no OCR.

A .docx is read with python-docx; a .doc or .odt is first converted to .docx by LibreOffice
headless. The body is then laid out on virtual A4 pages the way a word processor would print it
(paragraphs in body order, table cells side by side in their columns, long lines wrapped, rows
never split), so that the rules written for PDF pages (ND30 header columns, signature block on the
right, nominee table columns) run unchanged. Every line has the source "word".
"""
from __future__ import annotations

import mmap
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .layout import build_lines, nfc
from .model import ExtractionError, Page, Word

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
DOC = "application/msword"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")

SOURCE = "word"
MAX_UNZIPPED = 200 * 1024 * 1024   # a .docx/.odt whose parts unpack to more than this is refused
CONVERT_TIMEOUT_S = 120
CONVERT_FILTERS = {"docx": "docx:MS Word 2007 XML", "pdf": "pdf:writer_pdf_Export"}
PT_PER_EMU = 1 / 12700
DEFAULT_SIZE = 13.0                # ND30 body text, when neither run nor style says
LINE_STEP = 1.3                    # line pitch as a multiple of the font size
CHAR_WIDTH = 0.5                   # average Times New Roman glyph width, in ems
SPACE_WIDTH = 0.25
TAB_STEP = 36.0                    # Word's default tab stops: every half inch
CELL_PAD = 0.5                     # cell padding either side, in ems (keeps columns apart)


def sniff(path: str | Path) -> str | None:
    """The MIME type of a Word or LibreOffice text document, judged by content, else None."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(OLE_MAGIC):
                with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as raw:
                    return DOC if raw.find(WORD_STREAM) != -1 else None
        if not head.startswith(b"PK\x03\x04"):
            return None
        with zipfile.ZipFile(path) as z:
            small = {i.filename for i in z.infolist() if i.file_size < 1 << 20}
            if "[Content_Types].xml" in small and DOCX_MAIN in z.read("[Content_Types].xml"):
                return DOCX
            if "mimetype" in small and z.read("mimetype").strip() == ODT.encode():
                return ODT
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    return None


def stated_pages(path: str | Path) -> int | None:
    """The page count the saving program wrote into a .docx (docProps/app.xml) or .odt (meta.xml),
    for the upload checks; None when not stated (a .doc, or a file written by a generator)."""
    import re

    mime = sniff(path)
    source = {DOCX: ("docProps/app.xml", rb"<(?:\w+:)?Pages>(\d+)<"),
              ODT: ("meta.xml", rb'meta:page-count="(\d+)"')}.get(mime or "")
    if source is None:
        return None
    part, pattern = source
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(part)
            found = re.search(pattern, z.read(part)) if info.file_size < 1 << 20 else None
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def read_pages(path: str | Path) -> list[Page]:
    """The document's pages as lines of positioned words (source "word")."""
    path = Path(path)
    mime = sniff(path)
    if mime is None:
        raise ExtractionError("Tệp không phải văn bản Word (.docx, .doc) hoặc LibreOffice (.odt).")
    if mime == DOCX:
        return _read_docx(path)
    with tempfile.TemporaryDirectory(prefix="wordfile-") as tmp:
        return _read_docx(convert(path, Path(tmp)))


def convert(path: Path, outdir: Path, target: str = "docx", timeout: float = CONVERT_TIMEOUT_S) -> Path:
    """A Word/LibreOffice document converted by LibreOffice headless to `target` ("docx" to read a
    .doc/.odt, "pdf" for storage and preview), with its own profile, the process group killed on
    timeout; the path of the result."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ExtractionError("Máy chủ chưa cài LibreOffice (lệnh soffice) nên chưa đọc được tệp .doc/.odt. "
                              "Hãy lưu văn bản thành .docx hoặc PDF rồi tải lên.")
    source = outdir / ("input" + {DOC: ".doc", ODT: ".odt", DOCX: ".docx"}.get(sniff(path) or "", ""))
    shutil.copyfile(path, source)
    profile = (outdir / "profile").resolve().as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo",
           "--norestore", "--nodefault", "--nolockcheck", "--convert-to", CONVERT_FILTERS[target],
           "--outdir", str(outdir / "out"), str(source)]
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise ExtractionError(f"LibreOffice không chuyển xong tệp trong {timeout:.0f} giây. "
                              "Hãy lưu văn bản thành .docx hoặc PDF rồi tải lên.") from None
    out = outdir / "out" / f"input.{target}"
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise ExtractionError("Tệp Word/LibreOffice bị hỏng hoặc có mật khẩu, LibreOffice không mở được. "
                              "Hãy mở bằng Word/LibreOffice, lưu lại thành .docx hoặc PDF rồi tải lên.")
    return out


def _read_docx(path: Path) -> list[Page]:
    """Open with python-docx (after a check against ZIP bombs) and lay the body out."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ExtractionError("Tệp Word bị hỏng, không đọc được. Hãy mở bằng Word, lưu lại rồi tải lên.") from exc
    except Exception as exc:  # lxml raises its own syntax errors for damaged XML
        raise ExtractionError("Tệp Word bị hỏng, không đọc được. Hãy mở bằng Word, lưu lại rồi tải lên.") from exc
    layout = _Layout.for_section(document.sections[0] if document.sections else None)
    layout.blocks(document.element.body, layout.left, layout.right)
    return layout.finish()


def _check_zip(path: Path) -> None:
    """Refuse a package whose parts unpack to an unreasonable size (a ZIP bomb)."""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(info.file_size for info in z.infolist())
    except zipfile.BadZipFile as exc:
        raise ExtractionError("Tệp Word bị hỏng (tệp nén không đầy đủ). Hãy lưu lại rồi tải lên.") from exc
    if total > MAX_UNZIPPED:
        raise ExtractionError(f"Tệp Word giải nén ra {total / 2**20:.0f} MB, vượt giới hạn "
                              f"{MAX_UNZIPPED / 2**20:.0f} MB. Hãy lưu lại thành PDF rồi tải lên.")


# ----------------------------------------------------------------- XML helpers
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _val(el, name: str, attr: str = "val"):
    """The w:attr of child w:name of el, or None when absent."""
    child = el.find(W + name) if el is not None else None
    return None if child is None else child.get(W + attr)


def _on(el, name: str) -> bool | None:
    """A toggle property (w:b …): True, False, or None when not set."""
    child = el.find(W + name) if el is not None else None
    if child is None:
        return None
    return child.get(W + "val", "true") not in ("0", "false", "off", "none")


def _twips(value) -> float:
    """Twentieths of a point → points."""
    try:
        return int(value) / 20
    except (TypeError, ValueError):
        return 0.0


@dataclass
class _Style:
    """What a paragraph style gives its text when the runs do not say."""
    bold: bool = False
    size: float = DEFAULT_SIZE
    align: str | None = None
    num: tuple[str, int] | None = None     # (numId, level) of a list style (`List Number`)
    ruled: bool = False                    # a table style that draws borders (`Table Grid`)


# ----------------------------------------------------------------- automatic numbering
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str, "decimalZero": lambda n: f"{n:02d}", "lowerLetter": _letter,
    "upperLetter": lambda n: _letter(n).upper(), "lowerRoman": lambda n: _roman(n).lower(), "upperRoman": _roman,
    "none": lambda n: "",
}


@dataclass
class _Numbering:
    """Word's automatic list numbers and bullets (`1.`, `a)`, `I.`, `-`), which are not in the text
    but are printed: numId → its levels (start, format, text), and the running counters."""
    levels: dict
    counters: dict

    @classmethod
    def of(cls, part) -> _Numbering:
        try:
            root = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls({}, {})
        abstract = {a.get(W + "abstractNumId"): a for a in root.findall(W + "abstractNum")}
        levels = {}
        for num in root.findall(W + "num"):
            definition = abstract.get(_val(num, "abstractNumId"))
            if definition is None:
                continue
            table = {}
            for lvl in definition.findall(W + "lvl"):
                start = _val(lvl, "start")
                table[int(lvl.get(W + "ilvl", "0"))] = (int(start) if start and start.isdigit() else 1,
                                                       _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
            for override in num.findall(W + "lvlOverride"):
                level, start = int(override.get(W + "ilvl", "0")), _val(override, "startOverride")
                if level in table and start and start.isdigit():
                    table[level] = (int(start),) + table[level][1:]
            levels[num.get(W + "numId")] = table
        return cls(levels, {})

    def copy(self) -> _Numbering:
        return _Numbering(self.levels, {k: list(v) for k, v in self.counters.items()})

    def label(self, ppr, style: _Style) -> str:
        """The printed number or bullet of a paragraph, advancing its list's counter; "" if none."""
        num = ppr.find(W + "numPr") if ppr is not None else None
        num_id = _val(num, "numId") if num is not None else (style.num[0] if style.num else None)
        level = int(_val(num, "ilvl") or 0) if num is not None else (style.num[1] if style.num else 0)
        table = self.levels.get(num_id)
        if not table or level not in table:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        start, fmt, text = table[level]
        counts[level] = counts[level] + 1 if counts[level] else start
        for deeper in range(level + 1, len(counts)):
            counts[deeper] = 0
        if fmt == "bullet":
            return "-" if text.strip() in ("-", "–", "") else "•"
        out = text
        for k in range(level + 1):
            kstart, kfmt, _ = table.get(k, (1, "decimal", ""))
            out = out.replace(f"%{k + 1}", NUMBER_FORMATS.get(kfmt, str)(counts[k] or kstart))
        return out.strip()


# ----------------------------------------------------------------- layout
@dataclass
class _Layout:
    """Flow of lines on virtual pages: y grows down the page, a new page when the text area is full."""
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    styles: dict = field(default_factory=dict)
    pages: list = field(default_factory=list)
    boxes: list = field(default_factory=list)
    y: float = 0.0
    fit: bool = False          # heading rows of ruled tables: each line condensed into its cell
    depth: int = 0             # table nesting: text is wrapped only inside cells
    numbering: _Numbering = field(default_factory=lambda: _Numbering({}, {}))

    @classmethod
    def for_section(cls, section) -> _Layout:
        if section is None or not section.page_width:
            return cls(595.0, 842.0, 85.0, 555.0, 57.0, 785.0, y=57.0)
        width, height = section.page_width * PT_PER_EMU, (section.page_height or 0) * PT_PER_EMU or 842.0
        left = (section.left_margin or 0) * PT_PER_EMU
        right = width - (section.right_margin or 0) * PT_PER_EMU
        top = (section.top_margin or 0) * PT_PER_EMU
        bottom = height - (section.bottom_margin or 0) * PT_PER_EMU
        styles = _styles(section.part.document.styles)
        layout = cls(width, height, left, right, top, bottom, styles, [[]], [[]], y=top)
        layout.numbering = _Numbering.of(section.part)
        return layout

    def __post_init__(self):
        self.pages = self.pages or [[]]
        self.boxes = self.boxes or [[]]

    # pages
    def new_page(self) -> None:
        self.pages.append([])
        self.boxes.append([])
        self.y = self.top

    def room(self, needed: float) -> None:
        """Start a new page unless `needed` points still fit (a page already holding text only)."""
        if self.y + needed > self.bottom and self.pages[-1]:
            self.new_page()

    def finish(self) -> list[Page]:
        out = []
        for number, (rows, boxes) in enumerate(zip(self.pages, self.boxes, strict=False), 1):
            lines = build_lines([w for words in rows for w in words], number, SOURCE)
            out.append(Page(number, self.width, self.height, lines, SOURCE, tables=boxes))
        while len(out) > 1 and not out[-1].lines:
            out.pop()
        return out

    # blocks
    def blocks(self, container, x0: float, x1: float) -> None:
        """Paragraphs and tables of a body or a cell, in document order."""
        for child in container:
            if child.tag == W + "p":
                self.paragraph(child, x0, x1)
            elif child.tag == W + "tbl":
                self.table(child, x0, x1)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.blocks(content, x0, x1)

    def paragraph(self, p, x0: float, x1: float) -> None:
        """Lay out one paragraph: its visual lines, wrapped to [x0, x1]."""
        ppr = p.find(W + "pPr")
        style = self.styles.get(_val(ppr, "pStyle")) or self.styles.get(None) or _Style()
        if _on(ppr, "pageBreakBefore") and self.pages[-1]:
            self.new_page()
        runs, size = _runs(p, style)
        label = self.numbering.label(ppr, style)
        if label:
            runs = [(label + " ", style.bold)] + runs
        ind = ppr.find(W + "ind") if ppr is not None else None
        left = x0 + _twips(ind.get(W + "left", ind.get(W + "start"))) if ind is not None else x0
        right = x1 - _twips(ind.get(W + "right", ind.get(W + "end"))) if ind is not None else x1
        first = _twips(ind.get(W + "firstLine")) - _twips(ind.get(W + "hanging")) if ind is not None else 0.0
        align = _val(ppr, "jc") or style.align
        step = size * LINE_STEP
        limit = right if self.depth and not self.fit else float("inf")   # body paragraphs stay one line
        tabs = ppr.find(W + "tabs") if ppr is not None else None
        stops = sorted(x0 + _twips(t.get(W + "pos")) for t in (tabs if tabs is not None else [])
                       if t.get(W + "val") not in ("clear", "bar"))
        for visual in _wrap(runs, size, left, limit, first, stops):
            visual = _condensed(visual, left, right) if self.fit and visual != "page" else visual
            if visual == "page":
                self.new_page()
                continue
            self.room(step)
            if visual:
                self.place(_aligned(visual, align, left, right), size)
            self.y += step

    def place(self, words: list[tuple[str, float, float, bool]], size: float) -> None:
        """Put a visual line's words at the current y."""
        self.pages[-1].append([Word(nfc(t), a, b, self.y, self.y + size, None, bold) for t, a, b, bold in words])

    def table(self, tbl, x0: float, x1: float) -> None:
        """Rows one under the other, each cell's blocks in its column; a row is never split."""
        cols = _grid(tbl, x0, x1)
        ruled = _ruled(tbl, self.styles)
        grid = ruled and len(cols) >= 4          # a ruled grid of 3+ columns (a nominee table)
        self.depth += 1
        first, start_y = len(self.pages) - 1, self.y
        for index, tr in enumerate(tbl.findall(W + "tr")):
            self.fit = grid and (index == 0 or _on(tr.find(W + "trPr"), "tblHeader") is True)
            self.row(tr, cols, grid)
            self.fit = False
        self.depth -= 1
        if ruled:                      # the table's box on every page it runs over
            last = len(self.pages) - 1
            for index in range(first, last + 1):
                self.boxes[index].append((cols[0], start_y if index == first else self.top,
                                          cols[-1], self.y if index == last else self.bottom))

    def row(self, tr, cols: list[float], grid: bool = False) -> None:
        """Lay out a row's cells side by side; start the row on a new page if it would not fit."""
        cells, i = [], 0
        for tc in tr.findall(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = int(_val(tcpr, "gridSpan") or 1)
            a, b = cols[min(i, len(cols) - 1)], cols[min(i + span, len(cols) - 1)]
            merged = tcpr is not None and tcpr.find(W + "vMerge") is not None and _val(tcpr, "vMerge") != "restart"
            cells.append((tc, a, b, merged))
            i += span
        probe = self.measure(cells)
        self.room(probe)
        top, bottom, pages = self.y, self.y, len(self.pages)
        pad = CELL_PAD * DEFAULT_SIZE
        for tc, a, b, merged in cells:
            self.y, placed = top, len(self.pages[-1])
            if not merged:
                self.blocks(tc, a + pad, max(a + pad + DEFAULT_SIZE, b - pad))
            if grid:
                _span(self.pages[-1][placed:], a + pad, b - pad)
            if len(self.pages) != pages:          # a cell longer than a page: keep what flowed
                return
            bottom = max(bottom, self.y)
        self.y = bottom

    def measure(self, cells) -> float:
        """Height the row will take (laid out on a scratch flow)."""
        scratch = _Layout(self.width, 10**9, self.left, self.right, 0.0, 10**9, self.styles, [[]], [[]], y=0.0,
                          fit=self.fit, depth=self.depth, numbering=self.numbering.copy())
        height = 0.0
        for tc, a, b, merged in cells:
            if merged:
                continue
            scratch.y = 0.0
            pad = CELL_PAD * DEFAULT_SIZE
            scratch.blocks(tc, a + pad, max(a + pad + DEFAULT_SIZE, b - pad))
            height = max(height, scratch.y)
        return min(height, self.bottom - self.top)


def _styles(styles) -> dict:
    """Paragraph style id → bold, size, alignment (following base styles); None → the default style."""
    out = {}
    for style in styles:
        try:
            item = _style_of(style)
        except (AttributeError, ValueError):
            continue
        out[style.style_id] = item
        if style.element.get(W + "default") in ("1", "true") and style.element.get(W + "type") == "paragraph":
            out[None] = item
    return out


def _style_of(style) -> _Style:
    """Bold, size and alignment a style sets itself or inherits from its base styles."""
    chain: list = []
    cur = style
    while cur is not None and len(chain) < 10:
        chain.append(cur)
        cur = cur.base_style
    fonts = [s.font for s in chain if getattr(s, "font", None) is not None]
    bold = next((f.bold for f in fonts if f.bold is not None), False)
    size = next((f.size.pt for f in fonts if f.size), DEFAULT_SIZE)
    align = next((_val(s.element.find(W + "pPr"), "jc") for s in chain if _val(s.element.find(W + "pPr"), "jc")), None)
    nums = [n for s in chain for n in [_numpr(s.element.find(W + "pPr"))] if n]
    borders = next((b for s in chain for b in s.element.iter(W + "tblBorders")), None)
    return _Style(bool(bold), float(size), align, nums[0] if nums else None,
                  borders is not None and _visible(borders))


def _numpr(ppr) -> tuple[str, int] | None:
    """(numId, level) a style's paragraph properties set."""
    num = ppr.find(W + "numPr") if ppr is not None else None
    if num is None or _val(num, "numId") in (None, "0"):
        return None
    return _val(num, "numId"), int(_val(num, "ilvl") or 0)


def _runs(p, style: _Style) -> tuple[list, float]:
    """(text, bold) pieces of the paragraph in order; tabs as "\t", breaks as "\n", page breaks as
    "\f"; and the paragraph's largest font size."""
    pieces, size = [], None
    for r in p.iter(W + "r"):
        if _inside_other_text(r, p):
            continue
        rpr = r.find(W + "rPr")
        bold = _on(rpr, "b")
        bold = style.bold if bold is None else bold
        sz = _val(rpr, "sz")
        if sz and sz.isdigit():
            size = max(size or 0.0, int(sz) / 2)
        for child in r:
            tag = child.tag[len(W):] if child.tag.startswith(W) else ""
            if tag == "t":
                pieces.append((child.text or "", bold))
            elif tag == "tab":
                pieces.append(("\t", bold))
            elif tag in ("br", "cr"):
                pieces.append(("\f" if child.get(W + "type") == "page" else "\n", bold))
            elif tag == "noBreakHyphen":
                pieces.append(("-", bold))
    return pieces, size or style.size


def _inside_other_text(r, p) -> bool:
    """A run of a text box or a deleted revision: not part of this paragraph's printed text."""
    parent = r.getparent()
    while parent is not None and parent is not p:
        if parent.tag in (W + "txbxContent", W + "del", W + "moveFrom") or parent.tag.endswith("}fallback"):
            return True
        parent = parent.getparent()
    return False


def _wrap(pieces: list, size: float, left: float, right: float, first: float, stops: Sequence[float] = ()) -> list:
    """Visual lines: lists of (text, x0, x1, bold) words from the left edge, wrapped at `right`;
    the string "page" where a page break is.  A tab goes to the next of the paragraph's tab stops,
    else to the next default stop."""
    lines: list = []
    current: list = []
    x = left + first
    start = x
    word, word_bold = "", True

    def flush_word():
        nonlocal word, word_bold, x
        if word:
            w = len(word) * CHAR_WIDTH * size
            if current and x + w > right:
                lines.append(current.copy())
                current.clear()
                x = left
            current.append((word, x, x + w, word_bold))
            x += w
        word, word_bold = "", True

    for text, bold in pieces:
        for ch in text:
            if ch in "\n\f":
                flush_word()
                lines.append(current.copy())
                current.clear()
                x = left
                if ch == "\f":
                    lines.append("page")
            elif ch == "\t":
                flush_word()
                x = next((stop for stop in stops if stop > x + 0.5),
                         start + ((x - start) // TAB_STEP + 1) * TAB_STEP)
            elif ch.isspace():
                flush_word()
                x += SPACE_WIDTH * size
            else:
                word += ch
                word_bold = word_bold and bold
    flush_word()
    if current or not lines:
        lines.append(current)
    return lines


def _condensed(words: list, left: float, right: float) -> list:
    """A line too wide for its cell squeezed to fit (Word's "fit text" for a table heading), so a
    heading row (`STT | Họ và tên | Năm sinh | …`) stays one line in every column."""
    if not words or words[-1][2] <= right:
        return words
    scale = (right - left) / max(1e-6, words[-1][2] - left)
    return [(t, left + (a - left) * scale, left + (b - left) * scale, bold) for t, a, b, bold in words]


def _aligned(words: list, align: str | None, left: float, right: float) -> list:
    """Shift a left-set line for centred or right alignment."""
    used = words[-1][2] - words[0][1] if words else 0.0
    if not words or align not in ("center", "right", "end") or used > right - left:
        return words
    lead = words[0][1] - left
    free = right - left - used
    shift = (free / 2 if align == "center" else free) - lead
    return [(t, a + shift, b + shift, bold) for t, a, b, bold in words]


def _grid(tbl, x0: float, x1: float) -> list[float]:
    """x of every column boundary, from the table grid, scaled into [x0, x1] when too wide."""
    widths = [_twips(g.get(W + "w")) for g in tbl.iter(W + "gridCol")
              if g.getparent().getparent() is tbl]
    widths = [w for w in widths if w > 0] or [x1 - x0]
    ind = _twips(_val(tbl.find(W + "tblPr"), "tblInd", "w"))
    start = x0 + max(-30.0, min(ind, 100.0))
    scale = min(1.0, (x1 + 30 - start) / sum(widths))
    xs = [start]
    for w in widths:
        xs.append(xs[-1] + w * scale)
    return xs


def _span(lines: list[list[Word]], left: float, right: float) -> None:
    """Stretch the first and last word of each line of a ruled table's cell to the cell's edges, as
    the cell's rules would bound them: the columns of a heading row (`STT | Họ và tên | …`) then
    meet midway between the texts, where the rules are, even when the headings are centred."""
    for words in lines:
        if words:
            words[0].x0 = min(words[0].x0, left)
            words[-1].x1 = max(words[-1].x1, right)


def _ruled(tbl, styles: dict) -> bool:
    """True when the table prints its rules: a cell border, else the table's own borders, else its
    style's (`Table Grid`)."""
    if any(_visible(b) for b in tbl.iter(W + "tcBorders")):
        return True
    tblpr = tbl.find(W + "tblPr")
    own = tblpr.find(W + "tblBorders") if tblpr is not None else None
    if own is not None:
        return _visible(own)
    style = styles.get(_val(tblpr, "tblStyle"))
    return style.ruled if style is not None else False


def _visible(borders) -> bool:
    """Any edge of a borders element drawn with a line."""
    return any(edge.get(W + "val") not in (None, "nil", "none") for edge in borders)
