"""Vietnamese number words, digit groups and the syllable validator."""
import pytest

from extractors.numbers import parse_digits, parse_words
from extractors.quality import is_valid_syllable, valid_share


@pytest.mark.parametrize("text,value", [("12", 12), ("02", 2), ("1.250", 1250), ("6.420", 6420), ("1,5", None)])
def test_digits_with_dot_thousands_are_integers(text, value):
    assert parse_digits(text) == value


@pytest.mark.parametrize("words,value", [
    ("mười hai", 12), ("hai mươi lăm", 25), ("một trăm linh năm", 105), ("hai trăm", 200),
    ("ba nghìn hai trăm", 3200), ("mười", 10), ("bốn mươi mốt", 41), ("hai mươi tư", 24),
])
def test_number_words_are_integers(words, value):
    assert parse_words(words.split()) == value


def test_non_number_words_are_not_numbers():
    assert parse_words(["buổi"]) is None


@pytest.mark.parametrize("syllable", ["nghiêng", "khuyến", "Phượng", "quốc", "giữa", "HIỆU", "thuyền", "Ở"])
def test_real_syllables_are_valid(syllable):
    assert is_valid_syllable(syllable)


@pytest.mark.parametrize("syllable", ["TRAOIHHAE", "phUC", "ngie", "kan", "tă", "ghu", "xyz"])
def test_noise_is_not_a_syllable(syllable):
    assert not is_valid_syllable(syllable)


def test_stop_codas_take_only_sac_or_nang():
    assert is_valid_syllable("tốt") and is_valid_syllable("việc")
    assert not is_valid_syllable("tồt") and not is_valid_syllable("viêc")


def test_share_of_valid_syllables_separates_text_from_noise():
    assert valid_share("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015") == 1.0
    assert valid_share("._— XZ(M 14) 1A VU ẤRA(AXISA DJAL`S") < 0.5
