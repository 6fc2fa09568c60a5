"""Small helpers for reading HTML forms (every form also carries the CSRF token)."""
from __future__ import annotations

from workflows.errors import Invalid


def int_list(values: list[str]) -> list[int]:
    out = []
    for v in values:
        if not v.strip().isdigit():
            raise Invalid("Danh sách hồ sơ không hợp lệ.", "dossier_ids")
        out.append(int(v))
    return out


def optional_int(value: str | None, field: str) -> int | None:
    value = (value or "").strip().replace(".", "")
    if not value:
        return None
    if not value.isdigit():
        raise Invalid(f"“{field}” phải là số nguyên không âm.", field)
    return int(value)
