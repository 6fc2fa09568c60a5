"""The ND30 header: parent body, issuer, số ký hiệu, place and date, type title, trích yếu."""
from __future__ import annotations

import re

from ..layout import segments
from ..model import Line, Page
from .nlp import type_code
from .text import Found, fold, is_upper_line, readable, squash

# `Số:` followed by the number, a blank (`Số:      /BC-…`) or dots: not `SỞ Y TẾ …` (a parent body).
NUMBER_RE = re.compile(r"^[^\w]{0,3}s\s*[o0]\s*[:;.,]?\s*(?=[\d/_.…]|\s*$)", re.I)
# the symbol may hold `&` and a unit in brackets: `18/BC-TH&THCS`, `416/TTr-CAT(PC04)`
# after the number comes a year (`03/2018/TT-BNG`) or the symbol's letters; digits elsewhere (`4/35/SGDĐT`)
# are a handwritten number that the OCR split
NUMBER_VALUE_RE = re.compile(r"^(\d+[A-Za-z]?)(/(?:(?:19|20)\d\d/)?[^\W\d_][\w\-/ĐđƠơƯư.&()]*)$")
# `ngày` may be missing on a scan (a handwritten day pushes it onto a line of its own): then the comma
# after the place is required
DATE_RE = re.compile(r"^(?P<place>[^,]{2,40}?)(?:\s*[,.]?\s*ngay|\s*,)\s*(?P<d>\S*?)\s*thang\s*(?P<m>\S*?)"
                     r"\s*nam\s*(?P<y>\d{4})")
# a biên bản's body opens with the time of the meeting (`Vào lúc 14 giờ …`, `Hôm nay, ngày …`)
BODY_START = ("kinh gui", "can cu", "thuc hien", "xet de nghi", "theo de nghi", "vao luc", "hom nay")
MAX_HEADER_LINES = 14
# an incoming-mail stamp (`CÔNG VĂN ĐẾN`, `ĐẾN Số: … Ngày: …`) carries another number and date;
# urgency and secrecy stamps (`HỎA TỐC`, `KHẨN`, `MẬT`) are no part of a body's name
STAMP_RE = re.compile(r"(^|\W)den(\W*$|\s*[:.]?\s*(so|ngay)\b)|^\W*(cong van|van ban) den\b|^\W*chuyen\s*:")
URGENCY_RE = re.compile(r"^\W*(hoa toc|thuong khan|khan|toi mat|tuyet mat|mat)(\s+hen gio.*)?\W*$")


def first_page(pages: list[Page]) -> Page:
    """The page the header is on (the first one)."""
    return pages[0]


def header_region(page: Page) -> tuple[list[Line], int | None]:
    """Lines above the type title (or above the body), and the title's index if any."""
    lines = page.lines[:MAX_HEADER_LINES + 6]
    title = next((i for i, ln in enumerate(lines) if _title_segment(ln, page.width)), None)
    if title is not None:
        return lines[:title], title
    end = next((i for i, ln in enumerate(lines) if fold(ln.text).lstrip().startswith(BODY_START)), None)
    region = lines[:end if end is not None else MAX_HEADER_LINES]
    return (region, None) if any(_is_national(ln.text) for ln in region) else ([], None)


def _is_national(text: str) -> bool:
    """Quốc hiệu or tiêu ngữ, even with OCR noise."""
    f = fold(text)
    return "cong hoa xa hoi" in f or "doc lap" in f or "hanh phuc" in f or "tu do" in f


def _centred(line: Line, width: float | None) -> bool:
    """A line centred on the page (a title, on a scan where weight is unknown)."""
    return width is not None and abs((line.x0 + line.x1) / 2 - width / 2) < 0.08 * width


def _title_segment(line: Line, width: float | None = None) -> Line | None:
    """The segment of a line that is a document type title (BÁO CÁO, QUYẾT ĐỊNH …); a capitalised
    line that opens with a type title and runs on (`BÁO CÁO KIỂM ĐIỂM`) gives the title's words."""
    segs = segments(line)
    for seg in segs:
        words = seg.text.split()
        for start in range(min(len(words), 4)):
            text = " ".join(words[start:])
            if is_upper_line(text) and type_code(text):
                return Line(seg.words[start:], seg.page, seg.source)
    words = line.text.split()
    if len(segs) == 1 and is_upper_line(line.text) and (line.bold or _centred(line, width)):
        n = next((n for n in (2, 3) if len(words) > n and type_code(" ".join(words[:n]))), None)
        if n:
            return Line(line.words[:n], line.page, line.source)
    return None


