"""Rules that turn page lines into the schema fields (header, signature, body, nominees)."""
from __future__ import annotations

from ..model import Page, empty_fields
from .body import period_year, read_body
from .header import read_header
from .nominees import read_nominees
from .signature import read_signature
from .text import Found, all_lines


def read_fields(pages: list[Page]) -> tuple[dict, dict]:
    """The schema object and its provenance."""
    lines = all_lines(pages)
    found: dict = dict(read_header(pages))
    _check_number_code(found)
    found.update(read_signature(pages, lines))
    body = _body_lines(lines, found)
    subject = found.get("subject")
    year = period_year(subject.value if subject else None, " ".join(ln.text for ln in body))
    if year is not None:
        found["period_year"] = Found(year, subject.line if subject else body[0], 0.85)
    doc_type = found["doc_type"].value if "doc_type" in found else None
    found.update(read_body(body, doc_type, year))
    nominees, nominee_found = read_nominees(pages, lines[_start(lines, found):])
    return _assemble(found, nominees, nominee_found)


def _check_number_code(found: dict) -> None:
    """An OCR'd number whose type code contradicts the type title (`70/TT-…` under TỜ TRÌNH) is not
    trusted: null rather than a wrong number."""
    number, doc_type = found.get("number"), found.get("doc_type")
    if number is None or doc_type is None or number.line.source != "ocr" or doc_type.value in (None, "CV"):
        return
    codes = [part.split("-")[0] for part in number.value.split("/")[1:]]
    if doc_type.value not in codes:
        found["number"] = None


def _start(lines, found) -> int:
    """Index of the first body line (after the subject, or 0)."""
    anchor = found.get("subject") or found.get("doc_type")
    if anchor is None:
        return 0
    return next((i + 1 for i, ln in enumerate(lines) if ln is anchor.line or ln.top >= anchor.line.top
                 and ln.page == anchor.line.page), 0)


def _body_lines(lines, found) -> list:
    """Lines between the header and the signature block."""
    start = _start(lines, found)
    stop = next((i for i, ln in enumerate(lines) if i >= start and ln.text.lower().lstrip()
                 .startswith(("nơi nhận", "noi nhan"))), len(lines))
    return lines[start:stop] or lines[start:] or lines


def _assemble(found: dict, nominees: list, nominee_found) -> tuple[dict, dict]:
    """Fill the schema object and the provenance map."""
    fields, provenance = empty_fields(), {}
    for key, item in found.items():
        if item is None:
            continue
        target = fields["metrics"] if key in fields["metrics"] else fields
        target[key] = item.value
        provenance[("metrics." + key) if target is not fields else key] = item.provenance()
    fields["nominees"] = nominees
    if nominee_found is not None:
        provenance["nominees"] = nominee_found.provenance()
    return fields, provenance
