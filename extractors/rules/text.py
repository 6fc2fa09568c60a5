"""Text helpers shared by the rules: accent folding, line views, provenance records."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import Line, Page
from ..quality import valid_share

TEXT_CONFIDENCE = 0.95


def fold(text: str) -> str:
    """Lower case without diacritics, one character per character (indices stay valid)."""
    return "".join(_fold_char(c) for c in text)


def _fold_char(c: str) -> str:
    """One character without its marks, lower case."""
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c.lower()


def squash(text: str) -> str:
    """Collapse whitespace to single spaces."""
    return " ".join(text.split())


def upper_share(text: str) -> float:
    """Share of letters that are upper case."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def is_upper_line(text: str, minimum: float = 0.85) -> bool:
    """True for a line printed in capitals (titles, bodies, signer titles)."""
    return sum(c.isalpha() for c in text) >= 2 and upper_share(text) >= minimum


def readable(text: str, minimum: float = 0.75) -> bool:
    """True when most tokens are real Vietnamese syllables (not stamp or seal noise)."""
    return valid_share(text) >= minimum


@dataclass
class Found:
    """A value and where it was read."""
    value: object
    line: Line
    confidence: float = TEXT_CONFIDENCE

    def provenance(self) -> dict:
        """The `_provenance` record for this value."""
        conf = self.confidence * (self.line.conf if self.line.source == "ocr" else 1.0)
        return {"page": self.line.page, "text": self.line.text, "source": self.line.source,
                "confidence": round(min(1.0, max(0.0, conf)), 3)}


def all_lines(pages: list[Page]) -> list[Line]:
    """Every line of the document in reading order, page numbers and running headers dropped."""
    return [ln for p in pages for ln in p.lines if not _page_number(ln, p)]


def _page_number(line: Line, page: Page) -> bool:
    """A lone number in the top or bottom margin."""
    margin = page.height * 0.08
    in_margin = line.bottom < margin or line.top > page.height - margin
    return in_margin and re.fullmatch(r"[-–\s]*\d{1,3}[-–\s]*", line.text) is not None


def page_width(pages: list[Page], number: int) -> float:
    """Width of page `number`."""
    return next(p.width for p in pages if p.number == number)
