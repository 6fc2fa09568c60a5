"""The dossier's life as one table: which action, from which state, by which role, leads where.

Pure: imports nothing but the standard library.
"""
from __future__ import annotations

from typing import NamedTuple

STATES = ("registered", "report_submitted", "under_appraisal", "returned", "appraised", "approved", "rejected")
ROLES = ("unit_staff", "police", "vhxh", "chairman", "admin", "province")
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
    ("report_submitted", "forward"):         _step("under_appraisal", "police"),
    ("report_submitted", "return"):          _step("returned", "police", needs_comment=True),
    ("under_appraisal", "return"):           _step("returned", "vhxh", needs_comment=True),
    ("under_appraisal", "appraise"):         _step("appraised", "vhxh"),
    ("appraised", "approve"):                _step("approved", "chairman"),
    ("appraised", "reject"):                 _step("rejected", "chairman", needs_comment=True),
}

ACTIONS = tuple(dict.fromkeys(action for _, action in TRANSITIONS))

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
    "correct_fields": "Sửa thông tin trích xuất",
    "forward": "Chuyển thẩm định",
    "return": "Trả lại",
    "appraise": "Thẩm định",
    "approve": "Phê duyệt",
    "reject": "Không phê duyệt",
}

ROLE_LABELS = {
    "unit_staff": "Cán bộ đơn vị",
    "police": "Công an xã",
    "vhxh": "Phòng Văn hóa – Xã hội",
    "chairman": "Chủ tịch UBND xã",
    "admin": "Quản trị hệ thống",
    "province": "Công an tỉnh (tổng hợp)",
}


class TransitionError(Exception):
    """An action that may not be fired; `code` maps to the HTTP status once, in the web layer."""

    code = "not_allowed"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Forbidden(TransitionError):
    code = "forbidden"


class WrongState(TransitionError):
    code = "invalid_state"


class UnknownAction(TransitionError):
    code = "unknown_action"


class CommentRequired(TransitionError):
    code = "comment_required"


def state_label(state: str | None) -> str:
    return STATE_LABELS.get(state, "Chưa đăng ký")


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
        raise WrongState(f"Không thể {ACTION_LABELS[action].lower()} khi hồ sơ đang ở trạng thái “{state_label(state)}”.")
    if role not in step.roles:
        raise Forbidden(f"Vai trò {ROLE_LABELS.get(role, role)} không được {ACTION_LABELS[action].lower()} "
                        f"khi hồ sơ đang ở trạng thái “{state_label(state)}”.")
    if step.needs_comment and not (comment or "").strip():
        raise CommentRequired(f"Thao tác “{ACTION_LABELS[action]}” cần ghi rõ lý do.")
    return step.to


def allowed_actions(state: str | None, role: str) -> list[str]:
    """The actions `role` may fire in `state`, in table order."""
    return [a for (s, a), step in TRANSITIONS.items() if s == state and role in step.roles]
