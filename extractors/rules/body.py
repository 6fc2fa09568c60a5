"""The body of a report: figures (metrics), the self-rating, the ANTT statement, the period year."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Line
from .nlp import analyse
from .text import Found, fold

HEADING_RE = re.compile(r"^\s*([IVXL]+\.|\d+\.|[a-zđ]\)|-|\+|•)\s*")
FORWARD = ("phuong huong", "nhiem vu nam", "dang ky", "chi tieu", "ke hoach nam")
TARGET_WORDS = ("phan dau", "chi tieu", "dang ky", "cam ket", "it nhat", "tro len", "du kien",
                "se to chuc", "khong de xay ra", "muc tieu")
NO_RESULT_TYPES = {"KH", "ĐK", "HD", "CTr", "GM", "QĐ", "NĐ", "QC", "QyĐ", "CT", "NQ", "GK", "TT", "CĐ", "TB"}
# a plan looks ahead: its `năm 2026` is a horizon, never the period covered
NO_PERIOD_TYPES = {"KH"}
YEAR_RE = re.compile(r"(?<!thang )(?<!\d )nam (\d{4})\b")


@dataclass
class Sentence:
    text: str
    line: Line
    section: str


def sentences(lines: list[Line]) -> list[Sentence]:
    """Body sentences, each with the line it starts on and the section heading above it."""
    out: list[Sentence] = []
    section = ""
    parts: list[str] = []
    first: Line | None = None
    for line in lines:
        text = line.text
        if HEADING_RE.match(text) and parts and first is not None:     # parts begin at `first`
            out += _split(" ".join(parts), first, section)
            parts, first = [], None
        if re.match(r"^\s*[IVXL]+\.\s", text):
            section = fold(text)
        elif _short_heading(text) and not any(w in section for w in FORWARD):
            section = fold(text)
        parts.append(text)
        first = first or line
    if parts and first is not None:
        out += _split(" ".join(parts), first, section)
    return out


def _short_heading(text: str) -> bool:
    """`4. Phương hướng năm 2027`: a numbered heading line, not a numbered sentence."""
    m = re.match(r"^\s*\d{1,2}\.\s+(.*)$", text)
    return m is not None and len(m.group(1).split()) <= 10 and not m.group(1).rstrip().endswith((".", ";", ":", ","))


def _split(text: str, line: Line, section: str) -> list[Sentence]:
    """Split a paragraph at sentence ends and semicolons."""
    pieces = re.split(r"(?<=[.;!?])\s+(?=[^\d\s])", text)
    return [Sentence(p, line, section) for p in pieces if p.strip()]


def read_body(lines: list[Line], doc_type: str | None, period: int | None, subject: str | None = None) -> dict:
    """Metrics, self_rating and antt_standard as Found values."""
    from .nominees import without_criteria
    if doc_type in NO_RESULT_TYPES or not about_movement(lines, subject):
        return {}
    lines = without_criteria(lines)          # award criteria state no result of the unit
    sents = [s for s in sentences(lines) if not _legal_basis(fold(s.text).lstrip())]
    docs = analyse([s.text for s in sents])
    out: dict = {}
    out.update(read_metrics(sents, docs))
    out.update(_rating(sents, docs, period))
    out.update(_antt(sents, docs, period))
    return out


MOVEMENT_RE = re.compile(r"an ninh to quoc|phong trao toan dan|an toan ve an ninh")


def about_movement(lines: list[Line], subject: str | None = None) -> bool:
    """The movement's figures, rating and ANTT standard are only read from a document about the
    movement (a health report's `xếp loại Xuất sắc` of its staff or its `0 vụ` are not them)."""
    return MOVEMENT_RE.search(fold(" ".join([subject or ""] + [ln.text for ln in lines]))) is not None


def _legal_basis(f: str) -> bool:
    """`Căn cứ Luật …;` / `Xét đề nghị …`: citations of other documents, not statements."""
    head = " ".join(f.split()[:5])
    return f.startswith("xet de nghi") or f.startswith("can cu") and bool(
        re.search(r"luat|nghi dinh|thong tu|quyet dinh|ke hoach|huong dan|chi thi|nghi quyet|cong van|\bso\b", head))


# ----------------------------------------------------------------- metrics
UNITS = {"buoi": "session", "cuoc": "session", "dot": "session", "luot": "people", "nguoi": "people",
         "mo": "model", "tin": "tip", "nguon": "tip", "vu": "case"}


def read_metrics(sents: list[Sentence], docs) -> dict:
    """First stated value per metric, from number + unit + clause context."""
    out: dict = {}
    for sent, doc in zip(sents, docs, strict=False):
        if _forward_looking(sent):
            continue
        for key, value in _sentence_metrics(fold(sent.text), doc._.figures):
            out.setdefault(key, Found(value, sent.line, 0.9))
    return out


def _forward_looking(sent: Sentence) -> bool:
    """Targets and commitments, or a section about next year, are not results."""
    f = fold(sent.text)
    return any(w in f for w in TARGET_WORDS) or any(w in sent.section for w in FORWARD)


def _sentence_metrics(f: str, figures: list[dict]) -> list[tuple[str, int]]:
    """(metric, value) pairs a sentence states, zeros included."""
    found = [kv for fig in figures for kv in [_classify(f, fig)] if kv]
    found += _zeros(f)
    return found


def _classify(f: str, fig: dict) -> tuple[str, int] | None:
    """Which metric a number is, from the unit after it and the clause around it."""
    words = [fold(w) for w in fig["words"]]
    after = " ".join(words[fig["end"]:fig["end"] + 3])
    before = " ".join(words[max(0, fig["start"] - 4):fig["start"]])
    unit = UNITS.get(after.split(" ")[0] if after else "")
    clause = _clause(words, fig)
    return _metric_for(unit, after, before, clause, f, fig["value"])


def _clause(words: list[str], fig: dict) -> str:
    """The words of the clause (between commas/semicolons) around the number, plus a little more."""
    stops = {";", ".", ":"}
    start = max([i for i in range(fig["start"]) if words[i] in stops] + [-1]) + 1
    end = min([i for i in range(fig["end"], len(words)) if words[i] in stops] + [len(words)])
    return " ".join(words[start:end])


def _metric_for(unit, after, before, clause, sentence, value):
    """Map (unit, context) to a metric key."""
    if unit == "session" and "tuyen truyen" in sentence:
        return "propaganda_sessions", value
    if unit == "people" and "tuyen truyen" in sentence and _is_attendance(after, clause):
        return "propaganda_participants", value
    if unit == "model" and after.startswith("mo hinh") and not re.search(r"\b(them|moi)\s*$", before):
        return "models_count", value
    if unit == "tip" and ("to giac" in clause or "tin bao" in clause) and "trong do" not in before:
        return "tips_reported", value
    if unit == "case":
        return _case_metric(after, before, clause, value)
    return None


def _is_attendance(after: str, clause: str) -> bool:
    """`lượt (người) dự/tham dự/tham gia`."""
    return after.startswith("luot") or any(w in clause for w in ("tham du", "tham gia", " du"))


def _case_metric(after: str, before: str, clause: str, value: int):
    """A number of `vụ`: mediated cases, or security incidents."""
    if "hoa giai thanh" in before or after.startswith(("vu hoa giai thanh", "vu viec hoa giai thanh")):
        return "mediations", value
    if "xay ra" in clause and ("tiep nhan" not in before) and "hoa giai" not in clause:
        return "incidents", value
    return None


ZERO_PATTERNS = (
    (re.compile(r"khong (co|nhan duoc|phat hien) (tin bao|tin to giac|nguon tin)"), "tips_reported"),
    (re.compile(r"khong (xay ra|co|phat sinh|de xay ra) (vu viec|vu)( [\w ,]*)? (nao|an ninh|trat tu|phuc tap)"),
     "incidents"),
)


def _zeros(f: str) -> list[tuple[str, int]]:
    """A stated zero (`không có tin báo`, `không xảy ra vụ việc nào`) is 0."""
    return [(key, 0) for pattern, key in ZERO_PATTERNS if pattern.search(f)]


# ----------------------------------------------------------------- rating and ANTT
def _rating(sents: list[Sentence], docs, period: int | None) -> dict:
    """The unit's own rating: a sentence about rating (xếp loại …) naming exactly one level."""
    for sent, doc in zip(sents, docs, strict=False):
        f = fold(sent.text)
        levels = {e.ent_id_ for e in doc.ents if e.label_ == "RATING"}
        if len(levels) != 1 or not re.search(r"xep loai|tu danh gia|dat loai|danh gia", f):
            continue
        if _other_year(f, period) or re.search(r"\bmuc\b|hay|hoac", f):
            continue
        return {"self_rating": Found(levels.pop(), sent.line, 0.9)}
    return {}


def _other_year(f: str, period: int | None) -> bool:
    """The sentence is about another year than the period."""
    return any(period and int(y) != period for y in YEAR_RE.findall(f))


def _antt(sents: list[Sentence], docs, period: int | None) -> dict:
    """`đạt` / `chưa đạt` / `không đạt` tiêu chuẩn “An toàn về an ninh, trật tự”."""
    for sent, doc in zip(sents, docs, strict=False):
        f = fold(sent.text)
        if not any(e.label_ == "ANTT" for e in doc.ents) and "an toan ve an ninh" not in f:
            continue
        if re.search(r"hay|hoac|xay dung|dang ky|phan dau|xet cong nhan|de nghi|cong nhan", f):
            continue
        if _other_year(f, period):
            continue
        value = _reached(f)
        if value is not None:
            return {"antt_standard": Found(value, sent.line, 0.9)}
    return {}


def _reached(f: str) -> bool | None:
    """True for `đạt`, False for `chưa/không đạt`, None when neither is said."""
    if re.search(r"(chua|khong)( duoc)? dat", f):
        return False
    return True if re.search(r"\bdat\b", f) else None


def period_year(subject: str | None, sents_text: str, doc_type: str | None = None) -> int | None:
    """The year the document covers: from its subject, else the year its body names most."""
    if doc_type in NO_PERIOD_TYPES:
        return None
    if subject:
        year = _subject_year(fold(subject))
        if year is not None or re.search(r"\b(?:19|20)\d{2}\b", subject):
            return year             # a subject naming only a horizon, a term or a span: no period
    f = fold(sents_text)
    if "phong trao" not in f and "thi dua" not in f:
        return None
    years = YEAR_RE.findall(f)
    best = max(set(years), key=years.count) if years else None
    return int(best) if best and years.count(best) >= 2 else None


SUBJECT_FORWARD = ("phuong huong", "nhiem vu", "ke hoach", "chi tieu", "muc tieu", "trien khai")
# a year that is a horizon, a term or one end of a span is not the period: `đến năm 2030`,
# `nhiệm kỳ 2021 - 2026`, `giai đoạn 2024 - 2025`, `mùa đông xuân 2017 - 2018`
NOT_PERIOD_RE = re.compile(r"(?:(?:den|toi|nhiem ky|giai doan|tam nhin)\s+(?:nam\s+)?|"
                           r"ngay\s*\d{1,2}\s+thang\s+\d{1,2}\s*(?:[/-]|nam)\s*)$")
SPAN_RE = re.compile(r"\d{4}\s*[-–—]\s*\d{4}")
# `tháng 10-2017`, `tháng 10/2025`, `tháng 10 năm 2017` (not a quoted date `ngày 5 tháng 10 năm 2017`)
MONTH_YEAR_RE = re.compile(r"\bthang \d{1,2}(?:\s*[/-]\s*|\s+nam\s+)((?:19|20)\d{2})\b")


def _subject_year(f: str) -> int | None:
    """The year a subject is about: `… năm 2026 và phương hướng, nhiệm vụ năm 2027` → 2026."""
    years: list = []
    last = 0
    spans = [m.span() for m in SPAN_RE.finditer(f)]
    found = list(YEAR_RE.finditer(f)) + list(MONTH_YEAR_RE.finditer(f))
    for match in sorted(found, key=lambda m: m.start()):
        if NOT_PERIOD_RE.search(f[:match.start(1)]) or any(a <= match.start(1) < b for a, b in spans):
            continue
        between = f[last:match.start()]
        years.append((int(match.group(1)), any(w in between for w in SUBJECT_FORWARD) and bool(years)))
        last = match.end()
    plain = [y for y, forward in years if not forward]
    return plain[0] if plain else (years[-1][0] if years else None)
