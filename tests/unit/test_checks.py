"""The warnings read off a report's fields (workflows.checks): one row of the table each, and none for the
unit's own report of the year."""
from __future__ import annotations

from datetime import date

import pytest

from workflows.checks import Context, fold, warnings

TODAY = date(2026, 11, 30)
OWN = {"doc_type": "BC", "issuer": "TRƯỜNG THCS PHƯỢNG TIẾN", "parent_issuer": "UBND XÃ PHƯỢNG TIẾN",
       "period_year": 2026, "issue_date": "2026-10-25"}


def codes(fields, unit="Trường THCS Phượng Tiến", year=2026, same=()):
    return [w["code"] for w in warnings(fields, Context(unit, year, TODAY, same))]


def test_the_units_own_report_of_the_year_raises_nothing():
    assert codes(OWN) == []
    assert codes(None) == [], "nothing read yet: nothing to say"


@pytest.mark.parametrize("issuer, unit", [
    ("TRƯỜNG TRUNG HỌC CƠ SỞ PHƯỢNG TIẾN", "Trường THCS Phượng Tiến"),
    ("truong thcs phuong tien", "Trường THCS Phượng Tiến"),
    ("HỘI CCB XÃ PHƯỢNG TIẾN", "Hội Cựu chiến binh xã Phượng Tiến"),
    ("UBND XÃ PHƯỢNG TIẾN", "Ủy ban nhân dân xã Phượng Tiến"),
    ("BAN CÔNG TÁC MẶT TRẬN XÓM KHUÔN LÂN", "Xóm Khuôn Lân"),
    ("CÔNG TY TNHH MAY TÂN DƯƠNG", "Công ty TNHH May Tân Dương"),
])
def test_the_issuer_matches_whatever_its_accents_case_and_abbreviations(issuer, unit):
    assert codes(OWN | {"issuer": issuer, "parent_issuer": None}, unit=unit) == []


def test_a_parent_body_above_the_issuer_counts_as_the_header():
    assert codes(OWN | {"parent_issuer": "XÓM NA PỤC", "issuer": "CHI HỘI PHỤ NỮ"}, unit="Xóm Na Pục") == []


@pytest.mark.parametrize("fields, expected", [
    ({"issuer": "TRƯỜNG MẦM NON PHƯỢNG TIẾN", "parent_issuer": "UBND XÃ PHƯỢNG TIẾN"}, ["issuer_mismatch"]),
    ({"issuer": "CÔNG AN XÃ PHƯỢNG TIẾN", "parent_issuer": "CÔNG AN TỈNH THÁI NGUYÊN", "doc_type": "TTr"},
     ["issuer_mismatch", "not_a_report"]),
    ({"doc_type": "ĐK"}, ["not_a_report"]),
    ({"doc_type": "QĐ"}, ["not_a_report"]),
    ({"period_year": 2025}, ["other_year"]),
    ({"issue_date": "2026-12-01"}, ["issued_after_today"]),
])
def test_each_wrong_document_is_named(fields, expected):
    assert codes(OWN | fields) == expected


def test_today_itself_is_not_after_today_and_an_unreadable_date_says_nothing():
    assert codes(OWN | {"issue_date": TODAY.isoformat()}) == []
    assert codes(OWN | {"issue_date": "2026-13-45"}) == []


def test_the_same_file_in_another_dossier_is_named_with_its_unit():
    found = warnings(OWN, Context("Trường THCS Phượng Tiến", 2026, TODAY, ("Trường Mầm non Phượng Tiến",)))
    assert [w["label"] for w in found] == ["Tệp này đã nộp ở hồ sơ khác"]
    assert "Trường Mầm non Phượng Tiến" in found[0]["detail"]


def test_labels_are_the_vietnamese_the_users_read():
    found = warnings(OWN | {"issuer": "UBND XÃ PHƯỢNG TIẾN", "doc_type": "QĐ", "period_year": 2025,
                            "issue_date": "2027-01-06"}, Context("Xóm Khuôn Lân", 2026, TODAY, ("Xóm Na Pục",)))
    assert [w["label"] for w in found] == ["Cơ quan ban hành khác đơn vị", "Không phải báo cáo",
                                           "Năm báo cáo khác năm thi đua", "Ngày ban hành sau hôm nay",
                                           "Tệp này đã nộp ở hồ sơ khác"]
    assert "06/01/2027" in found[3]["detail"] and "30/11/2026" in found[3]["detail"]


def test_fold_drops_accents_and_expands_abbreviations():
    assert fold("UBND Xã Đồng Tâm") == "uy ban nhan dan xa dong tam".split()
    assert fold("TH&THCS") == "tieu hoc va trung hoc co so".split()
