"""The commendation list: a ruled or unruled table, or a numbered list, across page breaks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..layout import segments
from ..lexicon import correct_surname
from ..model import Line, Page
from .signature import strip_rank
from .text import Found, fold, squash

GROUPS = (("tap the", "collective"), ("ca nhan", "individual"))
HONORIFIC_RE = re.compile(r"^(Ông|Bà|Đồng chí|Đ/c|Anh|Chị)\s+", re.I)
COLLECTIVE_RE = re.compile(
    r"^(tap the|to|chi hoi|chi doan|chi bo|hoi|doi|xom|thon|ban|truong|cong an|phong|tram|lop|khoi|"
    r"cau lac bo|nhom|hop tac xa|cong ty|co quan|don vi|khu dan cu|uy ban|ubnd|mat tran|doan|khoa|"
    r"phan xuong|lien doi|trung tam|benh vien|tieu doi|hoi dong|ban quan ly|ap|ban|buon|lang|khu pho|"
    r"nha truong|truong|gia dinh|ho gia dinh|chi nhanh|xi nghiep|hop tac|bo phan|van phong|ke toan)\b")
AWARD_RE = re.compile(r"(?:tặng|tặng thưởng|khen thưởng bằng)\s+((?:Giấy khen|Bằng khen|Cờ thi đua|Danh hiệu|"
                      r"Kỷ niệm chương|Huy hiệu)[^;:.()]*?)\s+(?:cho|đối với|:)", re.I)
ITEM_RE = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[-–+•])\s*(.+)$")
LEAD_RE = re.compile(r"(de nghi|tang|khen thuong|danh sach).*(khen|tap the|ca nhan)|^danh sach")
CLOSERS = ("tren day", "noi nhan", "dieu 2", "kinh trinh", "kinh de nghi", "vi.", "v.", "iv.", "vi ")


@dataclass
class Row:
    kind: str | None
    line: Line
    cells: dict = field(default_factory=dict)


def read_nominees(pages: list[Page], lines: list[Line]) -> tuple[list[dict], Found | None]:
    """Nominee dicts in document order, and the provenance of the list."""
    award = _lead_award(lines)
    header = next((i for i, ln in enumerate(lines) if _is_table_header(ln)), None)
    rows = _table_rows(pages, lines, header) if header is not None else _list_rows(lines)
    nominees = [n for n in (_nominee(r, award) for r in rows) if n]
    return nominees, (Found(len(nominees), rows[0].line, 0.85) if rows else None)


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
    lefts = [0.0] + [(a.x1 + b.x0) / 2 for a, b in zip(segs, segs[1:])]
    return list(zip(lefts, roles))


def _ruled_columns(header: Line, xs: list[float]) -> list[tuple[float, str]]:
    """Roles of the ruled columns, from the header words inside each (a heading may wrap)."""
    out = []
    for left, right in zip(xs, xs[1:]):
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
    rows, kind, prev = [], None, lines[start - 1]
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
        if not close or _group(line) or re.match(r"^\s*\d", line.text):
            break
        words += line.words
        end += 1
    return Line(words, first.page, first.source), end


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
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
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
    """`I. TẬP THỂ` / `Cá nhân:` group rows."""
    f = fold(line.text).strip(" :.")
    f = re.sub(r"^([ivx]+|[a-zđ])[.)]\s*", "", f)
    return next((kind for key, kind in GROUPS if f == key or f.startswith(key + " ")
                 and len(f) < len(key) + 12), None)


# ----------------------------------------------------------------- numbered lists
def _list_rows(lines: list[Line]) -> list[Row]:
    """Items after a mention of commendation: `1. Ông …, chức vụ;` under `a) Tập thể:` / `b) Cá nhân:`."""
    start = next((i for i, ln in enumerate(lines) if "khen" in fold(ln.text)), None)
    if start is None:
        return []
    rows, kind, open_item, prev = [], None, False, lines[start]
    for line in lines[start + 1:]:
        f = fold(line.text).lstrip()
        group = _group(line)
        if group:
            kind, open_item = group, False
            continue
        match = ITEM_RE.match(line.text)
        lead_in = _is_lead_in(prev.text)
        prev = line
        if match and (kind or rows or lead_in or _person_item(match.group(1))):
            rows.append(Row(kind, line, {"item": match.group(1)}))
            open_item = not match.group(1).rstrip().endswith((";", "."))
        elif rows and open_item:
            rows[-1].cells["item"] += " " + line.text
            open_item = not line.text.rstrip().endswith((";", "."))
        elif rows:
            break
    return rows


def _is_lead_in(text: str) -> bool:
    """`… đề nghị tặng Giấy khen … cho 01 tập thể và 02 cá nhân:`."""
    f = fold(text).rstrip()
    return f.endswith(":") and ("khen" in f or "de nghi" in f)


def _person_item(text: str) -> bool:
    """An item that names a person by honorific."""
    return HONORIFIC_RE.match(text) is not None


# ----------------------------------------------------------------- records
def _nominee(row: Row, award: str | None) -> dict | None:
    """A nominee dict from a table record or a list item."""
    if "item" in row.cells and _collective_item(row):
        name, position = row.cells["item"].strip().rstrip(";.,"), None
    elif "item" in row.cells:
        name, position = _split_item(row.cells["item"])
    else:
        name, position = row.cells.get("name", ""), row.cells.get("position")
    honorific = HONORIFIC_RE.match(name or "") is not None
    name = _clean_name(name)
    if row.line.source == "ocr" and name:
        name = correct_surname(name)
    if not name:
        return None
    kind = row.kind or ("individual" if honorific else _guess_kind(name))
    position = squash(position) if position and kind == "individual" else None
    return {"name": name, "kind": kind, "position": position or None,
            "award": squash(row.cells["award"]) if row.cells.get("award") else award}


def _collective_item(row: Row) -> bool:
    """A list item naming a collective (commas inside its name are part of it)."""
    if row.kind:
        return row.kind == "collective"
    text = row.cells["item"]
    return not HONORIFIC_RE.match(text) and _guess_kind(text) == "collective"


def _split_item(text: str) -> tuple[str, str | None]:
    """`Ông Chu Ngọc Hải, Trưởng Ban …;` → (`Ông Chu Ngọc Hải`, `Trưởng Ban …`)."""
    text = text.strip().rstrip(";.,")
    parts = re.split(r"\s*,\s*|\s+[–—-]+\s+", text, maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


def _clean_name(name: str) -> str:
    """Drop honorifics, ranks and a `Tập thể` prefix."""
    name = squash(name).strip(" ;,.")
    name = re.sub(r"^Tập thể\s+", "", name, flags=re.I)
    return strip_rank(HONORIFIC_RE.sub("", name)) if name else ""


def _guess_kind(name: str) -> str:
    """A collective starts with a unit noun; otherwise it is a person."""
    return "collective" if COLLECTIVE_RE.match(fold(name)) else "individual"
