"""Sample contexts for every kind: used by tests, the benchmark and template previews."""
from __future__ import annotations

import datetime as dt

D = dt.date(2026, 1, 5)
EMULATION = "phong trào thi đua “Toàn dân bảo vệ an ninh Tổ quốc” năm 2026"


def common(type_code: str, issuer_code: str, issuer: str = "CÔNG AN XÃ PHƯỢNG TIẾN",
           parent: str | None = "UBND XÃ PHƯỢNG TIẾN", number: str | None = None) -> dict:
    """Return the keys shared by every kind."""
    return {
        "header": {"parent": parent, "issuer": issuer, "number": number, "type_code": type_code,
                   "issuer_code": issuer_code, "place": "Phượng Tiến", "date": D},
        "subject": f"Về việc đề nghị khen thưởng trong {EMULATION}",
        "signer": {"authority": None, "title": "Trưởng Công an xã", "name": "Nguyễn Văn Bình"},
        "recipients": ["Như trên;", "Lưu hồ sơ thi đua;"],
        "archive": "VT, CAX",
        "year": 2026,
        "commune": {"name": "Phượng Tiến", "full_name": "xã Phượng Tiến", "province": "Thái Nguyên"},
    }


def awardees(n: int = 6) -> list[dict]:
    """Return `n` awardees, alternating collectives and individuals."""
    out = []
    for i in range(1, n + 1):
        if i % 3 == 1:
            out.append({"no": i, "name": f"Trường THCS Phượng Tiến {i}", "kind": "collective",
                        "position": None, "unit_name": f"Trường THCS Phượng Tiến {i}",
                        "award": "Giấy khen của Chủ tịch UBND xã"})
        else:
            out.append({"no": i, "name": f"Nguyễn Thị Hoa {i}", "kind": "individual",
                        "position": "Giáo viên", "unit_name": "Trường THCS Phượng Tiến",
                        "award": "Giấy khen của Chủ tịch UBND xã"})
    return out


LEGAL_BASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết"
    " một số điều của Luật Thi đua, khen thưởng",
]


def quyet_dinh(n: int = 6) -> dict:
    """A commendation decision signed by a Vice-Chairman."""
    ctx = common("QĐ", "UBND", issuer="ỦY BAN NHÂN DÂN XÃ PHƯỢNG TIẾN", parent=None, number="05/QĐ-UBND")
    ctx.update({
        "subject": f"Về việc khen thưởng thành tích trong {EMULATION}",
        "signer": {"authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Trần Văn An"},
        "recipients": ["Như Điều 3;", "Công an tỉnh Thái Nguyên;", "Chủ tịch, các PCT UBND xã;"],
        "archive": "VT, VHXH",
        "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỢNG TIẾN",
        "legal_bases": LEGAL_BASES,
        "proposal": "Xét đề nghị của Trưởng Công an xã tại Tờ trình số 12/TTr-CAX ngày 02 tháng 01"
                    " năm 2026 và kết quả thẩm định của Phòng Văn hóa - Xã hội",
        "award_title": "Giấy khen",
        "reason": f"Đã có thành tích xuất sắc trong {EMULATION}",
        "awardees": awardees(n),
        "article3_bodies": "Chánh Văn phòng HĐND và UBND xã, Trưởng Công an xã, Trưởng phòng Văn hóa"
                           " - Xã hội và các tập thể, cá nhân có tên tại Điều 1",
    })
    return ctx


def giay_khen(i: int = 2) -> dict:
    """One certificate."""
    ctx = common("QĐ", "UBND", parent=None, issuer="ỦY BAN NHÂN DÂN XÃ PHƯỢNG TIẾN")
    ctx.update({
        "signer": {"authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Trần Văn An"},
        "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHƯỢNG TIẾN",
        "awardee": awardees(i)[i - 1],
        "reason": f"Đã có thành tích xuất sắc trong {EMULATION}",
        "decision": {"number": "05/QĐ-UBND", "date": D},
        "register_no": f"{i:02d}/GK",
        "verify_url": f"https://thidua.phuongtien.gov.vn/verify/{i:06x}a1b2c3",
    })
    return ctx


