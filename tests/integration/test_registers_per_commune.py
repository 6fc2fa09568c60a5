"""Each commune keeps its own numbering register, even on one shared deployment."""
from __future__ import annotations

from datetime import date


def test_two_communes_each_number_from_01(env):
    from sqlalchemy import select

    from storage.db import write_session
    from storage.models import Commune, User
    from workflows import numbering

    with write_session() as s:
        other = Commune(name="Yên Ninh", kind="xã", province="Thái Nguyên", legal_bases=[])
        s.add(other)
        s.flush()
        actor = s.scalar(select(User.id).where(User.username == "chutich"))
        first = [numbering.take(s, commune_id=1, issuer_code="UBND", type_code="QĐ", kind="quyet_dinh",
                                on=date(2026, 5, 1), actor_id=actor).number for _ in range(2)]
        theirs = numbering.take(s, commune_id=other.id, issuer_code="UBND", type_code="QĐ", kind="quyet_dinh",
                                on=date(2026, 5, 1), actor_id=actor).number
        assert first == ["01/QĐ-UBND", "02/QĐ-UBND"] and theirs == "01/QĐ-UBND"
        assert [e.number for e in numbering.entries(s, other.id)] == ["01/QĐ-UBND"]
