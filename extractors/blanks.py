"""Digits written by hand into the printed blanks of an OCR'd header: never a field, always a reason.

A document is typed with its number and day left blank (`Số:      /BC-UBND`, `ngày    tháng 3`);
the clerk writes them in by pen after signing.  Tesseract reads handwriting poorly and says so: the
word holding the written digits gets a low confidence, while typed digits of the same scan read at
0.9 or more.  Written digits also stand apart from the printed code (`23  /BC-UBND`, a token of its
own before the slash) where a typed number is one token (`23/BC-UBND`).  A number or date whose
digits look written in and do not read confidently is left null, and its provenance carries the
reason the clerk sees on the dossier page (`số viết tay — cần kiểm tra`).
"""
from __future__ import annotations

import re

from .model import Line, Page, Word

NUMBER_REASON = "số viết tay — cần kiểm tra"
SEAL_REASON = "dưới con dấu — cần kiểm tra"
SIGNER_KEYS = ("signer_name", "signer_title")   # every signed document prints both
DATE_REASON = "ngày viết tay — cần kiểm tra"
TYPED_CONF = 0.9        # typed digits on a scan read at least this confidently
WRITTEN_CONF = 0.6      # below this even a typed-looking token is not trusted
UNREADABLE_CONF = 0.35  # below this nothing read is trusted, typed-looking or not
TALLER = 1.15          # handwriting stands taller than the printed `Số:` beside it
HEADER_LINES = 16       # the number and the place-date line are in the first lines of page 1

DIGIT_RE = re.compile(r"\d")
NUMBER_LINE_RE = re.compile(r"^(?:\S{1,3}\s+)?\W*s[oóốôơ0-9]\s*[:;.]?", re.IGNORECASE)
LABEL_RE = re.compile(r"\W*s[oóốôơ0-9]\s*[:;.]?", re.IGNORECASE)
# Where the printed type code starts: `/QĐ-SYT`, `⁄QĐ-SYT`, or (slash lost) `TTr-CAT`.
CODE_RE = re.compile(r"[/⁄;]\s*[^\W\d_]|[^\W\d_]{2,}-")
DATE_LINE_RE = re.compile(r"ng[aà]y(?P<day>.*?)th[aá]ng(?P<month>.*?)n[aă]m", re.IGNORECASE)
DAY_RE = re.compile(r"ng[aà]y", re.IGNORECASE)
MONTH_RE = re.compile(r"th[aá]ng", re.IGNORECASE)
YEAR_RE = re.compile(r"n[aă]m", re.IGNORECASE)


def check(fields: dict, provenance: dict, pages: list[Page]) -> None:
    """Null `number` / `issue_date` read from handwriting on an OCR'd page, with the reason; give
    the reason too when the rules found no value because the written digits were unreadable.  The
    number and the day are written in together when the document is issued: a handwritten day makes
    a poorly read number glued to its code handwritten too."""
    if not pages or pages[0].source != "ocr":
        return
    date_line = _line_of(fields.get("issue_date"), provenance.get("issue_date"), pages, DATE_LINE_RE)
    day_written = date_line is not None and date_line.source == "ocr" and _date_written(date_line)
    number_line = _line_of(fields.get("number"), provenance.get("number"), pages, NUMBER_LINE_RE)
    if number_line is not None and number_line.source == "ocr" and _number_written(number_line, day_written):
        _explain(fields, provenance, "number", number_line, NUMBER_REASON)
    if day_written and date_line is not None:
        _explain(fields, provenance, "issue_date", date_line, DATE_REASON)


def under_seal(fields: dict, provenance: dict, pages: list[Page]) -> None:
    """A signer's name or title left null on a colour scan whose last sealed page carries the red
    seal in its lower half (the signature block): tell the clerk the seal hides it."""
    sealed = [p for p in pages if p.seal is not None and p.seal[3] > 0.4 * p.height]
    if not sealed:
        return
    page, seal = sealed[-1], sealed[-1].seal
    assert seal is not None     # sealed pages only
    for key in SIGNER_KEYS:
        if fields.get(key) is None and "reason" not in provenance.get(key, {}):
            provenance[key] = {"page": page.number, "text": "", "source": "ocr", "confidence": 0.0,
                               "reason": SEAL_REASON, "box": [round(v) for v in seal]}


