"""Full-text search over the reports: accent-insensitive, page links, corrections found, visibility kept."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from workflow_helpers import login, user_id


def find(username: str, query: str):
    from storage.db import read_session
    from storage.models import User
    from workflows import search

    search.catch_up()
    with read_session() as session:
        return search.find(session, session.scalar(select(User).where(User.username == username)), query)


def test_fold_reads_vietnamese_without_accents():
    from storage.search import fold, tokens

    assert fold("AN NINH an nính Đắk Lắk") == "an ninh an ninh dak lak"
    assert len(fold("Phượng Tiến")) == len("Phượng Tiến")
    assert tokens("Tổ quốc, 15/BC-THCS") == ["to", "quoc", "15", "bc", "thcs"]


@pytest.mark.parametrize("query", ["an ninh", "AN NINH", "an nính", "\"an ninh to quoc\""])
def test_an_accent_free_query_finds_the_accented_text(env, query):
    from workflows import demo_year

    demo_year.generate(3)
    hits = find("congan", query)
    assert len({r.dossier_id for r in hits}) == 3
    marked = [text for r in hits for text, hit in r.hit.snippet if hit]
    assert any(m.lower() in ("an ninh", "an nính", "an ninh tổ quốc") for m in marked), marked


def test_results_link_to_the_page_of_the_file(client, env):
    from workflows import demo_year

    demo_year.generate(2)
    login(client, "congan")
    html = client.get("/search?q=hoa+giai+thanh").get_data(as_text=True)
    links = re.findall(r'href="(/reports/\d+/pages/(\d+)\.png)"', html)
    assert links and {page for _, page in links} == {"2"}      # “hòa giải thành” is on page 2
    assert "<mark>hòa giải thành</mark>" in html


def test_a_corrected_field_is_found_once_saved(env):
    from storage.db import read_session
    from storage.models import Dossier
    from workflows import demo_year, dossiers

    ids = demo_year.generate(6)                                 # the 6th dossier waits for the police's check
    with read_session() as session:
        dossier = session.get(Dossier, ids[5])
        assert dossier.state == "report_submitted"
        report = dossier.reports[-1]
        fields = {**report.current_fields, "nominees": [{"name": "Lò Thị Ước", "kind": "individual",
                                                         "position": "Công an viên", "award": None}]}
    assert not find("congan", "lo thi uoc")
    dossiers.correct_fields(user_id("congan"), report.id, fields)
    hits = find("congan", "lo thi uoc")
    assert [(h.dossier_id, h.hit.page) for h in hits] == [(ids[5], 0)]


def test_index_report_replaces_a_reports_rows(env):
    from storage.db import read_session, write_session
    from storage.models import Report, SearchPage
    from storage.search import index_report
    from workflows import demo_year

    ids = demo_year.generate(2)
    with write_session() as session:
        report = session.scalar(select(Report).where(Report.dossier_id == ids[0]))
        index_report(session, report)
        index_report(session, report)                            # twice: still one row per page
    with read_session() as session:
        pages = session.scalars(select(SearchPage.page).where(SearchPage.report_id == report.id)).all()
    assert sorted(pages) == [0, 1, 2]


def test_a_clerk_finds_only_its_own_units_reports(env):
    from storage.db import write_session
    from storage.models import Dossier, User
    from workflows import demo_year

    ids = demo_year.generate(3)
    with write_session() as session:
        unit_id = session.get(Dossier, ids[0]).unit_id
        clerk = session.scalar(select(User).where(User.username == "donvi01"))
        clerk.unit_id = unit_id
    assert {r.dossier_id for r in find("donvi01", "an ninh")} == {ids[0]}
    assert len({r.dossier_id for r in find("congan", "an ninh")}) == 3


def test_an_empty_or_hostile_query_finds_nothing_and_breaks_nothing(client, env):
    from workflows import demo_year

    demo_year.generate(2)
    login(client, "congan")
    for q in ("", "\"", "* OR NEAR(", "<script>alert(1)</script>", "a' -- ", "&|!():*"):
        r = client.get("/search", query_string={"q": q})
        assert r.status_code == 200
        assert "<script>alert" not in r.get_data(as_text=True)


def test_only_the_dossiers_current_report_is_found_not_a_superseded_upload(env):
    """A unit sent a report, then a newer one: searching finds the newer, never the replaced file."""
    from storage.db import write_session
    from storage.models import Dossier, Report
    from storage.search import index_report
    from workflows import demo_year

    ids = demo_year.generate(6)
    with write_session() as session:
        old = session.get(Dossier, ids[5]).reports[-1]
        assert old.fields["number"] == "06/BC-SINH"
        new = Report(dossier_id=old.dossier_id, filename="bao-cao-moi.pdf", sha256=old.sha256, mime=old.mime,
                     size=old.size, pages=1, status="done", submitted_by_id=old.submitted_by_id,
                     text="Báo cáo bổ sung số 07/BC-BOSUNG: kỳ lân xanh", fields={"number": "07/BC-BOSUNG"})
        session.add(new)
        session.flush()
        index_report(session, new)
    assert [r.filename for r in find("congan", "ky lan xanh")] == ["bao-cao-moi.pdf"]
    assert find("congan", '"06/BC-SINH"') == []                 # the replaced upload is not the dossier's report
    assert find("congan", '"05/BC-SINH"')                       # other dossiers' current reports still are
