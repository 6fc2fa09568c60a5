"""OCR confusions fixed by vocabulary: tone marks on the genre's fixed phrases and common surnames.

Tesseract often gets a Vietnamese letter right and its marks wrong (`HIÊU TRƯỞNG`, `Thị đua`,
`an nỉnh`, `Nguyên Xuân Phúc`).  A token is only rewritten when, folded (no marks, lower case),
it spells a phrase of the genre's administrative vocabulary together with its neighbours — a
multi-word context, so an ordinary word is never turned into another one — or, for a person's
name, when its first syllable folds to a very common surname that has no homograph as a surname.
Only OCR text is corrected; letters' case and surrounding punctuation are kept.
"""
from __future__ import annotations

import re
import unicodedata

from .model import Line, Word

# Multi-syllable phrases of the genre (titles, the movement, the report's vocabulary).  Phrases whose
# folded form is also another common phrase are left out (`bảo vệ` / `báo về`).
PHRASES = [
    "hiệu trưởng", "phó hiệu trưởng", "chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc",
    "trưởng công an", "công an xã", "công an huyện", "công an tỉnh", "thủ tướng", "chính phủ",
    "ủy ban nhân dân", "ban chấp hành", "trưởng ban", "trưởng thôn", "trưởng xóm", "trưởng bản",
    "tổ trưởng", "bí thư", "trưởng trạm", "chánh văn phòng", "trưởng phòng",
    "thi đua", "phong trào thi đua", "toàn dân", "an ninh tổ quốc", "an ninh", "trật tự",
    "an toàn về an ninh", "tuyên truyền", "hòa giải thành", "tố giác", "tin báo", "mô hình",
    "khen thưởng", "đề nghị", "giấy khen", "bằng khen", "tập thể", "cá nhân", "xếp loại", "xuất sắc",
    "tiêu chuẩn", "đăng ký", "nghị định", "quyết định", "tờ trình", "báo cáo", "kế hoạch",
    "quy định chi tiết", "chi tiết thi hành", "thi hành", "một số điều", "kết quả thực hiện",
    "độc lập", "tự do", "hạnh phúc", "cộng hòa", "xã hội chủ nghĩa",
    # units named in nominee lists
    "chi hội", "chi đoàn", "chi bộ", "chi hội trưởng", "bí thư chi bộ", "tổ tự quản", "tổ bảo vệ",
    "tổ hòa giải", "tổ an ninh", "tổ sản xuất", "tổ dân phố", "tổ dịch vụ", "tổ viên",
    "tổ chức", "hành chính",
    # bodies in headers and signature blocks
    "sở y tế", "y tế", "hội đồng", "thẩm định", "đấu thầu", "thanh tra", "nội vụ", "tư pháp",
    "giáo dục và đào tạo", "hiệp hội", "doanh nghiệp", "ban chỉ đạo", "ban kiểm tra", "kiểm tra",
    "văn phòng", "nhân dân", "thành phố", "ủy ban", "mặt trận tổ quốc", "thường trực",
    "ubnd tỉnh", "ubnd huyện", "ubnd xã", "ubnd thành phố", "về việc",
]
# Provinces and cities (before and after the 2025 merger), read after `tỉnh` / `thành phố` and, where
# the folded name is no common pair of words, on their own (a place before the date)
PROVINCES = [
    "an giang", "bà rịa - vũng tàu", "bắc giang", "bắc kạn", "bạc liêu", "bắc ninh", "bến tre", "bình định",
    "bình dương", "bình phước", "bình thuận", "cà mau", "cao bằng", "đắk lắk", "đắk nông", "điện biên",
    "đồng nai", "đồng tháp", "gia lai", "hà giang", "hà tĩnh", "hậu giang", "hòa bình", "hưng yên",
    "khánh hòa", "kiên giang", "kon tum", "lai châu", "lâm đồng", "lạng sơn", "lào cai", "long an",
    "nam định", "nghệ an", "ninh bình", "ninh thuận", "phú thọ", "phú yên", "quảng bình", "quảng nam",
    "quảng ngãi", "quảng ninh", "quảng trị", "sóc trăng", "sơn la", "tây ninh", "thái bình", "thái nguyên",
    "thanh hóa", "thừa thiên huế", "tiền giang", "trà vinh", "tuyên quang", "vĩnh long", "vĩnh phúc",
    "yên bái", "đà nẵng", "cần thơ", "hà nội", "hồ chí minh", "tuyên quang",
]
HOMOGRAPH_PLACES = {"hải phòng", "hải dương", "hà nam", "huế"}
PHRASES += PROVINCES + [f"{head} {p}" for p in PROVINCES + sorted(HOMOGRAPH_PLACES)
                        for head in ("tỉnh", "thành phố")]
