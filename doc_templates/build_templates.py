"""Build the .docx templates in doc_templates/templates/ (run: python -m doc_templates.build_templates).

Every template is an ordinary Word file with docxtpl/Jinja tags; the layout follows Nghị định
30/2020/NĐ-CP Phụ lục I and the model Mẫu 1.2 of Phụ lục III. All names, legal bases, signers and
award texts come from the context; only the fixed words of the form are written here.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

OUT_DIR = Path(__file__).with_name("templates")
FONT = "Times New Roman"
A4 = (11906, 16838)  # twips
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = A4[0] - 1701 - 850  # twips between the ND30 margins
HEADER_COLS = (3936, 5704)  # Mẫu 1.2
SIGN_COLS = (3900, 5454)
CENTER, LEFT, JUSTIFY, RIGHT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT)
RED = RGBColor(0x9C, 0x10, 0x10)
QR_PLACEHOLDER = "qr_code"  # picture name the renderer looks for


# ---------------------------------------------------------------- document set-up

def new_document(category: str, landscape: bool = False) -> DocxDocument:
    """Return an empty A4 document with the ND30 defaults (font, sizes, margins)."""
    doc = Document()
    _lean_package(doc)
    _set_defaults(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = (Twips(A4[1]), Twips(A4[0])) if landscape else map(Twips, A4)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    for side, value in MARGINS.items():
        setattr(sec, f"{side}_margin", value)
    sec.header_distance = sec.footer_distance = Mm(10)
    doc.core_properties.category = category
    doc.core_properties.author = "doc_templates"
    doc.core_properties.title = ""
    doc.core_properties.keywords = "ND30"
    return doc


def _lean_package(doc: DocxDocument) -> None:
    """Drop python-docx's thumbnail, customXml, stylesWithEffects and unused styles."""
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith(("stylesWithEffects", "customXml", "webSettings")):
            doc.part.drop_rel(rel.rId)
    pkg_rels = doc.part.package.rels
    for rel in list(pkg_rels.values()):
        if rel.reltype.endswith("thumbnail"):
            pkg_rels.pop(rel.rId)
    styles = doc.styles.element
    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer"}
    for el in list(styles):
        if el.tag == qn("w:latentStyles"):
            styles.remove(el)
        elif el.tag == qn("w:style") and el.get(qn("w:styleId")) not in keep:
            styles.remove(el)
    for style in styles.findall(qn("w:style")):
        for link in style.findall(qn("w:link")):
            style.remove(link)


def _set_defaults(doc: DocxDocument) -> None:
    """Times New Roman 14 pt, single line spacing, no paragraph spacing, black."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _fonts(rpr)
    for tag, val in (("w:sz", "28"), ("w:szCs", "28"), ("w:lang", None)):
        el = OxmlElement(tag)
        if val:
            el.set(qn("w:val"), val)
        else:
            el.set(qn("w:val"), "vi-VN")
            el.set(qn("w:eastAsia"), "en-US")
        rpr.append(el)
    ppr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    if ppr_default is not None:
        doc.styles.element.find(qn("w:docDefaults")).remove(ppr_default)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _fonts(rpr) -> None:
    """Set all four font slots of an rPr to Times New Roman (no theme fonts)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)


# ---------------------------------------------------------------- paragraphs and tables

def para(box, text: str = "", size: float = 14, bold: bool = False, italic: bool = False,
         align=None, first_indent: float | None = None, before: float = 0, after: float = 0,
         keep_next: bool = False, color: RGBColor | None = None):
    """Add a paragraph of one run to a document or a cell and return it."""
    p = _next_paragraph(box)
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if first_indent is not None:
        fmt.first_line_indent = Mm(first_indent)
    fmt.keep_with_next = keep_next or None
    if text:
        add_run(p, text, size, bold, italic, color)
    _mark_size(p, size)
    return p


