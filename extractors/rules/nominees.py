"""The commendation list: a ruled or unruled table, or a numbered list, across page breaks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..layout import segments
from ..lexicon import correct_surname
from ..model import Line, Page
from ..quality import VOWEL_RE, WORD_RE, valid_share
from .signature import strip_rank
from .text import Found, fold, squash

GROUPS = (("tap the", "collective"), ("ca nhan", "individual"))
HONORIFIC_RE = re.compile(r"^(Ông|Bà|Đồng chí|Đ/c|Anh|Chị)\s+", re.I)
# on a scan the marks of an honorific are often lost or wrong (`Ong`, `Đông chí`, `Bả`): matched folded,
# and only before a capitalised word (`Chi hội …` is a collective, so `Chị`/`Anh` stay exact)
LOOSE_HONORIFIC_RE = re.compile(r"^(ong|ba|dong\s*chi|d\s*/\s*c)\s+(?=[^\W\d_])")
COLLECTIVE_RE = re.compile(
    r"^(tap the|to|chi hoi|chi doan|chi bo|hoi|doi|xom|thon|ban|truong|cong an|phong|tram|lop|khoi|"
    r"cau lac bo|nhom|hop tac xa|cong ty|co quan|don vi|khu dan cu|uy ban|ubnd|mat tran|doan|khoa|"
    r"phan xuong|lien doi|trung tam|benh vien|tieu doi|hoi dong|ban quan ly|ap|ban|buon|lang|khu pho|"
    r"nha truong|truong|gia dinh|ho gia dinh|chi nhanh|xi nghiep|hop tac|bo phan|van phong|ke toan)\b")
AWARD_RE = re.compile(r"(?:tặng|tặng thưởng|khen thưởng bằng)\s+((?:Giấy khen|Bằng khen|Cờ thi đua|Danh hiệu|"
                      r"Kỷ niệm chương|Huy hiệu)[^;:.()]*?)\s+(?:cho|đối với|:)", re.I)
ITEM_RE = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[-–+•])\s*(.+)$")
# the same on a scan: `5,` `6 .` `l.` for `1.`, a dash read as `—` `_` `~`
OCR_ITEM_RE = re.compile(r"^\s*(?:\d{1,3}\s*[.,):]|[lI|]\s*[.,)]|[-–—+•*~_=]+)\s*(\S.*)$")
LEAD_RE = re.compile(r"(de nghi|tang|khen thuong|danh sach).*(khen|tap the|ca nhan)|^danh sach")
RECIPIENTS = ("nhu tren", "nhu dieu", "luu:", "luu vt", "luu hs")   # first lines of a Nơi nhận list
CLOSERS = ("tren day", "noi nhan", "dieu 2", "kinh trinh", "kinh de nghi", "vi.", "v.", "iv.", "vi ")


# Types that never propose or confer a commendation: a plan's lists are criteria or addressees, a
# guidance's and a circular's are forms and procedures, the rest are letters and notices.
NO_NOMINEE_TYPES = {"KH", "HD", "TT", "CT", "CĐ", "GM", "TB", "ĐK", "CTr", "NQ", "NĐ", "QC", "QyĐ"}
# a decision founding or staffing a body lists its members, never nominees
NO_NOMINEE_SUBJECT = re.compile(r"^(?:ve viec|v/v)?\s*(thanh lap|kien toan|bo nhiem|phan cong|dieu dong|cu\b)")
# the role a list item gives a member of a council, a team or a board (`– Thành viên`, `Tổ viên`)
MEMBER_ROLE_RE = re.compile(r"(thanh vien|to vien|uy vien|thu ky|to truong|to pho|(?:pho )?chu tich hoi dong|"
                            r"(?:pho )?truong ban|(?:pho )?truong doan|doan vien)\W*$")


@dataclass
class Row:
    kind: str | None
    line: Line
    cells: dict = field(default_factory=dict)


def read_nominees(pages: list[Page], lines: list[Line], doc_type: str | None = None,
                  subject: str | None = None) -> tuple[list[dict], Found | None]:
    """Nominee dicts in document order, and the provenance of the list."""
    if doc_type in NO_NOMINEE_TYPES or subject and NO_NOMINEE_SUBJECT.match(fold(subject).strip()):
        return [], None
    lines = without_criteria(lines)
    award = _lead_award(lines)
    rows = grid_rows(pages, lines)
    if not rows:
        header = next((i for i, ln in enumerate(lines) if _is_table_header(ln)), None)
        rows = _table_rows(pages, lines, header) if header is not None else _list_rows(lines)
    if _member_list(rows):
        return [], None
    nominees = [n for n in (_nominee(r, award) for r in rows) if n]
    return nominees, (Found(len(nominees), rows[0].line, 0.85) if rows else None)


CRITERIA_RE = re.compile(r"^\W*(?:[ivxl]+|\d{1,2}|[a-zđ])?\W*(tieu chuan|tieu chi|dieu kien)\b")
SECTION_RE = re.compile(r"^\s*(?:[IVXL]+|\d{1,2})\s*[.)]\s+\S")


def without_criteria(lines: list[Line]) -> list[Line]:
    """The lines without the award criteria (`TIÊU CHUẨN KHEN THƯỞNG`, `Tiêu chí xét …`): from that
    heading to the next section heading or the lead-in of a real list, its `Tập thể:` / `Cá nhân:`
    items are categories, never nominees."""
    out, inside = [], False
    for line in lines:
        f = fold(line.text).strip()
        if CRITERIA_RE.match(f) and (len(f.split()) <= 12 or f.endswith(":")):
            inside = True
            continue
        if inside and (SECTION_RE.match(line.text) and not _group(line) or _is_lead_in(line.text)
                       or f.startswith(CLOSERS) or _is_table_header(line)):
            inside = False
        if not inside:
            out.append(line)
    return out


def _member_list(rows: list[Row]) -> bool:
    """Members of a council or a team: a third of the items name a person, their office and then
    their role in the body (`Ông A, Trưởng phòng Tổ chức – Thành viên`); a nominee's item names
    the person and one position (`Ông B – Phó trưởng bản`)."""
    members = sum(1 for r in rows if _member_item(fold(" ".join(r.cells.values())).strip(" .;,:")))
    return bool(rows) and members >= 2 and 3 * members >= len(rows)


def _member_item(f: str) -> bool:
    """`…, office – role`: a member's role after two separators."""
    match = MEMBER_ROLE_RE.search(f)
    return match is not None and len(re.findall(r",|\s[–—-]\s|\.\s", f[:match.start()])) >= 2


