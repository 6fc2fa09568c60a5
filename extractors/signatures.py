"""Digital signatures of a PDF, validated with pyHanko: who signed, when, and whether it changed since.

`read_signatures(pdf, trusted_roots)` returns plain dicts and never raises: a damaged, encrypted or
hostile file gives a clear status instead. `verify_issued(pdf, our_roots)` answers the /verify
question for a paper the commune issued: is it ours, is it intact, who signed it and when.
Imports nothing from the rest of the project.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
for _logger in ("pyhanko", "pyhanko_certvalidator"):   # they log expected failures with tracebacks
    logging.getLogger(_logger).setLevel(logging.CRITICAL)

MODIFIED = "bị sửa đổi sau khi ký"
MESSAGES = {
    "valid": "Chữ ký số hợp lệ, văn bản không bị sửa đổi sau khi ký.",
    "untrusted": "Chữ ký số đúng, văn bản không bị sửa đổi sau khi ký, nhưng chứng thư số không thuộc "
                 "tổ chức cung cấp dịch vụ chứng thực tin cậy đã cấu hình.",
    "modified": f"Văn bản {MODIFIED}: chữ ký số không còn giá trị.",
    "invalid": "Chữ ký số không hợp lệ (không kiểm tra được chữ ký).",
    "error": "Không kiểm tra được chữ ký số này (dữ liệu chữ ký hỏng hoặc không hỗ trợ).",
}
FILE_MESSAGES = {
    "signed": "Tệp có chữ ký số.",
    "unsigned": "Tệp không có chữ ký số.",
    "encrypted": "Tệp PDF được mã hóa bằng mật khẩu: không kiểm tra được chữ ký số.",
    "unreadable": "Tệp PDF hỏng hoặc không đọc được: không kiểm tra được chữ ký số.",
}
NAME_FIELDS = {"common_name": "name", "organization_name": "organisation",
               "organizational_unit_name": "unit", "title": "title", "locality_name": "locality",
               "email_address": "email"}


def read_signatures(pdf: bytes, trusted_roots: list[bytes] | tuple = ()) -> dict:
    """Validate every signature of `pdf` against `trusted_roots` (PEM or DER certificates).

    Returns {"status": signed|unsigned|encrypted|unreadable, "message": str, "signatures": [dict]};
    each signature: field, signer {name, organisation, unit, title, locality, email}, issuer,
    serial, signed_at (ISO 8601, Vietnam time) and signed_at_source (timestamp|signer|None),
    intact, valid, trusted (the certificate chains to a trusted root), coverage, later_changes,
    changed_after_signing, status
    (valid|untrusted|modified|invalid|error) and message (Vietnamese).
    """
    try:
        reader = _reader(pdf)
    except _Encrypted:
        return _file("encrypted")
    except Exception:  # noqa: BLE001 — hostile or broken input: a status, never an exception
        return _file("unreadable")
    try:
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 — e.g. signatures of an encrypted file that pyHanko cannot read
        return _file("encrypted" if reader.encrypted else "unreadable")
    if not embedded:
        return _file("unsigned")
    try:
        context = _context(trusted_roots)
    except Exception:  # noqa: BLE001 — an unreadable trusted root: validate without roots
        context = _context(())
    return {"status": "signed", "message": FILE_MESSAGES["signed"],
            "signatures": [_one(sig, context) for sig in embedded]}


def verify_issued(pdf: bytes, our_roots: list[bytes] | tuple) -> dict:
    """Is this PDF a paper we issued, unchanged? For the QR page and the /verify upload form.

    Ours = at least one signature's certificate chains to `our_roots`. Intact = every one of our
    signatures is valid with nothing changed after it, and the last signature of the file is ours and covers the
    whole file (nothing was appended after we signed). Returns {ours, intact, status, message, signers:
    [{name, organisation, title, signed_at}], signatures: [...as read_signatures]}.
    """
    result = read_signatures(pdf, our_roots)
    sigs = result["signatures"]
    ours = [s for s in sigs if s["trusted"]]
    intact = bool(ours) and all(s["status"] == "valid" for s in ours) \
        and sigs[-1]["trusted"] and sigs[-1]["coverage"] == "entire_file"
    if result["status"] != "signed":
        status, message = result["status"], result["message"]
    elif not ours:
        tampered = any(s["status"] in ("modified", "invalid") for s in sigs)
        status = "modified" if tampered else "not_ours"
        message = (f"Văn bản {MODIFIED} hoặc không do cơ quan ta ban hành." if tampered else
                   "Văn bản có chữ ký số nhưng không phải của cơ quan ta (chứng thư không thuộc nơi cấp tin cậy).")
    elif intact:
        status, message = "ours_intact", "Văn bản do cơ quan ta ban hành, còn nguyên vẹn."
    else:
        status, message = "ours_modified", f"Văn bản do cơ quan ta ký nhưng đã {MODIFIED}."
    signers = [{"name": s["signer"].get("name"), "organisation": s["signer"].get("organisation"),
                "title": s["signer"].get("title"), "signed_at": s["signed_at"]} for s in ours]
    return {"ours": bool(ours), "intact": intact, "status": status, "message": message,
            "signers": signers, "signatures": sigs}


class _Encrypted(Exception):
    pass


def _file(status: str) -> dict:
    return {"status": status, "message": FILE_MESSAGES[status], "signatures": []}


def _reader(pdf: bytes):
    from pyhanko.pdf_utils.crypt import AuthStatus
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if reader.encrypted:
        try:    # a file with only an owner password opens with the empty user password
            opened = reader.decrypt("").status != AuthStatus.FAILED
        except Exception:  # noqa: BLE001
            opened = False
        if not opened:
            raise _Encrypted()
    return reader


def load_certificates(data: bytes) -> list:
    """asn1crypto certificates from PEM (one or many) or DER bytes."""
    from asn1crypto import pem, x509

    if pem.detect(data):
        return [x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True)
                if kind == "CERTIFICATE"]
    return [x509.Certificate.load(data)]


def _context(trusted_roots):
    from pyhanko_certvalidator import ValidationContext

    roots = [cert for data in trusted_roots for cert in load_certificates(data)]
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _one(sig, context) -> dict:
    """Validate one embedded signature; any failure becomes status "error"."""
    from pyhanko.sign.validation import validate_pdf_signature

    out = {"field": _safe(lambda: sig.field_name), "signer": {}, "issuer": None, "serial": None,
           "signed_at": None, "signed_at_source": None, "intact": False, "valid": False,
           "trusted": False, "coverage": None, "later_changes": None, "changed_after_signing": None}
    try:
        out.update(_certificate(sig.signer_cert))
    except Exception:  # noqa: BLE001
        pass
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception as exc:  # noqa: BLE001
        broken = "digest" in str(exc).lower() or "byte range" in str(exc).lower()
        kind = "modified" if broken else "error"
        out.update(status=kind, message=MESSAGES[kind], changed_after_signing=True if broken else None)
        return out
    out.update(_status(status))
    return out


def _certificate(cert) -> dict:
    subject = cert.subject.native
    signer = {}
    for key, name in NAME_FIELDS.items():
        value = subject.get(key)
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        if value:
            signer[name] = str(value)
    issuer = cert.issuer.native.get("common_name")
    return {"signer": signer, "issuer": ", ".join(issuer) if isinstance(issuer, list) else issuer,
            "serial": format(cert.serial_number, "x")}


def _status(status) -> dict:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    coverage = status.coverage
    level = _safe(lambda: status.modification_level)
    changed = (not status.intact or coverage not in (SignatureCoverageLevel.ENTIRE_FILE,
                                                     SignatureCoverageLevel.ENTIRE_REVISION)
               or level == ModificationLevel.OTHER or status.docmdp_ok is False)
    moment, source = _signed_at(status)
    chained = status.validation_path is not None and status.trust_problem_indic is None
    if changed:
        kind = "modified"
    elif not status.valid:
        kind = "invalid"
    else:
        kind = "valid" if chained else "untrusted"
    return {"intact": bool(status.intact), "valid": bool(status.valid), "trusted": chained,
            "coverage": coverage.name.lower() if coverage is not None else None,
            "later_changes": level.name.lower() if level is not None else None,
            "changed_after_signing": changed, "signed_at": moment, "signed_at_source": source,
            "status": kind, "message": MESSAGES[kind]}


def _signed_at(status) -> tuple[str | None, str | None]:
    """The signing time: a trusted timestamp when there is one, else the time the signer claims."""
    ts = _safe(lambda: status.timestamp_validity.timestamp)
    if ts is not None:
        return _iso(ts), "timestamp"
    if status.signer_reported_dt is not None:
        return _iso(status.signer_reported_dt), "signer"
    return None, None


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VN).replace(microsecond=0).isoformat()


def _safe(get):
    try:
        return get()
    except Exception:  # noqa: BLE001
        return None