def add_run(p, text: str, size: float = 14, bold: bool = False, italic: bool = False,
            color: RGBColor | None = None):
    """Append a formatted run to paragraph `p`."""
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    if color is not None:
        run.font.color.rgb = color
    return run


def _mark_size(p, size: float) -> None:
    """Give the paragraph mark the same size, so empty lines keep the intended height."""
    ppr = p._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    for tag_name in ("w:sz", "w:szCs"):
        for old in rpr.findall(qn(tag_name)):
            rpr.remove(old)
        el = OxmlElement(tag_name)
        el.set(qn("w:val"), str(int(size * 2)))
        rpr.append(el)


def _next_paragraph(box):
    """Reuse the empty first paragraph of a fresh cell, otherwise add one."""
    paras = getattr(box, "paragraphs", [])
    if hasattr(box, "_tc") and len(paras) == 1 and not paras[0].text and not getattr(box, "_used", False):
        box._used = True
        return paras[0]
    if hasattr(box, "_tc"):
        box._used = True
    return box.add_paragraph()


def tag(box, text: str):
    """Add a docxtpl control paragraph such as “{%p for x in xs %}” (removed when rendered)."""
    return para(box, text, size=11)


def rule(box, width: int, box_width: int, after: float = 0):
    """Add a short centred horizontal rule: a bottom border on a narrow empty paragraph."""
    p = _next_paragraph(box)
    side = (box_width - width) // 2
    fmt = p.paragraph_format
    fmt.left_indent, fmt.right_indent = Twips(side), Twips(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.line_spacing = Pt(3)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{k}"), v)
    bdr.append(bottom)
    ppr.insert_element_before(bdr, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
    _mark_size(p, 2)
    return p


def page_break_before(p) -> None:
    """Start paragraph `p` on a new page."""
    p.paragraph_format.page_break_before = True


def table(box, widths: list[int], rows: int = 1, borders: bool = False, indent: int = 0):
    """Add a fixed-layout table with the given column widths (twips)."""
    t = box.add_table(rows=rows, cols=len(widths))
    t.autofit = False
    tblpr = t._tbl.tblPr
    _set(tblpr, "w:tblW", w=str(sum(widths)), type="dxa")
    if indent:
        _set(tblpr, "w:tblInd", w=str(indent), type="dxa")
    _set(tblpr, "w:tblLayout", type="fixed")
    _table_borders(tblpr, "single" if borders else "none")
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "85")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)
    for col, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(w))
    for row in t.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = Twips(w)
    return t


def _set(parent, tag_name: str, **attrs) -> None:
    """Replace child `tag_name` of `parent` with one carrying `attrs`."""
    old = parent.find(qn(tag_name))
    if old is not None:
        parent.remove(old)
    el = OxmlElement(tag_name)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    parent.append(el)


