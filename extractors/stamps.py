"""Text that PDF annotations draw on a page: digital-signature stamps and numbers stamped into blanks.

Vietnamese e-office systems sign a PDF by adding signature widgets whose appearance carries text:
a stamp box ("Ký bởi: …", "Cơ quan: …", "Thời gian ký: …", "SAO Y …", the Công báo line) and, on a
document issued from the system, the number and day written into the printed blanks ("Số: 1984 /…",
"ngày 09 tháng …").  pdfplumber does not read annotations; poppler's `pdftotext -bbox` does.  Stamp
boxes become evidence with their own provenance (never page text); other annotation words join the page.
"""
from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .layout import nfc, segments
from .model import Line, Page, Word

TOOL_TIMEOUT_S = 60
VN_TZ = timezone(timedelta(hours=7))    # Asia/Ho_Chi_Minh has no daylight saving time
LABELS = ("ký bởi", "người ký", "cơ quan", "tổ chức", "chức vụ", "thời gian ký", "giờ ký", "ngày ký", "email")
LABEL_RE = re.compile(r"(?P<label>" + "|".join(LABELS) + r")\s*:", re.IGNORECASE)
STAMP_RE = re.compile(r"ký bởi\s*:|người ký\s*:|thời gian ký\s*:|giờ ký\s*:|ngày ký\s*:|\bcơ quan\s*:"
                      r"|^\s*sao y\b|công báo|[\w.-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
TIME_RE = re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})[ ,T]*(?P<H>\d{1,2}):(?P<M>\d{2})"
                     r"(?::(?P<S>\d{2}))?\s*(?P<tz>[+-]\d{2}:?\d{2})?")
WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE_RE = re.compile(r"<page\b")
BLOCK_RE = re.compile(r"<block\b")
STAMP_SOURCE = "chữ ký số (lớp chữ của tệp PDF)"


@dataclass
class Stamp:
    """One signature stamp box: who signed, for which body, when."""
    page: int
    text: str
    kind: str = "ký số"
    signer: str | None = None
    organisation: str | None = None
    time: str | None = None

    def to_dict(self) -> dict:
        """The `_signature_stamp` record."""
        return {"page": self.page, "kind": self.kind, "signer": self.signer,
                "organisation": self.organisation, "time": self.time, "text": self.text,
                "source": STAMP_SOURCE, "confidence": 0.99}


def is_stamp_text(text: str) -> bool:
    """True for the text of a signature stamp box (labels, SAO Y, Công báo, an e-mail address)."""
    return bool(STAMP_RE.search(nfc(text)))


def parse_stamp(text: str, page: int) -> Stamp:
    """Split a stamp box's text into signer, organisation and signing time (ISO, +07:00)."""
    text = " ".join(nfc(text).split())
    stamp = Stamp(page, text, kind=_kind(text))
    values = _labelled(text)
    stamp.signer = values.get("ký bởi") or values.get("người ký")
    stamp.organisation = values.get("cơ quan") or values.get("tổ chức")
    if stamp.kind != "ký số":
        head = LABEL_RE.split(text)[0]
        head = TIME_RE.split(head)[0]
        head = re.sub(r"^\s*sao y\b[:\s]*", "", head, flags=re.IGNORECASE)
        head = re.sub(r"[\w.-]+@[\w-]+(?:\.[\w-]+)+", "", head).strip(" ,;:-")
        stamp.organisation = stamp.organisation or head or None
    stamp.time = signing_time(values.get("thời gian ký") or values.get("giờ ký") or values.get("ngày ký")
                              or text)
    return stamp


def _kind(text: str) -> str:
    """`sao y` (a certified copy), `công báo` (the gazette's stamp) or `ký số` (the issuer's signature)."""
    if re.match(r"\s*sao y\b", text, re.IGNORECASE):
        return "sao y"
    if re.search(r"công báo", text, re.IGNORECASE) and not re.search(r"ký bởi|thời gian ký", text, re.IGNORECASE):
        return "công báo"
    return "ký số"


def _labelled(text: str) -> dict:
    """`Label: value` pairs of a stamp box, each value running to the next label."""
    matches = list(LABEL_RE.finditer(text))
    out: dict = {}
    for match, nxt in zip(matches, matches[1:] + [None], strict=False):
        value = text[match.end():nxt.start() if nxt else len(text)].strip(" ,;")
        out.setdefault(match.group("label").lower(), value or None)
    return out