def _lead_award(lines: list[Line]) -> str | None:
    """The form named in the lead-in sentence or Điều 1 (`tặng Giấy khen của … cho`)."""
    text = squash(" ".join(ln.text for ln in lines))
    match = AWARD_RE.search(text)
    return squash(match.group(1)) if match else None


# ----------------------------------------------------------------- tables
def _is_table_header(line: Line) -> bool:
    """`STT | Họ và tên / Tên tập thể | Chức vụ | Hình thức …`."""
    f = fold(line.text)
    return bool(re.match(r"^\s*(stt|tt)\b", f)) and ("ten" in f or "ho" in f)


def _columns(header: Line, page: Page) -> list[tuple[float, str]]:
    """(left edge, role) per column, from the ruled table borders or the header's text."""
    if page.columns and header.source == "text-layer":
        ruled = _ruled_columns(header, page.columns)
        if ruled:
            return ruled
    segs = segments(header, gap=0.9)
    roles = [_role(fold(s.text)) for s in segs]
    lefts = [0.0] + [(a.x1 + b.x0) / 2 for a, b in zip(segs, segs[1:], strict=False)]
    return list(zip(lefts, roles, strict=False))


def _ruled_columns(header: Line, xs: list[float]) -> list[tuple[float, str]]:
    """Roles of the ruled columns, from the header words inside each (a heading may wrap)."""
    out = []
    for left, right in zip(xs, xs[1:], strict=False):
        text = " ".join(w.text for w in header.words if left <= (w.x0 + w.x1) / 2 < right)
        if text:
            out.append((left, _role(fold(text))))
    if len(out) < 2:
        return []
    out[0] = (0.0, out[0][1])
    return out


