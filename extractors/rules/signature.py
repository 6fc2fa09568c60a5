"""The signature block: authority line (TM./KT./…), the signer's title, the signer's name."""
from __future__ import annotations

import re
from dataclasses import replace

from ..layout import segments
from ..lexicon import PHRASES, correct_surname
from ..model import Line, Page
from ..quality import is_valid_syllable
from .text import Found, fold, is_upper_line, readable, squash

# `TM.` `KT.` `TL.` `TUQ.` `Q.`, the old forms `T/M` `K/T` `TM.BCH`, and a bare `KT` (a rubber stamp)
AUTHORITY_RE = re.compile(r"^(T/?M|K/?T|Q|T/?L|TUQ)(?:\s*[.,]\s*|(?-i:\s+(?=[A-ZĐÀ-Ỹ]{2})))(?=\S)", re.I)
# a term of office printed under `TM.BCH …` is part of the authority block
TERM_RE = re.compile(r"^(nhiem ky|khoa)\s+[ivxl\d]", re.I)
# the same prefix as OCR garbles it on a scan: `KT:` `4M.` `TL,` `TUO.` (the rest must be upper case)
OCR_AUTHORITY_RE = re.compile(r"^([T4I1Jƒ]M|K[T1I]|T[L1I]|TU[QO0]|Q)\s*[.,:;]\s*(?=\S)")
OCR_PREFIX = {"M": "TM", "T": "KT", "1": "KT", "I": "KT", "L": "TL", "Q": "Q", "O": "TUQ", "0": "TUQ"}
LOW_CONF = 0.5
RANKS = ("thieu ta", "trung ta", "thuong ta", "dai ta", "thieu uy", "trung uy", "thuong uy", "dai uy",
         "thieu tuong", "trung tuong", "thuong tuong", "dai tuong", "ong", "ba", "dong chi", "d/c",
         "ts.", "ths.", "bs.", "ks.")
# degrees and professional titles before a name: `BS.`, `TS.BS.`, `ThS.DS.`, `BS.CK2.`, `CN.`
DEGREE_RE = re.compile(r"^(?:[A-ZĐ][A-Za-zĐđ]{0,4}\d?\.\s*)+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ])")
# a superior's approval under the issuer's own signature (`PHÊ DUYỆT` / `GIÁM ĐỐC SỞ Y TẾ`) is not the signer
APPROVAL_RE = re.compile(r"^\W*(phe duyet|duyet)\b")
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
    block = [s for s in right if (s.page, s.top) >= (anchor.page, anchor.top - 2)
             and re.search(r"[^\W\d_]", s.text)]          # a speck (`_`, `—`) is no row of the block
    approval = next((k for k, s in enumerate(block) if k and APPROVAL_RE.match(fold(s.text))), len(block))
    return _read_block(block[:approval])


def _anchor(right: list[Line], lines: list[Line]) -> Line | None:
    """The first authority line, else the right-hand text level with `Nơi nhận:`."""
    auth = next((s for s in right if AUTHORITY_RE.match(s.text) and is_upper_line(s.text, 0.7)
                 or s.source == "ocr" and _authority(s)), None)
    receivers = next((ln for ln in lines if fold(ln.text).lstrip().startswith("noi nhan")), None)
    if receivers is not None:
        near = [s for s in right if s.page == receivers.page and s.bottom >= receivers.top - 3]
        if auth is None or (auth.page, auth.top) > (receivers.page, receivers.top + 40):
            return near[0] if near else auth
    return auth


def _authority(line: Line) -> str | None:
    """The authority line as printed (`KT. CHỦ TỊCH`, `T/M UBND TỈNH`, `TM.BCH …`); a bare `KT` (a
    rubber stamp) gets its full stop.  On a scan a garbled prefix (`KT:`, `4M.`) is read back when
    the rest is an upper-case line, and a known title after it gets its marks back."""
    text = squash(line.text)
    exact = AUTHORITY_RE.match(text)
    if line.source != "ocr":
        return _as_printed(text, exact) if exact else None
    match = exact or OCR_AUTHORITY_RE.match(text)
    rest = text[match.end():].lstrip(" .,:;") if match else ""
    if not match or not exact and not (is_upper_line(rest) and readable(rest)):
        return None
    head = match.group(1).upper()
    if "/" in head:
        sep = "." if "." in text[match.end(1):match.end()] else ""
        return f"{head}{sep} {canonical_title(rest)}"
    prefix = {"TM": "TM", "KT": "KT", "TL": "TL", "TUQ": "TUQ", "Q": "Q"}.get(head) or OCR_PREFIX[head[-1]]
    return f"{prefix}. {canonical_title(rest)}"


