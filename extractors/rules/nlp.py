"""The spaCy side: a lazily built, cached `spacy.blank("vi")` pipeline with our rule components."""
from __future__ import annotations

import re
from functools import lru_cache

from ..numbers import longest_number_words, parse_digits
from .text import fold

# Nghị định 30/2020 Phụ lục III, plus NĐ, ĐK (bản/phiếu đăng ký) and GK (giấy khen).
TYPE_TITLES = {
    "nghi quyet": "NQ", "quyet dinh": "QĐ", "chi thi": "CT", "quy che": "QC", "quy dinh": "QyĐ",
    "thong cao": "TC", "thong bao": "TB", "huong dan": "HD", "chuong trinh": "CTr", "ke hoach": "KH",
    "phuong an": "PA", "de an": "ĐA", "du an": "DA", "bao cao": "BC", "bien ban": "BB", "to trinh": "TTr",
    "hop dong": "HĐ", "cong dien": "CĐ", "ban ghi nho": "BGN", "ban thoa thuan": "BTT",
    "giay uy quyen": "GUQ", "giay moi": "GM", "giay gioi thieu": "GGT", "giay nghi phep": "GNP",
    "phieu gui": "PG", "phieu chuyen": "PC", "phieu bao": "PB", "nghi dinh": "NĐ", "ban dang ky": "ĐK",
    "phieu dang ky": "ĐK", "dang ky": "ĐK", "giay khen": "GK", "thong tu": "TT",
}
RATINGS = ("Xuất sắc", "Khá", "Trung bình", "Yếu")
ANTT_PHRASES = ("an toàn về an ninh, trật tự", "an toàn về an ninh trật tự", "an toàn về antt")


def type_code(title: str) -> str | None:
    """The type code for a type title (`BÁO CÁO` → `BC`), OCR noise at the ends tolerated."""
    key = " ".join(re.sub(r"[^a-z ]", " ", fold(title)).split())
    return TYPE_TITLES.get(key) or _SINGLE_LETTERS.get(re.sub(r"(.)\1+", r"\1", key))


# OCR doubles a letter with its marks (`KÉẺ HOẠCH`): titles compared with runs of a letter made one
_SINGLE_LETTERS = {re.sub(r"(.)\1+", r"\1", k): v for k, v in TYPE_TITLES.items()}


@lru_cache(maxsize=1)
def pipeline():
    """Build the pipeline once, on first use (never at import time)."""
    import spacy
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("figures"):
        Doc.set_extension("figures", default=[])
    if "vi_figures" not in Language.factories:
        Language.component("vi_figures", func=find_figures)
    nlp = spacy.blank("vi")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(_ruler_patterns(nlp))
    nlp.add_pipe("vi_figures")
    return nlp


def _ruler_patterns(nlp) -> list[dict]:
    """Rating levels and the ANTT standard phrase, with and without diacritics (OCR)."""
    patterns = [{"label": "RATING", "pattern": r, "id": r} for r in RATINGS]
    patterns += [{"label": "RATING", "pattern": fold(r), "id": r} for r in RATINGS]
    patterns += [{"label": "ANTT", "pattern": p} for p in ANTT_PHRASES]
    patterns += [{"label": "ANTT", "pattern": fold(p)} for p in ANTT_PHRASES]
    return patterns


def find_figures(doc):
    """Custom component: every integer (digits or Vietnamese words) with the words after it."""
    words = [(w, tok.i) for tok in doc for w in tok.text.split()]
    texts = [w for w, _ in words]
    figures, i = [], 0
    while i < len(texts):
        end, value = _number_at(texts, i)
        if value is not None and not _year_word(texts, i, end):
            figures.append({"value": value, "start": i, "end": end, "words": texts})
            i = end
        else:
            i += 1
    doc._.figures = figures
    return doc


def _year_word(texts: list[str], start: int, end: int) -> bool:
    """`năm 2026`, `tháng năm`: the word is the calendar word, not five."""
    return not texts[start][0].isdigit() and end < len(texts) and texts[end][:1].isdigit()


def _number_at(texts: list[str], i: int) -> tuple[int, int | None]:
    """(end, value) of a number starting at word i, skipping a `(hai)` gloss after digits."""
    value = parse_digits(texts[i])
    if value is None:
        return longest_number_words(texts, i)
    end = i + 1
    if end < len(texts) and texts[end] == "(":
        close = next((j for j in range(end, min(end + 6, len(texts))) if texts[j] == ")"), None)
        end = close + 1 if close is not None else end
    return end, value


def analyse(texts: list[str]):
    """Run the pipeline over sentences."""
    return list(pipeline().pipe(texts))