def _role(f: str) -> str:
    """Column role from its heading (`Năm sinh`, `Đơn vị`, `Ghi chú` columns are kept apart)."""
    if re.match(r"^(stt|tt)\b", f):
        return "stt"
    if re.fullmatch(r"\s*(nam( sinh)?|sinh)\s*", f):      # `Năm` / `sinh` wrapped or split
        return "born"
    if "hinh thuc" in f or "khen" in f or "danh hieu" in f:
        return "award"
    if "ten" in f.split() or "ho va ten" in f or "ho ten" in f:
        return "name"
    if "chuc" in f or "nghe" in f:
        return "position"
    if "sinh" in f or "tuoi" in f:
        return "born"
    if "don vi" in f or "dia chi" in f or "noi" in f.split():
        return "unit"
    if "ghi chu" in f or "thanh tich" in f or "so dien" in f:
        return "note"
    return "name"


def _table_rows(pages: list[Page], lines: list[Line], header: int) -> list[Row]:
    """Records of the table: a number in the STT column starts one, other lines continue it."""
    page = next(p for p in pages if p.number == lines[header].page)
    head, start = _header_block(lines, header)
    columns = _columns(head, page)
    rows: list = []
    kind, prev = None, lines[start - 1]
    boxes = {p.number: p.tables for p in pages if p.tables}
    for line in lines[start:]:
        if _is_table_header(line):
            prev = line
            continue
        if _table_ends(line, prev, columns) or (rows and _outside_ruled_table(line, boxes)):
            break
        cells = _cells(line, columns)
        kind = _group(line) or kind
        if _group(line):
            pass
        elif re.fullmatch(r"\d{1,3}\.?", cells.get("stt", "")):
            rows.append(Row(kind, line, cells))
        elif rows:
            _append(rows[-1], cells)
        prev = line
    return rows


def _header_block(lines: list[Line], header: int) -> tuple[Line, int]:
    """The header row with its wrapped second line (`Năm` / `sinh`), and the index after it."""
    first, end = lines[header], header + 1
    words = list(first.words)
    while end < len(lines) and end < header + 3:
        line = lines[end]
        close = line.page == first.page and line.top - lines[end - 1].bottom < 0.8 * first.height
        close = close or _header_overleaf(line, lines[end - 1], first)
        if not close or _group(line) or re.match(r"^\s*\d", line.text):
            break
        words += line.words
        end += 1
    return Line(words, first.page, first.source), end


HEADING_WORDS = {"sinh", "nghi", "de", "thuc", "hinh", "khen", "thuong", "vu", "vi", "chu", "ghi", "tap", "the",
                 "ca", "nhan", "ten", "danh", "hieu", "nghiep", "cong", "tac", "don", "chuc", "nam", "tri"}


def _header_overleaf(line: Line, prev: Line, first: Line) -> bool:
    """The header row split by a page break (`Năm` at the foot of one page, `sinh` atop the next):
    the first line of the next page, made only of heading words."""
    words = fold(line.text).split()
    return (line.page == first.page + 1 and prev.page == first.page and bool(words)
            and all(w.strip(".,:/") in HEADING_WORDS for w in words))


def _outside_ruled_table(line: Line, boxes: dict) -> bool:
    """On a page whose text layer has ruled tables, a line below or between them is not a row."""
    page_boxes = boxes.get(line.page)
    if not page_boxes:
        return False
    centre = (line.top + line.bottom) / 2
    return not any(top - 2 <= centre <= bottom + 2 for _, top, _, bottom in page_boxes)


def _table_ends(line: Line, prev: Line, columns) -> bool:
    """A closing sentence, a paragraph running across the columns, or a wide gap on the same page."""
    f = fold(line.text).lstrip()
    if f.startswith(CLOSERS) or _is_paragraph(line, columns):
        return True
    return line.page == prev.page and line.top - prev.bottom > 2.5 * prev.height


def _is_paragraph(line: Line, columns) -> bool:
    """Running text: no number in the STT column, words in three columns, no column gaps."""
    cells = _cells(line, columns)
    if cells.get("stt") or len([k for k in cells if k != "stt"]) < 3:
        return False
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:], strict=False)]
    return max(gaps, default=0) < 1.0 * line.height


def _cells(line: Line, columns) -> dict:
    """The line's words distributed over the columns by their centre."""
    cells: dict = {}
    for word in line.words:
        centre = (word.x0 + word.x1) / 2
        role = [r for left, r in columns if left <= centre][-1:] or [columns[0][1]]
        cells.setdefault(role[0], []).append(word.text)
    return {k: " ".join(v) for k, v in cells.items()}


