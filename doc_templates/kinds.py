"""The document kinds: template file, the context variables each may use, the ND30 profile."""
from __future__ import annotations

from dataclasses import dataclass

COMMON = frozenset({"header", "subject", "signer", "recipients", "archive", "year", "commune"})

# Keys of the context's dicts a template may read (attribute access is checked against these).
FIELDS = {
    "header": {"parent", "issuer", "number", "type_code", "issuer_code", "place", "date"},
    "signer": {"authority", "title", "name"},
    "commune": {"name", "full_name", "province"},
    "meeting": {"time", "location", "members"},
    "decision": {"number", "date"},
    "unit": {"name", "kind"},
    "awardee": {"no", "name", "kind", "position", "unit_name", "award", "honorific"},
    "offsets_mm": {"x", "y"},
}


# What a template of each kind must print, at least: without them it is not that kind of paper (a
# finished decision uploaded as the giấy khen template has none). "x.y" is met by `x.y`, or by `x`
# given whole to a filter (`awardee|awardee_line`).
_ADMIN = {"header.date", "subject", "signer.name"}
_CERT = {"header.date", "signer.name", "authority", "awardee.name", "reason", "decision.number",
         "decision.date"}
REQUIRED = {
    "dang_ky": _ADMIN | {"unit.name", "targets"},
    "to_trinh": _ADMIN | {"header.number", "addressee", "nominees"},
    "bien_ban_tham_dinh": _ADMIN | {"header.number", "meeting.time", "verdicts", "conclusion"},
    "quyet_dinh": _ADMIN | {"header.number", "authority", "legal_bases", "reason", "awardees"},
    "giay_khen": _CERT,
    "giay_khen_phoi": _CERT,
    "bao_cao_tong_hop": _ADMIN | {"header.number", "totals", "units", "awards"},
}


@dataclass(frozen=True)
class Kind:
    """One kind of document the library renders."""

    name: str
    title: str
    variables: frozenset[str]
    profile: str = "ND30"  # ND30 | ND30-certificate | ND30-form (see checks.check_nd30)

    @property
    def required(self) -> frozenset[str]:
        """What a template of this kind must print (see REQUIRED)."""
        return frozenset(REQUIRED[self.name])

    @property
    def filename(self) -> str:
        """Template file name inside doc_templates/templates/."""
        return f"{self.name}.docx"


def _kind(name: str, title: str, extra: set[str], profile: str = "ND30") -> Kind:
    return Kind(name, title, COMMON | frozenset(extra), profile)


_CERTIFICATE = {"authority", "awardee", "reason", "decision", "register_no", "verify_url"}

KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("dang_ky", "Bản đăng ký thi đua", {"unit", "targets", "commitments", "addressee"}),
    _kind("to_trinh", "Tờ trình đề nghị khen thưởng",
          {"addressee", "legal_bases", "summary_paragraphs", "nominees"}),
    _kind("bien_ban_tham_dinh", "Biên bản thẩm định", {"meeting", "verdicts", "conclusion"}),
    _kind("quyet_dinh", "Quyết định khen thưởng",
          {"authority", "legal_bases", "proposal", "award_title", "reason", "awardees",
           "article2", "article3_bodies"}),
    _kind("giay_khen", "Giấy khen", _CERTIFICATE, "ND30-certificate"),
    _kind("giay_khen_phoi", "Giấy khen (in lên phôi)", _CERTIFICATE | {"offsets_mm"}, "ND30-form"),
    _kind("bao_cao_tong_hop", "Báo cáo tổng hợp",
          {"addressee", "intro", "totals", "units", "awards", "proposals", "metric_labels"}),
)}


def get_kind(name: str) -> Kind:
    """Return the kind called `name` or raise TemplateError in Vietnamese."""
    from doc_templates.errors import TemplateError

    try:
        return KINDS[name]
    except KeyError:
        raise TemplateError(f"Không có loại văn bản “{name}”.") from None
