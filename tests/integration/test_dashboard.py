"""The campaign-year dashboard: figures from the checked report fields, who may see it, printable, fast enough."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from workflow_helpers import login


def approved_sums() -> dict[str, int]:
    """Sum of each metric over the approved dossiers' latest reports' current fields, straight from the rows."""
    from storage.db import read_session
    from storage.models import Dossier
    from workflows.fields import METRICS

    with read_session() as session:
        sums = dict.fromkeys(METRICS, 0)
        for d in session.scalars(select(Dossier).where(Dossier.state == "approved")):
            fields = d.reports[-1].current_fields if d.reports else None
            for k in METRICS:
                sums[k] += ((fields or {}).get("metrics") or {}).get(k) or 0
        return sums


def board_for(username: str, year: int = 2026):
    from storage.db import read_session
    from storage.models import User
    from workflows import stats

    with read_session() as session:
        user = session.scalar(select(User).where(User.username == username))
        return stats.build(session, user, year, date.today())


def set_deadlines(report: date, hamlet: date) -> None:
    from storage.db import write_session
    from storage.models import Campaign

    with write_session() as session:
        session.execute(update(Campaign).values(report_deadline=report, hamlet_report_deadline=hamlet))


def test_official_totals_are_the_sums_of_the_approved_reports_checked_fields(env):
    from workflows import demo_year

    demo_year.generate(60)
    board = board_for("congan")
    assert board.totals() == approved_sums()
    assert len(board.counted) == sum(r.state == "approved" for r in board.rows) == 24
    assert dict(board.funnel)["Đã đăng ký"] == 60 and dict(board.funnel)["Đã phê duyệt"] == 24
    assert board.units_total == 80 and len(board.unregistered) == 20


def test_a_correction_wins_over_the_machine_reading(env):
    from workflows import demo_year

    ids = demo_year.generate(1)                     # the first generated report carries a correction (+100)
    row = board_for("congan").rows[0]
    assert row.dossier_id == ids[0]
    from storage.db import read_session
    from storage.models import Report

    with read_session() as session:
        report = session.scalar(select(Report).where(Report.dossier_id == ids[0]))
        assert row.metrics["mediations"] == report.fields["metrics"]["mediations"] + 100


def test_the_dashboard_page_shows_the_figures_the_late_units_and_prints(client, env):
    from workflows import demo_year

    demo_year.generate(20)
    set_deadlines(date.today() - timedelta(days=3), date.today() - timedelta(days=10))
    login(client, "chutich")
    html = client.get("/dashboard").get_data(as_text=True)
    board = board_for("chutich")
    assert "Tổng hợp kết quả phong trào năm 2026" in html
    assert "<svg" in html and "<script>" not in html and "style=" not in html
    assert "hồ sơ đã được Chủ tịch UBND xã phê duyệt" in html          # which dossiers count is stated
    for value in board.totals().values():
        assert f'<td class="num">{value:,}</td>'.replace(",", ".") in html
    assert board.late and all(x.state in ("registered", "returned") for x in board.late)
    assert board.late[0].unit_name in html and "quá hạn" in html.lower()
    assert "data-print" in html and "dashboard.css" in html


def test_a_units_clerk_gets_no_dashboard_and_exports(client, env):
    login(client, "donvi01")
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard/2026/export.xlsx").status_code == 403


def test_an_unknown_year_is_not_found(client, env):
    login(client, "congan")
    assert client.get("/dashboard?year=1999").status_code == 404


def test_the_daily_check_flags_late_dossiers_and_clears_them_once_reported(env):
    from storage.db import read_session, write_session
    from storage.models import Dossier, OverdueFlag
    from workflows import deadlines, demo_year

    demo_year.generate(17)              # open dossiers: two units (deadline 30/11) and one hamlet (20/11)
    set_deadlines(date(2026, 11, 30), date(2026, 11, 20))
    assert deadlines.mark_overdue(on=date(2026, 11, 25)) == (1, 0)    # only the hamlet (xóm) is late so far
    flagged, cleared = deadlines.mark_overdue(on=date(2026, 12, 1))
    assert flagged == 2 and cleared == 0                               # the other open dossiers, now late too
    assert deadlines.mark_overdue(on=date(2026, 12, 1)) == (0, 0)      # running twice changes nothing
    with write_session() as session:
        flag = session.scalar(select(OverdueFlag).where(OverdueFlag.cleared_at.is_(None)))
        session.get(Dossier, flag.dossier_id).state = "report_submitted"
    assert deadlines.mark_overdue(on=date(2026, 12, 1)) == (0, 1)
    with read_session() as session:
        open_flags = session.scalars(select(OverdueFlag).where(OverdueFlag.cleared_at.is_(None))).all()
        assert len(open_flags) == 2 and {f.state for f in open_flags} <= {"registered", "returned"}


def test_the_police_inbox_include_lists_the_flagged_units(app, env):
    from flask import g, render_template_string
    from flask_login import login_user

    from storage.db import session_factory
    from storage.models import User
    from webapp import LoginUser
    from workflows import deadlines, demo_year

    demo_year.generate(17)
    set_deadlines(date(2026, 11, 30), date(2026, 11, 20))
    deadlines.mark_overdue(on=date(2026, 12, 1))
    with app.test_request_context("/"):
        g.db = session_factory()()
        login_user(LoginUser(g.db.scalar(select(User).where(User.username == "congan"))))
        html = render_template_string('{% include "dashboard/_overdue.html" %}')
        login_user(LoginUser(g.db.scalar(select(User).where(User.username == "donvi01"))))
        assert "quá hạn" not in render_template_string('{% include "dashboard/_overdue.html" %}')
        g.db.close()
    import re

    assert len(re.findall(r'href="/dossiers/\d+"', html)) == 3 and "Xóm Sinh 017" in html   # the three flagged
    # (units that never registered are listed too, linked to registration: tests/integration/test_deadlines.py)
