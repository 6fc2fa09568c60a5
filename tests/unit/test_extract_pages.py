"""Page decisions of the extractor: text layer or OCR per page, signature stamps, handwritten blanks,
blank back pages and a second document attached behind the first."""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from extractors import blanks, extract, ocr, stamps, structure, textlayer
from extractors.model import Line, Page, Word

REAL_DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "real-dev"
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "real"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def _line(*words: tuple, top: float = 0.0, source: str = "ocr", page: int = 1) -> Line:
    """A line of (text, confidence[, height]) words laid out left to right."""
    out, x = [], 10.0
    for text, conf, *height in words:
        h = height[0] if height else 20.0
        out.append(Word(text, x, x + 12 * len(text), top, top + h, conf))
        x += 12 * len(text) + 15
    return Line(out, page, source)


def _page(lines: list[Line], number: int = 1, source: str = "ocr", height: float = 1000.0) -> Page:
    return Page(number, 700.0, height, lines, source)


# --- text layer or OCR, per page -------------------------------------------------------------

MARKED = ("Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị thực hiện nghiêm túc kế hoạch "
          "tuyên truyền, phổ biến pháp luật về phòng, chống tội phạm trên địa bàn")


def _layer(texts: list[str], spread: float = 900.0) -> Page:
    step = spread / max(1, len(texts) - 1)
    lines = [Line([Word(t, 10, 600, 40 + i * step, 52 + i * step)], 1, "text-layer") for i, t in enumerate(texts)]
    return _page(lines, source="text-layer")


def test_a_real_vietnamese_layer_over_a_scan_is_the_page():
    assert textlayer.usable(_layer([MARKED] * 8), cover=1.0)


def test_a_layer_without_marks_over_a_scan_is_ocrd():
    unmarked = "UBND TINH KIEN GIANG CONG HOA XA HOI CHU NGHIA VIET NAM So Y te de nghi cac don vi thuc hien"
    assert not textlayer.usable(_layer([unmarked] * 8), cover=1.0)


def test_a_stamp_box_alone_over_a_scan_is_ocrd():
    stamp = "Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi Cơ quan: Tỉnh Quảng Ngãi Thời gian ký: 07/01/2025 10:09:57"
    assert not textlayer.usable(_layer([stamp], spread=30.0), cover=1.0)


def test_a_short_born_digital_page_is_still_its_text_layer():
    assert textlayer.usable(_layer([MARKED[:60]]), cover=0.0)


def test_a_signed_born_digital_file_is_never_ocrd_and_reads_the_number_stamped_into_its_blank():
    result = extract(REAL_DEV / "real_41.pdf")
    assert result.page_sources == ["text-layer", "text-layer"]
    # The e-office system wrote the number and the day into the printed blanks as annotations.
    assert result.fields["number"] == "1984/SNV-TCBC"
    assert result.fields["issue_date"] == "2025-10-09"


def test_a_scan_whose_layer_is_only_the_signature_stamp_is_ocrd_and_the_stamp_is_kept():
    result = extract(REAL_DEV / "real_26.pdf")
    assert result.page_sources == ["ocr"]
    assert "TỈNH QUẢNG NGÃI" in result.text and "Ký bởi" not in result.text   # the page, not the stamp
    out = result.to_dict(explain=True)
    signed = [s for s in out["_signature_stamp"] if s["kind"] == "ký số"]
    assert signed[0]["signer"] == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert signed[0]["time"] == "2025-01-07T10:09:57+07:00"
    assert signed[0]["page"] == 1 and "chữ ký số" in signed[0]["source"]
    gazette = [s for s in out["_signature_stamp"] if s["kind"] == "công báo"]
    assert gazette[0]["organisation"] == "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"
    # The stamp never becomes a field: the printed date is handwritten here, so it stays unknown.
    assert out["issue_date"] is None
    assert set(out) - {"_provenance", "_signature_stamp"} == set(extract_keys())


def extract_keys() -> list[str]:
    from extractors import empty_fields
    return list(empty_fields())