def _table_borders(tblpr, val: str) -> None:
    """Set all six table borders to `val` (“none” for the header and signature tables)."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), val)
        el.set(qn("w:sz"), "4" if val != "none" else "0")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000" if val != "none" else "auto")
        borders.append(el)
    tblpr.append(borders)


def add_row(t, widths: list[int]):
    """Append a row to table `t` and return its cells; the row never splits across pages."""
    row = t.add_row()
    cant_split(row)
    for cell, w in zip(row.cells, widths, strict=False):
        cell.width = Twips(w)
    return row.cells


def cant_split(row) -> None:
    """Keep the row on one page (Word's and LibreOffice's “allow row to break across pages” off)."""
    _set(row._tr.get_or_add_trPr(), "w:cantSplit")


def loop_table(box, columns: list[tuple[str, int, str, object]], loop: str, size: float = 13,
               groups: str | None = None):
    """Add a bordered table: a bold header row repeated on every page, then one row per item of a
    docxtpl “{%tr for %}” (rows never split). With `groups` (“for g in xs|awardee_groups”), each
    group gets a title row spanning the table (“I. Tập thể”) and `loop` runs over `g.members`."""
    widths = [c[1] for c in columns]
    t = table(box, widths, rows=1, borders=True)
    _set(t.rows[0]._tr.get_or_add_trPr(), "w:tblHeader")
    cant_split(t.rows[0])
    for cell, (label, _, _, _) in zip(t.rows[0].cells, columns, strict=False):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para(cell, label, size, bold=True, align=CENTER, before=2, after=2)
    if groups:
        para(add_row(t, widths)[0], "{%tr " + groups + " %}", size=10)
        cells = add_row(t, widths)
        merged = cells[0].merge(cells[-1])
        para(merged, "{{ g.title }}", size, bold=True, keep_next=True, before=2, after=2)
    para(add_row(t, widths)[0], "{%tr " + loop + " %}", size=10)
    cells = add_row(t, widths)
    for cell, (_, _, expr, align) in zip(cells, columns, strict=False):
        para(cell, expr, size, align=align, before=2, after=2)
    para(add_row(t, widths)[0], "{%tr endfor %}", size=10)
    if groups:
        para(add_row(t, widths)[0], "{%tr endfor %}", size=10)
    return t


# ---------------------------------------------------------------- ND30 blocks

def header_block(doc) -> None:
    """Add the Mẫu 1.2 header: issuer and number left, Quốc hiệu, Tiêu ngữ and date right."""
    t = table(doc, list(HEADER_COLS), indent=-(sum(HEADER_COLS) - TEXT_WIDTH) // 2)
    left, right = t.rows[0].cells
    inner_l, inner_r = HEADER_COLS[0] - 170, HEADER_COLS[1] - 170
    tag(left, "{%p if header.parent %}")
    para(left, "{{ header.parent|upper }}", 13, align=CENTER)
    tag(left, "{%p endif %}")
    para(left, "{{ header.issuer|upper }}", 13, bold=True, align=CENTER)
    rule(left, 1300, inner_l, after=6)
    para(left, "Số: {{ header|doc_no }}", 13, align=CENTER)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=CENTER)
    para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, align=CENTER)
    rule(right, 3350, inner_r, after=6)
    para(right, "{{ header.place }}, {{ header.date|vn_date(year) }}", 14, italic=True, align=CENTER)


def title_block(doc, title: str, subject: bool = True, before: float = 18) -> None:
    """Add the type title (bold, centred), the trích yếu and its short rule."""
    para(doc, title, 14, bold=True, align=CENTER, before=before, keep_next=True)
    if subject:
        para(doc, "{{ subject }}", 14, bold=True, align=CENTER, keep_next=True)
        rule(doc, 2200, TEXT_WIDTH, after=12)


def body(doc, text: str, italic: bool = False, bold_lead: str = "", after: float = 6):
    """Add a justified body paragraph with a 1.27 cm first-line indent."""
    p = para(doc, "", 14, align=JUSTIFY, first_indent=12.7, after=after)
    if bold_lead:
        add_run(p, bold_lead, 14, bold=True)
    add_run(p, text, 14, italic=italic)
    _mark_size(p, 14)
    return p


def legal_bases_block(doc, italic: bool, last_expr: str) -> None:
    """Add one “Căn cứ …;” paragraph per legal basis; the last ends with “.” if `last_expr`."""
    tag(doc, "{%p for basis in legal_bases %}")
    body(doc, "{{ basis|clause(loop.last and " + last_expr + ") }}", italic=italic)
    tag(doc, "{%p endfor %}")


def signature_block(doc, recipients: bool = True) -> None:
    """Add Nơi nhận (left) and the signer (right): authority, title, space to sign, name — one row
    that never splits, so the title and the name are always on the same page. The paragraph before
    it must keep with next (see `keep_with_signature`)."""
    t = table(doc, list(SIGN_COLS))
    cant_split(t.rows[0])
    left, right = t.rows[0].cells
    if recipients:
        para(left, "Nơi nhận:", 12, bold=True, italic=True, before=6)
        tag(left, "{%p for line in recipients %}")
        para(left, "- {{ line }}", 11)
        tag(left, "{%p endfor %}")
        para(left, "- Lưu: {{ archive|clause(true) }}", 11)
    else:
        para(left, "")
    tag(right, "{%p if signer.authority %}")
    para(right, "{{ signer.authority|upper }}", 14, bold=True, align=CENTER, before=6)
    tag(right, "{%p endif %}")
    para(right, "{{ signer.title|upper }}", 14, bold=True, align=CENTER,
         before=0)
    for _ in range(4):
        para(right, "", 14)
    para(right, "{{ signer.name }}", 14, bold=True, align=CENTER)


def keep_with_signature(p):
    """The last lines of the text move to the next page with the signature block."""
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.widow_control = True
    return p


def page_numbers(doc) -> None:
    """Centre a PAGE field in the top margin from page 2; page 1 has an empty header."""
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    p = sec.header.paragraphs[0]
    p.alignment = CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = p.add_run()
        run.font.size = Pt(14)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    sec.first_page_header.paragraphs[0].text = ""


def admin_document(title: str, subject: bool = True):
    """Return a new ND30 administrative document with header, title and page numbers."""
    doc = new_document("ND30")
    header_block(doc)
    page_numbers(doc)
    title_block(doc, title, subject)
    return doc


# ---------------------------------------------------------------- the kinds

def build_quyet_dinh() -> DocxDocument:
    """Quyết định khen thưởng (Mẫu 1.2) with the list of awardees annexed on a new page."""
    doc = admin_document("QUYẾT ĐỊNH")
    para(doc, "{{ authority|upper }}", 14, bold=True, align=CENTER, after=12, keep_next=True)
    legal_bases_block(doc, italic=True, last_expr="not proposal")
    tag(doc, "{%p if proposal %}")
    body(doc, "{{ proposal|clause(true) }}", italic=True)
    tag(doc, "{%p endif %}")
    para(doc, "QUYẾT ĐỊNH:", 14, bold=True, align=CENTER, before=6, after=12, keep_next=True)
    body(doc, " Tặng {{ award_title }} cho {{ awardees|awardee_summary }} (có danh sách kèm theo)"
              " {{ reason|lower_first|clause(true) }}", bold_lead="Điều 1.")
    tag(doc, "{%p if article2 is defined and article2 %}")
    body(doc, " {{ article2 }}", bold_lead="Điều 2.")
    tag(doc, "{%p else %}")
    body(doc, " Quyết định này có hiệu lực kể từ ngày ký.", bold_lead="Điều 2.")
    tag(doc, "{%p endif %}")
    keep_with_signature(body(doc, " {{ article3_bodies }} chịu trách nhiệm thi hành Quyết định này./.",
                             bold_lead="Điều 3.", after=12))
    signature_block(doc)
    annex(doc)
    return doc


def annex(doc) -> None:
    """Add the annexed list of awardees, starting on a new page."""
    p = para(doc, "DANH SÁCH", 14, bold=True, align=CENTER, keep_next=True)
    page_break_before(p)
    para(doc, "TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {{ award_title|upper }}", 14, bold=True, align=CENTER,
         keep_next=True)
    para(doc, "(Kèm theo Quyết định số {{ header|doc_no }} {{ header.date|vn_date(year) }}"
              " của Chủ tịch Ủy ban nhân dân {{ commune.full_name }})", 14, italic=True, align=CENTER, keep_next=True)
    rule(doc, 2200, TEXT_WIDTH, after=12)
    loop_table(doc, [
        ("STT", 700, "{{ loop.index }}", CENTER),
        ("Tên tập thể, họ và tên cá nhân", 3000, "{{ a.name }}", LEFT),
        ("Chức vụ, đơn vị", 3254, "{{ a|position_unit }}", LEFT),
        ("Hình thức khen thưởng", 2400, "{{ a.award }}", LEFT),
    ], "for a in g.members", groups="for g in awardees|awardee_groups")
    para(doc, "(Danh sách có {{ awardees|awardee_summary }})", 13, italic=True, align=CENTER, before=6)


def build_to_trinh() -> DocxDocument:
    """Tờ trình đề nghị khen thưởng: police to the Chairman, with the nominee table."""
    doc = admin_document("TỜ TRÌNH")
    para(doc, "Kính gửi: {{ addressee }}.", 14, align=CENTER, after=12)
    legal_bases_block(doc, italic=False, last_expr="false")
    tag(doc, "{%p for text in summary_paragraphs %}")
    body(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")
    body(doc, "Danh sách đề nghị khen thưởng ({{ nominees|awardee_summary }}):").paragraph_format.keep_with_next = True
    loop_table(doc, [
        ("STT", 700, "{{ n.no }}", CENTER),
        ("Tên tập thể, cá nhân", 2100, "{{ n.name }}", LEFT),
        ("Chức vụ, đơn vị", 2000, "{{ n|position_unit }}", LEFT),
        ("Hình thức đề nghị", 1754, "{{ n.award }}", LEFT),
        ("Thành tích", 2800, "{{ n.achievement }}", LEFT),
    ], "for n in nominees", size=12)
    keep_with_signature(body(doc, "Kính trình {{ addressee }} xem xét, quyết định./.", after=12)
                        ).paragraph_format.space_before = Pt(6)
    signature_block(doc)
    return doc


def build_bien_ban_tham_dinh() -> DocxDocument:
    """Biên bản thẩm định hồ sơ khen thưởng (Phòng Văn hóa – Xã hội)."""
    doc = admin_document("BIÊN BẢN")
    body(doc, " {{ meeting.time|vn_datetime }}.", bold_lead="Thời gian:")
    body(doc, " {{ meeting.location }}.", bold_lead="Địa điểm:")
    body(doc, "", bold_lead="Thành phần:", after=0)
    tag(doc, "{%p for m in meeting.members %}")
    body(doc, "- {{ m.name }}, {{ m.title }};", after=0)
    tag(doc, "{%p endfor %}")
    p = body(doc, "Kết quả thẩm định từng trường hợp ({{ verdicts|verdict_summary }}):", after=6)
    p.paragraph_format.space_before, p.paragraph_format.keep_with_next = Pt(6), True
    loop_table(doc, [
        ("STT", 700, "{{ v.no }}", CENTER),
        ("Tên tập thể, cá nhân", 2200, "{{ v.name }}", LEFT),
        ("Đơn vị", 1900, "{{ v.unit_name }}", LEFT),
        ("Hình thức đề nghị", 1700, "{{ v.award }}", LEFT),
        ("Kết quả", 1200, "{{ v.verdict|verdict_label }}", CENTER),
        ("Lý do", 1654, "{{ v.reason }}", LEFT),
    ], "for v in verdicts", size=12)
    keep_with_signature(body(doc, " {{ conclusion|clause(true) }}", bold_lead="Kết luận:",
                             after=12)).paragraph_format.space_before = Pt(6)
    signature_block(doc)
    return doc


def build_dang_ky() -> DocxDocument:
    """Bản đăng ký thi đua of one unit for one year."""
    doc = admin_document("BẢN ĐĂNG KÝ")
    tag(doc, "{%p if addressee is defined and addressee %}")
    para(doc, "Kính gửi: {{ addressee }}.", 14, align=CENTER, after=12)
    tag(doc, "{%p endif %}")
    body(doc, "{{ unit.name }} ({{ unit.kind|unit_kind_label|lower }}) đăng ký thi đua năm {{ year }}"
              " với các chỉ tiêu sau:").paragraph_format.keep_with_next = True
    loop_table(doc, [
        ("STT", 700, "{{ loop.index }}", CENTER),
        ("Chỉ tiêu", 6354, "{{ t.label }}", LEFT),
        ("Đăng ký", 2300, "{{ t.value }}", CENTER),
    ], "for t in targets")
    body(doc, "", bold_lead="Cam kết:", after=0).paragraph_format.space_before = Pt(6)
    tag(doc, "{%p for c in commitments %}")
    keep_with_signature(body(doc, "- {{ c|clause(loop.last) }}", after=0))
    tag(doc, "{%p endfor %}")
    para(doc, "", 14, keep_next=True)
    signature_block(doc)
    return doc


def build_bao_cao_tong_hop() -> DocxDocument:
    """Báo cáo tổng hợp: the commune police's yearly report to the province."""
    doc = admin_document("BÁO CÁO")
    tag(doc, "{%p if addressee is defined and addressee %}")
    para(doc, "Kính gửi: {{ addressee }}.", 14, align=CENTER, after=12)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for text in (intro if intro is defined else []) %}")
    body(doc, "{{ text }}")
    tag(doc, "{%p endfor %}")
    section_title(doc, "I. SỐ LIỆU TỔNG HỢP")
    loop_table(doc, [
        ("STT", 700, "{{ loop.index }}", CENTER),
        ("Nội dung", 6354, "{{ t.label }}", LEFT),
        ("Số lượng", 2300, "{{ t.value|num }}", CENTER),
    ], "for t in totals")
    section_title(doc, "II. KẾT QUẢ CỦA TỪNG ĐƠN VỊ")
    tag(doc, "{%p for u in units %}")
    p = body(doc, "{{ loop.index }}. {{ u.name }}", after=3)
    p.runs[0].font.bold, p.paragraph_format.keep_with_next = True, True
    unit_table(doc)
    para(doc, "", 8)
    tag(doc, "{%p endfor %}")
    section_title(doc, "III. KHEN THƯỞNG")
    loop_table(doc, [
        ("STT", 700, "{{ loop.index }}", CENTER),
        ("Tên tập thể, cá nhân", 2800, "{{ w.name }}", LEFT),
        ("Đơn vị", 2354, "{{ w.unit_name }}", LEFT),
        ("Hình thức", 1900, "{{ w.award }}", LEFT),
        ("Quyết định số", 1600, "{{ w.decision_number }}", CENTER),
    ], "for w in awards", size=12)
    section_title(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    tag(doc, "{%p for prop in proposals %}")
    tag(doc, "{%p set pno = loop.index %}")
    tag(doc, "{%p if not loop.last %}")
    proposal(doc, keep=False)
    tag(doc, "{%p else %}")
    proposal(doc, keep=True)        # the last lines of the text go with the signature block
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "", 14, keep_next=True)
    signature_block(doc)
    return doc