def giay_khen_phoi(i: int = 2) -> dict:
    """One certificate printed onto a pre-printed form."""
    return giay_khen(i) | {"offsets_mm": {"x": 0, "y": 0}}


def to_trinh() -> dict:
    """The police's proposal to the Chairman."""
    ctx = common("TTr", "CAX", number="12/TTr-CAX")
    nominees = [a | {"achievement": "Tổ chức 12 buổi tuyên truyền; duy trì mô hình “Camera an ninh”"}
                for a in awardees(5)]
    ctx.update({
        "recipients": ["Như trên;", "Phòng Văn hóa - Xã hội;"],
        "addressee": "Chủ tịch UBND xã Phượng Tiến",
        "legal_bases": LEGAL_BASES[1:],
        "summary_paragraphs": [f"Thực hiện {EMULATION}, các tập thể, cá nhân đã tích cực tham gia,"
                               " đạt nhiều kết quả nổi bật.",
                               "Công an xã đề nghị Chủ tịch UBND xã tặng Giấy khen cho các tập thể,"
                               " cá nhân có tên trong danh sách dưới đây."],
        "nominees": nominees,
    })
    return ctx


def bien_ban_tham_dinh() -> dict:
    """The appraisal record of Phòng Văn hóa – Xã hội."""
    ctx = common("BB", "VHXH", issuer="PHÒNG VĂN HÓA - XÃ HỘI", number="03/BB-VHXH")
    verdicts = [{"no": a["no"], "name": a["name"], "kind": a["kind"], "unit_name": a["unit_name"],
                 "award": a["award"], "verdict": "accepted" if a["no"] != 4 else "refused",
                 "reason": "Đủ tiêu chuẩn" if a["no"] != 4 else "Chưa có sáng kiến"} for a in awardees(5)]
    ctx.update({
        "subject": "Thẩm định hồ sơ đề nghị khen thưởng năm 2026",
        "signer": {"authority": None, "title": "Trưởng phòng", "name": "Lê Thị Mai"},
        "archive": "VT, VHXH",
        "meeting": {"time": dt.datetime(2026, 1, 3, 8, 30), "location": "Trụ sở UBND xã Phượng Tiến",
                    "members": [{"name": "Bà Lê Thị Mai", "title": "Trưởng phòng Văn hóa - Xã hội"},
                                {"name": "Ông Phạm Văn Đức", "title": "Chuyên viên"}]},
        "verdicts": verdicts,
        "conclusion": "Đề nghị Chủ tịch UBND xã tặng Giấy khen cho các trường hợp đủ điều kiện",
    })
    return ctx


def dang_ky() -> dict:
    """A unit's yearly registration."""
    ctx = common("ĐK", "THCS", issuer="TRƯỜNG THCS PHƯỢNG TIẾN", number="01/ĐK-THCS")
    ctx.update({
        "subject": f"Đăng ký thi đua thực hiện {EMULATION}",
        "signer": {"authority": None, "title": "Hiệu trưởng", "name": "Đỗ Văn Cường"},
        "recipients": ["Công an xã Phượng Tiến;"],
        "archive": "VT",
        "addressee": "Công an xã Phượng Tiến",
        "unit": {"name": "Trường THCS Phượng Tiến", "kind": "school"},
        "targets": [{"label": "Số buổi tuyên truyền", "value": 12},
                    {"label": "Mô hình tự quản duy trì", "value": 1},
                    {"label": "Đạt tiêu chuẩn “An toàn về an ninh, trật tự”", "value": "Đạt"}],
        "commitments": ["Không để xảy ra vụ việc nghiêm trọng về an ninh, trật tự",
                        "Báo cáo kết quả trước ngày 20 tháng 11 năm 2026"],
    })
    return ctx


