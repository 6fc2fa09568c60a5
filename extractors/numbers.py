"""Integers written in digits (`1.250`, `02`) or in Vietnamese words (`mười hai`)."""
from __future__ import annotations

import re

DIGITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
TENS = {"mười": 10}
SCALES = {"trăm": 100, "nghìn": 1000, "ngàn": 1000, "triệu": 1_000_000}
FILLERS = {"linh", "lẻ"}
NUMBER_WORDS = set(DIGITS) | set(TENS) | set(SCALES) | FILLERS | {"mươi"}
DIGIT_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$|^\d+$")


def parse_digits(text: str) -> int | None:
    """Parse `1.250` or `02` as an integer; None for anything else."""
    text = text.strip()
    return int(text.replace(".", "")) if DIGIT_RE.match(text) else None


def parse_words(words: list[str]) -> int | None:
    """Parse a sequence of Vietnamese number words (`hai mươi lăm`) as an integer."""
    words = [w.lower() for w in words]
    if not words or any(w not in NUMBER_WORDS for w in words):
        return None
    total, group, last = 0, 0, None
    for w in words:
        group, total, last = _step(w, group, total, last)
        if group is None:
            return None
    return total + group


def _step(w: str, group: int, total: int, last: str | None):
    """Apply one number word to the running (group, total)."""
    if w in DIGITS:
        return group + DIGITS[w], total, w
    if w == "mười":
        return group + 10, total, w
    if w == "mươi":
        return (group * 10 if last in DIGITS else None), total, w
    if w in FILLERS:
        return group, total, w
    scale = SCALES[w]
    if scale == 100:
        return (group or 1) * 100, total, w
    return 0, total + (group or 1) * scale, w


def longest_number_words(tokens: list[str], start: int) -> tuple[int, int | None]:
    """Return (end, value) of the longest run of number words from `start`."""
    end = start
    while end < len(tokens) and tokens[end].lower() in NUMBER_WORDS:
        end += 1
    while end > start:
        value = parse_words(tokens[start:end])
        if value is not None:
            return end, value
        end -= 1
    return start, None
