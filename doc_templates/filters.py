"""Jinja filters available in every template (see README.md for the list)."""
from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata

from jinja2 import Undefined, pass_context

from doc_templates import formats
from doc_templates.errors import TemplateError

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

STATE_LABELS = {
    "registered": "Đã đăng ký", "report_submitted": "Đã nộp báo cáo",
    "under_appraisal": "Đang thẩm định", "appraised": "Đã thẩm định",
    "approved": "Đã được khen thưởng", "rejected": "Không được khen thưởng",
    "returned": "Trả lại để bổ sung",
}
UNIT_KIND_LABELS = {
    "school": "Trường học", "hamlet": "Xóm", "enterprise": "Doanh nghiệp", "agency": "Cơ quan",
    "organisation": "Tổ chức, đoàn thể", "organization": "Tổ chức, đoàn thể",
    "collective": "Tập thể", "individual": "Cá nhân",
}
METRIC_LABELS = {
    "propaganda_sessions": "Số buổi tuyên truyền", "participants": "Số lượt người tham dự",
    "models": "Số mô hình duy trì", "tips": "Số tin báo, tố giác về tội phạm",
    "mediations": "Số vụ hòa giải thành", "incidents": "Số vụ việc về an ninh, trật tự",
}
VERDICT_LABELS = {"accepted": "Đủ điều kiện", "refused": "Không đủ điều kiện"}


_PRINTABLE = (str, int, float, decimal.Decimal, dt.date, dt.time)
_OBJECT_REPR = re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>|<(function|built-in|bound method|class|module) ")


def finalize(value):
    """Print None as nothing; strings in NFC without characters XML forbids; never an object's repr
    (a method, a function, a memory address) or a dict/list dumped as Python."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = _XML_ILLEGAL.sub("", unicodedata.normalize("NFC", value))
        if _OBJECT_REPR.search(text):
            raise TemplateError("Mẫu in ra một đối tượng của chương trình (địa chỉ bộ nhớ), không phải dữ liệu.")
        return text
    if isinstance(value, _PRINTABLE + (Undefined,)):
        return value
    raise TemplateError(f"Mẫu in ra một giá trị không phải chữ hay số ({type(value).__name__}): "
                        "hãy in từng trường, ví dụ {{ awardee.name }}.")


def doc_no(header: dict) -> str:
    """Return header.number, or a blank number “      /QĐ-UBND” to fill in when signed."""
    return header.get("number") or formats.blank_number(header.get("type_code"), header["issuer_code"])


def clause(text: str, last: bool = False) -> str:
    """End an enumerated line with “;”, or “.” when it is the last."""
    return text.rstrip(" ;.,/") + ("." if last else ";")


def lower_first(text: str) -> str:
    """Lower the first letter (“Đã có …” → “đã có …”) unless it starts an abbreviation."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _count(items, kind: str) -> int:
    return sum(1 for i in items if i.get("kind") == kind)


def awardee_summary(items: list) -> str:
    """Return “02 tập thể và 03 cá nhân” for a list of awardees or nominees."""
    parts = [f"{formats.count_label(n)} {label}" for n, label in
             ((_count(items, "collective"), "tập thể"), (_count(items, "individual"), "cá nhân")) if n]
    return " và ".join(parts) or "00 trường hợp"


GROUPS = (("collective", "Tập thể"), ("individual", "Cá nhân"))
ROMAN = ("I", "II", "III")


def awardee_groups(items: list) -> list[dict]:
    """Split a list into “I. Tập thể”, “II. Cá nhân” (empty groups left out, order kept)."""
    groups = [(label, [i for i in items if i.get("kind") == kind]) for kind, label in GROUPS]
    other = [i for i in items if i.get("kind") not in dict(GROUPS)]
    groups = [g for g in groups + [("Khác", other)] if g[1]]
    return [{"title": f"{ROMAN[n]}. {label}", "members": members} for n, (label, members) in enumerate(groups)]


def verdict_summary(items: list) -> str:
    """Return “05 trường hợp đủ điều kiện, 01 trường hợp không đủ điều kiện”."""
    ok = sum(1 for i in items if i.get("verdict") == "accepted")
    parts = [f"{formats.count_label(ok)} trường hợp đủ điều kiện"]
    if len(items) - ok:
        parts.append(f"{formats.count_label(len(items) - ok)} trường hợp không đủ điều kiện")
    return ", ".join(parts)


def position_unit(item: dict) -> str:
    """Return “Giáo viên, Trường THCS …” for a person, the unit for a collective if different."""
    if item.get("kind") == "collective":
        unit = item.get("unit_name") or ""
        return "" if unit == item.get("name") else unit
    return ", ".join(x for x in (item.get("position"), item.get("unit_name")) if x)


def awardee_line(item: dict) -> str:
    """Return the name printed on a certificate, with the optional honorific (“Ông”, “Bà”)."""
    honorific = item.get("honorific")
    return f"{honorific} {item['name']}" if honorific else item["name"]


def num(value) -> str:
    """Format a number the Vietnamese way (1.234; 2,5); None prints “—”."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".rstrip("0").replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def yes_no(value) -> str:
    """Return “Đạt”, “Chưa đạt” or “Chưa đánh giá” for a standard that may not be assessed yet."""
    return {True: "Đạt", False: "Chưa đạt"}.get(value, "Chưa đánh giá")


def _label(table: dict):
    return lambda value: table.get(value, value) if value is not None else "—"


@pass_context
def metric_label(context, key: str) -> str:
    """Return the label of a metric key: the context's metric_labels, the defaults, or the key."""
    own = context.get("metric_labels") or {}
    return own.get(key) or METRIC_LABELS.get(key, key)


FILTERS = {
    "vn_date": formats.vn_date, "short_date": formats.short_date, "vn_datetime": formats.vn_datetime,
    "vn_time": formats.vn_time, "two": formats.two, "doc_no": doc_no, "clause": clause,
    "lower_first": lower_first, "awardee_summary": awardee_summary, "awardee_groups": awardee_groups,
    "verdict_summary": verdict_summary, "position_unit": position_unit,
    "awardee_line": awardee_line, "num": num, "yes_no": yes_no, "metric_label": metric_label,
    "state_label": _label(STATE_LABELS), "unit_kind_label": _label(UNIT_KIND_LABELS),
    "verdict_label": _label(VERDICT_LABELS),
}
