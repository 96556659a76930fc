"""The SKM survey and the IKM: answers by element key, exact arithmetic, the grade."""
from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import inspect, select

from queue_server.procedure.models import SurveyAnswer, SurveyResponse
from queue_server.procedure.skm import (
    Element,
    Grade,
    Weighting,
    compute_ikm,
    element_grade,
    grade_of,
)

from .conftest import ok

ORDER = [element.value for element in Element]
PROFILE = {"gender": "P", "education": "s1", "occupation": "pns"}


def answers(*values: int) -> dict[str, int]:
    """Answers in element order U1..U9, sent shuffled: storage must go by key."""
    pairs = list(zip(ORDER, values, strict=True))
    random.shuffle(pairs)
    return dict(pairs)


# Worked by hand (U1..U9):
#   R1: 4 4 3 4 3 4 4 3 3
#   R2: 3 3 3 4 3 3 4 2 3
#   R3: 4 3 2 4 4 3 3 3 4
#   R4: 3 4 3 4 3 4 4 3 3
# Totals 14 14 11 16 13 14 15 11 13, so NRR = total / 4:
#   3.50 3.50 2.75 4.00 3.25 3.50 3.75 2.75 3.25, sum 30.25
# IKM = 30.25 x 1/9 x 25 = 756.25 / 9 = 84.0277... -> 84.03, grade B (Baik).
WORKED = [(4, 4, 3, 4, 3, 4, 4, 3, 3), (3, 3, 3, 4, 3, 3, 4, 2, 3),
          (4, 3, 2, 4, 4, 3, 3, 3, 4), (3, 4, 3, 4, 3, 4, 4, 3, 3)]


def test_worked_example_by_hand():
    report = compute_ikm([{Element(k): v for k, v in answers(*row).items()} for row in WORKED])
    assert report.responses == 4
    assert [report.nrr_rounded(e) for e in Element] == [Decimal(v) for v in (
        "3.50", "3.50", "2.75", "4.00", "3.25", "3.50", "3.75", "2.75", "3.25")]
    assert report.ikm == Decimal("84.03")
    assert report.grade == Grade.B


def test_rounded_once_at_the_end():
    # Every element answered 4, 3, 3: NRR 10/3 each. Exactly: 10/3 x 25 = 83.333... -> 83.33.
    # Rounding each NRR to 3.33 first would give 83.25; the 0.111 weight gives 83.16.
    rows = [{e: v for e in Element} for v in (4, 3, 3)]
    report = compute_ikm(rows)
    assert report.ikm == Decimal("83.33")


@pytest.mark.parametrize(("value", "grade"), [
    ("100.00", Grade.A), ("88.31", Grade.A), ("88.30", Grade.B), ("76.61", Grade.B),
    ("76.60", Grade.C), ("65.00", Grade.C), ("64.99", Grade.D), ("25.00", Grade.D)])
def test_grade_boundaries(value, grade):
    assert grade_of(Decimal(value)) == grade


