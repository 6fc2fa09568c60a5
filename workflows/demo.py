"""Demo data for an empty database: `python -m workflows.demo` (refused in production mode)."""
from __future__ import annotations

import secrets
import sys
from datetime import date

from sqlalchemy import func, select

from storage.db import write_session
from storage.models import Campaign, Commune, Unit, User
from workflows.accounts import hash_password

UNITS = [   # name, kind, who heads it (signs its registration) and their title
    ("Trường Mầm non Phượng Tiến", "school", "Ma Thị Hồng", "Hiệu trưởng"),
    ("Trường Tiểu học Phượng Tiến", "school", "Hoàng Văn Tuấn", "Hiệu trưởng"),
    ("Trường THCS Phượng Tiến", "school", "Nguyễn Thị Lan", "Hiệu trưởng"),
    ("Trường Tiểu học và THCS Phượng Tiến 2", "school", "Lưu Đức Minh", "Hiệu trưởng"),
    ("Xóm Khuôn Lân", "hamlet", "Ma Văn Khánh", "Trưởng xóm"),
    ("Xóm Na Pục", "hamlet", "La Văn Pục", "Trưởng xóm"),
    ("Xóm Thâm Tý", "hamlet", "Hà Thị Tý", "Trưởng xóm"),
    ("Xóm Làng Mố", "hamlet", "Triệu Văn Mố", "Trưởng xóm"),
    ("Xóm Nà Lẹng", "hamlet", "Nông Văn Lẹng", "Trưởng xóm"),
    ("Xóm Đồng Tâm", "hamlet", "Đặng Văn Tâm", "Trưởng xóm"),
    ("Xóm Phụ Cơ", "hamlet", "Hoàng Thị Cơ", "Trưởng xóm"),
    ("Xóm Đồng Hút", "hamlet", "Lý Văn Hút", "Trưởng xóm"),
    ("Công ty TNHH May Tân Dương", "enterprise", "Trần Thị Dương", "Giám đốc"),
    ("Hợp tác xã Chè An Thịnh", "enterprise", "Phạm Văn Thịnh", "Giám đốc"),
    ("Công ty Cổ phần Gạch Tuynel Định Hóa", "enterprise", "Đỗ Văn Hóa", "Giám đốc"),
    ("Trạm Y tế xã Phượng Tiến", "agency", "Bế Thị Thu", "Trạm trưởng"),
    ("Bưu điện văn hóa xã Phượng Tiến", "agency", "Vi Thị Mai", "Trưởng Bưu điện"),
    ("Văn phòng HĐND và UBND xã Phượng Tiến", "agency", "Mã Văn Hùng", "Chánh Văn phòng"),
    ("Hội Cựu chiến binh xã Phượng Tiến", "organisation", "Lục Văn Bình", "Chủ tịch Hội"),
    ("Đoàn Thanh niên xã Phượng Tiến", "organisation", "Tô Thị Nga", "Bí thư Đoàn"),
]

LEGAL_BASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của "
    "Luật Thi đua, khen thưởng",
    "Căn cứ Quyết định số 2447/QĐ-TTg ngày 06 tháng 11 năm 2025 của Thủ tướng Chính phủ về Phong trào thi đua "
    "“Toàn dân bảo vệ an ninh Tổ quốc”",
]

OFFICERS = [
    ("admin", "Nguyễn Văn Quản", "admin", "Cán bộ công nghệ thông tin", False),
    ("congan", "Lương Công Toàn", "police", "Trưởng Công an xã", False),
    ("vhxh", "Hoàng Thị Thu Hà", "vhxh", "Trưởng phòng Văn hóa - Xã hội", False),
    ("chutich", "Ma Văn Thành", "chairman", "Chủ tịch UBND xã", False),
    ("phochutich", "Chu Tiến Dũng", "chairman", "Phó Chủ tịch UBND xã", True),
    ("vanthu", "Đàm Thị Hậu", "van_thu", "Văn thư UBND xã", False),
]


def is_empty() -> bool:
    with write_session() as session:
        return session.scalar(select(func.count()).select_from(Commune)) == 0


def load(password: str) -> list[tuple[str, str, str]]:
    """Create the demo commune, units, campaign 2026 and accounts; returns (username, name, role)."""
    pw_hash = hash_password(password)      # one hash for all demo accounts: same password, and fast
    with write_session() as session:
        commune = Commune(name="Phượng Tiến", kind="xã", province="Thái Nguyên", chairman_name="Ma Văn Thành",
                          legal_bases=LEGAL_BASES)
        session.add(commune)
        session.flush()
        units = [Unit(commune_id=commune.id, name=n, kind=k, head_name=h, head_title=t) for n, k, h, t in UNITS]
        session.add_all(units)
        # no registration deadline: the demo year can be walked from registration on any day
        session.add(Campaign(commune_id=commune.id, year=2026, register_deadline=None,
                             report_deadline=date(2026, 11, 30), hamlet_report_deadline=date(2026, 11, 20),
                             province_report_deadline=date(2026, 11, 30)))
        session.flush()
        accounts = [User(username=u, full_name=n, role=r, title=t, signs_as_deputy=dep, password_hash=pw_hash,
                         commune_id=commune.id) for u, n, r, t, dep in OFFICERS]
        accounts += [User(username=f"donvi{i:02d}", full_name=f"Cán bộ {unit.name}", role="unit_staff",
                          unit_id=unit.id, password_hash=pw_hash, commune_id=commune.id, title="Văn thư đơn vị")
                     for i, unit in enumerate(units, 1)]
        session.add_all(accounts)
        return [(a.username, a.full_name, a.role) for a in accounts]


def main() -> int:
    import settings

    cfg = settings.get()
    if cfg.is_production:
        print("Chế độ production: không nạp dữ liệu mẫu.", file=sys.stderr)
        return 0
    if not is_empty():
        print("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.")
        return 0
    password = cfg.demo_password or secrets.token_urlsafe(9)
    accounts = load(password)
    from workflows import esign

    pki = esign.load_demo(cfg.var_dir / "pki", password)
    print(f"Đã nạp dữ liệu mẫu: xã Phượng Tiến, {len(UNITS)} đơn vị, đợt thi đua 2026.")
    print(f"Tài khoản mẫu (mật khẩu chung: {password}{'' if cfg.demo_password else ' — chỉ in một lần'}):")
    for username, name, role in accounts[:len(OFFICERS)]:
        print(f"  {username:<11} {role:<10} {name}")
    print(f"  donvi01 … donvi{len(UNITS):02d}  unit_staff  cán bộ của từng đơn vị, theo thứ tự danh sách đơn vị")
    print(f"Chữ ký số DEMO (không có giá trị pháp lý) trong {pki['ca'].parent}: chutich, phochutich, con dấu "
          "UBND; mật khẩu chứng thư số = mật khẩu chung ở trên.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
