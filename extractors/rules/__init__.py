"""Rules that turn page lines into the schema fields (header, signature, body, nominees)."""
from __future__ import annotations

from ..model import Page, empty_fields
from .body import period_year, read_body
from .header import read_header
from .nominees import read_nominees
from .signature import read_signature
from .text import Found, all_lines, fold


def read_fields(pages: list[Page]) -> tuple[dict, dict]:
    """The schema object and its provenance."""
    lines = all_lines(pages)
    found: dict = dict(read_header(pages))
    _check_number_code(found)
    found.update(read_signature(pages, lines))
    _marks_from_issuer(found)
    body = _body_lines(lines, found)
    subject = found.get("subject")
    doc_type = found["doc_type"].value if found.get("doc_type") else None
    year = period_year(subject.value if subject else None, " ".join(ln.text for ln in body), doc_type)
    if year is not None:
        found["period_year"] = Found(year, subject.line if subject else body[0], 0.85)
    found.update(read_body(body, doc_type, year, subject.value if subject else None))
    nominees, nominee_found = read_nominees(pages, lines[_start(lines, found):], doc_type,
                                            subject.value if subject else None)
    return _assemble(found, nominees, nominee_found)


def _marks_from_issuer(found: dict) -> None:
    """On a scan `BAN`/`BẢN`/`BẠN` differ only by marks the OCR confuses: the unit the signer heads
    (`TRƯỞNG BẢN`) or signs for (`TM. BAN BẢO VỆ DÂN PHỐ`) is spelt as in the issuer's name."""
    issuer = found.get("issuer")
    if issuer is None or not issuer.value:
        return
    unit = issuer.value.split()
    _drop_unit_tail(found, unit)
    for key in ("signer_title", "signing_authority"):
        item = found.get(key)
        if item is None or item.line.source != "ocr" or not item.value:
            continue
        words = item.value.split()
        if key == "signing_authority":
            head, rest = words[:1], words[1:]
            for i, (seen, good) in enumerate(zip(rest, unit, strict=False)):
                if fold(seen) != fold(good):
                    break
                rest[i] = good
            words = head + rest
        elif (len(words) >= 2 and fold(words[-2]) == "truong" and fold(words[-1]) == fold(unit[0])
              and words[-1] != unit[0]):
            words[-1] = unit[0]
        value = " ".join(words)
        if value != item.value:
            found[key] = Found(value, item.line, item.confidence)


def _drop_unit_tail(found: dict, unit: list[str]) -> None:
    """An OCR'd title that opens with words of the issuer's name (`NHÂN DÂN ỊCH`: the end of a lost
    `TM. ỦY BAN NHÂN DÂN` line) keeps only a known title after them, else it is null."""
    from .signature import _known_title
    item = found.get("signer_title")
    if item is None or item.line.source != "ocr" or found.get("signing_authority") or not item.value:
        return
    words, folded_unit = item.value.split(), " " + " ".join(fold(w) for w in unit) + " "
    n = 0
    while n < len(words) and " " + " ".join(fold(w) for w in words[:n + 1]) + " " in folded_unit:
        n += 1
    if n < 2 or _known_title(item.value):
        return
    rest = _known_title(" ".join(words[n:])) if words[n:] else None
    found["signer_title"] = Found(rest, item.line, item.confidence) if rest else None


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
