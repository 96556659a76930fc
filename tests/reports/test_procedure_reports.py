"""The procedure's report sections, worked out by hand: SKM (IKM per month, NRR per
element, profile, suggestions) and PPID requests against their due dates."""
from __future__ import annotations

from datetime import UTC, date, datetime

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
