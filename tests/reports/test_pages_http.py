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
