"""The tamper-evident history: each transition row carries the hash of the dossier's previous row,
of the files it touched and of the data it decided on. `python -m workflows.history` (or
`make verify-history`) checks every chain and names the first broken link."""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.files import FileStore, sha256_file
from storage.models import Transition


def digest(data) -> str:
    """sha256 of a JSON value in canonical form."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(t: Transition) -> str:
    return digest({"dossier": t.dossier_id, "action": t.action, "from": t.from_state, "to": t.to_state,
                   "actor": t.actor_id, "role": t.role, "at": _utc(t.at), "comment": t.comment,
                   "files": list(t.files or []), "data": t.data_sha256, "prev": t.prev_hash})


def seal(session: Session, t: Transition) -> None:
    """Link a new, not yet added row to its dossier's previous row and hash it (the dossier is locked)."""
    with session.no_autoflush:
        t.prev_hash = session.scalar(select(Transition.hash).where(Transition.dossier_id == t.dossier_id)
                                     .order_by(Transition.id.desc()).limit(1))
    t.hash = row_hash(t)


def verify(session: Session, files: FileStore) -> list[str]:
    """Problems found, first broken link of each dossier first; empty when the history is intact."""
    problems: list[str] = []
    last: dict[int, str | None] = {}
    checked: set[str] = set()
    for t in session.scalars(select(Transition).order_by(Transition.id)):
        where = f"hồ sơ {t.dossier_id}, bước #{t.id} ({t.action}, {_utc(t.at)})"
        if t.prev_hash != last.get(t.dossier_id):
            problems.append(f"{where}: không nối với bước trước (chuỗi bị đứt)")
        elif t.hash != row_hash(t):
            problems.append(f"{where}: nội dung đã bị sửa (mã băm không khớp)")
        for sha in t.files or []:
            if sha not in checked:
                checked.add(sha)
                if not files.exists(sha):
                    problems.append(f"{where}: thiếu tệp {sha}")
                elif sha256_file(files.path(sha)) != sha:
                    problems.append(f"{where}: tệp {sha} đã bị sửa")
        last[t.dossier_id] = t.hash
    return problems


def main() -> int:
    from storage.db import read_session
    from storage.files import store

    with read_session() as session:
        problems = verify(session, store())
    if problems:
        print("Lịch sử KHÔNG toàn vẹn. Chỗ hỏng đầu tiên:", problems[0], sep="\n  ")
        for p in problems[1:]:
            print("  " + p)
        return 1
    print("Lịch sử toàn vẹn: mọi bước xử lý và tệp đều khớp mã băm.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
