"""Scan quality: a Vietnamese syllable validator and the per-page rescan gate."""
from __future__ import annotations

import re
import unicodedata

TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
# Rimes with no final consonant (the glide, if any, is part of the rime).
OPEN_RIMES = set("a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu iêu oa oai oao oay oe oeo oi ôi ơi "
                 "ua uây uê ui uy uya uyu uôi uơ ưa ưi ưu ươi ươu yêu".split())
# Nuclei that can (and for ă â iê yê uô ươ uyê must) take a final consonant.
CLOSED_NUCLEI = set("a ă â e ê i o ô ơ u ư y iê yê oa oă oe oo uâ uê uô uy uyê ươ".split())
CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")
STOP_CODAS = ("c", "ch", "p", "t")
FRONT = ("i", "e", "ê", "y")
WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
VOWEL_RE = re.compile(r"[aăâeêioôơuưy]")

POOR_CONFIDENCE = 0.60
POOR_SYLLABLES = 0.70
MIN_WORDS = 15


def split_tone(syllable: str) -> tuple[str, str | None]:
    """Return the syllable without its tone mark, and the tone name (None for ngang)."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tones = [TONE_MARKS[c] for c in decomposed if c in TONE_MARKS]
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    if len(tones) > 1:
        return unicodedata.normalize("NFC", base), "many"
    return unicodedata.normalize("NFC", base), tones[0] if tones else None


def is_valid_syllable(syllable: str) -> bool:
    """True when `syllable` is a well-formed Vietnamese syllable: onset + rime + tone rules."""
    base, tone = split_tone(syllable)
    if tone == "many" or not base:
        return False
    return any(_valid_after_onset(base[len(onset):], onset, tone)
               for onset in ONSETS if base.startswith(onset))


def _valid_after_onset(rime: str, onset: str, tone: str | None) -> bool:
    """Check the rime and the onset/rime/tone constraints."""
    if not rime or not _onset_fits(onset, rime):
        return False
    if rime in OPEN_RIMES:
        return True
    coda = next((c for c in CODAS if rime.endswith(c) and rime[:-len(c)] in CLOSED_NUCLEI), None)
    if coda is None:
        return False
    return coda not in STOP_CODAS or tone in ("sắc", "nặng")


def _onset_fits(onset: str, rime: str) -> bool:
    """Spelling rules: k/gh/ngh before front vowels, c/g/ng elsewhere."""
    front = rime.startswith(FRONT)
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "ng") or (onset == "g" and not rime.startswith("i")):
        return not front or onset == "g" and rime.startswith("i")
    if onset == "qu":
        return not rime.startswith(("u", "o"))
    return True


def valid_share(text: str) -> float:
    """Share of alphabetic tokens that are valid syllables (abbreviations without vowels ignored)."""
    tokens = [t for t in WORD_RE.findall(text) if VOWEL_RE.search(_strip_marks(t.lower()))]
    if not tokens:
        return 0.0
    return sum(map(is_valid_syllable, tokens)) / len(tokens)


def marked_share(text: str) -> float:
    """Share of syllable tokens that carry a Vietnamese mark (tone, ă â ê ô ơ ư or đ): most do in real
    Vietnamese text; an OCR layer made for English has almost none."""
    tokens = [t for t in WORD_RE.findall(text) if VOWEL_RE.search(_strip_marks(t.lower()))]
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if not t.isascii()) / len(tokens)


def _strip_marks(text: str) -> str:
    """Drop tone marks so vowels can be found."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if c not in TONE_MARKS)


def page_report(page) -> dict:
    """Quality figures for one page."""
    return {"page": page.number, "ocr_confidence": page.ocr_confidence,
            "valid_syllables": round(valid_share(page.text), 3), "source": page.source, "blank": page.blank}


def poor_reason(page, report: dict) -> str | None:
    """Vietnamese reason why a page cannot be read reliably, or None."""
    if page.source != "ocr":
        return None
    stats = page.image_stats
    if stats.get("mean", 255) < 90:
        return "ảnh quá tối"
    if stats.get("width", 9999) < 900:
        return "ảnh quá nhỏ (độ phân giải thấp)"
    words = sum(len(line.words) for line in page.lines)
    if words < MIN_WORDS:
        return "không nhận ra chữ (trang trắng, bị cắt hoặc quá mờ)"
    if (report["ocr_confidence"] or 0) < POOR_CONFIDENCE or report["valid_syllables"] < POOR_SYLLABLES:
        return "chữ quá mờ, nhòe hoặc bị cắt, không đọc được"
    return None


def assess(pages: list) -> dict:
    """Per-page quality and the overall rescan verdict with a message for the clerk."""
    reports = [page_report(p) for p in pages]
    printed = [p for p in pages if not p.blank]
    reasons = [(p.number, poor_reason(p, r)) for p, r in zip(pages, reports, strict=False)
               if not p.blank or not printed]
    bad = [(n, why) for n, why in reasons if why]
    message = None
    if bad:
        detail = "; ".join(f"trang {n}: {why}" for n, why in bad)
        message = (f"Bản quét chất lượng kém ({detail}). Đề nghị quét lại văn bản ở độ phân giải "
                   "tối thiểu 300 dpi, đủ sáng, đặt thẳng và không bị cắt mép rồi tải lên lại.")
    return {"pages": reports, "too_poor": bool(bad), "message": message}