def _append(row: Row, cells: dict) -> None:
    """Add a continuation line's cells to the current record."""
    for key, text in cells.items():
        if key != "stt":
            row.cells[key] = squash(row.cells.get(key, "") + " " + text)


def _group(line: Line) -> str | None:
    """`I. TẬP THỂ` / `Cá nhân:` group rows (on a scan also `H. C¿ NHÂN`: one letter misread)."""
    f = fold(line.text).strip(" :.")
    f = re.sub(r"^([ivx]+|[a-zđ1l|]{1,2})\s*[.,)]\s*", "", f)
    found = next((kind for key, kind in GROUPS if f == key or f.startswith(key + " ")
                  and len(f) < len(key) + 12), None)
    if found or line.source != "ocr":
        return found
    f = re.sub(r"^.{0,8}?[.,)]\s*", "", f) if len(f) > 12 else f   # `h h L. TẬP THỂ`: junk before
    return next((kind for key, kind in GROUPS if f == key or len(f) == len(key)
                 and sum(a != b for a, b in zip(f, key, strict=False)) <= 1), None)


# ----------------------------------------------------------------- ruled grids of scanned pages
def grid_rows(pages: list[Page], lines: list[Line]) -> list[Row]:
    """Records of the nominee tables whose ruling the OCR measured (Page.grids): one record per row
    band, its words put in the columns by their boxes, the columns' roles from the heading band.  A
    table without a heading right at the top of the next page continues the previous one."""
    allowed = {id(ln) for ln in lines}
    rows: list[Row] = []
    kind, roles, last_page = None, None, None
    for page in pages:
        for index, grid in enumerate(page.grids):
            bands = _bands(page, grid, allowed)
            if not bands:
                continue
            columns = max((cuts for cuts, _ in bands), key=len)
            heading = _heading_roles(bands[0], columns)
            if heading:
                roles, body = heading, bands[1:]
            elif roles and index == 0 and last_page == page.number - 1 and len(columns) == len(roles) + 1:
                body = bands
            else:
                roles = None
                continue
            kind = _grid_records(body, columns, roles, rows, kind)
            last_page = page.number
    return rows


def _bands(page: Page, grid: dict, allowed: set) -> list[tuple[list[float], list[Line]]]:
    """(vertical cuts, lines of words) per row band of a grid; words sitting on a rule are dropped."""
    x0, _, x1, _ = grid["box"]
    ys = grid["ys"]
    out = []
    for top, bottom, cuts in zip(ys, ys[1:], grid["cuts"], strict=False):
        band_lines = []
        for line in page.lines:
            if id(line) not in allowed:
                continue
            words = [w for w in line.words if top < (w.top + w.bottom) / 2 < bottom
                     and x0 < (w.x0 + w.x1) / 2 < x1 and not _on_rule(w, cuts)]
            if words:
                band_lines.append(Line(words, line.page, line.source))
        out.append((cuts, band_lines))
    return out


def _on_rule(word, cuts: list[float]) -> bool:
    """A remnant of a vertical rule read as a letter (`|`, `l`, `]`): narrow and centred on a cut."""
    centre, width = (word.x0 + word.x1) / 2, word.x1 - word.x0
    return width < 1.2 * (word.bottom - word.top) and any(abs(centre - c) < 0.6 * width + 4 for c in cuts)


def _band_cells(band_lines: list[Line], columns: list[float]) -> list[list[str]]:
    """Words of the band per column of the table (column i lies between cuts i and i+1)."""
    cells: list[list] = [[] for _ in range(max(1, len(columns) - 1))]
    for line in band_lines:
        for word in line.words:
            centre = (word.x0 + word.x1) / 2
            i = sum(1 for c in columns[1:-1] if c <= centre)
            if re.search(r"\w", word.text):
                cells[i].append(word)
    return [[w.text for w in _reading_order(cell)] for cell in cells]


def _reading_order(words: list) -> list:
    """A cell's words line by line (by their own centres: a wrapped line may have been joined to
    another column's line), each line left to right."""
    rows: list[list] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        centre = (word.top + word.bottom) / 2
        if rows and centre - (rows[-1][0].top + rows[-1][0].bottom) / 2 < 0.5 * (word.bottom - word.top):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [w for row in rows for w in sorted(row, key=lambda w: w.x0)]