def _as_printed(text: str, match: re.Match) -> str:
    """A text-layer authority as printed; `KT GIÁM ĐỐC` (no stop after a plain prefix) → `KT. GIÁM ĐỐC`."""
    sep = text[match.end(1):match.end()]
    if sep.strip() or "/" in match.group(1):
        return text
    return f"{match.group(1).upper()}. {text[match.end():]}"


def _authority_block(block: list[Line]) -> tuple[str | None, int]:
    """The authority lines at the head of the block joined in printed order (`TM. ỦY BAN NHÂN DÂN`
    + `KT. CHỦ TỊCH`, `TM.BCH …` + `Nhiệm kỳ 2019 - 2025`), and how many rows they take."""
    first = _authority(block[0]) if block else None
    if not first:
        return None, 0
    parts, i = [first], 1
    while i < len(block) and i < 3:
        row = block[i]
        nxt = _authority(row)
        if nxt is None and TERM_RE.match(fold(row.text).strip()) and len(parts) == 1:
            nxt = squash(row.text)
        if nxt is None:
            break
        parts.append(nxt)
        i += 1
    return " ".join(parts), i


def _read_block(block: list[Line]) -> dict:
    """Authority, then capitalised title rows, then the first row that reads as a name."""
    out = {}
    authority, i = _authority_block(block)
    if authority:
        # `KT. HIỆU` / `TRƯỞNG`: an authority the OCR split over two rows
        if i == 1 and block[0].source == "ocr" and i < len(block) and _known_title(authority.split(" ", 1)[1]) is None:
            joined = _known_title(authority.split(" ", 1)[1] + " " + squash(block[1].text))
            if joined:
                authority, i = authority.split(" ", 1)[0] + " " + joined, 2
        out["signing_authority"] = Found(authority, block[0])
    titles: list = []
    while i < len(block) and _title_row(block[i].text) and not (
            block[i].source == "ocr" and _authority(block[i])) and not _after_gap(block[i], titles):
        titles.append(block[i])
        i += 1
    if titles:
        if titles[0].source == "ocr":
            title = _ocr_title([w for t in titles for w in t.words], authority)
        else:
            title = canonical_title(squash(" ".join(t.text for t in titles)))
        if title:
            out["signer_title"] = Found(title, titles[0])
            _deputy_authority(out, title)
    name = _name([r for r in block[i:] if readable(r.text, 0.5)][:10], titles[-1] if titles else None)
    if name:
        out["signer_name"] = name
    return out


def _deputy_authority(out: dict, title: str) -> None:
    """A deputy signs `KT.` for their principal: under `PHÓ GIÁM ĐỐC` a scanned `KT. GLIÁM ĐÓC` is
    `KT. GIÁM ĐỐC` (its title within two letters of the principal's)."""
    item = out.get("signing_authority")
    if item is None or item.line.source != "ocr" or not title.startswith("PHÓ ") or " " not in item.value:
        return
    head, rest = item.value.split(" ", 1)
    principal = title[4:]
    if head == "KT." and rest != principal and _distance(fold(rest), fold(principal)) <= 2:
        out["signing_authority"] = Found(f"KT. {principal}", item.line, item.confidence)


def _after_gap(row: Line, titles: list[Line]) -> bool:
    """A row below the signature space: the office printed under a role line (`PHÓ CHỦ TỊCH HỘI
    ĐỒNG`, then the signature, then `PHÓ GIÁM ĐỐC SỞ Y TẾ`) is not part of the title."""
    if not titles:
        return False
    prev = titles[-1]
    return row.page != prev.page or row.top - prev.bottom > 1.8 * prev.height


