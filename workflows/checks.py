"""Warnings about a report read from its fields: is this really this unit's report for this year?

`warnings` is pure (fields in, warnings out) and table-driven: each check is one row of `CHECKS`.
`report_warnings` gathers what the checks need from the database (the unit, the year, the other dossiers that
hold the same file). The warnings never block anything: the clerk, the police and the appraiser see them.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Dossier, Report, Unit


class Context(NamedTuple):
    unit_name: str
    campaign_year: int
    today: date
    same_file_units: tuple[str, ...] = ()    # units of other dossiers that hold the same file


# Abbreviations used in headers, expanded before names are compared (after accents are folded).
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong", "th": "tieu hoc", "mn": "mam non", "ptdtbt": "pho thong dan toc ban tru",
    "htx": "hop tac xa", "tnhh": "trach nhiem huu han", "cty": "cong ty", "ca": "cong an", "tdp": "to dan pho",
    "mttq": "mat tran to quoc", "tt": "thi tran", "tp": "thanh pho", "ccb": "cuu chien binh",
    "tncs": "thanh nien cong san", "cp": "co phan", "dntn": "doanh nghiep tu nhan",
}


def fold(text: str | None) -> list[str]:
    """Words of `text` without accents or case, abbreviations expanded: "UBND XÃ" → uy ban nhan dan xa."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    words = re.findall(r"[a-z0-9]+", text.replace("&", " va "))
    return " ".join(ABBREVIATIONS.get(w, w) for w in words).split()


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return bool(part) and any(words[i:i + n] == part for i in range(len(words) - n + 1))


def issuer_differs(fields: dict, ctx: Context) -> bool:
    """The header names a body that is not the unit (parent and issuer read together)."""
    issuer = fold(fields.get("issuer"))
    if not issuer:
        return False
    header, unit = fold(f"{fields.get('parent_issuer') or ''} {fields.get('issuer')}"), fold(ctx.unit_name)
    return not (_contains(header, unit) or _contains(unit, issuer))


def not_a_report(fields: dict, ctx: Context) -> bool:
    return fields.get("doc_type") not in (None, "BC")


def other_year(fields: dict, ctx: Context) -> bool:
    year = fields.get("period_year")
    return isinstance(year, int) and year != ctx.campaign_year


def issued_after_today(fields: dict, ctx: Context) -> bool:
    try:
        return date.fromisoformat(fields.get("issue_date") or "") > ctx.today
    except ValueError:
        return False


def submitted_elsewhere(fields: dict, ctx: Context) -> bool:
    return bool(ctx.same_file_units)


class Check(NamedTuple):
    code: str
    label: str
    applies: Callable[[dict, Context], bool]
    detail: Callable[[dict, Context], str]


CHECKS: tuple[Check, ...] = (
    Check("issuer_mismatch", "Cơ quan ban hành khác đơn vị", issuer_differs,
          lambda f, c: f"Văn bản do “{f.get('issuer')}” ban hành, không phải “{c.unit_name}”."),
    Check("not_a_report", "Không phải báo cáo", not_a_report,
          lambda f, c: f"Loại văn bản đọc được là “{f.get('doc_type')}”, không phải báo cáo (BC)."),
    Check("other_year", "Năm báo cáo khác năm thi đua", other_year,
          lambda f, c: f"Báo cáo năm {f.get('period_year')}, đợt thi đua năm {c.campaign_year}."),
    Check("issued_after_today", "Ngày ban hành sau hôm nay", issued_after_today,
          lambda f, c: f"Ngày ban hành {_vn(f.get('issue_date'))} sau hôm nay ({c.today:%d/%m/%Y})."),
    Check("same_file_elsewhere", "Tệp này đã nộp ở hồ sơ khác", submitted_elsewhere,
          lambda f, c: f"Cùng tệp đã nộp ở hồ sơ của: {', '.join(c.same_file_units)}."),
)


def _vn(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def warnings(fields: dict | None, ctx: Context) -> list[dict]:
    """The warnings that apply to these fields, in table order: [{"code", "label", "detail"}]."""
    fields = fields or {}
    return [{"code": c.code, "label": c.label, "detail": c.detail(fields, ctx)}
            for c in CHECKS if c.applies(fields, ctx)]


def report_warnings(session: Session, report: Report, today: date, clerk: bool = False) -> list[dict]:
    """The warnings of a report, with what the checks need read from the database. Other dossiers holding the
    same file are looked for in the same commune, among sent reports; a clerk is not told which unit."""
    dossier = report.dossier
    if report.status != "done" and not report.corrections:
        fields = None                      # nothing read yet: only the duplicate-file check can say anything
    else:
        fields = report.current_fields
    same = select(Unit.name).join(Dossier, Dossier.unit_id == Unit.id).join(Report, Report.dossier_id == Dossier.id)
    same = same.where(Report.sha256 == report.sha256, Report.draft.is_(False), Dossier.id != dossier.id,
                      Unit.commune_id == dossier.unit.commune_id).distinct().order_by(Unit.name)
    units = tuple(session.scalars(same))
    ctx = Context(dossier.unit.name, dossier.campaign.year, today, ("một đơn vị khác",) if clerk and units else units)
    return warnings(fields, ctx)
