"""The rules on hand-made pages: phrasings, units and layouts not in the dev corpus.

Pages are built from text lines with synthetic word boxes, so the rules are checked for what the
genre does (other units, number words, other list styles) rather than for the corpus files.
"""
from extractors.model import Line, Page, Word
from extractors.rules import read_fields

WIDTH = 600.0


def line(text: str, y: float, x: float = 60.0, size: float = 13.0, bold: bool = False) -> list[Word]:
    """Words of one printed line starting at x (a run of 4+ spaces is a column gap)."""
    words, cursor = [], x
    for i, chunk in enumerate(text.split("    ")):
        cursor = cursor if i == 0 else max(cursor, 330.0)
        for token in chunk.split():
            width = 6.0 * len(token)
            words.append(Word(token, cursor, cursor + width, y, y + size, None, bold))
            cursor += width + 3.5
        cursor += 60
    return words


def page(rows: list, number: int = 1) -> Page:
    """A page from (text, x) rows, one every 18 points."""
    lines = []
    for i, row in enumerate(rows):
        text, x, bold = (row + (False,))[:3] if isinstance(row, tuple) else (row, 60.0, False)
        lines.append(Line(line(text, 40 + 18 * i, x, bold=bold), number))
    return Page(number, WIDTH, 842.0, lines, "text-layer")