# --- signature stamps ----------------------------------------------------------------------

def test_a_stamp_wrapped_over_lines_gives_signer_and_time_in_vietnam_time():
    stamp = stamps.parse_stamp("Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi Thời gian ký: 11/05/2021 11:26:39", 1)
    assert (stamp.kind, stamp.signer, stamp.time) == ("ký số", "Ủy ban nhân dân tỉnh Quảng Ngãi",
                                                      "2021-05-11T11:26:39+07:00")


def test_a_certified_copy_stamp_names_the_copying_body_and_converts_a_foreign_offset():
    stamp = stamps.parse_stamp("SAO Y Ủy ban nhân dân thành phố Đà Nẵng Thời gian ký: 19/10/2023 03:56:22 +00:00", 2)
    assert stamp.kind == "sao y" and stamp.organisation == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert stamp.time == "2023-10-19T10:56:22+07:00" and stamp.page == 2


def test_a_stamp_with_organisation_and_hour_label():
    stamp = stamps.parse_stamp("Cơ quan: UBND tỉnh Quảng Bình Giờ ký: 17/04/2024 10:39:42", 1)
    assert stamp.organisation == "UBND tỉnh Quảng Bình" and stamp.time == "2024-04-17T10:39:42+07:00"
    assert stamps.is_stamp_text(stamp.text) and not stamps.is_stamp_text("1984")


# --- handwritten digits in printed blanks -------------------------------------------------

def _header(number_words: list[tuple], date_words: list[tuple]) -> list[Page]:
    return [_page([_line(*number_words, top=100), _line(*date_words, top=140)])]


def _checked(number: str | None, date: str | None, pages: list[Page]) -> tuple[dict, dict]:
    fields = {"number": number, "issue_date": date}
    prov = {k: {"page": 1, "text": pages[0].lines[i].text, "source": "ocr", "confidence": 0.9}
            for i, (k, v) in enumerate(fields.items()) if v is not None}
    blanks.check(fields, prov, pages)
    return fields, prov


def test_a_number_written_in_the_blank_and_read_poorly_is_null_with_the_reason():
    pages = _header([("Số:", 0.95), ("415", 0.68), ("/CV-PA83", 0.9)],
                    [("Đà", 0.96), ("Nẵng,", 0.97), ("ngày", 0.96), ("26", 0.97), ("tháng", 0.97),
                     ("4", 0.97), ("năm", 0.97), ("2018", 0.97)])
    fields, prov = _checked("415/CV-PA83", "2018-04-26", pages)
    assert fields == {"number": None, "issue_date": "2018-04-26"}
    assert prov["number"]["reason"] == "số viết tay — cần kiểm tra" and prov["number"]["page"] == 1


def test_a_typed_number_read_confidently_is_kept():
    pages = _header([("Số:", 0.93), ("2130/KH-SYT", 0.92)],
                    [("ngày", 0.97), ("15", 0.97), ("tháng", 0.97), ("11", 0.93), ("năm", 0.97), ("2017", 0.97)])
    fields, prov = _checked("2130/KH-SYT", "2017-11-15", pages)
    assert fields == {"number": "2130/KH-SYT", "issue_date": "2017-11-15"}
    assert "reason" not in prov["number"] and "reason" not in prov["issue_date"]


def test_a_typed_number_whose_code_ocr_garbled_is_not_taken_for_handwriting():
    pages = _header([("Số:", 0.93, 20.0), ("02/ĐĐK-XĐT", 0.46, 19.0)],
                    [("ngày", 0.97), ("03", 0.97), ("tháng", 0.97), ("02", 0.95), ("năm", 0.97), ("2026", 0.97)])
    fields, _ = _checked("02/ĐK-XĐT", "2026-02-03", pages)
    assert fields["number"] == "02/ĐK-XĐT"