def _heading_roles(band: tuple, columns: list[float]) -> list[str] | None:
    """Roles of the columns when the band is a nominee table's heading (`STT | Họ và tên | …`)."""
    cells = [fold(" ".join(c)) for c in _band_cells(band[1], columns)]
    if len(cells) < 2 or re.match(r"^\W*\d", cells[0]):
        return None
    if not any(re.search(r"\bten\b|\bho\b|tap the|ca nhan", c) for c in cells):
        return None
    roles = [_role(c) if c.strip() else "note" for c in cells]
    if len(columns) > 2 and columns[1] - columns[0] < 0.12 * (columns[-1] - columns[0]):
        roles[0] = "stt"                       # the narrow first column holds the numbers
    if "name" not in roles:
        return None
    return roles


def _grid_records(bands: list, columns: list[float], roles: list[str], rows: list[Row], kind):
    """Append the records of the bands to `rows`; return the current group (kind)."""
    for cuts, band_lines in bands:
        if not band_lines:
            continue
        group = _band_group(band_lines, columns)
        if group and len(cuts) < len(columns):
            kind = group
            continue
        if group and not _has_number(band_lines, columns, roles):
            kind = group
            continue
        for part in _split_band(band_lines, columns, roles):
            cells = _band_cells(part, columns)
            record: dict = {}
            for role, words in zip(roles, cells, strict=False):
                if words:
                    record[role] = squash(record.get(role, "") + " " + " ".join(words))
            if not record.get("name"):
                continue
            rows.append(Row(kind, part[0], {k: v for k, v in record.items() if k != "stt"}))
    return kind


def _band_group(band_lines: list[Line], columns: list[float]) -> str | None:
    """`II. CÁ NHÂN` in a band: the whole band, or its first two columns (a seal may smudge the rest)."""
    words = [w for ln in band_lines for w in ln.words]
    page = band_lines[0].page
    whole = _group(Line(words, page, "ocr"))
    if whole or len(columns) < 4:
        return whole
    left = [w for w in words if (w.x0 + w.x1) / 2 < columns[2]]
    return _group(Line(left, page, "ocr")) if left else None


def _has_number(band_lines: list[Line], columns: list[float], roles: list[str]) -> bool:
    """True when the STT column of the band holds a number."""
    if "stt" not in roles:
        return False
    i = roles.index("stt")
    return any(re.search(r"\d", w) for w in _band_cells(band_lines, columns)[i])


def _split_band(band_lines: list[Line], columns: list[float], roles: list[str]) -> list[list[Line]]:
    """A band holding two records (a rule the scan lost): split where a second row number starts."""
    if "stt" not in roles:
        return [band_lines]
    i = roles.index("stt")
    parts: list[list[Line]] = []
    for line in band_lines:
        numbered = any(re.fullmatch(r"\W*\d{1,3}\W*", w) for w in _band_cells([line], columns)[i])
        if numbered and parts and any(_has_number([ln], columns, roles) for ln in parts[-1]):
            parts.append([line])
        elif parts:
            parts[-1].append(line)
        else:
            parts.append([line])
    return parts


# ----------------------------------------------------------------- numbered lists
@dataclass
class Listed:
    """A line after the lead-in, classified before the list is folded."""
    label: str                  # group | item | loose | recipient | speck | garbled | closer | text
    line: Line
    kind: str | None = None     # a group heading's kind
    item: str | None = None     # an item's text without its marker
    lead_in: bool = False       # the three lines above end with a lead-in (`… cho 02 cá nhân:`)
    collective_only: bool = False   # a loose item that only a `Tập thể` group makes an item


def _list_rows(lines: list[Line]) -> list[Row]:
    """Items after a mention of commendation: `1. Ông …, chức vụ;` under `a) Tập thể:` / `b) Cá nhân:`."""
    start = next((i for i, ln in enumerate(lines) if "khen" in fold(ln.text)), None)
    if start is None:
        return []
    return _fold_list([_classify(lines, i) for i in range(start + 1, len(lines))])


