"""check_nd30: verify a generated .docx against the layout rules of Nghị định 30/2020/NĐ-CP.

Profiles (read from the document's core property `category`, or passed explicitly):
“ND30” administrative document (A4 portrait, header table, title, Nơi nhận, page numbers);
“ND30-certificate” Giấy khen (A4 landscape, Quốc hiệu, Tiêu ngữ, dated, signed);
“ND30-form” text printed onto a pre-printed form (A4 landscape, font only).
"""
from __future__ import annotations

import io
import re

FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
HEADER_COLS = (3936, 5704)
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
_DATE = re.compile(r"^.+, ngày\s+(\d*)\s*tháng\s+(\d*)\s*năm \d{4}$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_nd30(docx_bytes: bytes, profile: str | None = None) -> list[str]:
    """Return the ND30 problems found in a .docx (in Vietnamese); an empty list means it passes."""
    from docx import Document

    doc = Document(io.BytesIO(docx_bytes))
    profile = profile or doc.core_properties.category or "ND30"
    problems = _page(doc, landscape=profile != "ND30") + _fonts(doc)
    if profile == "ND30":
        problems += _margins(doc) + _header_table(doc) + _title(doc) + _recipients(doc)
        problems += _page_numbers(doc) + _legal_bases(doc) + _articles(doc)
    elif profile == "ND30-certificate":
        problems += _certificate(doc)
    return problems


# ---------------------------------------------------------------- effective formatting

def _style_attr(style, attr: str):
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def _default_size(doc) -> float:
    sz = doc.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
    return int(sz.get(f"{_W}val")) / 2 if sz is not None else 10.0


def _runs(p):
    return [r for r in p.runs if r.text.strip()]


def sizes(doc, p) -> set[float]:
    """Return the effective font sizes (pt) of the paragraph's visible runs."""
    out = set()
    for r in _runs(p):
        size = r.font.size or _style_attr(p.style, "size")
        out.add(size.pt if size is not None else _default_size(doc))
    return out


def all_runs(p, attr: str) -> bool:
    """True when every visible run of `p` is bold (or italic, per `attr`)."""
    runs = _runs(p)
    return bool(runs) and all(
        (getattr(r.font, attr) if getattr(r.font, attr) is not None else _style_attr(p.style, attr))
        for r in runs)


def _centred(p) -> bool:
    align = p.paragraph_format.alignment
    if align is None:
        align = p.style.paragraph_format.alignment
    return align is not None and int(align) == 1


def _size_problem(doc, p, low: float, high: float, what: str) -> list[str]:
    bad = [s for s in sizes(doc, p) if not low <= s <= high]
    return [f"{what}: cỡ chữ {bad[0]:g} pt, phải từ {low:g} đến {high:g} pt."] if bad else []


def _element(doc, p, what: str, low: float, high: float, bold: bool | None = None,
             italic: bool | None = None, upper: bool = False) -> list[str]:
    """Check size, bold, italic and case of one paragraph."""
    out = _size_problem(doc, p, low, high, what)
    if bold is not None and all_runs(p, "bold") != bold:
        out.append(f"{what}: {'phải' if bold else 'không được'} in đậm.")
    if italic is not None and all_runs(p, "italic") != italic:
        out.append(f"{what}: {'phải' if italic else 'không được'} in nghiêng.")
    if upper and p.text != p.text.upper():
        out.append(f"{what}: phải viết chữ in hoa.")
    return out


# ---------------------------------------------------------------- page, margins, font

def _page(doc, landscape: bool) -> list[str]:
    sec = doc.sections[0]
    w, h = sec.page_width.twips, sec.page_height.twips
    want = (16838, 11906) if landscape else (11906, 16838)
    if abs(w - want[0]) > 20 or abs(h - want[1]) > 20:
        return [f"Khổ giấy phải là A4 {'khổ ngang' if landscape else 'khổ dọc'} "
                f"({want[0]}×{want[1]} twip), đang là {w}×{h}."]
    return []


def _margins(doc) -> list[str]:
    sec, out = doc.sections[0], []
    for side, (low, high) in MARGINS_MM.items():
        mm = getattr(sec, f"{side}_margin").mm
        if not low - 0.5 <= mm <= high + 0.5:
            out.append(f"Lề {side}: {mm:.1f} mm, phải từ {low} đến {high} mm.")
    return out


def _fonts(doc) -> list[str]:
    out = []
    defaults = doc.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
    normal = doc.styles["Normal"].font.name
    default_font = defaults.get(f"{_W}ascii") if defaults is not None else None
    if FONT not in (normal, default_font):
        out.append(f"Phông chữ mặc định phải là {FONT}, đang là {normal or default_font}.")
    for fonts in doc.element.body.iter(f"{_W}rFonts"):
        for slot in ("ascii", "hAnsi"):
            name = fonts.get(f"{_W}{slot}")
            if name and name != FONT:
                return out + [f"Có đoạn văn dùng phông “{name}”, phải là {FONT}."]
    return out


# ---------------------------------------------------------------- header table

def _header_table(doc) -> list[str]:
    body = doc.element.body
    first = next((el for el in body if el.tag in (f"{_W}tbl", f"{_W}p")), None)
    if first is None or first.tag != f"{_W}tbl":
        return ["Phần đầu văn bản phải là bảng 2 cột không viền (Mẫu 1.2)."]
    table = doc.tables[0]
    widths = [int(c.get(f"{_W}w")) for c in table._tbl.tblGrid.findall(f"{_W}gridCol")]
    out = []
    if len(widths) != 2 or any(abs(a - b) > 20 for a, b in zip(widths, HEADER_COLS, strict=False)):
        out.append(f"Bảng phần đầu phải có 2 cột {HEADER_COLS[0]} + {HEADER_COLS[1]} twip, đang là {widths}.")
    if _has_borders(table._tbl):
        out.append("Bảng phần đầu không được có đường viền.")
    if len(widths) == 2:
        left, right = table.rows[0].cells[:2]
        out += _issuer(doc, left) + _national(doc, right)
    return out


def _has_borders(tbl) -> bool:
    return any(el.get(f"{_W}val") not in (None, "none", "nil")
               for el in tbl.iter() if el.getparent() is not None
               and el.getparent().tag in (f"{_W}tblBorders", f"{_W}tcBorders"))


def _has_rule(p) -> bool:
    """True when paragraph `p` draws a line: a bottom border or a drawn shape."""
    el = p._p
    return bool(el.findall(f"{_W}pPr/{_W}pBdr/{_W}bottom")) or bool(
        el.xpath(".//*[local-name()='line' or local-name()='wsp' or local-name()='shape']"))


def _rule_after(paras: list, i: int) -> bool:
    return _has_rule(paras[i]) or any(_has_rule(p) for p in paras[i + 1:i + 3])


def _issuer(doc, cell) -> list[str]:
    paras = [p for p in cell.paragraphs]
    texts = [p.text.strip() for p in paras]
    number = next((i for i, t in enumerate(texts) if t.startswith("Số:")), None)
    if number is None:
        return ["Thiếu dòng “Số: …” dưới tên cơ quan ban hành."]
    out = _element(doc, paras[number], "Số, ký hiệu", 13, 13, bold=False)
    named = [i for i in range(number) if texts[i]]
    if not named:
        return out + ["Thiếu tên cơ quan, tổ chức ban hành."]
    issuer = named[-1]
    out += _element(doc, paras[issuer], "Tên cơ quan ban hành", 12, 13, bold=True, upper=True)
    for i in named[:-1]:
        out += _element(doc, paras[i], "Tên cơ quan chủ quản", 12, 13, bold=False, upper=True)
    if not _rule_after(paras, issuer):
        out.append("Thiếu đường kẻ ngang dưới tên cơ quan ban hành.")
    return out


def _national(doc, cell) -> list[str]:
    paras = cell.paragraphs
    texts = [p.text.strip() for p in paras]
    if QUOC_HIEU not in texts or TIEU_NGU not in texts:
        return ["Thiếu Quốc hiệu hoặc Tiêu ngữ ở cột phải của phần đầu."]
    qh, tn = texts.index(QUOC_HIEU), texts.index(TIEU_NGU)
    out = _element(doc, paras[qh], "Quốc hiệu", 12, 13, bold=True, upper=True)
    out += _element(doc, paras[tn], "Tiêu ngữ", 13, 14, bold=True)
    if not _rule_after(paras, tn):
        out.append("Thiếu đường kẻ ngang dưới Tiêu ngữ.")
    dates = [p for p in paras[tn + 1:] if p.text.strip()]
    return out + (_date(doc, dates[0]) if dates else ["Thiếu địa danh và ngày tháng năm ban hành."])


def _date(doc, p) -> list[str]:
    m = _DATE.match(p.text.strip().replace("\u00a0", " "))
    if not m:
        return [f"Dòng địa danh, ngày tháng không đúng dạng “…, ngày 05 tháng 01 năm 2026”: “{p.text}”."]
    out = _element(doc, p, "Địa danh, ngày tháng", 13, 14, italic=True)
    if any(part and len(part) != 2 for part in m.groups()):
        out.append(f"Ngày, tháng phải có 2 chữ số (“05”, “01”): “{p.text}”.")
    return out


# ---------------------------------------------------------------- body

def _body_paragraphs(doc) -> list:
    return [p for p in doc.paragraphs if p.text.strip()]


def _title(doc) -> list[str]:
    paras = _body_paragraphs(doc)
    if not paras:
        return ["Thiếu tên loại văn bản."]
    p = paras[0]
    out = _element(doc, p, "Tên loại văn bản", 13, 14, bold=True, upper=True)
    if not _centred(p):
        out.append("Tên loại văn bản phải căn giữa.")
    if len(paras) > 1 and paras[1].text != paras[1].text.upper():  # trích yếu
        out += _element(doc, paras[1], "Trích yếu", 13, 14, bold=True)
        if not _centred(paras[1]):
            out.append("Trích yếu phải căn giữa.")
    return out


def _recipients(doc) -> list[str]:
    for table in doc.tables:
        for row in table.rows:
            for i, cell in enumerate(row.cells):
                paras = [p for p in cell.paragraphs if p.text.strip()]
                if paras and paras[0].text.strip() == "Nơi nhận:":
                    return _recipient_list(doc, paras) + _signer(doc, row.cells[i + 1:])
    return ["Thiếu phần “Nơi nhận:”."]


def _recipient_list(doc, paras) -> list[str]:
    out = _element(doc, paras[0], "“Nơi nhận:”", 12, 12, bold=True, italic=True)
    for p in paras[1:]:
        out += _size_problem(doc, p, 11, 11, "Danh sách nơi nhận")
    if len(paras) < 2 or not paras[-1].text.startswith("- Lưu: VT"):
        out.append("Dòng cuối của Nơi nhận phải là “- Lưu: VT, …”.")
    return out


def _signer(doc, cells) -> list[str]:
    paras = [p for c in cells for p in c.paragraphs if p.text.strip()]
    if len(paras) < 2:
        return ["Thiếu chức vụ và họ tên người ký."]
    out = []
    for p in paras:
        out += _element(doc, p, "Chức vụ, họ tên người ký", 13, 14, bold=True)
    for p in paras[:-1]:
        if p.text != p.text.upper():
            out.append("Quyền hạn, chức vụ người ký phải viết chữ in hoa.")
    return out


def _page_numbers(doc) -> list[str]:
    sec = doc.sections[0]
    out = []
    if not sec.different_first_page_header_footer:
        out.append("Phải bật “trang đầu khác” (titlePg): trang 1 không đánh số.")
    if not _has_page_field(sec.header):
        out.append("Đầu trang phải có trường số trang (PAGE), căn giữa.")
    if sec.different_first_page_header_footer and _has_page_field(sec.first_page_header):
        out.append("Trang 1 không được hiển thị số trang.")
    return out


def _has_page_field(header) -> bool:
    if header.is_linked_to_previous and header._has_definition is False:
        return False
    for p in header.paragraphs:
        xml = p._p.xml
        if re.search(r"(instrText[^>]*>|instr=\")\s*PAGE\b", xml) and _centred(p):
            return True
    return False


def _legal_bases(doc) -> list[str]:
    paras = _body_paragraphs(doc)
    title = paras[0].text.strip() if paras else ""
    bases = [p for p in paras if p.text.startswith(("Căn cứ", "Xét đề nghị", "Theo đề nghị"))]
    out = []
    for p in bases:
        if not p.text.rstrip().endswith((";", ".")):
            out.append(f"Dòng căn cứ phải kết thúc bằng “;” hoặc “.”: “{p.text[:60]}”.")
        if title == "QUYẾT ĐỊNH":
            out += _element(doc, p, "Căn cứ ban hành", 13, 14, italic=True)
    if bases and title == "QUYẾT ĐỊNH" and not bases[-1].text.rstrip().endswith("."):
        out.append("Dòng căn cứ cuối cùng phải kết thúc bằng dấu chấm.")
    return out


def _articles(doc) -> list[str]:
    out = []
    for p in _body_paragraphs(doc):
        if re.match(r"Điều \d+\.", p.text):
            out += _size_problem(doc, p, 13, 14, "Nội dung văn bản")
            if p.paragraph_format.alignment is None or int(p.paragraph_format.alignment) != 3:
                out.append(f"Nội dung phải căn đều hai bên: “{p.text[:30]}”.")
    return out


# ---------------------------------------------------------------- certificates

def _certificate(doc) -> list[str]:
    paras = _body_paragraphs(doc)
    texts = [p.text.strip() for p in paras]
    if QUOC_HIEU not in texts or TIEU_NGU not in texts:
        return ["Giấy khen thiếu Quốc hiệu hoặc Tiêu ngữ."]
    out = _element(doc, paras[texts.index(QUOC_HIEU)], "Quốc hiệu", 12, 13, bold=True, upper=True)
    out += _element(doc, paras[texts.index(TIEU_NGU)], "Tiêu ngữ", 13, 14, bold=True)
    cells = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    dates = [p for p in cells if _DATE.match(p.text.strip().replace("\u00a0", " "))]
    out += _date(doc, dates[0]) if dates else ["Giấy khen thiếu địa danh, ngày tháng."]
    if 'name="qr_code"' not in doc.element.xml:
        out.append("Giấy khen thiếu mã QR xác thực.")
    return out
