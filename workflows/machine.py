"""The dossier's life as one table: which action, from which state, by which role, leads where;
and beside it, who may do what outside the dossier's steps (`CAPABILITIES`, `may`).

Pure: imports nothing but the standard library and `workflows.errors`.
"""
from __future__ import annotations

from typing import NamedTuple

from workflows.errors import (
    CommentRequired,
    Forbidden,
    NotFound,
    UnknownAction,
    WrongState,
)

STATES = ("registered", "report_submitted", "under_appraisal", "returned", "appraised", "approved", "rejected")
ROLES = ("unit_staff", "police", "vhxh", "chairman", "van_thu", "admin", "province")
NEW = None   # a dossier that does not exist yet


class Step(NamedTuple):
    to: str
    roles: frozenset[str]
    needs_comment: bool = False


def _step(to: str, *roles: str, needs_comment: bool = False) -> Step:
    return Step(to, frozenset(roles), needs_comment)


TRANSITIONS: dict[tuple[str | None, str], Step] = {
    (NEW, "register"):                       _step("registered", "unit_staff", "police"),
    ("registered", "submit_report"):         _step("report_submitted", "unit_staff"),
    ("report_submitted", "submit_report"):   _step("report_submitted", "unit_staff"),   # a newer version
    ("returned", "submit_report"):           _step("report_submitted", "unit_staff"),
    ("report_submitted", "correct_fields"):  _step("report_submitted", "unit_staff", "police"),
    ("returned", "correct_fields"):          _step("returned", "unit_staff"),
    ("returned", "resubmit"):                _step("report_submitted", "unit_staff"),  # corrected, no new file
    ("report_submitted", "forward"):         _step("under_appraisal", "police"),
    ("report_submitted", "return"):          _step("returned", "police", needs_comment=True),
    ("under_appraisal", "return"):           _step("returned", "vhxh", needs_comment=True),
    ("under_appraisal", "appraise"):         _step("appraised", "vhxh"),
    ("appraised", "approve"):                _step("approved", "chairman"),
    ("appraised", "reject"):                 _step("rejected", "chairman", needs_comment=True),
}

ACTIONS = tuple(dict.fromkeys(action for _, action in TRANSITIONS))

OFFICERS = frozenset({"police", "vhxh", "chairman", "van_thu", "admin"})     # the commune's officers
ABOVE_COMMUNE = frozenset({"province"})                            # roles whose reach is wider than a commune


def _steps_of(action: str) -> frozenset[str]:
    return frozenset(role for (_, a), step in TRANSITIONS.items() if a == action for role in step.roles)


# Who may do what: every dossier step (read off TRANSITIONS, so the two cannot disagree) and the rest.
CAPABILITIES: dict[str, frozenset[str]] = {
    **{action: _steps_of(action) for action in ACTIONS},
    "retry_reading":      frozenset({"unit_staff", "police", "admin"}),
    "see_dashboard":      OFFICERS | ABOVE_COMMUNE,
    "see_overdue_flags":  frozenset({"police", "chairman", "admin"}),
    "print_certificates": OFFICERS,
    "issue_summary":      frozenset({"police"}) | ABOVE_COMMUNE,
    "read_summary":       OFFICERS | ABOVE_COMMUNE,
    "administer":         frozenset({"admin"}),
    "seal_documents":     frozenset({"van_thu"}),     # the body's digital signature (ND30 Phụ lục I, 8a)
}

STATE_LABELS = {
    "registered": "Đã đăng ký",
    "report_submitted": "Đã nộp báo cáo",
    "under_appraisal": "Đang thẩm định",
    "returned": "Bị trả lại",
    "appraised": "Đã thẩm định",
    "approved": "Đã phê duyệt",
    "rejected": "Không phê duyệt",
}

ACTION_LABELS = {
    "register": "Đăng ký thi đua",
    "submit_report": "Nộp báo cáo",
    "resubmit": "Gửi lại Công an xã",
    "correct_fields": "Sửa thông tin trích xuất",
    "forward": "Chuyển thẩm định",
    "return": "Trả lại",
    "appraise": "Thẩm định",
    "approve": "Phê duyệt",
    "reject": "Không phê duyệt",
}
# History rows that are not dossier steps (the state stays): written by `audit.record`, never fired.
NOTE_LABELS = {
    "seal_document": "Ký số cơ quan (đóng dấu số)",
    "check_signatures": "Kiểm tra chữ ký số của báo cáo",
}

ROLE_LABELS = {
    "unit_staff": "Cán bộ đơn vị",
    "police": "Công an xã",
    "vhxh": "Phòng Văn hóa – Xã hội",
    "chairman": "Chủ tịch UBND xã",
    "van_thu": "Văn thư UBND xã",
    "admin": "Quản trị hệ thống",
    "province": "Công an tỉnh (tổng hợp)",
}


def state_label(state: str | None) -> str:
    return STATE_LABELS.get(state or "", "Chưa đăng ký")


def fire(state: str | None, action: str, role: str, comment: str | None = None) -> str:
    """Return the state that `action` leads to, or raise why it may not be fired."""
    if action not in ACTIONS:
        raise UnknownAction(f"Không có thao tác “{action}”.")
    if not any(role in step.roles for (_, a), step in TRANSITIONS.items() if a == action):
        raise Forbidden(f"Vai trò {ROLE_LABELS.get(role, role)} không được thực hiện thao tác "
                        f"“{ACTION_LABELS[action]}”.")
    step = TRANSITIONS.get((state, action))
    if step is None:
        if action == "register":
            raise WrongState(f"Đơn vị đã đăng ký thi đua cho đợt này (hồ sơ đang ở trạng thái “{state_label(state)}”).")
        raise WrongState(f"Không thể {ACTION_LABELS[action].lower()} "
                         f"khi hồ sơ đang ở trạng thái “{state_label(state)}”.")
    if role not in step.roles:
        raise Forbidden(f"Vai trò {ROLE_LABELS.get(role, role)} không được {ACTION_LABELS[action].lower()} "
                        f"khi hồ sơ đang ở trạng thái “{state_label(state)}”.")
    if step.needs_comment and not (comment or "").strip():
        raise CommentRequired(f"Thao tác “{ACTION_LABELS[action]}” cần ghi rõ lý do.")
    return step.to


def allowed_actions(state: str | None, role: str) -> list[str]:
    """The actions `role` may fire in `state`, in table order."""
    return [a for (s, a), step in TRANSITIONS.items() if s == state and role in step.roles]


def may(role: str | None, capability: str) -> bool:
    """Whether `role` has `capability` (an unknown capability is a programming error: KeyError)."""
    return role in CAPABILITIES[capability]


def within_reach(user, row) -> bool:
    """Whether `row` (a user, unit, campaign… with a `commune_id`) lies in `user`'s commune. A user of a role
    above the commune (a province reader) is never within a commune's reach."""
    return row.commune_id == user.commune_id and getattr(row, "role", None) not in ABOVE_COMMUNE


def require(user, capability: str, over=None) -> None:
    """Raise Forbidden unless `user` has `capability`; with `over`, also unless that row is within the user's
    reach: an existing row out of reach is NotFound (its existence is not revealed), a new one Forbidden."""
    if not may(user.role, capability):
        raise Forbidden(f"Vai trò {ROLE_LABELS.get(user.role, user.role)} không được thực hiện thao tác này.")
    if over is not None and not within_reach(user, over):
        if getattr(over, "id", None) is None:
            raise Forbidden("Chỉ cấp tỉnh được tạo, quản lý tài khoản ngoài phạm vi xã.")
        raise NotFound("Không tìm thấy.")
