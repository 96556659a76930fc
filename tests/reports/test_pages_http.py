"""The reports page and the live board over HTTP: who sees them, what they show."""
from __future__ import annotations

import re

import pytest

from tests.support import PASSWORD

from .conftest import DAY


def login(client, role: str):
    assert client.post("/login", data={"username": role,
                                       "password": PASSWORD}).status_code == 302


def test_the_supervisors_home_is_the_live_board(client, users):
    login(client, "supervisor")
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/pemantauan")
    page = client.get("/pemantauan").get_data(as_text=True)
    assert "Pemantauan langsung" in page and 'id="board-counters"' in page


@pytest.mark.parametrize("role", ["receptionist", "officer", "ppid", "security", "display"])
def test_desk_roles_see_neither_page(client, users, role):
    login(client, role)
    assert client.get("/laporan").status_code == 403
    assert client.get("/pemantauan").status_code == 403


def test_the_page_shows_every_table_with_a_summary(client, users, day_of_tickets):
    login(client, "supervisor")
    page = client.get(f"/laporan?report=waits&from={DAY}&to={DAY}").get_data(as_text=True)
    for key in ("by_service", "by_class", "by_category", "by_counter", "by_officer"):
        assert f'data-table="{key}"' in page
        assert f'id="summary-{key}"' in page
    assert "Persentil ke-90 tunggu" in page
    assert "0:10:00" in page  # the median wait, 600 s, as h:mm:ss
    assert "vendor/chartjs/chart.umd.js" in page and "cdn" not in page.lower()
    summary = re.search(r'id="summary-by_service">([^<]*)<', page).group(1)
    assert "Layanan Informasi Publik" in summary or "Persuratan" in summary


def test_a_bad_range_on_the_page_says_why(client, users):
    login(client, "admin")
    answer = client.get("/laporan?from=2026-03-10&to=2026-03-01")
    assert answer.status_code == 422
    assert "to must not be before from" in answer.get_data(as_text=True)


def test_the_board_snapshot_counts_today(client, auth, desk, clock):
    from datetime import UTC, datetime
    clock.now = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
    desk.ticket("INFO", "umum", f"{DAY} 08:00:00", f"{DAY} 08:10:00", f"{DAY} 08:20:00",
                "served", "2")
    desk.ticket("INFO", "umum", f"{DAY} 09:30:00")
    desk.ticket("SURAT", "lansia", f"{DAY} 09:50:00")
    board = client.get("/api/v1/board", headers=auth("supervisor")).get_json()
    assert board["day"] == DAY
    assert board["today"] == {"issued": 3, "served": 1, "no_show": 0, "waiting": 2,
                              "wait_mean": 600, "wait_longest": 600}
    waiting = {(row["service"], row["category"]): row for row in board["waiting"]}
    assert waiting[("INFO", "umum")]["waiting"] == 1
    assert waiting[("INFO", "umum")]["longest_wait"] == 30 * 60
    assert waiting[("SURAT", "lansia")]["longest_wait"] == 10 * 60
    assert [c["state"] for c in board["counters"]] == ["idle", "idle", "idle"]
    assert board["escorts"] == [] and board["late_steps"] == [] and board["ppid_due"] == []
    assert client.get("/api/v1/board", headers=auth("officer")).status_code == 403


def test_the_board_lists_late_steps_and_ppid_requests_due(client, auth, services, desk,
                                                          clock):
    from datetime import UTC, date, datetime, timedelta

    from queue_server.procedure.models import InfoRequest, StepRecord, Visit
    clock.now = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
    start = desk.at(f"{DAY} 09:00:00")
    officer = desk.users["officer"]
    with services.session_factory() as db, db.begin():
        for visit_id, status in ((1, "active"), (2, "completed")):
            db.add(Visit(id=visit_id, day=date(2026, 3, 10), status=status, position=2,
                         created_at=start))
            db.flush()
            # both steps ran past their 10 minutes; only the active visit's is running
            db.add(StepRecord(visit_id=visit_id, position=2, step_key="escort_in",
                              role="security", started_at=start,
                              due_at=start + timedelta(minutes=10),
                              ended_at=None if status == "active" else start))
        common = {"service": "INFO", "subject": "Data", "requirements": {},
                  "requirements_complete": True, "received_at": start,
                  "received_by": officer, "status": "in_process",
                  "due_statutory": date(2026, 3, 20)}
        db.add(InfoRequest(id=1, number="R/1", visit_id=1, day=date(2026, 3, 2),
                           due_internal=date(2026, 3, 9), **common))
        db.add(InfoRequest(id=2, number="R/2", visit_id=2, day=date(2026, 3, 5),
                           due_internal=date(2026, 3, 10), **common))
    board = client.get("/api/v1/board", headers=auth("supervisor")).get_json()
    assert [(s["visit_id"], s["over"]) for s in board["late_steps"]] == [(1, 50 * 60)]
    assert [(r["number"], r["overdue"]) for r in board["ppid_due"]] == [("R/1", True),
                                                                        ("R/2", False)]


def test_the_page_shows_dates_in_the_one_format_of_its_language(client, users, day_of_tickets):
    login(client, "supervisor")
    page = client.get(f"/laporan?report=volume&from={DAY}&to={DAY}").get_data(as_text=True)
    shown = "10/03/2026"  # DAY, 2026-03-10
    assert f"Periode {shown} s.d. {shown}" in page  # the period line
    assert f'<th scope="row">{shown}</th>' in page  # the by-day table's day
    body = re.sub(r"<script.*?</script>", "", page.split("<main", 1)[1], flags=re.S)
    # No ISO date anywhere a person reads (the date inputs keep theirs in value="...").
    assert not re.search(r">[^<]*\d{4}-\d{2}-\d{2}[^<]*<", body)