def _classify(lines: list[Line], i: int) -> Listed:
    """What one line is, from the line itself and the lead-in lines above it."""
    line = lines[i]
    lead_in = _is_lead_in(" ".join(ln.text for ln in lines[max(0, i - 3):i]))
    group = _group(line)
    if group:
        return Listed("group", line, kind=group)
    item = _item_text(line)
    if item:
        recipient = fold(item).lstrip(" -–+.").startswith(RECIPIENTS)
        return Listed("recipient" if recipient else "item", line, item=item, lead_in=lead_in)
    if line.source != "ocr":
        return Listed("text", line)
    loose, collective_only = _loose_item(line)
    if loose:
        return Listed("loose", line, item=loose, collective_only=collective_only)
    if not re.search(r"[^\W\d_]{2}", line.text):
        return Listed("speck", line)                 # a speck read as `.` or `|`
    return Listed("closer" if fold(line.text).lstrip().startswith(CLOSERS) else "garbled", line)


def _fold_list(listed: list[Listed]) -> list[Row]:
    """The items in order: an item opens a record inside a group, a list or after a lead-in; a line
    after an unfinished item continues it; a `Nơi nhận` run is skipped; on a scan up to two garbled
    lines (a seal, a smudge) do not end the list."""
    rows: list[Row] = []
    kind, open_item, skipped, recipients = None, False, 0, False
    for c in listed:
        if c.label == "group":
            kind, open_item = c.kind, False
            continue
        item = c.item if c.label != "loose" or _loose_counts(c, kind, rows) else None
        label = "garbled" if c.label == "loose" and item is None else c.label
        recipients = item is not None and (recipients or label == "recipient")
        if recipients:
            continue                                  # addressees, not nominees
        if item and (kind or rows or c.lead_in or _person_item(item)):
            rows.append(Row(kind, c.line, {"item": item}))
            open_item, skipped = not item.rstrip().endswith((";", ".")), 0
        elif rows and open_item:
            rows[-1].cells["item"] += " " + c.line.text
            open_item = not c.line.text.rstrip().endswith((";", "."))
        elif rows and (label == "speck" or label == "garbled" and skipped < 2):
            skipped += label == "garbled"
        elif rows:
            break
    return rows


def _loose_counts(c: Listed, kind: str | None, rows: list[Row]) -> bool:
    """A loose item is an item inside a group or a list (a unit noun only in a `Tập thể` group)."""
    return bool(kind or rows) and (not c.collective_only or kind == "collective")


def _item_text(line: Line) -> str | None:
    """The text of a list item, its number or dash dropped (on a scan also `5,` `l.` `—`)."""
    match = ITEM_RE.match(line.text)
    if match and line.source != "ocr":
        return match.group(1)
    if line.source != "ocr":
        return None
    match = match or OCR_ITEM_RE.match(line.text)
    return (re.sub(r"^[^\w(]+", "", match.group(1)) or None) if match else None


def _loose_item(line: Line) -> tuple[str | None, bool]:
    """On a scan the marker may be misread (`lê`, `„Ã`): an honorific, `Tập thể` or a unit noun right
    after one or two short tokens still starts an item; (text, whether only a unit noun says so)."""
    tokens = line.text.split()
    for skip in (1, 2):
        if len(tokens) <= skip + 1 or len("".join(tokens[:skip])) > 4:
            break
        rest = " ".join(tokens[skip:])
        if _honorific(rest) or fold(rest).startswith("tap the "):
            return rest, False
        if COLLECTIVE_RE.match(fold(rest)) and rest[0].isupper():
            return rest, True
    return None, False


def _is_lead_in(text: str) -> bool:
    """`… đề nghị tặng Giấy khen … cho 01 tập thể và 02 cá nhân:`."""
    f = fold(text).rstrip()
    return f.endswith(":") and ("khen" in f or "de nghi" in f)


def _person_item(text: str) -> bool:
    """An item that names a person by honorific."""
    return _honorific(text) > 0


def _honorific(text: str) -> int:
    """Length of the honorific (`Ông `, `Đồng chí `; on scans also `Ong `, `Đông chí `) opening text."""
    match = HONORIFIC_RE.match(text) or LOOSE_HONORIFIC_RE.match(fold(text))
    return match.end() if match else 0