def _title_rest(page: Page, index: int, title: Line) -> Line | None:
    """The words printed after the type title on its own line (the start of the trích yếu)."""
    line = page.lines[index]
    rest = [w for w in line.words if w.x0 >= title.x1]
    return Line(rest, line.page, line.source) if rest and len(rest) < len(line.words) else None


def split_columns(lines: list[Line], page: Page) -> tuple[list[Line], list[Line]]:
    """Segments of the header lines in the left (issuer) and right (quốc hiệu) columns."""
    segs = [s for ln in lines for s in _split_national(segments(ln))]
    national = [s for s in segs if _is_national(s.text)]
    boundary = min((s.x0 for s in national), default=page.width * 0.42) - 2
    left = [s for s in segs if (s.x0 + s.x1) / 2 < boundary]
    right = [s for s in segs if (s.x0 + s.x1) / 2 >= boundary]
    return left, right


def _split_national(segs: list[Line]) -> list[Line]:
    """Cut a segment where the quốc hiệu starts inside it (columns printed too close)."""
    out = []
    for seg in segs:
        words = [fold(w.text) for w in seg.words]
        cut = next((i for i in range(1, len(words) - 1) if words[i:i + 2] == ["cong", "hoa"]), None)
        if cut is None:
            out.append(seg)
        else:
            out += [Line(seg.words[:cut], seg.page, seg.source), Line(seg.words[cut:], seg.page, seg.source)]
    return out


def read_header(pages: list[Page]) -> dict:
    """Every header field as Found (or None)."""
    page = first_page(pages)
    region, title_index = header_region(page)
    left, right = split_columns(region, page)
    out: dict = {}
    stamps = [s for s in left + right if STAMP_RE.search(fold(s.text))]
    number_seg = next((s for s in left + right if NUMBER_RE.match(fold(s.text)) and not _in_stamp(s, stamps)), None)
    out["number"] = _number(number_seg)
    out.update(_date(region))
    date_line = out["issue_date"].line if "issue_date" in out else out["place"].line if "place" in out else None
    out.update(_issuers(left, number_seg or date_line))
    title = _title_segment(page.lines[title_index], page.width) if title_index is not None else None
    out.update(_title_and_subject(page, title_index, title, left, number_seg))
    return out


def _in_stamp(seg: Line, stamps: list[Line]) -> bool:
    """A segment under an `ĐẾN` stamp's first line and overlapping it (the stamp's own Số/Ngày)."""
    return any(st.page == seg.page and 0 <= seg.top - st.top <= 6 * st.height
               and seg.x0 < st.x1 and st.x0 < seg.x1 for st in stamps) or bool(STAMP_RE.search(fold(seg.text)))


def _number(seg: Line | None) -> Found | None:
    """`Số: 15/BC-THCS` → `15/BC-THCS`; a blank number part → None."""
    if seg is None:
        return None
    rest = NUMBER_RE.sub("", fold(seg.text), count=1)
    original = re.sub(r"\s*([/-])\s*", r"\1", seg.text[len(seg.text) - len(rest):]).strip()
    first = original.split(" ")[0] if original else ""
    match = NUMBER_VALUE_RE.match(first.rstrip(".,;"))
    if not match:
        return None
    value = _known_code(match.group(0)) if seg.source == "ocr" else match.group(0)
    return Found(value, seg)


def _known_code(number: str) -> str:
    """OCR doubles a letter of the type code (`02/ĐĐK-XĐT`, `157/QĐĐ-NĐ-UB`): keep the known code."""
    from .nlp import TYPE_TITLES
    codes = set(TYPE_TITLES.values()) | {"CV"}
    parts = number.split("/")
    for i, part in enumerate(parts[1:], 1):
        code, dash, rest = part.partition("-")
        if code in codes:
            continue
        single = {code[:k] + code[k + 1:] for k in range(1, len(code)) if code[k] == code[k - 1]}
        known = single & codes
        if len(known) == 1:
            parts[i] = known.pop() + dash + rest
    return "/".join(parts)