def proposal(doc, keep: bool) -> None:
    """One proposal of a report and its evidence lines (kept together; with the signature if `keep`)."""
    p = body(doc, "{{ pno }}. Đề nghị tặng {{ prop.award }} cho {{ prop.unit_name }}.",
             after=0)
    p.paragraph_format.keep_with_next = True
    tag(doc, "{%p for e in prop.evidence %}")
    line = body(doc, "- {{ e|clause(loop.last) }}", after=0)
    if keep:
        keep_with_signature(line)
    tag(doc, "{%p endfor %}")


def section_title(doc, text: str) -> None:
    """Add a bold numbered section heading of a report (kept with what follows)."""
    p = body(doc, "", bold_lead=text, after=6)
    p.paragraph_format.space_before, p.paragraph_format.keep_with_next = Pt(6), True


def unit_table(doc) -> None:
    """Add the per-unit results table (fixed rows, then one row per metric)."""
    widths = [5354, 4000]
    t = table(doc, widths, rows=0, borders=True)
    for label, expr in (("Loại đơn vị", "{{ u.kind|unit_kind_label }}"),
                        ("Trạng thái hồ sơ", "{{ u.state|state_label }}"),
                        ("Tự xếp loại", "{{ u.self_rating or '—' }}"),
                        ("Đạt tiêu chuẩn “An toàn về an ninh, trật tự”", "{{ u.antt_standard|yes_no }}")):
        cells = add_row(t, widths)
        para(cells[0], label, 13, before=1, after=1)
        para(cells[1], expr, 13, align=CENTER, before=1, after=1)
    cells = add_row(t, widths)
    para(cells[0], "{%tr for key, value in u.metrics|dictsort %}", 10)
    cells = add_row(t, widths)
    para(cells[0], "{{ key|metric_label }}", 13, before=1, after=1)
    para(cells[1], "{{ value|num }}", 13, align=CENTER, before=1, after=1)
    cells = add_row(t, widths)
    para(cells[0], "{%tr endfor %}", 10)