def test_a_handwritten_number_glued_to_the_code_and_taller_than_the_print_is_null():
    pages = _header([("Số:", 0.92, 20.0), ("23É⁄QĐ-SYT", 0.57, 25.0)],
                    [("ngày", 0.93), ("{Ô", 0.53), ("tháng", 0.97), ("10", 0.97), ("năm", 0.97), ("2017", 0.97)])
    fields, prov = _checked("23/QĐ-SYT", None, pages)
    assert fields == {"number": None, "issue_date": None}
    assert prov["issue_date"]["reason"] == "ngày viết tay — cần kiểm tra"


def test_a_poorly_read_number_beside_a_handwritten_day_is_handwritten_too():
    pages = _header([("Só:", 0.83, 20.0), ("4467/CĐ-UBND", 0.4, 21.0)],
                    [("ngày", 0.93), ("o⁄", 0.0), ("tháng", 0.92), ("12", 0.95), ("năm", 0.94), ("2017", 0.95)])
    fields, prov = _checked("4467/CĐ-UBND", None, pages)
    assert fields["number"] is None and prov["number"]["reason"] == "số viết tay — cần kiểm tra"


def test_a_handwritten_day_read_as_digits_is_null():
    pages = _header([("Số:", 0.93), ("62/TTr-STP", 0.92)],
                    [("ngày", 0.96), ("5", 0.70), ("tháng", 0.97), ("4", 0.97), ("năm", 0.97), ("2016", 0.94)])
    fields, prov = _checked("62/TTr-STP", "2016-04-05", pages)
    assert fields == {"number": "62/TTr-STP", "issue_date": None}
    assert prov["issue_date"]["reason"].startswith("ngày viết tay")


def test_a_text_layer_page_is_never_second_guessed():
    pages = [_page([_line(("Số:", 1.0), ("15", 1.0), ("/BC-UBND", 1.0), source="text-layer")], source="text-layer")]
    fields = {"number": "15/BC-UBND", "issue_date": None}
    blanks.check(fields, {"number": {"page": 1, "text": pages[0].lines[0].text, "source": "text-layer"}}, pages)
    assert fields["number"] == "15/BC-UBND"


def test_a_real_scan_with_a_handwritten_number_gives_no_number_and_says_why():
    result = extract(REAL / "nd155-2020-page1-handwritten.pdf")
    assert result.fields["number"] is None
    assert result.provenance["number"]["reason"] == "số viết tay — cần kiểm tra"


# --- page structure ------------------------------------------------------------------------

def _text_image(lines: list[str], size=(1240, 1754)) -> Image.Image:
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 34)
    for i, text in enumerate(lines):
        draw.text((110, 150 + 60 * i), text, font=font, fill=0)
    return image


def test_a_blank_back_page_is_not_ocrd_and_does_not_make_the_scan_too_poor(tmp_path):
    text = ["Ủy ban nhân dân xã đề nghị các thôn, tổ dân phố thực hiện",
            "tốt công tác tuyên truyền phòng, chống tội phạm; các đơn vị",
            "báo cáo kết quả về Ủy ban nhân dân xã trước ngày 30 tháng 6."] * 4
    front = _text_image(text)
    back = Image.new("L", front.size, 250)
    ImageDraw.Draw(back).ellipse((500, 700, 530, 730), outline=200)      # a faint mark
    pdf = tmp_path / "duplex.pdf"
    front.save(pdf, save_all=True, append_images=[back], resolution=150)
    assert ocr.ink_share(back) < ocr.BLANK_INK < ocr.ink_share(front)
    result = extract(pdf)
    assert result.pages == 2 and result.page_sources == ["ocr", "ocr"]
    assert result.quality["pages"][1]["blank"] and not result.quality["too_poor"]


def test_a_blank_file_alone_still_asks_for_a_rescan(tmp_path):
    pdf = tmp_path / "blank.pdf"
    Image.new("L", (1240, 1754), 255).save(pdf, resolution=150)
    assert extract(pdf).quality["too_poor"]


def _doc_page(number: int, top: list[str]) -> Page:
    return _page([_line((t, 0.95), top=40 * i) for i, t in enumerate(top)], number=number)


