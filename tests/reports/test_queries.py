"""Every figure of the queue reports worked out by hand on a small data set (Asia/Jakarta,
UTC+7 unless said otherwise); the range is local days, hours are local hours."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .conftest import DAY


def report(client, auth, key: str, role: str = "supervisor", **params):
    answer = client.get(f"/api/v1/reports/{key}", query_string=params, headers=auth(role))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def table(data: dict, key: str) -> dict[str, list]:
    """A table's rows by their first cell."""
    found = next(t for t in data["tables"] if t["key"] == key)
    return {row[0]: row[1:] for row in found["rows"]}


def test_waiting_and_service_times_by_hand(client, auth, day_of_tickets):
    data = report(client, auth, "waits", **{"from": DAY, "to": DAY})
    figures = data["figures"]
    # waits 120, 600, 1800: mean 840, median 600, p90 at rank 2.8 = 600 + 0.8 * 1200
    assert (figures["called"], figures["wait_mean"], figures["wait_median"],
            figures["wait_p90"]) == (3, 840.0, 600.0, 1560.0)
    # service 600, 720: mean 660, median 660, p90 at rank 1.9 = 600 + 0.9 * 120
    assert (figures["service_mean"], figures["service_median"],
            figures["service_p90"]) == (660.0, 660.0, 708.0)
    assert figures["priority_share"] == 25.0  # 1 of 4 issued that day
    by_service = table(data, "by_service")
    # INFO: waits 120, 600 -> p90 at rank 1.9 = 120 + 0.9 * 480 = 552
    assert by_service["Layanan Informasi Publik"] == [2, 360.0, 360.0, 552.0,
                                                      660.0, 660.0, 708.0]
    assert by_service["Persuratan dan Legalisasi"] == [1, 1800.0, 1800.0, 1800.0,
                                                       None, None, None]
    by_class = table(data, "by_class")
    assert by_class["Prioritas"] == [1, 120.0, 120.0, 120.0, 720.0, 720.0, 720.0]
    # regular: waits 600, 1800 -> p90 = 600 + 0.9 * 1200 = 1680
    assert by_class["Umum"] == [2, 1200.0, 1200.0, 1680.0, 600.0, 600.0, 600.0]
    by_officer = table(data, "by_officer")
    # a ticket counts for the officer who called it last: the no-show too
    assert by_officer == {"Petugas officer": [3, 840.0, 600.0, 1560.0, 660.0, 660.0, 708.0]}
    assert table(data, "by_counter") == {
        "Loket 2": [1, 600.0, 600.0, 600.0, 600.0, 600.0, 600.0],
        "Loket 3": [1, 1800.0, 1800.0, 1800.0, None, None, None],
        "Loket Prioritas": [1, 120.0, 120.0, 120.0, 720.0, 720.0, 720.0]}


def test_volume_counts_local_days_and_hours(client, auth, day_of_tickets):
    data = report(client, auth, "volume", **{"from": DAY, "to": DAY})
    assert data["figures"] == {"issued": 4, "served": 2, "no_show": 1, "transferred": 1,
                               "priority_share": 25.0}
    assert table(data, "by_day") == {DAY: [4, 2, 1, 1]}
    hours = table(data, "by_hour")
    assert hours["08.00"] == [2] and hours["09.00"] == [1] and hours["23.00"] == [1]
    assert hours["12.00"] == [0] and "00.00" not in hours
    heat = next(t for t in data["tables"] if t["key"] == "heatmap")
    assert [c["key"] for c in heat["columns"]] == ["weekday", "h08", "h09", "h23"]
    assert heat["rows"][1] == ["Selasa", 2, 1, 1]  # Tuesday, the second row (Monday first)
    assert sum(sum(row[1:]) for row in heat["rows"]) == 4

    next_day = report(client, auth, "volume", **{"from": "2026-03-11", "to": "2026-03-11"})
    assert next_day["figures"]["issued"] == 1
    assert table(next_day, "by_hour") == {"00.00": [1]}
    both = report(client, auth, "volume", **{"from": DAY, "to": "2026-03-11"})
    assert table(both, "by_day") == {DAY: [4, 2, 1, 1], "2026-03-11": [1, 0, 0, 0]}


def test_filters_narrow_every_figure(client, auth, day_of_tickets):
    data = report(client, auth, "waits", service="INFO", **{"from": DAY, "to": DAY})
    assert data["filters"] == {"service": "INFO"}
    assert (data["figures"]["called"], data["figures"]["wait_median"]) == (2, 360.0)
    counter = report(client, auth, "volume", counter="3", **{"from": DAY, "to": DAY})
    assert counter["figures"]["issued"] == 1 and counter["figures"]["no_show"] == 1


