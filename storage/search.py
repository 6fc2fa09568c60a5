"""Full-text search over the reports' text, accent-insensitive for Vietnamese.

SQLite: FTS5 (`unicode61 remove_diacritics 2`) over a folded copy of each page. PostgreSQL: a `tsvector`
of `unaccent(lower(page))` (config `simple`) with a GIN index. Both see the same tokens: letters and
digits, lower case, without diacritics, “đ” read as “d” — so “an ninh” finds “AN NINH” and “an nính”.

Indexing: `index_report(session, report)` when a reading finishes or fields are corrected (inside that
transaction); `stale_report_ids` + `index_reports` catch up on anything missed (run before each search).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Select, column, delete, func, or_, select, table, text
from sqlalchemy.orm import Session

from storage.db import row
from storage.models import FieldCorrection, Report, SearchPage, SearchState, utcnow

TOKEN = re.compile(r"[^\W_]+")
PHRASE = re.compile(r'"([^"]*)"|(\S+)')
SNIPPET_CHARS = 90
FTS = table("search_pages_fts", column("rowid"), column("folded"), column("rank"))     # SQLite only


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


def fold(value: str) -> str:
    """Lower case without diacritics, one character for one (offsets stay valid): “Đắk Lắk” → “dak lak”."""
    return "".join(map(_fold_char, value))


def tokens(value: str) -> list[str]:
    """The searchable words of `value`, folded."""
    return TOKEN.findall(fold(unicodedata.normalize("NFC", value)))


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# ---------------------------------------------------------------- indexing
def pieces(report: Report) -> list[tuple[int, str]]:
    """(page, text) of a report: each page of its text (split on form feeds), and 0 = its checked fields."""
    pages = (report.text or "").split("\f")
    out = [(i, unicodedata.normalize("NFC", body)) for i, body in enumerate(pages, 1) if body.strip()]
    summary = fields_text(report.current_fields or {})
    return out + ([(0, summary)] if summary else [])


def fields_text(fields: dict) -> str:
    """The checked fields worth finding (subject, issuer, signer, nominees) as one line of text."""
    keys = ("number", "issuer", "subject", "signer_name", "signer_title", "self_rating")
    parts = [str(fields[k]) for k in keys if fields.get(k)]
    for n in fields.get("nominees") or []:
        parts.append(" – ".join(str(n[k]) for k in ("name", "position", "award") if n.get(k)))
    return unicodedata.normalize("NFC", " · ".join(parts))


def _drop(session: Session, report_id: int) -> None:
    if not _is_postgres(session):
        session.execute(text("DELETE FROM search_pages_fts WHERE rowid IN (SELECT id FROM search_pages "
                             "WHERE report_id = :r)"), {"r": report_id})
    session.execute(delete(SearchPage).where(SearchPage.report_id == report_id))


def _add(session: Session, report_id: int, page: int, body: str) -> None:
    if _is_postgres(session):
        session.execute(text("INSERT INTO search_pages (report_id, page, body, tsv) VALUES "
                             "(:r, :p, :b, to_tsvector('simple', unaccent(lower(:spaced))))"),
                        {"r": report_id, "p": page, "b": body, "spaced": _spaced(body)})
        return
    row = SearchPage(report_id=report_id, page=page, body=body)
    session.add(row)
    session.flush()
    session.execute(text("INSERT INTO search_pages_fts (rowid, folded) VALUES (:id, :f)"),
                    {"id": row.id, "f": " ".join(tokens(body))})


def _spaced(body: str) -> str:
    """Words separated by spaces only, so PostgreSQL's parser cuts exactly where `tokens` does."""
    return " ".join(TOKEN.findall(body.replace("_", " ")))


def index_report(session: Session, report: Report) -> None:
    """Replace the search rows of `report` with its current text and checked fields (same transaction)."""
    session.flush()
    session.expire(report, ["corrections"])       # a correction just added is not in the loaded list
    _drop(session, report.id)
    if report.status == "done":
        for page, body in pieces(report):
            _add(session, report.id, page, body)
    state = session.get(SearchState, report.id) or SearchState(report_id=report.id)
    state.fields_version, state.indexed_at = len(report.corrections), utcnow()
    session.add(state)
    session.flush()


def stale_report_ids(session: Session, limit: int = 500) -> list[int]:
    """Reports read but not indexed, or corrected since they were indexed."""
    versions = (select(func.count()).select_from(FieldCorrection)
                .where(FieldCorrection.report_id == Report.id).scalar_subquery())
    stmt = (select(Report.id).outerjoin(SearchState, SearchState.report_id == Report.id)
            .where(Report.status == "done", or_(SearchState.report_id.is_(None),
                                                 SearchState.fields_version != versions))
            .order_by(Report.id).limit(limit))
    return list(session.scalars(stmt))