# ---------------------------------------------------------------- certificates

LAND_W = A4[1] - 2 * 1134  # text width of the landscape certificate (20 mm margins)


def build_giay_khen() -> DocxDocument:
    """Giấy khen: one A4 landscape certificate, double border, red title, QR to verify."""
    doc = new_document("ND30-certificate", landscape=True)
    sec = doc.sections[0]
    for side in ("top", "bottom", "left", "right"):
        setattr(sec, f"{side}_margin", Mm(18))
    page_border(sec)
    para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, align=CENTER)
    para(doc, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, align=CENTER)
    rule(doc, 3500, A4[1] - 2 * 1021, after=30)
    para(doc, "{{ authority|upper }}", 16, bold=True, align=CENTER, after=6)
    para(doc, "TẶNG", 16, bold=True, align=CENTER)
    para(doc, "GIẤY KHEN", 44, bold=True, align=CENTER, color=RED, before=10, after=20)
    para(doc, "{{ awardee|awardee_line }}", 24, bold=True, align=CENTER, after=6)
    tag(doc, "{%p if awardee.kind == 'individual' %}")
    para(doc, "{{ awardee|position_unit }}", 16, align=CENTER, after=6)
    tag(doc, "{%p endif %}")
    p = para(doc, "{{ reason|clause(true) }}", 16, italic=True, align=CENTER, after=36)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(20)
    certificate_footer(doc)
    return doc