# Surnames common enough that a tone-mark variant of them is an OCR error, with no homograph that is
# itself a surname (`Lương`/`Lường`, `Trịnh`/`Trình`, `Hà`/`Hạ` are left out).
SURNAMES = ["Nguyễn", "Trần", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương",
            "Đinh", "Nông", "Triệu"]
PUNCT_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


def _fold(text: str) -> str:
    """Lower case, no marks, đ → d."""
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


_INDEX: dict[tuple[str, ...], tuple[str, ...]] = {}
for _phrase in sorted(PHRASES, key=lambda p: -len(p.split())):
    _INDEX.setdefault(tuple(_fold(w) for w in _phrase.split()), tuple(_phrase.split()))
_LONGEST = max(len(k) for k in _INDEX)
_SURNAMES = {_fold(s): s for s in SURNAMES}


def _recase(correct: str, seen: str) -> str:
    """`correct` in the case pattern of `seen` (UPPER, Title or lower)."""
    if seen.isupper():
        return correct.upper()
    if seen[:1].isupper():
        return correct[:1].upper() + correct[1:]
    return correct


def _core(token: str) -> tuple[str, str, str]:
    """(leading punctuation, letters, trailing punctuation)."""
    match = PUNCT_RE.match(token)
    assert match is not None        # the pattern matches every string
    return match.group(1), match.group(2), match.group(3)


def correct_words(words: list[Word]) -> list[Word]:
    """Restore the marks of vocabulary phrases in a run of OCR words (in place; returns the list)."""
    cores = [_core(w.text) for w in words]
    folded = [_fold(c[1]) for c in cores]
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 1, -1):
            key = tuple(folded[i:i + n])
            target = _INDEX.get(key)
            # punctuation may only close the phrase (`Phúc,`), never split it
            if target and all(not cores[j][2] and not cores[j + 1][0] for j in range(i, i + n - 1)):
                for j, good in zip(range(i, i + n), target, strict=False):
                    lead, core, trail = cores[j]
                    fixed = _recase(good, core)
                    if fixed != core and not _same_but_tone_place(fixed, core):
                        words[j].text = unicodedata.normalize("NFC", lead + fixed + trail)
                i += n - 1
                break
        i += 1
    return words


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _same_but_tone_place(a: str, b: str) -> bool:
    """`UỶ` / `ỦY`, `xoá` / `xóa`: the same syllable with the tone mark on another vowel (the old
    style, kept as printed)."""
    def parts(text):
        marks = unicodedata.normalize("NFD", text)
        return "".join(c for c in marks if c not in TONES), sorted(c for c in marks if c in TONES)
    return parts(a) == parts(b)


def correct_line(line: Line) -> Line:
    """correct_words on one line."""
    correct_words(line.words)
    return line


def correct_surname(name: str) -> str:
    """`Nguyên Xuân Phúc` → `Nguyễn Xuân Phúc` (first syllable only, common surnames only)."""
    parts = name.split(" ")
    if len(parts) < 2:
        return name
    good = _SURNAMES.get(_fold(parts[0]))
    if good and parts[0] != good and parts[0] not in SURNAMES:
        parts[0] = _recase(good, parts[0]) if parts[0].isupper() else good
    return " ".join(parts)