def test_an_empty_range_gives_zeros_and_no_averages(client, auth, day_of_tickets):
    volume = report(client, auth, "volume", **{"from": "2026-01-05", "to": "2026-01-06"})
    assert volume["figures"] == {"issued": 0, "served": 0, "no_show": 0, "transferred": 0,
                                 "priority_share": None}
    assert table(volume, "by_day") == {"2026-01-05": [0, 0, 0, 0], "2026-01-06": [0, 0, 0, 0]}
    assert table(volume, "by_hour") == {} and table(volume, "heatmap") == {}
    waits = report(client, auth, "waits", **{"from": "2026-01-05", "to": "2026-01-06"})
    assert waits["figures"]["called"] == 0 and waits["figures"]["wait_median"] is None
    assert all(t["rows"] == [] for t in waits["tables"])


def test_presets_cover_the_local_calendar(client, auth, clock, users):
    # 2026-03-31 23:30 local in Jakarta is still March; UTC says 16:30 the same day
    clock.now = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    expected = {"today": ("2026-03-31", "2026-03-31"), "this_week": ("2026-03-30", "2026-03-31"),
                "this_month": ("2026-03-01", "2026-03-31"),
                "last_month": ("2026-02-01", "2026-02-28"),
                "this_year": ("2026-01-01", "2026-03-31")}
    for preset, (start, end) in expected.items():
        data = report(client, auth, "volume", preset=preset)
        assert (data["from"], data["to"]) == (start, end), preset
    clock.now = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 April in Jakarta
    assert report(client, auth, "volume", preset="today")["from"] == "2026-04-01"


@pytest.mark.parametrize("params", [
    {"from": "2026-03-10", "to": "2026-03-09"},  # to before from
    {"from": "2025-01-01", "to": "2026-01-02"},  # 367 days
    {"from": "2026-13-01", "to": "2026-13-02"},  # malformed
    {"from": "10-03-2026"},
    {"to": ""},  # blank: the API takes no empty value (the page drops its own)
    {"preset": "yesterday"},
    {"service": "NOPE"},
    {"officer": "x"},
])
def test_a_bad_range_or_filter_is_422(client, auth, users, params):
    answer = client.get("/api/v1/reports/volume", query_string=params,
                        headers=auth("supervisor"))
    assert answer.status_code == 422, params
    assert answer.get_json()["error"]["message"]


def test_a_full_leap_year_is_allowed(client, auth, users):
    data = report(client, auth, "volume", **{"from": "2028-01-01", "to": "2028-12-31"})
    assert len(data["tables"][0]["rows"]) == 366


@pytest.mark.parametrize("role", ["receptionist", "officer", "ppid", "security", "display",
                                  "agent"])
def test_only_admin_and_the_supervisor_read_reports(app, client, auth, role):
    keys = list(app.extensions["reports"].sections)
    assert keys == ["volume", "waits", "procedure", "ppid", "skm"]
    for key in keys:
        assert client.get(f"/api/v1/reports/{key}", headers=auth(role)).status_code == 403
        assert client.get(f"/api/v1/reports/{key}").status_code == 401
        for reader in ("admin", "supervisor"):
            assert client.get(f"/api/v1/reports/{key}",
                              headers=auth(reader)).status_code == 200, (key, reader)


class TestMakassar:
    """An office in Asia/Makassar (UTC+8): its local hours and days, not Jakarta's."""

    @pytest.fixture
    def config_overrides(self):
        return {"office": {"timezone": "Asia/Makassar"}}

    def test_hours_and_days_are_the_offices(self, client, auth, desk, clock):
        clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
        desk.ticket("INFO", "umum", f"{DAY} 08:00:00", f"{DAY} 08:04:00",
                    f"{DAY} 08:10:00", "served", "2")
        # 23:30 in Makassar is 15:30 UTC; in Jakarta it would be 22:30
        desk.ticket("INFO", "umum", f"{DAY} 23:30:00")
        # 00:15 on the next day in Makassar is 16:15 UTC on DAY
        desk.ticket("INFO", "umum", "2026-03-11 00:15:00")
        data = report(client, auth, "volume", **{"from": DAY, "to": DAY})
        assert data["timezone"] == "Asia/Makassar"
        assert table(data, "by_hour")["08.00"] == [1] and table(data, "by_hour")["23.00"] == [1]
        assert data["figures"]["issued"] == 2
        later = report(client, auth, "volume", **{"from": "2026-03-11", "to": "2026-03-11"})
        assert table(later, "by_hour") == {"00.00": [1]}
        waits = report(client, auth, "waits", **{"from": DAY, "to": DAY})
        assert waits["figures"]["wait_median"] == 240.0
        assert waits["figures"]["service_median"] == 360.0