def page_border(sec) -> None:
    """Add a sober double frame (dark red) around the certificate page."""
    sectpr = sec._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        for k, v in (("val", "thinThickSmallGap"), ("sz", "24"), ("space", "24"), ("color", "9C1010")):
            el.set(qn(f"w:{k}"), v)
        borders.append(el)
    sectpr.find(qn("w:pgMar")).addnext(borders)


def certificate_footer(doc) -> None:
    """Add the bottom row: QR, decision and register numbers left; date and signer right."""
    widths = [5800, LAND_W - 5800 + 226]
    t = table(doc, widths)
    left, right = t.rows[0].cells
    qr_picture(left)
    para(left, "{{ verify_url }}", 8, align=CENTER)
    para(left, "Quyết định số {{ decision.number }} {{ decision.date|vn_date }}", 12, align=CENTER,
         before=4)
    tag(left, "{%p if register_no is defined and register_no %}")
    para(left, "Số vào sổ: {{ register_no }}", 12, align=CENTER)
    tag(left, "{%p endif %}")
    para(right, "{{ header.place }}, {{ header.date|vn_date(year) }}", 14, italic=True, align=CENTER)
    tag(right, "{%p if signer.authority %}")
    para(right, "{{ signer.authority|upper }}", 14, bold=True, align=CENTER)
    tag(right, "{%p endif %}")
    para(right, "{{ signer.title|upper }}", 14, bold=True, align=CENTER)
    for _ in range(4):
        para(right, "", 14)
    para(right, "{{ signer.name }}", 14, bold=True, align=CENTER)


