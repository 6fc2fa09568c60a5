"""Building workflow states directly from rows (fast), and signing in to the web pages."""
from __future__ import annotations

import re

from sqlalchemy import select

from conftest import DEMO_PASSWORD


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
        for i in range(n):
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


def login(client, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, with its CSRF token."""
    r = client.post("/login", data={"username": username, "password": password,
                                     "csrf_token": csrf_token(client, "/login")})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]


def csrf_token(client, path: str) -> str:
    """The CSRF token of the first form on the page at `path`."""
    html = client.get(path).get_data(as_text=True)
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)