def _line_of(value, prov: dict | None, pages: list[Page], pattern: re.Pattern) -> Line | None:
    """The line a value was read from, or (no value) the first header line of its kind on page 1."""
    if value is not None:
        if not prov or prov.get("source") != "ocr" or not 1 <= prov.get("page", 0) <= len(pages):
            return None
        lines = pages[prov["page"] - 1].lines
        return next((ln for ln in lines if prov.get("text") and prov["text"] in ln.text and pattern.search(ln.text)),
                    None)
    return next((ln for ln in pages[0].lines[:HEADER_LINES] if pattern.search(ln.text)), None)


def _explain(fields: dict, provenance: dict, key: str, line: Line, reason: str) -> None:
    """Set the field null and record why, keeping the line it would have come from."""
    fields[key] = None
    provenance[key] = {"page": line.page, "text": line.text, "source": line.source,
                       "confidence": 0.0, "reason": reason}


def _number_written(line: Line, day_written: bool = False) -> bool:
    """True when the digits after `Số:` look handwritten and are not read confidently.  Digits apart
    from the printed code (`23  /BC-UBND`) must read as typed digits do; digits glued to it
    (`23/BC-UBND`) are typed unless they read poorly and stand taller than the printed `Số:` or the
    day beside them is handwritten (a glued token also reads poorly when OCR doubles a letter of the
    code: `02/ĐĐK-XĐT`)."""
    label, words = _after_label(line.words)
    slash = next((i for i, w in enumerate(words) if CODE_RE.search(w.text)), None)
    if slash is None:
        return False
    digits = words[:slash] + ([] if CODE_RE.match(words[slash].text) else [words[slash]])
    if not digits:
        return False                          # the blank left blank: the rules give null already
    if CODE_RE.match(words[slash].text):
        return _suspect(digits, separate=True)
    taller = day_written or label is None or _height(digits[-1]) >= TALLER * _height(label)
    return (taller and _suspect(digits, separate=False)) or _conf(digits) < UNREADABLE_CONF


def _height(word: Word) -> float:
    """Height of a word's box."""
    return word.bottom - word.top


def _after_label(words: list[Word]) -> tuple[Word | None, list[Word]]:
    """The `Số:` word (None when the digits are glued to it: `Số:4222/QĐ-SYT`) and the words after
    the label."""
    at = next((i for i, w in enumerate(words[:3]) if LABEL_RE.match(w.text)), 0)
    first = words[at]
    rest = LABEL_RE.sub("", first.text, count=1)
    if rest:
        return None, [Word(rest, first.x0, first.x1, first.top, first.bottom, first.conf)] + words[at + 1:]
    return first, words[at + 1:]


def _date_written(line: Line) -> bool:
    """True when the day or month between `ngày`, `tháng` and `năm` looks handwritten: not plain
    digits read confidently (a scrawl glued to a label, `ngày-|§`, `Jÿtháng`, counts too)."""
    words = line.words
    at: dict = {}
    for label, pattern in (("d", DAY_RE), ("m", MONTH_RE), ("y", YEAR_RE)):
        start = at[list(at)[-1]] + 1 if at else 0
        found = next((i for i in range(start, len(words)) if pattern.search(words[i].text)), None)
        if found is None:
            return False
        at[label] = found
    return any(_part_written(words, at[a], at[b], pattern_a, pattern_b)
               for a, b, pattern_a, pattern_b in (("d", "m", DAY_RE, MONTH_RE), ("m", "y", MONTH_RE, YEAR_RE)))


def _part_written(words: list[Word], left: int, right: int, left_re: re.Pattern, right_re: re.Pattern) -> bool:
    """The value between two labels (words between them, and anything glued to either label)."""
    after = left_re.split(words[left].text, maxsplit=1)[-1]
    before = right_re.split(words[right].text, maxsplit=1)[0] if left != right else ""
    parts = [(after, words[left].conf)] + [(w.text, w.conf) for w in words[left + 1:right]] + [
        (before, words[right].conf)]
    parts = [(text.strip(" .,:;"), conf) for text, conf in parts if text.strip(" .,:;")]
    if not parts:
        return False                          # a blank left blank: the rules give null already
    value = "".join(text for text, _ in parts)
    return not value.isdigit() or min(c if c is not None else 1.0 for _, c in parts) < TYPED_CONF


def _suspect(tokens: list[Word], separate: bool) -> bool:
    """Digits (or the scrawl standing for them) not read confidently: below TYPED_CONF for a value
    written apart in a blank, below WRITTEN_CONF for any value."""
    return bool(tokens) and _conf(tokens) < (TYPED_CONF if separate else WRITTEN_CONF)


def _conf(tokens: list[Word]) -> float:
    """The lowest OCR confidence of the tokens."""
    return min(w.conf if w.conf is not None else 1.0 for w in tokens)