def header(title: str = "BÁO CÁO") -> list:
    return [
        ("ỦY BAN NHÂN DÂN XÃ AN BÌNH    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 40.0),
        ("THÔN ĐÔNG HƯNG    Độc lập - Tự do - Hạnh phúc", 60.0, True),
        ("Số: 07/BC-TĐH    An Bình, ngày 3 tháng 12 năm 2025", 60.0),
        "",
        (title, 260.0, True),
        ("Kết quả Phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025", 120.0, True),
    ]


def fields_of(rows: list) -> dict:
    return read_fields([page([r for r in rows if r != ""])])[0]


BODY = [
    "Kính gửi: Công an xã An Bình.",
    "Trong năm 2025, thôn tổ chức được mười hai buổi tuyên truyền, thu hút hai trăm lẻ năm lượt người tham dự.",
    "Thôn hiện duy trì 04 (bốn) mô hình tự quản về an ninh, trật tự.",
    "Nhân dân đã cung cấp 11 tin báo, tố giác tội phạm cho cơ quan Công an.",
    "Tổ hòa giải tiếp nhận 06 vụ, hòa giải thành 05 vụ.",
    "Trên địa bàn xảy ra 01 vụ việc về trật tự công cộng.",
    "Thôn tự đánh giá xếp loại phong trào năm 2025 đạt loại Khá.",
    "Thôn không đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2025.",
    "Năm 2026 phấn đấu tổ chức ít nhất 20 buổi tuyên truyền.",
]
SIGNATURE = [("Nơi nhận:    TM. BAN CÔNG TÁC MẶT TRẬN", 60.0), ("- Như trên;    TRƯỞNG BAN", 60.0),
             "", ("Đại úy Hoàng Văn Nam", 380.0)]


def test_header_of_another_commune_and_unit():
    f = fields_of(header() + BODY + SIGNATURE)
    assert (f["doc_type"], f["number"], f["issue_date"], f["place"]) == ("BC", "07/BC-TĐH", "2025-12-03", "An Bình")
    assert f["parent_issuer"] == "ỦY BAN NHÂN DÂN XÃ AN BÌNH" and f["issuer"] == "THÔN ĐÔNG HƯNG"
    assert f["period_year"] == 2025


def test_figures_in_words_and_digits_and_targets_ignored():
    m = fields_of(header() + BODY + SIGNATURE)["metrics"]
    assert m == {"propaganda_sessions": 12, "propaganda_participants": 205, "models_count": 4,
                 "tips_reported": 11, "mediations": 5, "incidents": 1}


def test_rating_and_standard_not_reached():
    f = fields_of(header() + BODY + SIGNATURE)
    assert f["self_rating"] == "Khá" and f["antt_standard"] is False


def test_signature_block_drops_rank():
    f = fields_of(header() + BODY + SIGNATURE)
    assert (f["signing_authority"], f["signer_title"], f["signer_name"]) == (
        "TM. BAN CÔNG TÁC MẶT TRẬN", "TRƯỞNG BAN", "Hoàng Văn Nam")


def test_blank_number_and_blank_day_are_null():
    rows = header()
    rows[2] = ("Số:        /BC-TĐH    An Bình, ngày      tháng 12 năm 2025", 60.0)
    f = fields_of(rows + BODY + SIGNATURE)
    assert f["number"] is None and f["issue_date"] is None and f["place"] == "An Bình"


def test_number_quoted_in_body_is_not_the_documents_number():
    rows = header()
    rows[2] = ("Số:    /BC-TĐH    An Bình, ngày 3 tháng 12 năm 2025", 60.0)
    body = ["Căn cứ Quyết định số 2447/QĐ-TTg ngày 05/11/2025 của Thủ tướng Chính phủ;"] + BODY
    assert fields_of(rows + body + SIGNATURE)["number"] is None


def test_list_of_rating_levels_is_not_a_rating():
    body = ["Các đơn vị tự đánh giá, xếp loại theo một trong bốn mức: Xuất sắc, Khá, Trung bình, Yếu."]
    assert fields_of(header("CÔNG VĂN") + body + SIGNATURE)["self_rating"] is None


def test_earlier_years_rating_is_not_this_years():
    body = ["Năm 2024, thôn được xếp loại Xuất sắc.", "Năm 2025, thôn tự xếp loại Trung bình."]
    assert fields_of(header() + body + SIGNATURE)["self_rating"] == "Trung bình"


def test_nominees_as_dash_list_with_honorifics():
    body = BODY + ["Thôn đề nghị tặng Giấy khen của Chủ tịch UBND xã cho 01 tập thể và 02 cá nhân:",
                   "- Tổ tự quản an ninh, trật tự thôn Đông Hưng;",
                   "- Bà Lò Thị Mai – Chi hội trưởng Chi hội Phụ nữ;", "- Ông Vi Văn Sáng, Công an viên.",
                   "Trên đây là báo cáo của thôn./."]
    noms = fields_of(header() + body + SIGNATURE)["nominees"]
    assert [(n["name"], n["kind"]) for n in noms] == [
        ("Tổ tự quản an ninh, trật tự thôn Đông Hưng", "collective"), ("Lò Thị Mai", "individual"),
        ("Vi Văn Sáng", "individual")]
    assert noms[1]["position"] == "Chi hội trưởng Chi hội Phụ nữ"
    assert {n["award"] for n in noms} == {"Giấy khen của Chủ tịch UBND xã"}


def test_registration_states_no_results():
    body = ["Thôn đăng ký đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2025.",
            "Không để xảy ra vụ việc phức tạp về an ninh, trật tự."]
    f = fields_of(header("BẢN ĐĂNG KÝ") + body + SIGNATURE)
    assert f["doc_type"] == "ĐK" and f["antt_standard"] is None
    assert set(f["metrics"].values()) == {None}


def test_page_with_nothing_gives_all_nulls():
    f = read_fields([page(["Trang này không có nội dung hành chính nào cả."])])[0]
    assert all(v is None for k, v in f.items() if k not in ("metrics", "nominees"))


def _row(cells: list[tuple[str, float]], y: float) -> Line:
    """A table row from (text, left x) cells, on page 1 unless set later."""
    words = []
    for text, x in cells:
        for token in text.split():
            words.append(Word(token, x, x + 6.0 * len(token), y, y + 12.0, None, False))
            x += 6.0 * len(token) + 3.0
    return Line(words, 1, "text-layer")


def test_birth_year_column_split_by_a_page_break_and_a_year_in_the_name_cell():
    """A ruled table whose header row (`Năm` / `sinh`) is cut by the page break: the year column is
    still `Năm sinh`; a year printed inside the name cell never stays in the person's name."""
    xs = [80.0, 116.0, 235.0, 284.0, 380.0, 540.0]
    first = page([r for r in header() if r != ""] + BODY
                 + ["Thôn đề nghị tặng Giấy khen của Chủ tịch UBND xã cho 03 cá nhân:"])
    head = _row([("STT", 86), ("Họ và tên", 150), ("Năm", 247), ("Chức vụ", 310), ("Hình thức đề", 400)], 770)
    first.lines.append(head)
    first.columns, first.tables = xs, [(80.0, 768.0, 540.0, 783.0)]
    rows = [_row([("sinh", 249), ("nghị", 420)], 56),
            _row([("1", 85), ("Triệu Thị Tùng", 122), ("1972", 241), ("Tổ viên", 289), ("Giấy khen", 386)], 71),
            _row([("2", 85), ("Hà Kim Long 1994", 122), ("Phó Trưởng Ban", 289), ("Giấy khen", 386)], 89),
            _row([("3", 85), ("Lò Văn Páo", 122), ("1968", 241), ("Tổ trưởng", 289), ("Giấy khen", 386)], 107)]
    for ln in rows:
        ln.page = 2
    second = Page(2, WIDTH, 842.0, rows, "text-layer", columns=xs, tables=[(80.0, 54.0, 540.0, 125.0)])
    tail = page(["Trên đây là báo cáo của thôn./."] + [r for r in SIGNATURE if r != ""], 2)
    for ln in tail.lines:
        ln.page = 2
        for w in ln.words:
            w.top, w.bottom = w.top + 150, w.bottom + 150
    second.lines += tail.lines
    noms = read_fields([first, second])[0]["nominees"]
    assert [(n["name"], n["kind"], n["position"]) for n in noms] == [
        ("Triệu Thị Tùng", "individual", "Tổ viên"), ("Hà Kim Long", "individual", "Phó Trưởng Ban"),
        ("Lò Văn Páo", "individual", "Tổ trưởng")]
    assert not any(ch.isdigit() for n in noms for ch in n["name"])


def _ocr_block(rows: list[list[tuple[str, float]]]) -> list[Page]:
    """A scanned page's signature block from rows of (word, OCR confidence), right of centre."""
    lines = [Line(line("Nơi nhận:", 500.0), 1, "ocr")]
    for i, row in enumerate(rows):
        words = line(" ".join(t for t, _ in row), 500.0 + 18 * i, 360.0)
        for word, (_, conf) in zip(words, row, strict=False):
            word.conf = conf
        lines.append(Line(words, 1, "ocr"))
    return [Page(1, WIDTH, 842.0, lines, "ocr")]


def test_scanned_signature_garbled_prefix_and_noise_tokens():
    from extractors.rules.signature import read_signature
    def read(rows):
        pages = _ocr_block(rows)
        return {k: v.value for k, v in read_signature(pages, pages[0].lines).items()}
    # `KT:` for `KT.`, a deputy title with wrong marks on TỔNG
    got = read([[("KT:", 0.2), ("TỐNG", 0.9), ("GIÁM", 0.9), ("ĐỐC", 0.9)],
                [("PHÓ", 0.9), ("TỐNG", 0.9), ("GIÁM", 0.9), ("ĐỐC", 0.9)],
                [("Nông", 0.97), ("Thế", 0.97), ("Tâm", 0.97)]])
    assert got == {"signing_authority": "KT. TỔNG GIÁM ĐỐC", "signer_title": "PHÓ TỔNG GIÁM ĐỐC",
                   "signer_name": "Nông Thế Tâm"}
    # `4M.` for `TM.`; a low-confidence speck before the title is dropped
    got = read([[("4M.", 0.9), ("BAN", 0.9), ("BẢO", 0.9), ("VỆ", 0.9)], [("TT", 0.38), ("TRƯỞNG", 0.4), ("BAN", 0.9)],
                [("Trịnh", 0.97), ("Quốc", 0.97), ("Trung", 0.97)]])
    assert got["signing_authority"] == "TM. BAN BẢO VỆ" and got["signer_title"] == "TRƯỞNG BAN"
    # a title that is only noise is null, not a guess
    got = read([[("ỊCH", 0.3), ("Ì", 0.2)], [("Vũ", 0.97), ("Đức", 0.97), ("Bình", 0.97)]])
    assert got.get("signer_title") is None


def test_a_recipients_list_is_never_read_as_nominees():
    """On a scan the “Nơi nhận:” heading may be lost; its “- Như trên;” items are still addressees."""
    from extractors.model import Line, Page, Word
    from extractors.rules.nominees import read_nominees

    texts = ["Công an xã kính trình Chủ tịch UBND xã xem xét khen thưởng cho:", "- Như trên;",
             "- Công an xã;", "- Lưu: VT, CAX."]
    lines = [Line([Word(t, 100, 900, 100 + 30 * i, 120 + 30 * i, 0.9)]) for i, t in enumerate(texts)]
    for line in lines:
        line.source = "ocr"
    page = Page(number=1, width=1000, height=1400, lines=lines, source="ocr")
    nominees, _ = read_nominees([page], lines)
    assert nominees == []


# ----------------------------------------------------------------- real documents' habits (issue 10)
def placed(rows: list) -> Page:
    """A page from (text, x, y[, bold]) rows placed where printed (a signature leaves a gap)."""
    lines = [Line(line(r[0], r[2], r[1], bold=(r + (False,))[3]), 1) for r in rows]
    return Page(1, WIDTH, 842.0, lines, "text-layer")


def placed_fields(rows: list) -> dict:
    return read_fields([placed(rows)])[0]


HEAD = [("ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 60.0, 40, True),
        ("TỈNH HÀ TĨNH    Độc lập - Tự do - Hạnh phúc", 60.0, 58, True),
        ("Số: 24 /TTr -UBND    Hà Tĩnh, ngày 9 tháng 3 năm 2024", 60.0, 80),
        ("TỜ TRÌNH", 260.0, 110, True),
        ("Về việc đề nghị tặng Bằng khen năm 2023", 150.0, 128, True),
        ("Kính gửi: Thủ tướng Chính phủ.", 150.0, 150)]


def test_issuer_on_two_lines_without_parent_and_number_with_stray_spaces():
    f = placed_fields(HEAD + [("Nơi nhận:    TM. ỦY BAN NHÂN DÂN", 60.0, 300, True),
                              ("- Như trên;    KT. CHỦ TỊCH", 60.0, 318, True),
                              ("PHÓ CHỦ TỊCH", 380.0, 336, True), ("Trung tá Ngô Văn Công", 380.0, 420, True)])
    assert (f["issuer"], f["parent_issuer"], f["number"]) == ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", None, "24/TTr-UBND")
    assert (f["signing_authority"], f["signer_title"], f["signer_name"]) == (
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Ngô Văn Công")


def test_old_authority_forms_and_a_bare_stamp_prefix():
    f = placed_fields(HEAD + [("T/M UBND TỈNH", 380.0, 300, True), ("K/T CHỦ TỊCH", 380.0, 318, True),
                              ("PHÓ CHỦ TỊCH", 380.0, 336, True), ("BS. Phạm Minh Huệ", 380.0, 420, True)])
    assert (f["signing_authority"], f["signer_name"]) == ("T/M UBND TỈNH K/T CHỦ TỊCH", "Phạm Minh Huệ")
    f = placed_fields(HEAD + [("KT GIÁM ĐỐC", 380.0, 300, True), ("PHÓ GIÁM ĐỐC", 380.0, 318, True),
                              ("TS.BS. Hà Văn Phúc", 380.0, 400, True)])
    assert (f["signing_authority"], f["signer_title"], f["signer_name"]) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hà Văn Phúc")


def test_role_above_the_signature_is_the_title_not_the_office_below():
    f = placed_fields(HEAD + [("TM. HỘI ĐỒNG", 380.0, 300, True), ("PHÓ CHỦ TỊCH HỘI ĐỒNG", 380.0, 318, True),
                              ("PHÓ GIÁM ĐỐC SỞ Y TẾ", 380.0, 400, True), ("Lê Văn Hai", 380.0, 418, True)])
    assert (f["signer_title"], f["signer_name"]) == ("PHÓ CHỦ TỊCH HỘI ĐỒNG", "Lê Văn Hai")


def test_capitalised_subject_of_a_decree_stops_at_the_issuing_authority():
    rows = HEAD[:3] + [("QUYẾT ĐỊNH", 260.0, 110, True), ("BAN HÀNH QUY CHẾ LÀM VIỆC CỦA", 170.0, 128),
                       ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", 180.0, 144),
                       ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", 170.0, 164, True),
                       ("Căn cứ Luật Tổ chức chính quyền địa phương;", 80.0, 184)]
    f = placed_fields(rows)
    assert (f["doc_type"], f["subject"]) == ("QĐ", "BAN HÀNH QUY CHẾ LÀM VIỆC CỦA HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG")


def test_period_year_is_not_a_horizon_a_term_a_span_or_a_plan():
    from extractors.rules.body import period_year
    assert period_year("Báo cáo tháng 10-2017", "") == 2017
    assert period_year("Kết quả triển khai Đề án 06 tháng 10/2025", "") == 2025
    assert period_year("Kế hoạch thực hiện giai đoạn 2024 - 2025", "phong trào thi đua năm 2024 năm 2024") is None
    assert period_year("Đại hội nhiệm kỳ 2021 - 2026", "") is None
    assert period_year("Chương trình hành động đến năm 2030", "") is None
    assert period_year("Phát động phong trào thi đua năm 2026", "", "KH") is None


def test_criteria_of_a_plan_and_members_of_a_council_are_not_nominees():
    criteria = HEAD[:3] + [("KẾ HOẠCH", 260.0, 110, True), ("Phát động phong trào thi đua năm 2026", 150.0, 128),
                           ("IV. TIÊU CHUẨN KHEN THƯỞNG", 60.0, 160), ("1. Tập thể:", 60.0, 178),
                           ("- Các cơ quan chuyên môn thuộc UBND tỉnh;", 60.0, 196),
                           ("- UBND các xã, phường trên địa bàn tỉnh.", 60.0, 214)]
    assert placed_fields(criteria)["nominees"] == []
    council = HEAD[:3] + [("QUYẾT ĐỊNH", 260.0, 110, True), ("Về việc khen thưởng thành viên", 150.0, 128),
                          ("Điều 1. Hội đồng xét khen thưởng gồm các ông, bà có tên sau:", 60.0, 160),
                          ("1. Ông Hà Văn Phúc, Phó Giám đốc Sở - Chủ tịch Hội đồng;", 60.0, 178),
                          ("2. Bà Đỗ Thị Tùng, Trưởng phòng Tổ chức - Thành viên;", 60.0, 196),
                          ("3. Ông Lý Văn Loan, Chuyên viên - Thư ký.", 60.0, 214)]
    assert placed_fields(council)["nominees"] == []


def test_scan_header_marks_restored_but_old_style_tone_place_kept():
    from extractors.lexicon import correct_words
    def fix(text):
        words = [Word(t, 0, 1, 0, 1) for t in text.split()]
        return " ".join(w.text for w in correct_words(words))
    assert fix("ỦY BAN NHÂN DÂN TINH QUANG BINH") == "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH"
    assert fix("HỘI ĐÒNG THẢM ĐỊNH") == "HỘI ĐỒNG THẨM ĐỊNH"
    assert fix("UỶ BAN NHÂN DÂN TỈNH CAO BẰNG") == "UỶ BAN NHÂN DÂN TỈNH CAO BẰNG"


def test_incoming_stamp_and_urgency_mark_are_not_the_documents_own():
    rows = [("UBND HUYỆN KỲ ANH    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 60.0, 40),
            ("TRƯỜNG TH&THCS KỲ TÂN    Độc lập - Tự do - Hạnh phúc", 60.0, 58, True),
            ("Số 18/BC-TH&THCS    Kỳ Tân, ngày 2 tháng 6 năm 2024", 60.0, 80),
            ("HỎA TỐC", 60.0, 98, True),
            ("BÁO CÁO", 260.0, 120, True), ("Kết quả công tác năm học 2023 - 2024", 150.0, 138, True)]
    f = placed_fields(rows)
    assert (f["issuer"], f["parent_issuer"], f["number"], f["issue_date"]) == (
        "TRƯỜNG TH&THCS KỲ TÂN", "UBND HUYỆN KỲ ANH", "18/BC-TH&THCS", "2024-06-02")
    stamp = [("CÔNG VĂN ĐẾN", 60.0, 10), ("Số: 345", 60.0, 24), ("Ngày: 5/6/2024", 60.0, 38)]
    f = placed_fields(stamp + [(t, x, y + 40, *b) for t, x, y, *b in rows[:2]] + [
        ("Số: 21/BC-TH&THCS    Kỳ Tân, ngày 3 tháng 6 năm 2024", 60.0, 120)] + [
        (t, x, y + 60, *b) for t, x, y, *b in rows[4:]])
    assert (f["issuer"], f["number"], f["issue_date"]) == ("TRƯỜNG TH&THCS KỲ TÂN", "21/BC-TH&THCS", "2024-06-03")


def test_award_criteria_in_a_report_are_not_nominees_but_the_list_after_them_is():
    body = BODY + ["IV. TIÊU CHUẨN KHEN THƯỞNG", "a) Tập thể:", "- Tổ tự quản hoàn thành xuất sắc nhiệm vụ;",
                   "b) Cá nhân:", "- Cá nhân có thành tích tiêu biểu, được quần chúng tín nhiệm;",
                   "V. ĐỀ NGHỊ KHEN THƯỞNG",
                   "Thôn đề nghị tặng Giấy khen của Chủ tịch UBND xã cho 02 cá nhân:",
                   "- Bà Lò Thị Mai – Chi hội trưởng Chi hội Phụ nữ;", "- Ông Vi Văn Sáng, Công an viên.",
                   "Trên đây là báo cáo của thôn./."]
    noms = fields_of(header() + body + SIGNATURE)["nominees"]
    assert [(n["name"], n["kind"]) for n in noms] == [("Lò Thị Mai", "individual"), ("Vi Văn Sáng", "individual")]


def test_nominees_whose_positions_sound_like_member_roles_are_still_nominees():
    body = BODY + ["Thôn đề nghị tặng Giấy khen của Chủ tịch UBND xã cho 03 cá nhân:",
                   "- Ông Mai Trọng Dũng – Phó trưởng bản;", "- Bà Lò Thị Mai, Tổ viên;",
                   "- Ông Vi Văn Sáng – Phó Trưởng Ban.", "Trên đây là báo cáo của thôn./."]
    noms = fields_of(header() + body + SIGNATURE)["nominees"]
    assert [n["name"] for n in noms] == ["Mai Trọng Dũng", "Lò Thị Mai", "Vi Văn Sáng"]


def test_award_criteria_state_no_result_of_the_unit():
    rows = header() + BODY[:7] + ["Tiêu chuẩn khen thưởng năm 2026:", "a) Tập thể:",
                                   "- Những đơn vị đạt danh hiệu “An toàn về an ninh, trật tự”."] + SIGNATURE
    assert fields_of(rows)["antt_standard"] is None


def test_scanned_deputy_authority_and_a_name_below_seal_noise():
    from extractors.rules.signature import read_signature
    def read(rows):
        pages = _ocr_block(rows)
        return {k: v.value for k, v in read_signature(pages, pages[0].lines).items()}
    got = read([[("KT.", 0.9), ("GLIÁM", 0.6), ("ĐÓC", 0.6)], [("PHÓ", 0.9), ("GIÁM", 0.9), ("ĐỐC", 0.9)],
                [("Dương", 0.97), ("Tín", 0.97), ("Hòa", 0.97)]])
    assert got["signing_authority"] == "KT. GIÁM ĐỐC" and got["signer_name"] == "Dương Tín Hòa"
    seal = [[("⁄Z", 0.2)], [("T2", 0.3), ("\\", 0.2)], [("N", 0.3)], [("+", 0.2), ("Œ", 0.2)],
            [("NeS", 0.2), ("K/", 0.2)],
            [("bi", 0.3), ("-", 0.3), ("257", 0.3)], [("li", 0.1), ("‹%", 0.1)], [("xì", 0.4), ("⁄⁄", 0.2)],
            [("†——", 0.2)], [("Œ—", 0.2)], [("CHỦ", 0.9), ("TỊCH", 0.9)]]
    got = read(seal[-1:] + seal[:-1] + [[("Phạm", 0.97), ("Vũ", 0.97), ("Hồng", 0.97)]])
    assert got["signer_title"] == "CHỦ TỊCH" and got["signer_name"] == "Phạm Vũ Hồng"


def test_number_split_by_a_handwritten_digit_is_null_but_a_year_is_kept():
    from extractors.rules.header import NUMBER_VALUE_RE
    assert NUMBER_VALUE_RE.match("03/2018/TT-BNG") and NUMBER_VALUE_RE.match("416/TTr-CAT(PC04)")
    assert NUMBER_VALUE_RE.match("4/35/SGDĐT-CTrTT") is None


def test_an_approval_signature_under_the_signers_is_not_the_signer():
    f = placed_fields(HEAD + [("Nơi nhận:    CHÁNH THANH TRA", 60.0, 300, True), ("Lê Thiên Phú", 380.0, 380, True),
                              ("PHÊ DUYỆT", 380.0, 420, True), ("GIÁM ĐỐC SỞ Y TẾ", 380.0, 438, True),
                              ("Lê Hoàng Anh", 380.0, 520, True)])
    assert (f["signer_title"], f["signer_name"]) == ("CHÁNH THANH TRA", "Lê Thiên Phú")
    f = placed_fields(HEAD + [("Nơi nhận:    CHÁNH THANH TRA", 60.0, 300, True), ("PHÊ DUYỆT", 380.0, 380, True),
                              ("GIÁM ĐỐC SỞ Y TẾ", 380.0, 398, True), ("Lê Hoàng Anh", 380.0, 480, True)])
    assert f["signer_name"] is None