def _issuers(left: list[Line], number_seg: Line | None) -> dict:
    """Parent body and issuer: the capitalised lines of the left column above `Số:` (or the date)."""
    top = number_seg.top if number_seg is not None else float("inf")
    rows = [s for s in left if s.bottom <= top + 1 and is_upper_line(s.text) and readable(s.text, 0.6)
            and not _is_national(s.text) and not fold(s.text).startswith("v/v") and not _rule(s.text)
            and not STAMP_RE.search(fold(s.text)) and not URGENCY_RE.match(fold(s.text))]
    if not rows:
        return {}
    parents, issuers = _split_issuer_rows(rows)
    out = {"issuer": Found(_body_name(issuers), issuers[0])}
    if parents:
        out["parent_issuer"] = Found(_body_name(parents), parents[0], 0.85)
    return out


def _body_name(rows: list[Line]) -> str:
    """A body's name from its rows; on a scan, tokens without a letter or digit (`_`, `—`, `"`: rule
    and speck marks between the rows) are dropped."""
    words = [w.text for s in rows for w in s.words]
    if rows[0].source == "ocr":
        words = [w for w in words if re.search(r"[^\W_]", w)]
    return squash(" ".join(words))


# Words that open the name of a body (a new header row starting with one is a new body); a row that
# starts otherwise (`XÃ KIM SƠN`, `HUYỆN PHÚ LƯƠNG`, `DỊCH VỤ TÂN HÒA`) continues the row above.
BODY_HEADS = re.compile(
    r"^(ubnd|uy ban|hdnd|hoi dong|dang uy|dang bo|chi bo|mat tran|uy ban mat tran|so|phong|ban|bo|cuc|vu|"
    r"tong cuc|chinh phu|van phong|truong|cong an|bo chi huy|ban chi huy|benh vien|trung tam|tram|khoa|"
    r"hop tac xa|htx|cong ty|doanh nghiep|tap doan|chi nhanh|ngan hang|hoi|chi hoi|doan|huyen doan|"
    r"tinh doan|thanh doan|chi doan|lien doan|thon|xom|ban|ap|buon|lang|to|khu|khu pho|to dan pho|"
    r"doi|nha|quy|kho bac|chi cuc|hat|vien|toa an|vien kiem sat|tong cong ty|nong truong|lam truong|"
    r"ban quan ly|bql|ky tuc xa|hoc vien|dai hoc|cao dang|hiep hoi|thanh tra|lien hiep|lien minh)\b")


def _split_issuer_rows(rows: list[Line]) -> tuple[list[Line], list[Line]]:
    """Parent body rows and issuer rows.

    Rows are grouped into bodies: a row opens a new body when it starts with a body word (`TRƯỜNG`,
    `UBND`, `THÔN` …) or when the weight changes from regular to bold (ND30 prints the parent regular,
    the issuer bold); any other row continues the one above (a name printed over two lines).  The last
    body is the issuer, the ones before it the parent.
    """
    bodies: list[list[Line]] = []
    for row in rows:
        prev = bodies[-1][-1] if bodies else None
        opens = BODY_HEADS.match(fold(row.text).strip(" -–—_.,:;")) is not None   # `- SỞ …`: a speck before
        weight_change = prev is not None and row.bold and not prev.bold
        if prev is None or opens or weight_change:
            bodies.append([row])
        else:
            bodies[-1].append(row)
    if len(bodies) == 1:
        return [], bodies[0]
    return [r for b in bodies[:-1] for r in b], bodies[-1]


def _rule(text: str) -> bool:
    """A typed rule (`_______`, `-----`) under a header item or the trích yếu."""
    return re.fullmatch(r"[\s_\-–—=.*~]+", text) is not None


