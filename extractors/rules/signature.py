"""The signature block: authority line (TM./KT./…), the signer's title, the signer's name."""
from __future__ import annotations

import re

from ..layout import segments
from ..lexicon import correct_surname
from ..model import Line, Page
from .text import Found, fold, is_upper_line, readable, squash

AUTHORITY_RE = re.compile(r"^(TM|KT|Q|TL|TUQ)\s*[.,]\s*\S", re.I)
RANKS = ("thieu ta", "trung ta", "thuong ta", "dai ta", "thieu uy", "trung uy", "thuong uy", "dai uy",
         "thieu tuong", "trung tuong", "thuong tuong", "dai tuong", "ong", "ba", "dong chi", "d/c",
         "ts.", "ths.", "bs.", "ks.")
NAME_RE = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]*(?: [A-ZĐÀ-Ỹ][a-zà-ỹđ]*){1,4}$")


def right_segments(pages: list[Page]) -> list[Line]:
    """Segments in the right half of their page, in reading order."""
    widths = {p.number: p.width for p in pages}
    return [s for p in pages for ln in p.lines for s in segments(ln)
            if (s.x0 + s.x1) / 2 > widths[ln.page] * 0.5 and s.x0 > widths[ln.page] * 0.3]


def read_signature(pages: list[Page], lines: list[Line]) -> dict:
    """signing_authority, signer_title and signer_name as Found values."""
    right = right_segments(pages)
    anchor = _anchor(right, lines)
    if anchor is None:
        return {}
    block = [s for s in right if (s.page, s.top) >= (anchor.page, anchor.top - 2)]
    return _read_block(block)


def _anchor(right: list[Line], lines: list[Line]) -> Line | None:
    """The first authority line, else the right-hand text level with `Nơi nhận:`."""
    auth = next((s for s in right if AUTHORITY_RE.match(s.text) and is_upper_line(s.text, 0.7)), None)
    receivers = next((ln for ln in lines if fold(ln.text).lstrip().startswith("noi nhan")), None)
    if receivers is not None:
        near = [s for s in right if s.page == receivers.page and s.bottom >= receivers.top - 3]
        if auth is None or (auth.page, auth.top) > (receivers.page, receivers.top + 40):
            return near[0] if near else auth
    return auth


def _read_block(block: list[Line]) -> dict:
    """Authority, then capitalised title rows, then the first row that reads as a name."""
    out, i = {}, 0
    if block and AUTHORITY_RE.match(block[0].text):
        out["signing_authority"] = Found(squash(block[0].text), block[0])
        i = 1
    titles = []
    while i < len(block) and _title_row(block[i].text):
        titles.append(block[i])
        i += 1
    if titles:
        title = canonical_title(squash(" ".join(t.text for t in titles)))
        out["signer_title"] = Found(title, titles[0])
    name = _name(block[i:i + 10], titles[-1] if titles else None)
    if name:
        out["signer_name"] = name
    return out


COMMON_TITLES = ("HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                 "TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ", "TRƯỞNG XÓM", "TRƯỞNG THÔN", "TRƯỞNG BẢN",
                 "TRƯỞNG TRẠM", "BÍ THƯ", "PHÓ BÍ THƯ", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BỘ TRƯỞNG",
                 "THỨ TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG", "TỔ TRƯỞNG",
                 "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "TỔNG GIÁM ĐỐC", "CHỦ NHIỆM", "TRƯỞNG ĐOÀN")


def canonical_title(title: str) -> str:
    """Restore the diacritics OCR lost on a common title (`HIÊU TRƯỞNG` → `HIỆU TRƯỞNG`)."""
    key = " ".join(re.sub(r"[^\w]", " ", fold(title)).split())
    candidates = [t for t in COMMON_TITLES if fold(t) == key]
    return candidates[0] if len(candidates) == 1 and title not in COMMON_TITLES else title


def _title_row(text: str) -> bool:
    """A capitalised, readable row that is not another authority line."""
    return is_upper_line(text) and readable(text) and not AUTHORITY_RE.match(text)


def _name(rows: list[Line], above: Line | None) -> Found | None:
    """The first row (same page as the title) that is a person's name, rank and honorific dropped."""
    prev = above
    for row in rows:
        if above is not None and row.page != above.page and not _first_on_next_page(row, prev, above):
            break
        prev = row
        text = strip_rank(squash(row.text.strip(" .,;:")))
        if row.source == "ocr":
            text = correct_surname(text)
        if row.source == "ocr" and not _plausible_ocr_name(text, row):
            continue
        if NAME_RE.match(text) and readable(text, 0.99):
            return Found(text, row, 0.9)
    return None


# Vietnamese surnames (folded): a scribbled signature read as `Án Ho` does not start with one.
SURNAME_FOLDS = set("""nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly ha dinh luong trinh
mai dao lam nong trieu ma hua tong quan chu luu cao van kieu ta to thai la au hau khong doan tang giap
lo nghiem quach vuong mac bach cam chau chung dam diep dong giang hong khuc kim lai lang lu lac linh
luc nham ninh ong phung phi phuong quang sam son tan than thach thieu tieu truong ung vi xa yen
dieu khuat lieu nhu ta tong ton trang tu uong vuong hoa hua luyen nong lo sung giap""".split())


def _plausible_ocr_name(text: str, row: Line) -> bool:
    """An OCR'd name starts with a Vietnamese surname, or was read with high confidence."""
    words = text.split()
    return bool(words) and (fold(words[0]) in SURNAME_FOLDS or row.conf >= 0.85)


def _first_on_next_page(row: Line, prev: Line | None, above: Line) -> bool:
    """The signature table split over a page break: the name is the first right-hand row overleaf."""
    return row.page == above.page + 1 and prev is not None and prev.page == above.page


def strip_rank(text: str) -> str:
    """`Thiếu tá Lương Công Toàn` → `Lương Công Toàn`."""
    changed = True
    while changed:
        changed = False
        f = fold(text)
        for rank in RANKS:
            if f.startswith(rank + " ") and len(text.split()) > 2:
                text, changed = text[len(rank) + 1:].lstrip(), True
                break
    return text
