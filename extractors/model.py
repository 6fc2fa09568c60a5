"""Data shapes shared by the extractor: words, lines, pages and the result."""
from __future__ import annotations

from dataclasses import dataclass, field

METRIC_KEYS = ("propaganda_sessions", "propaganda_participants", "models_count",
               "tips_reported", "mediations", "incidents")
SCALAR_KEYS = ("doc_type", "number", "issue_date", "place", "issuer", "parent_issuer", "subject",
               "signer_name", "signer_title", "signing_authority", "period_year", "self_rating",
               "antt_standard")


class ExtractionError(Exception):
    """The file cannot be read as a document; the message is in Vietnamese."""


class OcrUnavailable(RuntimeError):
    """The OCR tools are missing, crashed or hung: a server problem, so the job may be retried."""


def empty_fields() -> dict:
    """Return the schema object with every value null."""
    out: dict = {key: None for key in SCALAR_KEYS}
    out["metrics"] = {key: None for key in METRIC_KEYS}
    out["nominees"] = []
    return out


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float | None = None
    bold: bool = False


@dataclass
class Line:
    words: list[Word]
    page: int = 1
    source: str = "text-layer"

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return sorted(w.bottom - w.top for w in self.words)[len(self.words) // 2]

    @property
    def conf(self) -> float:
        confs = [w.conf for w in self.words if w.conf is not None]
        return sum(confs) / len(confs) if confs else 1.0

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    source: str
    ocr_confidence: float | None = None
    columns: list[float] | None = None  # x boundaries of a ruled table, when the text layer has one
    tables: list[tuple[float, float, float, float]] = field(default_factory=list)  # ruled tables' boxes
    image_stats: dict = field(default_factory=dict)
    grids: list[dict] = field(default_factory=list)  # OCR pages: ruled tables' rules and cell cuts
    stamps: list = field(default_factory=list)  # digital-signature stamp boxes drawn on the page
    blank: bool = False  # no ink: the back of a duplex scan, not OCR'd
    seal: tuple[float, float, float, float] | None = None  # box of a red seal on a colour scan

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Extraction:
    fields: dict
    provenance: dict
    pages: int
    page_sources: list[str]
    quality: dict
    text: str
    stamps: list = field(default_factory=list)  # `_signature_stamp` records (signer, body, time)

    def to_dict(self, explain: bool = False) -> dict:
        """Return the schema JSON object, with `_provenance` when `explain`."""
        out = dict(self.fields)
        if explain:
            out["_provenance"] = {k: v for k, v in self.provenance.items() if not k.startswith("_")}
            if self.stamps:
                out["_signature_stamp"] = self.stamps
        return out