# ----------------------------------------------------------------- records
def _nominee(row: Row, award: str | None) -> dict | None:
    """A nominee dict from a table record or a list item."""
    if "item" in row.cells and _collective_item(row):
        name, position = row.cells["item"].strip().rstrip(";.,"), None
    elif "item" in row.cells:
        name, position = _split_item(row.cells["item"])
    else:
        name, position = _split_year(row), row.cells.get("position")
    honorific = _honorific(name or "") > 0
    name = _clean_name(name)
    if row.line.source == "ocr" and name:
        name = _ocr_name(name)
    if not name:
        return None
    kind = row.kind or ("individual" if honorific else _guess_kind(name))
    if not row.kind and not honorific and not _plausible_name(name, kind):
        return None
    if kind == "individual":
        name = " ".join(t for t in name.split() if not re.search(r"\d", t)).strip(" ,;:")
        if not name:
            return None
    position = squash(position) if position and kind == "individual" else None
    return {"name": name, "kind": kind, "position": position or None,
            "award": squash(row.cells["award"]) if row.cells.get("award") else award}


YEAR_RE = re.compile(r"(?:^|\s+)\(?((?:19|20)\d{2})\)?$")


def _split_year(row: Row) -> str:
    """The name cell without a birth year the column split left in it (`Hà Kim Long 1994`): the
    year goes to the `Năm sinh` cell."""
    name = row.cells.get("name", "")
    match = YEAR_RE.search(name.strip())
    if match and (row.kind or _guess_kind(_clean_name(name))) == "individual":
        name = name.strip()[:match.start()]
        row.cells.setdefault("born", match.group(1))
    return name


def _collective_item(row: Row) -> bool:
    """A list item naming a collective (commas inside its name are part of it)."""
    if row.kind:
        return row.kind == "collective"
    text = row.cells["item"]
    return not _honorific(text) and _guess_kind(text) == "collective"


def _split_item(text: str) -> tuple[str, str | None]:
    """`Ông Chu Ngọc Hải, Trưởng Ban …;` → (`Ông Chu Ngọc Hải`, `Trưởng Ban …`)."""
    text = text.strip().rstrip(";.,")
    parts = re.split(r"\s*,\s*|\s+[–—-]+\s+", text, maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


def _clean_name(name: str) -> str:
    """Drop honorifics, ranks and a `Tập thể` prefix."""
    name = squash(name).strip(" ;,.")
    name = re.sub(r"^Tập thể\s+", "", name, flags=re.I)
    return strip_rank(name[_honorific(name):]) if name else ""


LETTERS = "0-9A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ"        # Latin letters with Vietnamese marks (not `ˆ`, `¡`, `£`)
NAME_CHARS_RE = re.compile(rf"^[{LETTERS}]+(?:[-–./&][{LETTERS}]+)*[,.;:]?$|^[-–&]$")


def _ocr_name(name: str) -> str:
    """A name read by OCR without its noise: tokens that are not words (`£_`, `í¡`, `|`) are dropped,
    a common surname's marks restored; empty when what is left is not Vietnamese (a smudge, a seal)."""
    tokens = [t for t in name.split() if NAME_CHARS_RE.match(t)]
    while tokens and not re.search(r"[^\W_]", tokens[-1]):
        tokens.pop()
    name = " ".join(tokens).strip(" ,;:")
    words = [t for t in WORD_RE.findall(name) if VOWEL_RE.search(fold(t))]
    if len(words) < 2 or valid_share(name) < 0.6:
        return ""
    return correct_surname(name)


# a category (`Các cơ quan …`), a preposition (`Đối với công chức`) or a verb (`Ban hành …`) opens
# a sentence, not a collective's name
NOT_A_UNIT_RE = re.compile(r"^(cac|nhung|moi|doi voi|ve viec|ban hanh|to chuc|thuc hien|trien khai)\b")
PERSON_RE = re.compile(r"^[A-ZĐÀ-Ỹ][^\s\d:]*(?: [A-ZĐÀ-Ỹ][^\s\d:]*){1,5}$")


def _plausible_name(name: str, kind: str) -> bool:
    """Outside a `Tập thể`/`Cá nhân` group and without an honorific, a person's name is a few
    capitalised words (`Công tác tuyển dụng …` is a heading), and a collective is one unit's name,
    not a category (`Các cơ quan …`) nor a sentence (`Tập thể: 1.268 tập thể, trong đó: …`)."""
    if kind == "individual":
        return PERSON_RE.match(name) is not None
    return not NOT_A_UNIT_RE.match(fold(name)) and ":" not in name and len(name.split()) <= 20


def _guess_kind(name: str) -> str:
    """A collective starts with a unit noun; otherwise it is a person."""
    return "collective" if COLLECTIVE_RE.match(fold(name)) else "individual"
