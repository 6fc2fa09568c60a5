"""Vietnamese formats: dates with leading zeros, document numbers, counts."""
import datetime as dt

import pytest

from doc_templates import filters, formats


def test_dates_have_leading_zeros():
    assert formats.vn_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert formats.vn_date(dt.date(2026, 12, 25)) == "ngày 25 tháng 12 năm 2026"


def test_place_date():
    assert formats.place_date("Phượng Tiến", dt.date(2026, 1, 5)) == "Phượng Tiến, ngày 05 tháng 01 năm 2026"


def test_a_missing_date_leaves_room_to_write_it():
    assert formats.vn_date(None, 2026) == "ngày\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0tháng" \
        "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0năm 2026"


def test_short_date_and_time():
    assert formats.short_date(dt.date(2026, 3, 9)) == "09/03/2026"
    assert formats.vn_datetime(dt.datetime(2026, 1, 3, 8, 5)) == "08 giờ 05 phút, ngày 03 tháng 01 năm 2026"


@pytest.mark.parametrize("seq, type_code, issuer, expected", [
    (5, "QĐ", "UBND", "05/QĐ-UBND"),
    (12, "TTr", "CAX", "12/TTr-CAX"),
    (12, None, "UBND-VX", "12/UBND-VX"),
    (123, "QĐ", "UBND", "123/QĐ-UBND"),
])
def test_doc_number(seq, type_code, issuer, expected):
    assert formats.doc_number(seq, type_code, issuer) == expected


def test_doc_number_starts_at_one():
    with pytest.raises(ValueError):
        formats.doc_number(0, "QĐ", "UBND")


def test_blank_number():
    assert formats.blank_number("QĐ", "UBND").endswith("/QĐ-UBND")
    assert formats.blank_number("QĐ", "UBND").startswith("\u00a0")


def test_clause_punctuation():
    assert filters.clause("Căn cứ Luật A;") == "Căn cứ Luật A;"
    assert filters.clause("Căn cứ Luật A", True) == "Căn cứ Luật A."
    assert filters.clause("Căn cứ Luật A.", False) == "Căn cứ Luật A;"


def test_awardee_summary_counts_with_leading_zeros():
    items = [{"kind": "collective"}] * 2 + [{"kind": "individual"}] * 12
    assert filters.awardee_summary(items) == "02 tập thể và 12 cá nhân"
    assert filters.awardee_summary(items[2:3]) == "01 cá nhân"


def test_numbers_use_vietnamese_separators():
    assert filters.num(1250) == "1.250"
    assert filters.num(2.5) == "2,5"
    assert filters.num(None) == "—"


def test_lower_first_keeps_abbreviations():
    assert filters.lower_first("Đã có thành tích") == "đã có thành tích"
    assert filters.lower_first("UBND xã") == "UBND xã"


def test_finalize_normalises_to_nfc_and_drops_control_characters():
    decomposed = "Nguye\u0302\u0303n\x07"
    assert filters.finalize(decomposed) == "Nguyễn"
    assert filters.finalize(None) == ""
