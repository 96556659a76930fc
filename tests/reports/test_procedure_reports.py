"""The procedure's report sections, worked out by hand: SKM (IKM per month, NRR per
element, profile, suggestions) and PPID requests against their due dates."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from queue_server.procedure.models import SurveyAnswer, SurveyResponse
from queue_server.procedure.skm import Element

from .test_queries import report, table


def respond(services, day: date, value: int, gender: str, age: int | None,
            suggestion: str | None = None) -> None:
    with services.session_factory() as db, db.begin():
        response = SurveyResponse(day=day, gender=gender, education="s1", occupation="pns",
                                  age=age, suggestion=suggestion)
        response.answers = [SurveyAnswer(element=e.value, value=value) for e in Element]
        db.add(response)


def test_skm_by_hand(client, auth, services, clock, users):
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    respond(services, date(2026, 1, 15), 4, "laki_laki", 25, "Antrean lebih cepat")
    respond(services, date(2026, 1, 20), 3, "perempuan", 61)
    respond(services, date(2026, 2, 3), 2, "perempuan", None, "=HYPERLINK(1)")
    data = report(client, auth, "skm", **{"from": "2026-01-01", "to": "2026-02-28"})
    # January: NRR 3.5 on every element -> IKM 3.5 x 25 = 87.50, grade B (76.61-88.30);
    # February: 2 -> 50.00, grade D; both months: (4 + 3 + 2) / 3 = 3 -> 75.00, grade C
    assert table(data, "skm_by_month") == {"2026-01": [2, 87.5, "B (Baik)"],
                                           "2026-02": [1, 50.0, "D (Tidak baik)"]}
    assert data["figures"] == {"responses": 3, "ikm": 75.0, "grade": "C",
                               "grade_label": "C (Kurang baik)"}
    elements = table(data, "skm_elements")
    assert len(elements) == 9 and all(row == [3, 3.0] for row in elements.values())
    profile = next(t for t in data["tables"] if t["key"] == "skm_profile")["rows"]
    assert ["Jenis kelamin", "perempuan", 2] in profile
    assert ["Usia", "20-29", 1] in profile and ["Usia", "60+", 1] in profile
    assert ["Usia", "-", 1] in profile
    suggestions = next(t for t in data["tables"] if t["key"] == "skm_suggestions")["rows"]
    assert suggestions == [["2026-02-03", "=HYPERLINK(1)"],
                           ["2026-01-15", "Antrean lebih cepat"]]
    empty = report(client, auth, "skm", **{"from": "2025-01-01", "to": "2025-01-31"})
    assert empty["figures"] == {"responses": 0, "ikm": None, "grade": None,
                                "grade_label": None}


def test_steps_and_ppid_by_hand(client, auth, services, desk, clock):
    from queue_server.procedure.models import (
        Deviation,
        InfoRequest,
        Reassignment,
        StepRecord,
        Visit,
    )
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    officer = desk.users["officer"]
    at = desk.at
    with services.session_factory() as db, db.begin():
        for visit_id, took in ((1, 300), (2, 900), (3, 1500)):
            start = at("2026-03-10 09:00:00")
            db.add(Visit(id=visit_id, day=date(2026, 3, 10), status="completed", position=11,
                         created_at=start))
            db.flush()
            record = StepRecord(id=visit_id, visit_id=visit_id, position=2,
                                step_key="escort_in", role="security", started_at=start,
                                ended_at=start + timedelta(seconds=took),
                                due_at=start + timedelta(seconds=600), completed_by=officer)
            db.add(record)
            db.flush()
            if took > 600:
                db.add(Deviation(visit_id=visit_id, step_record_id=visit_id,
                                 step_key="escort_in", role="security",
                                 responsible_user_id=officer, day=date(2026, 3, 10),
                                 standard_seconds=600, actual_seconds=took,
                                 over_seconds=took - 600, recorded_at=start))
        db.add(Reassignment(visit_id=1, step_record_id=1, from_user_id=officer,
                            to_user_id=officer, letter_reference="ST/1", by_user_id=officer,
                            at=at("2026-03-10 09:01:00")))
        received = at("2026-03-10 10:00:00")
        common = {"day": date(2026, 3, 10), "service": "INFO", "subject": "Data",
                  "requirements": {}, "requirements_complete": True, "received_at": received,
                  "received_by": officer, "due_internal": date(2026, 3, 12),
                  "due_statutory": date(2026, 3, 24)}
        # handed over on the internal due day (late evening, local), within both limits
        db.add(InfoRequest(id=1, number="R1", visit_id=1, status="handed_over",
                           handed_over_at=at("2026-03-12 23:30:00"), **common))
        # 06:00 local on the 13th (23:00 UTC on the 12th): after the internal target
        db.add(InfoRequest(id=2, number="R2", visit_id=2, status="handed_over",
                           handed_over_at=at("2026-03-13 06:00:00"), extension_days=7,
                           **common))
        db.add(InfoRequest(id=3, number="R3", visit_id=3, status="in_process", **common))
    steps = report(client, auth, "procedure", **{"from": "2026-03-10", "to": "2026-03-10"})
    escort = next(row for row in steps["tables"][0]["rows"] if row[0].startswith("2. "))
    # 300, 900, 1500 s against 600 s: 1 of 3 within (33.3 %); median 900; worst 1500
    assert escort[1:] == [3, 33.3, 900.0, 1500.0, 2, 1]
    assert table(steps, "deviations_by_officer") == {"Petugas officer": [2, 300 + 900]}
    assert steps["figures"] == {"steps_done": 3, "deviations": 2, "reassignments": 1}
    ppid = report(client, auth, "ppid", **{"from": "2026-03-10", "to": "2026-03-10"})
    assert table(ppid, "ppid_by_day") == {"2026-03-10": [3, 1, 2, 1, 1, 0]}
    assert ppid["figures"]["within_internal_share"] == 33.3
    clock.now = datetime(2026, 3, 25, 3, 0, tzinfo=UTC)  # past the statutory limit
    late = report(client, auth, "ppid", **{"from": "2026-03-10", "to": "2026-03-10"})
    assert late["figures"]["overdue"] == 1
