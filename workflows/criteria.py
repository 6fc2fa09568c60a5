"""Which upper-level award criteria (domain.md §4) a unit's records already prove, with the evidence.

Each criterion is checked against the records: `met` (with the documents and numbers that prove it),
`unmet` (the records show it is not reached, or the figure is missing), or `attest` (the system holds
no record of it: the proposal must carry an outside confirmation). A unit is proposed for an award
when no criterion of that award is `unmet` and the award is provable from records at all.
The rules are data (RULES); thresholds and wording are changed here, not in templates.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workflows.fields import FIELD_LABELS
from workflows.stats import UnitFigures

MET, UNMET, ATTEST = "met", "unmet", "attest"


@dataclass(frozen=True)
class Check:
    """One criterion's outcome for one unit."""

    label: str
    status: str
    evidence: str


def _report_ref(row: UnitFigures) -> str:
    ref = f"Báo cáo số {row.report_number}" if row.report_number else "Báo cáo của đơn vị"
    return ref + (f" ngày {_vn(row.report_date)}" if row.report_date else "")


def _vn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _doc(row: UnitFigures, kind: str) -> tuple | None:
    found = [d for d in row.documents if d[0] == kind]
    return found[-1] if found else None


def plan(row: UnitFigures) -> Check:
    label = "Có kế hoạch, đăng ký thi đua trong năm"
    doc = _doc(row, "dang_ky")
    if doc is None:
        return Check(label, UNMET, "Chưa có bản đăng ký thi đua")
    targets = "; ".join(f"{FIELD_LABELS.get(k, k).lower()}: {v}" for k, v in row.targets.items())
    return Check(label, MET, f"Bản đăng ký thi đua ngày {doc[2]:%d/%m/%Y}" + (f" (chỉ tiêu: {targets})"
                                                                              if targets else ""))


def antt(row: UnitFigures) -> Check:
    label = "Đạt tiêu chuẩn “An toàn về an ninh, trật tự”"
    if row.antt_standard is True:
        return Check(label, MET, f"{_report_ref(row)}: đạt tiêu chuẩn")
    return Check(label, UNMET, f"{_report_ref(row)}: chưa đạt" if row.antt_standard is False
                 else "Báo cáo không nêu kết quả")


def excellent(row: UnitFigures) -> Check:
    label = "Phong trào được xếp loại Xuất sắc"
    if row.self_rating != "Xuất sắc":
        return Check(label, UNMET, f"Tự xếp loại: {row.self_rating or 'không nêu'}")
    decision = _doc(row, "quyet_dinh")
    if row.state != "approved" or decision is None:
        return Check(label, UNMET, f"{_report_ref(row)} tự xếp loại Xuất sắc; hồ sơ chưa được phê duyệt")
    return Check(label, MET, f"{_report_ref(row)} tự xếp loại Xuất sắc; hồ sơ được phê duyệt tại Quyết định "
                             f"số {decision[1]} ngày {decision[2]:%d/%m/%Y}")


def models(row: UnitFigures) -> Check:
    label = "Duy trì ít nhất 01 mô hình"
    n = row.metrics.get("models_count")
    if not n:
        return Check(label, UNMET, "Báo cáo không nêu mô hình" if n is None else "Không có mô hình")
    return Check(label, MET, f"{_report_ref(row)}: duy trì {n} mô hình")


def no_serious_incident(row: UnitFigures) -> Check:
    label = "Không để xảy ra vụ việc nghiêm trọng về an ninh, trật tự"
    n = row.metrics.get("incidents")
    if n is None:
        return Check(label, UNMET, "Báo cáo không nêu số vụ việc")
    if n == 0:
        return Check(label, MET, f"{_report_ref(row)}: không xảy ra vụ việc nào")
    return Check(label, ATTEST, f"{_report_ref(row)}: {n} vụ việc; cần xác nhận không có vụ nghiêm trọng")


def propaganda(row: UnitFigures) -> Check:
    label = "Làm tốt công tác tuyên truyền"
    n, people = row.metrics.get("propaganda_sessions"), row.metrics.get("propaganda_participants")
    target = row.targets.get("propaganda_sessions")
    if not n or (target and n < target):
        return Check(label, UNMET, f"{n or 0} buổi tuyên truyền" + (f", chỉ tiêu {target}" if target else ""))
    return Check(label, MET, f"{_report_ref(row)}: {n} buổi" + (f", {people} lượt người" if people else "")
                 + (f" (chỉ tiêu đăng ký {target})" if target else ""))


def _attest(label: str, who: str) -> Callable[[UnitFigures], Check]:
    return lambda row: Check(label, ATTEST, f"Chưa có trong hồ sơ; kèm xác nhận của {who}")


@dataclass(frozen=True)
class Rule:
    """An upper-level award and its criteria; `provable` False = never proposed from records alone."""

    award: str
    checks: tuple[Callable[[UnitFigures], Check], ...]
    provable: bool = True


BANG_KHEN = Rule("Bằng khen của Chủ tịch UBND tỉnh", (
    plan, antt, excellent, models, _attest("Mô hình được đánh giá Tốt", "Công an xã"),
    no_serious_incident, propaganda,
    _attest("Tổ chức đảng trong sạch, vững mạnh; không có khiếu kiện", "cấp ủy và UBND xã")))
CO_THI_DUA = Rule("Cờ thi đua của UBND tỉnh", (
    _attest("Dẫn đầu cụm, khối thi đua", "Hội đồng Thi đua - Khen thưởng"),
    _attest("Đã có 03 Bằng khen (UBND tỉnh hoặc Bộ Công an) trong phong trào", "cơ quan khen thưởng"),
    _attest("Có mô hình được Công an tỉnh công nhận, nhân rộng", "Công an tỉnh"),
    plan, antt, excellent, models), provable=False)
RULES = (BANG_KHEN, CO_THI_DUA)


@dataclass(frozen=True)
class Assessment:
    """One unit against one award's criteria."""

    row: UnitFigures
    rule: Rule
    checks: tuple[Check, ...]

    @property
    def qualifies(self) -> bool:
        return self.rule.provable and all(c.status != UNMET for c in self.checks)

    @property
    def evidence(self) -> list[str]:
        """The proof lines printed in the báo cáo: each met criterion, then what must be attached."""
        return ([f"{c.label}: {c.evidence}" for c in self.checks if c.status == MET]
                + [f"{c.label}: {c.evidence}" for c in self.checks if c.status == ATTEST])


def assess(rows: list[UnitFigures]) -> list[Assessment]:
    """Every unit with figures against every rule."""
    return [Assessment(r, rule, tuple(check(r) for check in rule.checks))
            for r in rows if r.has_figures for rule in RULES]


def proposals(rows: list[UnitFigures]) -> list[Assessment]:
    """The units whose records prove an award's criteria (only dossiers counted in the totals)."""
    return [a for a in assess([r for r in rows if r.counted]) if a.qualifies]