def _date(region: list[Line]) -> dict:
    """Place and ISO date from `Phượng Tiến, ngày 05 tháng 01 năm 2026`."""
    for line in region:
        segs = segments(line)
        for k in range(len(segs)):
            tail = Line([w for s in segs[k:] for w in s.words], line.page, line.source)
            match = DATE_RE.match(fold(tail.text))
            if match and re.fullmatch(r"[^\W\d_][^\W\d_\s.'-]*(?:[\s.'-]+[^\W\d_]+)*", match.group("place").strip()):
                return _date_fields(tail, match)
    return {}


def _date_fields(seg: Line, match: re.Match) -> dict:
    """Found values for place and issue_date (None when any part is blank)."""
    out = {}
    place = squash(seg.text[match.start("place"):match.end("place")]).strip(" ,.-")
    if place and readable(place, 0.99) and place[0].isupper():
        out["place"] = Found(place, seg)
    day, month, year = (_as_int(match.group(k)) for k in ("d", "m", "y"))
    if day and month and year and 1 <= day <= 31 and 1 <= month <= 12:
        out["issue_date"] = Found(f"{year:04d}-{month:02d}-{day:02d}", seg)
    return out


def _as_int(text: str) -> int | None:
    """Digits only → int, else None (a blank or handwritten-garbled field)."""
    return int(text) if re.fullmatch(r"\d{1,4}", text or "") else None


def _title_and_subject(page: Page, index: int | None, title: Line | None, left: list[Line],
                       number_seg: Line | None) -> dict:
    """doc_type and subject from the title and the lines under it, or from a `V/v` line."""
    if title is not None:
        assert index is not None        # the title is found with its line index
        rest = _title_rest(page, index, title)
        subject = ([rest] if rest else []) + _subject_lines(page, index, title)
        out = {"doc_type": Found(type_code(title.text), title)}
        if subject:
            out["subject"] = Found(squash(" ".join(s.text for s in subject)), subject[0])
        return out
    return _cong_van(left, number_seg)


def _subject_lines(page: Page, index: int, title: Line) -> list[Line]:
    """Lines after the title up to a gap, the start of the body or a capitalised line (unless the
    trích yếu itself is printed in capitals: then up to a change of weight or a signer's title,
    `THỦ TƯỚNG CHÍNH PHỦ` / `CHỦ TỊCH UBND …` opening a decision)."""
    out: list = []
    prev = title
    for line in page.lines[index + 1:index + 7]:
        segs = [s for s in segments(line) if s.x1 > title.x0 - 5 and not _noise(s.text)]
        text = " ".join(s.text for s in segs)
        if segs and _rule(text) and not out:
            prev = line          # a stray rule or stamp mark between the title and the trích yếu
            continue
        if not segs or line.top - prev.bottom > 1.2 * prev.height:
            break
        if _rule(text):
            break
        if fold(text).startswith(BODY_START) or is_upper_line(text) and not _upper_subject(line, out):
            break
        out.append(Line([w for s in segs for w in s.words], line.page, line.source))
        prev = line
    return out


def _upper_subject(line: Line, out: list[Line]) -> bool:
    """A capitalised line that continues a trích yếu printed in capitals."""
    from .signature import COMMON_TITLES
    if out and not all(is_upper_line(o.text) for o in out):
        return False
    if out and out[-1].bold != line.bold:
        return False
    f = fold(line.text)
    return not any(f.startswith(fold(t) + " ") for t in COMMON_TITLES)


def _noise(text: str) -> bool:
    """Stamp or seal marks read as text: words, but hardly any real syllables."""
    from ..quality import WORD_RE
    return len(WORD_RE.findall(text)) > 0 and not readable(text, 0.5)


def _cong_van(left: list[Line], number_seg: Line | None) -> dict:
    """A công văn: no title, `V/v …` under the number."""
    start = next((i for i, s in enumerate(left) if fold(s.text).startswith(("v/v", "v/v.", "v.v"))), None)
    if start is None:
        return {}
    rows = [left[start]]
    for seg in left[start + 1:]:
        if seg.top - rows[-1].bottom > 1.2 * rows[-1].height:
            break
        rows.append(seg)
    text = squash(" ".join(s.text for s in rows))
    subject = re.sub(r"^[Vv]\s*[/.]\s*[Vv]\s*[.:]?\s*", "", text)
    return {"doc_type": Found("CV", rows[0], 0.85), "subject": Found(subject, rows[0])}