def test_survey_through_the_api_and_the_report(call, clock, services):
    survey = ok(call("display", "GET", "/survey"))
    assert [q["key"] for q in survey["questions"]] == ORDER
    assert survey["questions"][3]["answers"] == ["Sangat mahal", "Cukup mahal", "Murah",
                                                 "Gratis"]
    for row in WORKED:
        ok(call("display", "POST", "/survey/responses",
                json={"answers": answers(*row), **PROFILE, "suggestion": "Ruang tunggu sejuk"}),
           201)
    clock.advance(days=1)
    ok(call("display", "POST", "/survey/responses",
            json={"answers": answers(*[1] * 9), **PROFILE, "age": 70}), 201)

    report = ok(call("admin", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-02"))
    assert report["responses"] == 4
    assert report["ikm"] == 84.03 and report["grade"] == "B"
    assert report["grade_label"] == "Baik"
    assert report["ikm_fraction"] == "3025/36"  # 756.25 / 9
    by_key = {e["key"]: e for e in report["elements"]}
    assert by_key["waktu_penyelesaian"]["nrr"] == 2.75
    assert by_key["biaya_tarif"]["nrr_fraction"] == "4/1"
    assert report["procedure"]["number"].startswith("PMP-07.01.CFM.01")

    both = ok(call("admin", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-03"))
    assert both["responses"] == 5
    empty = ok(call("admin", "GET", "/reports/ikm?from=2026-01-01&to=2026-01-31"))
    assert (empty["responses"], empty["ikm"], empty["grade"]) == (0, None, None)
    backwards = ok(call("admin", "GET", "/reports/ikm?from=2026-12-03&to=2026-12-02"))
    assert (backwards["responses"], backwards["ikm"]) == (0, None)
    assert call("officer", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-02"
                ).status_code == 403
    assert call("admin", "GET", "/reports/ikm?from=2026-12-02").status_code == 422

    with services.session_factory() as db:
        first = db.scalars(select(SurveyResponse).order_by(SurveyResponse.id)).first()
        stored = {a.element: a.value for a in db.scalars(
            select(SurveyAnswer).where(SurveyAnswer.response_id == first.id))}
    assert stored == dict(zip(ORDER, WORKED[0], strict=True))


def test_a_response_is_anonymous_and_checked(call):
    columns = {c.key for c in inspect(SurveyResponse).columns}
    assert columns == {"id", "day", "gender", "education", "occupation", "age", "suggestion"}
    bad = [({"answers": answers(5, 4, 4, 4, 4, 4, 4, 4, 4)}, "1, 2, 3 or 4"),
           ({"answers": {k: 4 for k in ORDER[:8]}}, "missing"),
           ({"answers": {**{k: 4 for k in ORDER}, "kebersihan": 4}}, "Unknown"),
           ({"answers": {k: 4 for k in ORDER}, "gender": "X"}, "gender")]
    for body, words in bad:
        response = call("display", "POST", "/survey/responses", json={**PROFILE, **body})
        assert response.status_code == 422, body
        assert words in response.json["error"]["message"]
    assert call("security", "POST", "/survey/responses",
                json={"answers": {k: 4 for k in ORDER}, **PROFILE}).status_code == 403


def by_totals(*totals: int) -> list[dict[Element, int]]:
    """Five responses whose element totals (out of 20) are the ones given, U1..U9."""
    rows: list[dict[Element, int]] = [{} for _ in range(5)]
    for element, total in zip(Element, totals, strict=True):
        fours = total - 15  # 15 is five 3s; each 4 adds one
        for index, row in enumerate(rows):
            row[element] = 4 if index < fours else 3
    return rows


# NRR sum 31.8: exactly 31.8 / 9 x 25 = 88.33 (A); with 0.111, 31.8 x 0.111 x 25 = 88.245
# -> 88.25 (B). NRR sum 27.6: 76.67 (B) exactly, 76.59 (C) with 0.111. All 4s: A either way.
BOUNDARIES = [
    ((18, 18, 18, 18, 18, 18, 17, 17, 17), Weighting.EXACT, "88.33", Grade.A),
    ((18, 18, 18, 18, 18, 18, 17, 17, 17), Weighting.PRINTED, "88.25", Grade.B),
    ((16, 16, 16, 15, 15, 15, 15, 15, 15), Weighting.EXACT, "76.67", Grade.B),
    ((16, 16, 16, 15, 15, 15, 15, 15, 15), Weighting.PRINTED, "76.59", Grade.C),
    ((20,) * 9, Weighting.EXACT, "100.00", Grade.A),
    ((20,) * 9, Weighting.PRINTED, "99.90", Grade.A),
]


@pytest.mark.parametrize(("totals", "weighting", "ikm", "grade"), BOUNDARIES)
def test_both_weightings_on_grade_boundaries(totals, weighting, ikm, grade):
    report = compute_ikm(by_totals(*totals), weighting)
    assert (report.ikm, report.grade, report.weighting) == (Decimal(ikm), grade, weighting)


@pytest.mark.parametrize(("nrr", "grade"), [
    ("1", Grade.D), ("2.5996", Grade.D), ("2.60", Grade.C), ("3.064", Grade.C),
    ("3.0644", Grade.B), ("3.532", Grade.B), ("3.5324", Grade.A), ("4", Grade.A),
    ("3.06435", Grade.B),  # four decimals, as the table: 3.0644
])
def test_element_grades_follow_the_ni_ranges(nrr, grade):
    assert element_grade(Fraction(nrr)) == grade


def submit_boundary(call) -> None:
    for row in by_totals(18, 18, 18, 18, 18, 18, 17, 17, 17):
        ok(call("display", "POST", "/survey/responses",
                json={"answers": {e.value: v for e, v in row.items()}, **PROFILE}), 201)


def test_the_report_states_the_exact_weighting_and_grades_each_element(call):
    submit_boundary(call)
    report = ok(call("admin", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-02"))
    assert (report["ikm"], report["grade"], report["weight"]) == (88.33, "A", "exact")
    assert "1/9" in report["weight_text"]
    by_key = {e["key"]: e for e in report["elements"]}
    assert (by_key["persyaratan"]["nrr"], by_key["persyaratan"]["grade"]) == (3.6, "A")
    assert by_key["persyaratan"]["grade_label"] == "Sangat baik"
    assert (by_key["sarana_prasarana"]["nrr"], by_key["sarana_prasarana"]["grade"]) == (3.4, "B")

    text = call("admin", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-02&format=csv"
                ).get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(text.split("\r\n\r\n", 1)[1])))
    assert [(r["Unsur"], r["Mutu"]) for r in table][:1] == [("Persyaratan", "A")]
    assert (table[-1]["Unsur"], table[-1]["Nilai"], table[-1]["Mutu"]) == ("IKM", "88.33", "A")
    assert "1/9" in table[-1]["Pembobotan"]
    assert {r["Mutu"] for r in table[:9]} == {"A", "B"}
    assert call("officer", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-02&format=csv"
                ).status_code == 403


@pytest.mark.parametrize("config_overrides", [{"survey": {"weight": 0.111}}])
def test_the_printed_weighting_is_an_office_choice_and_is_stated(call):
    submit_boundary(call)
    report = ok(call("admin", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-02"))
    assert (report["ikm"], report["grade"], report["weight"]) == (88.25, "B", "0.111")
    assert "0,111" in report["weight_text"]
    english = ok(call("admin", "GET", "/reports/ikm?from=2026-12-02&to=2026-12-02&lang=en"))
    assert "0.111" in english["weight_text"] and english["grade_label"] == "Good"