def qr_picture(cell, size_mm: float = 24) -> None:
    """Add the QR placeholder picture; the renderer swaps its bytes for the verify_url code."""
    from doc_templates.qr import qr_png

    p = para(cell, "", 8, align=CENTER)
    run = p.add_run()
    run.add_picture(io.BytesIO(qr_png("https://example.invalid/verify")), width=Mm(size_mm))
    pr = run._r.xpath(".//wp:docPr")[0]
    pr.set("name", QR_PLACEHOLDER)
    run._r.xpath(".//pic:cNvPr")[0].set("name", QR_PLACEHOLDER)  # docxtpl replace_pic("qr_code")
    pr.set("descr", "Mã QR xác thực giấy khen")


def build_giay_khen_phoi() -> DocxDocument:
    """Variable text only, for printing onto a pre-printed Giấy khen form (offsets shift margins)."""
    doc = new_document("ND30-form", landscape=True)
    sec = doc.sections[0]
    sec.top_margin, sec.left_margin, sec.right_margin, sec.bottom_margin = Mm(10), Mm(15), Mm(15), Mm(5)
    widths = [6200, A4[1] - 2 * 851 - 6200]
    t = table(doc, widths, rows=0)
    rows = [(45, None, None), (12, "{{ authority|upper }}", 15), (28, None, None),
            (16, "{{ awardee|awardee_line }}", 22), (10, "{% if awardee.kind == 'individual' %}"
                                                         "{{ awardee|position_unit }}{% endif %}", 15),
            (22, "{{ reason|clause(true) }}", 15)]
    for height, text, size in rows:
        cells = add_row(t, widths)
        merged = cells[0].merge(cells[1])
        fixed_height(t.rows[-1], height)
        if text and size:
            para(merged, text, size, bold=size == 22, italic=size == 15 and "reason" in text, align=CENTER)
    cells = add_row(t, widths)
    fixed_height(t.rows[-1], 47)
    left, right = cells
    qr_picture(left, 22)
    para(left, "Quyết định số {{ decision.number }} {{ decision.date|vn_date }}", 12, align=CENTER)
    tag(left, "{%p if register_no is defined and register_no %}")
    para(left, "Số vào sổ: {{ register_no }}", 12, align=CENTER)
    tag(left, "{%p endif %}")
    para(right, "{{ header.place }}, {{ header.date|vn_date(year) }}", 14, italic=True, align=CENTER)
    tag(right, "{%p if signer.authority %}")
    para(right, "{{ signer.authority|upper }}", 14, bold=True, align=CENTER)
    tag(right, "{%p endif %}")
    para(right, "{{ signer.title|upper }}", 14, bold=True, align=CENTER)
    for _ in range(4):
        para(right, "", 14)
    para(right, "{{ signer.name }}", 14, bold=True, align=CENTER)
    return doc


def fixed_height(row, mm: float) -> None:
    """Give a table row an exact height, so every field sits where the form expects it."""
    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY


BUILDERS = {
    "dang_ky": build_dang_ky,
    "to_trinh": build_to_trinh,
    "bien_ban_tham_dinh": build_bien_ban_tham_dinh,
    "quyet_dinh": build_quyet_dinh,
    "giay_khen": build_giay_khen,
    "giay_khen_phoi": build_giay_khen_phoi,
    "bao_cao_tong_hop": build_bao_cao_tong_hop,
}


def build(kind: str) -> bytes:
    """Return the .docx bytes of one template."""
    buf = io.BytesIO()
    BUILDERS[kind]().save(buf)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    """Write every template (or those named) into doc_templates/templates/."""
    OUT_DIR.mkdir(exist_ok=True)
    for kind in argv or BUILDERS:
        path = OUT_DIR / f"{kind}.docx"
        path.write_bytes(build(kind))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
