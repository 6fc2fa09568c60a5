"""Jinja filters: Vietnamese labels and dates."""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from doc_templates.formats import VN_TZ
from workflows.documents import UNIT_KIND_LABELS
from workflows.fields import FIELD_LABELS
from workflows.machine import ACTION_LABELS, NOTE_LABELS, ROLE_LABELS, STATE_LABELS
from workflows.text import thousands

DOC_KIND_LABELS = {
    "dang_ky": "Bản đăng ký thi đua", "to_trinh": "Tờ trình đề nghị khen thưởng",
    "bien_ban_tham_dinh": "Biên bản thẩm định", "quyet_dinh": "Quyết định khen thưởng",
    "giay_khen": "Giấy khen", "bao_cao_tong_hop": "Báo cáo tổng hợp",
}
REPORT_STATUS_LABELS = {"queued": "Đang chờ xử lý", "running": "Đang đọc", "done": "Đã đọc xong",
                        "failed": "Lỗi khi đọc"}
NOMINEE_KIND_LABELS = {"collective": "Tập thể", "individual": "Cá nhân"}
VERDICT_LABELS = {"accepted": "Đủ điều kiện", "refused": "Không đủ điều kiện", None: "Chưa thẩm định"}


def vn_datetime(moment: datetime | None) -> str:
    """“25/11/2026 10:45” in Vietnam time, whatever the server's zone (a naive value is UTC, as stored)."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def iso_vn(text: str | None) -> str:
    """An ISO 8601 moment read from a file (a signing time, a stamp's time) in Vietnam time, to the second.
    With an offset it is converted; without one it is already Vietnam time. Unreadable text is shown as it is."""
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return text or ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
    return aware.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S")


def vn_date(day: date | str | None) -> str:
    """dd/mm/yyyy of a date or of an ISO date string (as the report fields store it)."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return day
    return day.strftime("%d/%m/%Y") if day else ""


def register_filters(app: Flask) -> None:
    labels = {
        "state_label": STATE_LABELS, "action_label": {**ACTION_LABELS, **NOTE_LABELS}, "role_label": ROLE_LABELS,
        "unit_kind_label": UNIT_KIND_LABELS, "doc_kind_label": DOC_KIND_LABELS,
        "report_status_label": REPORT_STATUS_LABELS, "nominee_kind_label": NOMINEE_KIND_LABELS,
        "verdict_label": VERDICT_LABELS, "field_label": FIELD_LABELS,
    }
    for name, table in labels.items():
        app.add_template_filter(lambda v, t=table: t.get(v, v if v is not None else ""), name)
    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(iso_vn, "iso_vn")
    app.add_template_filter(thousands, "vn_num")
    app.jinja_env.globals.update(STATE_LABELS=STATE_LABELS, UNIT_KIND_LABELS=UNIT_KIND_LABELS)