def signing_time(text: str | None) -> str | None:
    """`07/01/2025 10:09:57` (+07:00 unless the stamp says otherwise) → ISO time in Asia/Ho_Chi_Minh."""
    match = TIME_RE.search(text or "")
    if not match:
        return None
    tz = VN_TZ
    if match.group("tz"):
        sign = 1 if match.group("tz")[0] == "+" else -1
        digits = match.group("tz")[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        moment = datetime(int(match.group("y")), int(match.group("m")), int(match.group("d")),
                          int(match.group("H")), int(match.group("M")), int(match.group("S") or 0), tzinfo=tz)
    except ValueError:
        return None
    return moment.astimezone(VN_TZ).isoformat()


def annotation_blocks(path: str, rects: dict[int, list[tuple]]) -> dict[int, list[list[Word]]]:
    """Text blocks (poppler's layout; words in PDF points, top-left origin) drawn inside the annotation
    boxes `rects` (page → [(x0, top, x1, bottom)]), for the pages that have any."""
    if not rects:
        return {}
    first, last = min(rects), max(rects)
    try:
        proc = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(first), "-l", str(last), path, "-"],
                              check=False, capture_output=True, timeout=TOOL_TIMEOUT_S)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return {}
    out: dict[int, list[list[Word]]] = {}
    chunks = PAGE_RE.split(proc.stdout.decode("utf-8", "replace"))[1:]
    for number, chunk in enumerate(chunks, start=first):
        boxes = rects.get(number, [])
        blocks = []
        for block in BLOCK_RE.split(chunk)[1:]:
            words = [_hocr_word(m) for m in WORD_RE.finditer(block)]
            inside = [w for w in words if w.text.strip() and any(_inside(w, box) for box in boxes)]
            if inside:
                blocks.append(inside)
        if blocks:
            out[number] = blocks
    return out


def _hocr_word(m: re.Match[str]) -> Word:
    """One <word xMin yMin xMax yMax> of `pdftotext -bbox-layout`, with full confidence (text, not OCR)."""
    x0, top, x1, bottom = map(float, m.group(1, 2, 3, 4))
    return Word(nfc(html.unescape(m.group(5))), x0, x1, top, bottom, 1.0)


def _inside(word: Word, box: tuple) -> bool:
    """True when the word's centre lies in the box."""
    x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def reading_text(words: list[Word]) -> str:
    """The words of a block in reading order (rows top to bottom, each left to right)."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows and abs(rows[-1][0].top - word.top) < 0.5 * (word.bottom - word.top):
            rows[-1].append(word)
        else:
            rows.append([word])
    return " ".join(w.text for row in rows for w in sorted(row, key=lambda w: w.x0))


def overlaps(word: Word, others: list[Word]) -> bool:
    """True when `word` covers most of one of `others` (the page's own text under an annotation)."""
    for other in others:
        dx = min(word.x1, other.x1) - max(word.x0, other.x0)
        dy = min(word.bottom, other.bottom) - max(word.top, other.top)
        if dx > 0 and dy > 0 and dx * dy >= 0.5 * (other.x1 - other.x0) * (other.bottom - other.top):
            return True
    return False


PRINTED_LABEL_RE = re.compile(r"^\W*(?:ký bởi|người ký|thời gian ký|giờ ký|ngày ký|cơ quan|email)\s*:", re.IGNORECASE)
SIGNED_RE = re.compile(r"ký bởi|người ký|thời gian ký|giờ ký|ngày ký", re.IGNORECASE)


def take_printed_stamp(page: Page) -> None:
    """A stamp some signing tools draw as page content ("Ký bởi: …" / "Thời gian ký: …" segments):
    its segments leave the page's lines (so the header rules never read them) and become a stamp."""
    picked, keep = [], []
    for line in page.lines:
        parts = segments(line)
        hits = [s for s in parts if PRINTED_LABEL_RE.match(s.text)]
        picked += hits
        rest = [w for s in parts if s not in hits for w in s.words]
        if rest:
            keep.append(line if not hits else Line(rest, line.page, line.source))
    if not picked or not SIGNED_RE.search(" ".join(s.text for s in picked)):
        return
    page.lines = keep
    page.stamps.append(parse_stamp(" ".join(s.text for s in picked), page.number))
