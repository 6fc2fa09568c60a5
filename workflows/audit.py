"""The audit row: every dossier step writes who, role, when, from, to, comment and files, chained to the
previous row by `history.seal`, in the same transaction as the change."""
from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import Dossier, Transition, User, utcnow
from workflows import history, machine
from workflows.errors import Invalid
from workflows.text import nfc


def apply(session: Session, dossier: Dossier, action: str, user: User, comment: str | None = None,
          files: list[str] | None = None, data=None) -> Transition:
    """Fire `action` through the workflow table and record it."""
    to = machine.fire(dossier.state, action, user.role, comment)
    return record(session, dossier, action, to, user, comment, files, data)


def record(session: Session, dossier: Dossier, action: str, to: str, user: User, comment=None, files=None,
           data=None, first: bool = False) -> Transition:
    """Write the transition row (sealed to the chain) and move the dossier to `to`; the `first` step of a
    dossier comes from no state."""
    row = Transition(dossier_id=dossier.id, action=action, from_state=None if first else dossier.state, to_state=to,
                     actor_id=user.id, role=user.role, at=utcnow(), comment=clean_comment(comment),
                     files=list(files or []), data_sha256=history.digest(data) if data is not None else None)
    history.seal(session, row)
    session.add(row)
    dossier.state, dossier.updated_at = to, row.at
    return row


def clean_comment(comment) -> str | None:
    if comment is None:
        return None
    if not isinstance(comment, str) or len(comment) > 4000:
        raise Invalid("“comment” phải là chuỗi ký tự (tối đa 4000 ký tự).", "comment")
    return nfc(comment)
