"""Tone and vowel-mark correction of OCR lines (extractors/vi_correct.py), on the real model file."""
import importlib.util
from pathlib import Path

import pytest

from extractors.model import Line, Word
from extractors.vi_correct import correct_line, correct_line_changes, correct_ocr_line


@pytest.mark.parametrize("seen, meant", [
    ("Các gương điển hình tiêu biếu trong phong trào thi đua",
     "Các gương điển hình tiêu biểu trong phong trào thi đua"),
    ("Phố biến, quán triệt kế hoạch đến toàn thể cán bộ", "Phổ biến, quán triệt kế hoạch đến toàn thể cán bộ"),
    ("chủ động phát hiện, giải quyêt kịp thời các vụ việc", "chủ động phát hiện, giải quyết kịp thời các vụ việc"),
    ("ngân sách nhà nước cấp vôn cho các dự án", "ngân sách nhà nước cấp vốn cho các dự án"),
    ("hoàn thành tôt nhiệm vụ năm 2024", "hoàn thành tốt nhiệm vụ năm 2024"),
    ("BÁO CÁO KÊT QUẢ THỰC HIỆN", "BÁO CÁO KẾT QUẢ THỰC HIỆN"),
    ("cập nhật cơ sở đữ liệu quốc gia", "cập nhật cơ sở dữ liệu quốc gia"),   # a bar only on an unknown one
])
def test_tesseract_mark_errors_seen_on_real_scans_are_corrected(seen, meant):
    assert correct_line(seen) == meant


@pytest.mark.parametrize("text", [
    "Ông Nguyên Văn Tuân, Trưởng thôn Phố Mới",          # names after a form of address, a place
    "đề nghị khen thưởng đồng chí Lê Thi Hông",
    "NGUYÊN VĂN TUÂN",                                      # a signer's name in capitals
    "Bà Vũ Thi Mên",
])
def test_names_are_never_touched(text):
    assert correct_line(text) == text


@pytest.mark.parametrize("text", [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Ủy ban nhân dân xã tổ chức tuyên truyền, phổ biến pháp luật cho nhân dân trên địa bàn tỉnh.",
    "Công an xã phối hợp giải quyết 12 vụ việc, hòa giải thành 10 vụ.",
    "Số: 23/BC-UBND ngày 05/3/2025 (12.345 lượt người tham dự)",
    "Đội ngũ cán bộ đạt các tiêu chuẩn sau: có phẩm chất đạo đức tốt, hoàn thành xuất sắc nhiệm vụ.",
])
def test_a_correct_sentence_is_left_unchanged(text):
    assert correct_line_changes(text) == (text, [])


def test_changes_are_reported_and_punctuation_and_case_kept():
    text, changes = correct_line_changes("Phố biến, giải quyêt.")
    assert text == "Phổ biến, giải quyết."
    assert changes == [(0, "Phố", "Phổ"), (3, "quyêt.", "quyết.")]


def test_an_ocr_line_keeps_its_word_boxes():
    texts = "hoàn thành tôt nhiệm vụ".split()
    words = [Word(t, 10.0 * i, 10.0 * i + 8, 5.0, 15.0, 0.9) for i, t in enumerate(texts)]
    line = correct_ocr_line(Line(words, page=2, source="ocr"))
    assert line.text == "hoàn thành tốt nhiệm vụ"
    assert [(w.x0, w.conf) for w in line.words] == [(10.0 * i, 0.9) for i in range(5)]


ROOT = Path(__file__).resolve().parents[2]
ND30 = ROOT / ".." / "shared" / "reference" / "nd30"


@pytest.mark.skipif(not ND30.is_dir(), reason=f"ND30 reference texts not found at {ND30}")
def test_the_shipped_model_file_is_what_its_build_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_vi_syllables", ROOT / "scripts" / "build_vi_syllables.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.main(["--nd30", str(ND30), "--out", str(tmp_path / "vi_syllables.tsv")])
    shipped = ROOT / "extractors" / "data" / "vi_syllables.tsv"
    built = (tmp_path / "vi_syllables.tsv").read_text(encoding="utf-8").splitlines()
    differing = [(i, a, b) for i, (a, b) in enumerate(zip(built, shipped.read_text(encoding="utf-8").splitlines(),
                                                          strict=False)) if a != b]
    # compared line by line with a short message: a whole-file diff of 30 000 lines takes pytest minutes
    assert not differing and len(built) == len(shipped.read_text(encoding="utf-8").splitlines()), differing[:3]
