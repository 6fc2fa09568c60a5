"""Numbers from the register: per issuer per year from 01, unique and gap-free under concurrency.

The counter row is incremented with one UPDATE … RETURNING inside the caller's transaction: on
PostgreSQL the row stays locked until that transaction ends, on SQLite the write transaction is
exclusive; a rolled-back transaction gives its number back, so no number is consumed without a document.
tests/integration/test_numbering_concurrency.py proves it on both databases (200 threads, 40 approvals).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from storage.db import row
from storage.models import NumberRegister, RegisterEntry, utcnow


def doc_number(seq: int, type_code: str | None, issuer_code: str) -> str:
    """“05/QĐ-UBND”; a công văn has no type code: “12/UBND-VX”."""
    return f"{seq:02d}/{type_code}-{issuer_code}" if type_code else f"{seq:02d}/{issuer_code}"


def _ensure_register(session: Session, commune_id: int, issuer_code: str, year: int) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(NumberRegister).values(commune_id=commune_id, issuer_code=issuer_code, year=year, last_seq=0)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["commune_id", "issuer_code", "year"]))


def take(session: Session, *, commune_id: int, issuer_code: str, type_code: str | None, kind: str, on: date,
         actor_id: int, note: str | None = None) -> RegisterEntry:
    """Take the commune's next number of `issuer_code` for the year of `on` and record it."""
    _ensure_register(session, commune_id, issuer_code, on.year)
    register_id, seq = session.execute(
        update(NumberRegister)
        .where(NumberRegister.commune_id == commune_id, NumberRegister.issuer_code == issuer_code,
               NumberRegister.year == on.year)
        .values(last_seq=NumberRegister.last_seq + 1)
        .returning(NumberRegister.id, NumberRegister.last_seq)
    ).one()
    entry = RegisterEntry(register_id=register_id, seq=seq, number=doc_number(seq, type_code, issuer_code),
                          kind=kind, issued_on=on, actor_id=actor_id, note=note)
    session.add(entry)
    session.flush()
    return entry


def cancel(session: Session, entry_id: int, note: str) -> RegisterEntry:
    """Mark a number cancelled; it stays in the register and is never reused."""
    entry = row(session, RegisterEntry, entry_id)
    if entry.status != "cancelled":
        entry.status, entry.note, entry.cancelled_at = "cancelled", note, utcnow()
    return entry


def entries(session: Session, commune_id: int, year: int | None = None) -> list[RegisterEntry]:
    """Every number the commune took (issued or cancelled), per register in order, optionally of one year."""
    stmt = (select(RegisterEntry).join(NumberRegister).options(joinedload(RegisterEntry.register))
            .where(NumberRegister.commune_id == commune_id)
            .order_by(NumberRegister.year.desc(), NumberRegister.issuer_code, RegisterEntry.seq))
    if year:
        stmt = stmt.where(NumberRegister.year == year)
    return list(session.scalars(stmt))
