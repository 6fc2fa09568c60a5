"""Rebuild reading-order lines from positioned words (the same for text layer and OCR)."""
from __future__ import annotations

import unicodedata

from .model import Line, Word

SEGMENT_GAP = 1.6  # a horizontal gap wider than this many line heights separates two columns


def nfc(text: str) -> str:
    """Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def build_lines(words: list[Word], page: int, source: str) -> list[Line]:
    """Group words into lines top-to-bottom, each line left-to-right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        row = _row_for(rows, word)
        row.append(word) if row is not None else rows.append([word])
    lines = [Line(sorted(r, key=lambda w: w.x0), page, source) for r in rows]
    return sorted(lines, key=lambda ln: ln.top)


def _row_for(rows: list[list[Word]], word: Word) -> list[Word] | None:
    """The recent row whose vertical band holds the word's centre, if any."""
    centre = (word.top + word.bottom) / 2
    for row in reversed(rows[-3:]):
        top = sorted(w.top for w in row)[len(row) // 2]
        bottom = sorted(w.bottom for w in row)[len(row) // 2]
        if top <= centre <= bottom and not _overlaps(row, word):
            return row
    return None


def _overlaps(row: list[Word], word: Word) -> bool:
    """True when the word sits on top of a word already in the row (another line)."""
    return any(min(w.x1, word.x1) - max(w.x0, word.x0) > 0.5 * (word.x1 - word.x0) for w in row)


def segments(line: Line, gap: float = SEGMENT_GAP) -> list[Line]:
    """Split a line where a wide horizontal gap separates columns."""
    parts, current = [], [line.words[0]]
    limit = gap * line.height
    for prev, word in zip(line.words, line.words[1:], strict=False):
        if word.x0 - prev.x1 > limit:
            parts.append(current)
            current = []
        current.append(word)
    parts.append(current)
    return [Line(p, line.page, line.source) for p in parts]


def clean_words(words: list[Word]) -> list[Word]:
    """NFC the text and drop empty words."""
    out = []
    for w in words:
        w.text = nfc(w.text).strip().replace("Ð", "Đ")  # OCR reads Đ as the Icelandic Eth
        if w.text:
            out.append(w)
    return out