def bao_cao_tong_hop() -> dict:
    """The commune police's yearly report to the province."""
    ctx = common("BC", "CAX", parent="CÔNG AN TỈNH THÁI NGUYÊN", number="15/BC-CAX")
    ctx.update({
        "subject": f"Kết quả {EMULATION}",
        "recipients": ["Công an tỉnh Thái Nguyên;", "UBND xã Phượng Tiến;"],
        "addressee": "Công an tỉnh Thái Nguyên",
        "totals": [{"label": "Số đơn vị đăng ký", "value": 24}, {"label": "Số buổi tuyên truyền", "value": 1250},
                   {"label": "Số đơn vị đạt “An toàn về an ninh, trật tự”", "value": 21}],
        "units": [{"name": f"Xóm Đồng {i}", "kind": "hamlet", "state": "approved", "self_rating": "Xuất sắc",
                   "antt_standard": i != 2, "metrics": {"propaganda_sessions": 10 + i, "models": 1,
                                                         "incidents": 0}} for i in range(1, 4)],
        "awards": [{"name": a["name"], "unit_name": a["unit_name"], "award": a["award"],
                    "decision_number": "05/QĐ-UBND"} for a in awardees(3)],
        "proposals": [{"unit_name": "Xóm Đồng 1", "award": "Bằng khen của Chủ tịch UBND tỉnh",
                       "evidence": ["Đạt “An toàn về an ninh, trật tự” 3 năm liền",
                                    "Mô hình “Camera an ninh” được nhân rộng"]}],
    })
    return ctx


def sample(kind: str) -> dict:
    """Return the sample context of `kind`."""
    return globals()[kind]()


# ---------------------------------------------------------------- edge cases (the upload check)

LONG = ("Trường Trung học cơ sở và Trung học phổ thông Phượng Tiến thuộc Ủy ban nhân dân xã Phượng Tiến"
        " tỉnh Thái Nguyên, tổ bảo vệ an ninh trật tự cơ sở, tổ hòa giải và tổ tự quản ") * 2
_LONG_KEYS = {"name", "unit_name", "position", "award", "achievement", "reason", "title", "location", "label"}
# Keys a context may leave out (README “opt.”), and values that may be None.
OPTIONAL = {"dang_ky": {"addressee"}, "bao_cao_tong_hop": {"addressee", "intro", "metric_labels"},
            "quyet_dinh": {"article2"}, "giay_khen": {"register_no", "honorific"},
            "giay_khen_phoi": {"register_no", "honorific"}}
_NULLABLE = {"parent", "number", "date", "authority", "proposal", "position", "self_rating",
             "antt_standard", "register_no", "verify_url", "decision_number"}


def _scaled(items: list, n: int) -> list:
    """`n` items made by cycling `items`, renumbered."""
    out = []
    for i in range(n):
        item = dict(items[i % len(items)]) if isinstance(items[i % len(items)], dict) else items[i % len(items)]
        if isinstance(item, dict) and "no" in item:
            item["no"] = i + 1
        if isinstance(item, dict) and "name" in item:
            item["name"] = f"{item['name']} ({i + 1})"
        out.append(item)
    return out


def _lists(kind: str, ctx: dict, n: int) -> dict:
    """The context with each top-level list of records (awardees, nominees, units…) holding `n`."""
    out = dict(ctx)
    for key, value in ctx.items():
        if key not in ("recipients", "legal_bases") and isinstance(value, list) and value:
            out[key] = _scaled(value, n)
        if key in ("awardee",):
            out[key] = dict(value)
    return out


def _walk(value, fn):
    if isinstance(value, dict):
        return {k: fn(k, _walk(v, fn)) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    return value


def _long(ctx: dict) -> dict:
    return _walk(ctx, lambda k, v: LONG if k in _LONG_KEYS and isinstance(v, str) else v)


def _without_optional(kind: str, ctx: dict) -> dict:
    bare = _walk(ctx, lambda k, v: None if k in _NULLABLE else v)
    for d in _dicts(bare):
        for key in OPTIONAL.get(kind, set()) & set(d):
            del d[key]
    return bare


def _dicts(value):
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _dicts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _dicts(v)


def edge_cases(kind: str) -> list[tuple[str, dict]]:
    """Realistic and edge-case contexts of `kind`, each with a Vietnamese label for messages:
    long names, 1, 0 and 200 records, optional values missing."""
    base = sample(kind)
    return [
        ("dữ liệu mẫu", base),
        ("tên rất dài", _long(base)),
        ("danh sách 1 trường hợp", _lists(kind, base, 1)),
        ("danh sách rỗng (0 trường hợp)", _lists(kind, base, 0)),
        ("danh sách 200 trường hợp", _lists(kind, base, 200)),
        ("các giá trị không bắt buộc để trống", _without_optional(kind, base)),
    ]