def test_a_second_document_behind_the_first_is_not_read():
    first = _doc_page(1, ["SỞ Y TẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "THÔNG BÁO"])
    more = _doc_page(2, ["2", "Các đơn vị thực hiện."])
    attached = _doc_page(3, ["TRƯỜNG ĐẠI HỌC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
    assert structure.first_document([first, more, attached]) == [first, more]


def test_an_annex_with_its_own_national_header_stays_with_the_document():
    first = _doc_page(1, ["UBND XÃ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỜ TRÌNH"])
    annex = _doc_page(2, ["UBND XÃ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "DANH SÁCH",
                          "(Kèm theo Tờ trình số 12/TTr-UBND)"])
    assert structure.first_document([first, annex]) == [first, annex]


# --- seals on colour scans -----------------------------------------------------------------

def _sealed_page() -> Image.Image:
    """A colour page: black print, a red seal ring over the signature block, a blue handwritten mark."""
    image = _text_image(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], size=(1240, 1754)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse((650, 1100, 1050, 1500), outline=(200, 30, 40), width=18)
    draw.line((150, 400, 400, 420), fill=(20, 40, 170), width=6)
    return image


def test_a_red_seal_is_found_and_faded_while_print_and_blue_ink_stay_dark():
    image = _sealed_page()
    x0, top, x1, bottom = ocr.seal_box(image)
    assert 600 <= x0 < 700 and 1050 <= top < 1150 and 1000 < x1 <= 1100 and 1450 < bottom <= 1550
    grey = ocr.ink_channel(image)
    assert grey.getpixel((650 + 9, 1300)) > 180          # the ring fades into the paper
    assert grey.getpixel((275, 410)) < 80               # the blue handwriting does not
    assert ocr.seal_box(image.convert("L")) is None      # a grey scan has no colour to tell a seal by


def test_a_signer_left_null_under_a_seal_says_so():
    page = _page([_line(("CHỦ", 0.9), ("TỊCH", 0.9), top=800)], height=1754)
    page.seal = (650.0, 1100.0, 1050.0, 1500.0)
    fields, prov = {"signer_name": None, "signer_title": "CHỦ TỊCH"}, {"signer_title": {"page": 1}}
    blanks.under_seal(fields, prov, [page])
    assert prov["signer_name"]["reason"] == "dưới con dấu — cần kiểm tra" and prov["signer_name"]["page"] == 1
    assert "reason" not in prov["signer_title"]


def _segments_line(top: float, *segments: tuple[float, str]) -> Line:
    """A text-layer line made of segments starting at the given x (wide gaps between them)."""
    words = []
    for x, text in segments:
        for token in text.split():
            words.append(Word(token, x, x + 8 * len(token), top, top + 12))
            x += 8 * len(token) + 4
    return Line(words, 1, "text-layer")


def test_a_stamp_drawn_as_page_content_leaves_the_header_and_becomes_a_stamp():
    page = _page([_segments_line(20, (40, "UBND TỈNH LÂM ĐỒNG"), (380, "Ký bởi: Sở Nội vụ")),
                  _segments_line(36, (40, "SỞ NỘI VỤ"), (380, "Thời gian ký: 09/10/2025 15:20:11")),
                  _segments_line(60, (40, "Số: 1984/SNV-TCBC"))], source="text-layer")
    stamps.take_printed_stamp(page)
    assert [ln.text for ln in page.lines] == ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ", "Số: 1984/SNV-TCBC"]
    assert page.stamps[0].signer == "Sở Nội vụ" and page.stamps[0].time == "2025-10-09T15:20:11+07:00"


def test_a_form_line_with_an_agency_label_is_not_a_stamp():
    page = _page([_segments_line(20, (40, "Cơ quan: Sở Nội vụ tỉnh Lâm Đồng"))], source="text-layer")
    stamps.take_printed_stamp(page)
    assert [ln.text for ln in page.lines] == ["Cơ quan: Sở Nội vụ tỉnh Lâm Đồng"] and page.stamps == []
