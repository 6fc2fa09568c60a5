"""The extracted-fields object of extraction-schema.md: its keys, and checking a human correction."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from workflows.errors import Invalid

STRING_FIELDS = ("doc_type", "number", "place", "issuer", "parent_issuer", "subject", "signer_name",
                 "signer_title", "signing_authority")
METRICS = ("propaganda_sessions", "propaganda_participants", "models_count", "tips_reported", "mediations",
           "incidents")
RATINGS = ("Xuất sắc", "Khá", "Trung bình", "Yếu")
NOMINEE_KINDS = ("collective", "individual")

FIELD_LABELS = {
    "doc_type": "Loại văn bản", "number": "Số, ký hiệu", "issue_date": "Ngày ban hành", "place": "Địa danh",
    "issuer": "Cơ quan ban hành", "parent_issuer": "Cơ quan chủ quản", "subject": "Trích yếu",
    "signer_name": "Người ký", "signer_title": "Chức vụ người ký", "signing_authority": "Thẩm quyền ký",
    "period_year": "Năm báo cáo", "self_rating": "Tự đánh giá", "antt_standard": "Đạt chuẩn “An toàn về ANTT”",
    "propaganda_sessions": "Số buổi tuyên truyền", "propaganda_participants": "Số lượt người dự tuyên truyền",
    "models_count": "Số mô hình duy trì", "tips_reported": "Số tin báo, tố giác",
    "mediations": "Số vụ hòa giải thành", "incidents": "Số vụ việc về ANTT",
}


def empty() -> dict:
    """The all-null fields object."""
    base: dict[str, Any] = {k: None for k in STRING_FIELDS}
    base.update(issue_date=None, period_year=None, self_rating=None, antt_standard=None)
    base["metrics"] = {k: None for k in METRICS}
    base["nominees"] = []
    return base


def nfc(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _text(value, name: str, limit: int = 500) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise Invalid(f"Trường “{name}” phải là chuỗi ký tự (tối đa {limit} ký tự).", name)
    return nfc(value)


def _int(value, name: str, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value.replace(".", "")):
        value = int(value.replace(".", ""))
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"Trường “{name}” phải là số nguyên từ {low} đến {high}.", name)
    return value


def _date(value, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise Invalid(f"Trường “{name}” phải là ngày dạng YYYY-MM-DD.", name) from None


def _choice(value, name: str, choices) -> str | None:
    if value in (None, ""):
        return None
    value = nfc(value) if isinstance(value, str) else value
    if value not in choices:
        raise Invalid(f"Trường “{name}” phải là một trong: {', '.join(choices)}.", name)
    return value


def _bool(value, name: str) -> bool | None:
    if value is None or value == "":
        return None
    if not isinstance(value, bool):
        raise Invalid(f"Trường “{name}” phải là true, false hoặc null.", name)
    return value


def clean_nominee(raw, where: str) -> dict:
    """Check one nominee object; return it normalised."""
    if not isinstance(raw, dict):
        raise Invalid(f"“{where}” phải là một đối tượng.", where)
    name = _text(raw.get("name"), f"{where}.name", 200)
    if not name:
        raise Invalid(f"“{where}.name” không được để trống.", f"{where}.name")
    kind = _choice(raw.get("kind"), f"{where}.kind", NOMINEE_KINDS)
    if kind is None:
        raise Invalid(f"“{where}.kind” phải là collective hoặc individual.", f"{where}.kind")
    return {"name": name, "kind": kind, "position": _text(raw.get("position"), f"{where}.position", 200),
            "award": _text(raw.get("award"), f"{where}.award", 200)}


def clean_nominees(raw, where: str = "nominees") -> list[dict]:
    if not isinstance(raw, list) or len(raw) > 500:
        raise Invalid(f"“{where}” phải là một danh sách (tối đa 500 mục).", where)
    return [clean_nominee(item, f"{where}[{i}]") for i, item in enumerate(raw)]


def clean(raw) -> dict:
    """Check a full fields object from a person; return it normalised (unknown keys are refused)."""
    if not isinstance(raw, dict):
        raise Invalid("Nội dung phải là một đối tượng JSON các trường.", "fields")
    known = set(empty())
    extra = sorted(set(raw) - known)
    if extra:
        raise Invalid(f"Trường không có trong lược đồ: {extra[0]}.", extra[0])
    out = empty()
    for key in STRING_FIELDS:
        out[key] = _text(raw.get(key), key)
    out["issue_date"] = _date(raw.get("issue_date"), "issue_date")
    out["period_year"] = _int(raw.get("period_year"), "period_year", 1900, 2100)
    out["self_rating"] = _choice(raw.get("self_rating"), "self_rating", RATINGS)
    out["antt_standard"] = _bool(raw.get("antt_standard"), "antt_standard")
    metrics = raw.get("metrics") or {}
    if not isinstance(metrics, dict) or set(metrics) - set(METRICS):
        raise Invalid("“metrics” chỉ gồm các khóa: " + ", ".join(METRICS) + ".", "metrics")
    out["metrics"] = {k: _int(metrics.get(k), f"metrics.{k}", 0, 10**9) for k in METRICS}
    out["nominees"] = clean_nominees(raw.get("nominees") or [])
    return out


def clean_targets(raw) -> dict:
    """Registration targets: keys are metrics keys, values integers ≥ 0."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise Invalid("“targets” phải là một đối tượng.", "targets")
    out = {}
    for key, value in raw.items():
        if key not in METRICS:
            raise Invalid(f"“targets.{key}” không phải chỉ tiêu hợp lệ.", f"targets.{key}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 10**9:
            raise Invalid(f"“targets.{key}” phải là số nguyên không âm.", f"targets.{key}")
        out[key] = value
    return out