COMMON_TITLES = ("HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                 "TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ", "TRƯỞNG XÓM", "TRƯỞNG THÔN", "TRƯỞNG BẢN",
                 "TRƯỞNG TRẠM", "BÍ THƯ", "PHÓ BÍ THƯ", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BỘ TRƯỞNG",
                 "THỨ TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG", "TỔ TRƯỞNG",
                 "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC", "CHỦ NHIỆM", "TRƯỞNG ĐOÀN",
                 "PHÓ TRƯỞNG TRẠM", "PHÓ TRƯỞNG THÔN", "PHÓ CHỦ NHIỆM", "PHÓ TRƯỞNG ĐOÀN", "CHÁNH ÁN",
                 "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "TRƯỞNG KHOA", "PHÓ TRƯỞNG KHOA", "TỔ PHÓ")
# words of titles and of the units they sign for (folded): a low-confidence token outside them is noise
TITLE_WORDS = {w for t in COMMON_TITLES for w in fold(t).split()} | {
    w for p in PHRASES for w in fold(p).split()} | set(
    "tm kt tl tuq q uy ban nhan dan hoi dong quan tri chap hanh dieu hanh bao ve dan pho doan thanh nien "
    "mat tran to quoc cong tac chi bo dang uy xa phuong thi tran huyen tinh thanh truong tram y te".split())


def _known_title(text: str) -> str | None:
    """The common title `text` spells (marks ignored), if exactly one."""
    key = " ".join(re.sub(r"[^\w]", " ", fold(text)).split())
    candidates = [t for t in COMMON_TITLES if fold(t) == key]
    if len(candidates) == 1:
        return candidates[0]
    return text if text in candidates else None


def _ocr_title(words: list, authority: str | None) -> str | None:
    """An OCR'd title: leading and trailing tokens read with low confidence that are not title words
    dropped (`TT TRƯỞNG BAN`), a common title's marks restored, and a garbled reading accepted only
    when it is within two letters of one title the signature implies (`KT. HIỆU TRƯỞNG` → a deputy,
    `PHÓ HIỆU TRƯỞNG`); null when what is left is still not a title."""
    words = [part for w in words for part in _split_joined(w)]

    def noise(w) -> bool:
        core = re.sub(r"[^\w]", "", w.text)
        return fold(core) not in TITLE_WORDS and (
            (w.conf is not None and w.conf < LOW_CONF) or not core.isalpha() or not is_valid_syllable(core))
    while words and noise(words[0]):
        words = words[1:]
    while words and noise(words[-1]):
        words = words[:-1]
    if not words:
        return None
    text = squash(" ".join(w.text for w in words)).strip(" .,;:")
    known = _known_title(text)
    if known:
        return known
    doubtful = any(noise(w) or (w.conf is not None and w.conf < 0.7) for w in words)
    if not doubtful:
        return text
    expected = {t for t in COMMON_TITLES}
    if authority and authority.startswith("KT."):
        expected.add("PHÓ " + authority[4:])
    key = " ".join(re.sub(r"[^\w]", " ", fold(text)).split())
    near = sorted((_distance(key, fold(t)), t) for t in expected)
    if near and near[0][0] <= 2 and (len(near) == 1 or near[1][0] > near[0][0]) and len(key) >= 8:
        return near[0][1]
    return None


def _split_joined(word):
    """`TRƯỞNG-BẢN`: two title words the OCR joined by a hyphen, as two words; a word's edges
    cleared of rule and speck marks (`___PHÓ`)."""
    text = re.sub(r"^[\W_]+|[\W_]+$", "", word.text)
    if text != word.text and text and fold(text) in TITLE_WORDS:
        word = replace(word, text=text)
    parts = word.text.split("-")
    if len(parts) < 2 or not all(p and fold(p) in TITLE_WORDS for p in parts):
        return [word]
    return [replace(word, text=p) for p in parts]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


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
    """`Thiếu tá Lương Công Toàn` → `Lương Công Toàn`; `TS.BS. Hà Văn Phúc` → `Hà Văn Phúc`."""
    degree = DEGREE_RE.match(text)
    if degree and len(text[degree.end():].split()) >= 2:
        text = text[degree.end():]
    changed = True
    while changed:
        changed = False
        f = fold(text)
        for rank in RANKS:
            if f.startswith(rank + " ") and len(text.split()) > 2:
                text, changed = text[len(rank) + 1:].lstrip(), True
                break
    return text
