"""The register under load, on SQLite and PostgreSQL: numbers are distinct, run from 01 without gaps,
a rolled-back transaction gives its number back, a cancelled number stays recorded and is not reused."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from workflow_helpers import appraised_dossiers, user_id

ON = date(2026, 6, 1)


def _together(n: int, work) -> list:
    """Run `work(i)` in `n` threads released at the same moment; return the results in order."""
    gate = threading.Barrier(n)

    def run(i):
        gate.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def _seq(number: str) -> int:
    return int(number.split("/")[0])


def _take(note: str, actor: int) -> str:
    from storage.db import write_session
    from workflows import numbering

    with write_session() as session:
        return numbering.take(session, commune_id=1, issuer_code="UBND", type_code="QĐ", kind="quyet_dinh", on=ON,
                              actor_id=actor, note=note).number


def test_200_threads_take_200_distinct_numbers_from_01_without_gaps(env):
    actor = user_id("chutich")
    numbers = _together(200, lambda i: _take(f"luồng {i}", actor))
    assert sorted(numbers, key=_seq) == [f"{i:02d}/QĐ-UBND" for i in range(1, 201)]
    from storage.db import read_session
    from workflows import numbering

    with read_session() as session:
        assert [e.seq for e in numbering.entries(session, 1, 2026)] == list(range(1, 201))


def test_200_concurrent_approvals_get_distinct_gap_free_decision_numbers(env):
    from storage.db import read_session
    from storage.models import Document, Dossier
    from workflows.dossiers import approve

    dossiers = appraised_dossiers(200)
    chairmen = [user_id("chutich"), user_id("phochutich")]
    results = _together(200, lambda i: approve(chairmen[i % 2], [dossiers[i]]))
    with read_session() as session:
        decisions = session.scalars(select(Document).where(Document.kind == "quyet_dinh")).all()
        certs = session.scalars(select(Document).where(Document.kind == "giay_khen")).all()
        states = set(session.scalars(select(Dossier.state).where(Dossier.id.in_(dossiers))))
    assert len({r[0] for r in results}) == 200 and states == {"approved"}
    assert sorted((d.number for d in decisions), key=_seq) == [f"{i:02d}/QĐ-UBND" for i in range(1, 201)]
    assert sorted((c.number for c in certs), key=_seq) == [f"{i:02d}/GK" for i in range(1, 201)]


def test_a_rolled_back_transaction_does_not_consume_a_number(env):
    from storage.db import write_session
    from workflows import numbering

    actor = user_id("chutich")
    assert _take("một", actor) == "01/QĐ-UBND"
    with pytest.raises(RuntimeError):
        with write_session() as session:
            numbering.take(session, commune_id=1, issuer_code="UBND", type_code="QĐ", kind="quyet_dinh", on=ON,
                           actor_id=actor)
            raise RuntimeError("the document could not be made")
    assert _take("hai", actor) == "02/QĐ-UBND"


def test_a_failed_approval_leaves_no_number_behind(env, monkeypatch):
    from storage.db import read_session
    from storage.models import Dossier, RegisterEntry
    from workflows import documents, dossiers

    [dossier] = appraised_dossiers(1)
    monkeypatch.setattr(documents, "_issue_certificates", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        dossiers.approve(user_id("chutich"), [dossier])
    with read_session() as session:
        assert session.scalars(select(RegisterEntry)).all() == []
        assert session.get(Dossier, dossier).state == "appraised"


def test_a_cancelled_number_stays_in_the_register_and_is_never_reused(env):
    from storage.db import read_session
    from workflows import admin, numbering

    actor = user_id("chutich")
    [_take(str(i), actor) for i in range(3)]
    with read_session() as session:
        second = next(e for e in numbering.entries(session, 1, 2026) if e.seq == 2)
    admin.cancel_number(user_id("admin"), second.id, "Ghi nhầm trích yếu")
    assert _take("bốn", actor) == "04/QĐ-UBND"
    with read_session() as session:
        rows = [(e.number, e.status) for e in numbering.entries(session, 1, 2026)]
    assert rows == [("01/QĐ-UBND", "issued"), ("02/QĐ-UBND", "cancelled"), ("03/QĐ-UBND", "issued"),
                    ("04/QĐ-UBND", "issued")]
