"""Small helpers for reading HTML forms (every form also carries the CSRF token)."""
from __future__ import annotations

import re
from datetime import date

from workflows.errors import Invalid

ROW = re.compile(r"^\w+\[(\d+)\]")
DMY = re.compile(   # the same as the `pattern` of every date input (templates/_date.html)
    r"(\d{1,2})/(\d{1,2})/(\d{4})")


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


def row_of(field: str | None) -> int | None:
    """The 0-based row a use case's error names (“verdicts[5].reason” → 5), for showing it beside that row."""
    match = ROW.match(field or "")
    return int(match.group(1)) if match else None


PART_LABELS = {"name": "tên", "kind": "loại", "position": "chức vụ", "award": "hình thức đề nghị",
               "reason": "lý do", "verdict": "kết quả"}
PATH = re.compile(r"(?:Trường )?“\w+\[\d+\]\.?(\w*)”:?")


def for_person(message: str, who: str) -> str:
    """“Trường “nominees[2].position” phải là…” → “Ngô Trọng Long: chức vụ phải là…”: no internal path."""
    plain = PATH.sub(lambda m: PART_LABELS.get(m.group(1), ""), message).strip()
    return plain if plain.startswith(f"{who}:") else f"{who}: {plain}"


def vn_date_input(value: str | None, label: str, field: str) -> date | None:
    """A date typed as ngày/tháng/năm (dd/mm/yyyy), whatever the browser's language; empty is None."""
    value = (value or "").strip()
    if not value:
        return None
    match = DMY.fullmatch(value)
    try:
        if match:
            day, month, year = map(int, match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise Invalid(f"“{label}”: “{value}” không phải ngày hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 05/01/2026.", field)