def index_reports(session: Session, report_ids: list[int]) -> int:
    """Index the given reports; returns how many."""
    for report_id in report_ids:
        index_report(session, row(session, Report, report_id))
    return len(report_ids)


def rebuild(session: Session) -> int:
    """Drop the whole index and build it again from every report (`python -m storage.search`)."""
    if not _is_postgres(session):
        session.execute(text("DELETE FROM search_pages_fts"))
    session.execute(delete(SearchPage))
    session.execute(delete(SearchState))
    return index_reports(session, list(session.scalars(select(Report.id).where(Report.status == "done"))))


# ---------------------------------------------------------------- searching
def parse(query: str) -> list[list[str]]:
    """The query's terms, each a list of folded tokens: a quoted part is one phrase, other words one each."""
    terms = []
    for quoted, word in PHRASE.findall(unicodedata.normalize("NFC", query or "")[:300]):
        found = tokens(quoted if quoted else word)
        if quoted and found:
            terms.append(found)
        else:
            terms.extend([t] for t in found)
    return terms[:12]


def _match_sqlite(terms: list[list[str]]) -> str:
    return " ".join('"' + " ".join(t) + '"' for t in terms)


def _match_postgres(terms: list[list[str]]) -> str:
    return " & ".join("(" + " <-> ".join(t) + ")" for t in terms)


@dataclass(frozen=True)
class Hit:
    """One matching page: where it is, and a snippet as (text, highlighted) segments."""

    page_id: int
    report_id: int
    page: int
    snippet: list[tuple[str, bool]]


def search(session: Session, query: str, visible_dossier_ids: Select, limit: int = 50) -> list[Hit]:
    """Pages of the visible dossiers' current reports (the latest sent; never a replaced upload nor a clerk's
    unsent draft) matching every term of `query`, best first."""
    terms = parse(query)
    if not terms:
        return []
    scope = (select(func.max(Report.id)).where(Report.dossier_id.in_(visible_dossier_ids), Report.draft.is_(False))
             .group_by(Report.dossier_id))
    if _is_postgres(session):
        rows = session.execute(
            select(SearchPage.id, SearchPage.report_id, SearchPage.page, SearchPage.body)
            .where(text("search_pages.tsv @@ to_tsquery('simple', :q)"), SearchPage.report_id.in_(scope))
            .order_by(text("ts_rank(search_pages.tsv, to_tsquery('simple', :q)) DESC"), SearchPage.id)
            .limit(limit), {"q": _match_postgres(terms)}).all()
    else:
        rows = session.execute(
            select(SearchPage.id, SearchPage.report_id, SearchPage.page, SearchPage.body)
            .join(FTS, FTS.c.rowid == SearchPage.id)
            .where(text("search_pages_fts MATCH :q"), SearchPage.report_id.in_(scope))
            .order_by(FTS.c.rank, SearchPage.id)
            .limit(limit), {"q": _match_sqlite(terms)}).all()
    return [Hit(r.id, r.report_id, r.page, snippet(r.body, terms)) for r in rows]


def snippet(body: str, terms: list[list[str]], width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """A window of `body` around the first match, as segments; the matched words are marked."""
    folded = fold(body)
    spans = _spans(folded, terms)
    if not spans:
        return [(_squash(body[: 2 * width]), False)]
    start = max(0, spans[0][0] - width)
    end = min(len(body), spans[0][1] + width)
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out += [(_squash(body[pos:s]), False), (_squash(body[s:e]), True)]
        pos = e
    out.append((_squash(body[pos:end]), False))
    if start > 0:
        out.insert(0, ("… ", False))
    if end < len(body):
        out.append((" …", False))
    return [seg for seg in out if seg[0]]


def _spans(folded: str, terms: list[list[str]]) -> list[tuple[int, int]]:
    pattern = "|".join(r"\W+".join(map(re.escape, t)) for t in sorted(terms, key=len, reverse=True))
    spans: list[tuple[int, int]] = []
    for m in re.finditer(rf"(?<![^\W_])(?:{pattern})(?![^\W_])", folded):
        if spans and folded[spans[-1][1]:m.start()].isspace():        # adjacent words: one mark
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append(m.span())
    return spans


def _squash(value: str) -> str:
    return re.sub(r"\s+", " ", value)


if __name__ == "__main__":
    from storage.db import write_session

    with write_session() as s:
        print(f"Đã lập lại chỉ mục tìm kiếm cho {rebuild(s)} báo cáo.")
