"""Vietnamese formats for administrative documents (Nghị định 30/2020/NĐ-CP)."""
from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

BLANK = "\u00a0" * 6  # room for a hand-written number or day on a printed blank
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # every time printed on a paper, whatever the server's zone


def local(t):
    """A time in Vietnam: an aware datetime is converted; a naive one or a bare time is taken as given."""
    if isinstance(t, dt.datetime) and t.tzinfo is not None:
        return t.astimezone(VN_TZ)
    return t


def today() -> dt.date:
    """Today's date in Vietnam (the date printed on papers), whatever the server's zone."""
    return dt.datetime.now(VN_TZ).date()


def two(n: int) -> str:
    """Return `n` with a leading zero below 10 (ND30: “05”, “01”)."""
    return f"{int(n):02d}"


def vn_date(d: dt.date | None, year: int | None = None) -> str:
    """Return “ngày 05 tháng 01 năm 2026”, or a blank to fill by hand when `d` is None."""
    if d is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year or ''}".rstrip()
    return f"ngày {two(d.day)} tháng {two(d.month)} năm {d.year}"


def place_date(place: str, d: dt.date | None, year: int | None = None) -> str:
    """Return “Phượng Tiến, ngày 05 tháng 01 năm 2026”."""
    return f"{place}, {vn_date(d, year)}"


def short_date(d: dt.date | None) -> str:
    """Return “05/01/2026” (used in tables), or a blank."""
    return BLANK if d is None else f"{two(d.day)}/{two(d.month)}/{d.year}"


def vn_time(t: dt.datetime | dt.time) -> str:
    """Return “08 giờ 30 phút” (Vietnam time)."""
    t = local(t)
    return f"{two(t.hour)} giờ {two(t.minute)} phút"


def vn_datetime(t: dt.datetime) -> str:
    """Return “08 giờ 30 phút, ngày 05 tháng 01 năm 2026” (Vietnam time)."""
    t = local(t)
    return f"{vn_time(t)}, {vn_date(t.date())}"


def doc_number(seq: int, type_code: str | None, issuer_code: str) -> str:
    """Return “05/QĐ-UBND”, or “12/UBND-VX” for a công văn (no type code)."""
    if seq < 1:
        raise ValueError("Số văn bản phải từ 01 trở lên")
    if type_code:
        return f"{two(seq)}/{type_code}-{issuer_code}"
    return f"{two(seq)}/{issuer_code}"


def blank_number(type_code: str | None, issuer_code: str) -> str:
    """Return “      /QĐ-UBND”: the number left blank, filled in when the paper is signed."""
    return f"{BLANK}/{type_code}-{issuer_code}" if type_code else f"{BLANK}/{issuer_code}"


def count_label(n: int) -> str:
    """Return a count with a leading zero below 10, as decisions write them (“05”)."""
    return two(n) if n < 10 else str(n)


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC (TCVN 6909:2001 text is precomposed)."""
    return unicodedata.normalize("NFC", text)
