"""Building workflow states directly from rows (fast)."""
from __future__ import annotations

from sqlalchemy import select


def user_id(username: str) -> int:
    from storage.db import read_session
    from storage.models import User

    with read_session() as session:
        return session.scalar(select(User.id).where(User.username == username))


def appraised_dossiers(n: int, nominees: int = 1, year: int = 2026) -> list[int]:
    """`n` dossiers of new units, appraised by vhxh with every nominee accepted; returns their ids."""
    from storage.db import write_session
    from storage.models import Campaign, Commune, Dossier, Nominee, Transition, Unit, User

    with write_session() as session:
        commune = session.scalar(select(Commune))
        campaign = session.scalar(select(Campaign).where(Campaign.year == year))
        vhxh = session.scalar(select(User).where(User.username == "vhxh"))
        ids = []
        for _ in range(n):
            unit = Unit(commune_id=commune.id, name=f"Tổ dân phố thử nghiệm {len(ids) + 1:03d}-{id(ids) % 997}",
                        kind="hamlet")
            dossier = Dossier(unit=unit, campaign=campaign, state="appraised", targets={})
            session.add(dossier)
            session.flush()
            for k in range(1, nominees + 1):
                session.add(Nominee(dossier_id=dossier.id, seq=k, name=f"Nguyễn Văn Thử {dossier.id}-{k}",
                                    kind="individual", position="Tổ trưởng", verdict="accepted", reason="Đạt"))
            session.add(Transition(dossier_id=dossier.id, action="appraise", from_state="under_appraisal",
                                   to_state="appraised", actor_id=vhxh.id, role="vhxh"))
            ids.append(dossier.id)
        return ids


def submitted_dossier(clerk: str, nominees: list[str], report_pdf, metrics: dict | None = None) -> int:
    """The clerk's unit registered and sent `report_pdf`, read as done with these nominees (individuals) and
    metrics; the report file is really stored, so its pages preview. Returns the dossier id."""
    from storage.db import write_session
    from storage.files import store
    from storage.models import Campaign, Dossier, Nominee, Report, User
    from workflows.audit import record
    from workflows.fields import empty

    sha = store().put_file(report_pdf)
    fields = empty()
    fields["metrics"].update(metrics or {})
    fields["nominees"] = [{"name": n, "kind": "individual", "position": "Tổ viên", "award": None} for n in nominees]
    with write_session() as session:
        user = session.scalar(select(User).where(User.username == clerk))
        campaign = session.scalar(select(Campaign).where(Campaign.commune_id == user.commune_id))
        dossier = Dossier(unit_id=user.unit_id, campaign=campaign, state="registered",
                          targets={"propaganda_sessions": 10})
        session.add(dossier)
        session.flush()
        dossier.state = None                # as register() does: the transition row records the first state
        record(session, dossier, "register", "registered", user)
        session.add(Report(dossier_id=dossier.id, filename="bao-cao.pdf", sha256=sha, mime="application/pdf",
                           size=report_pdf.stat().st_size, pages=1, status="done", fields=fields, text="",
                           submitted_by_id=user.id, progress_done=1))
        record(session, dossier, "submit_report", "report_submitted", user, files=[sha])
        for k, name in enumerate(nominees, 1):
            session.add(Nominee(dossier_id=dossier.id, seq=k, name=name, kind="individual", position="Tổ viên"))
        return dossier.id


from api_helpers import csrf_token  # noqa: E402  (one way to sign in, shared)
from api_helpers import login_html as login  # noqa: E402

__all__ = ["user_id", "appraised_dossiers", "submitted_dossier", "csrf_token", "login"]
