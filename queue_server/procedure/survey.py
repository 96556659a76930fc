"""Store anonymous SKM responses and report the IKM over a period."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.platform.events import Event
from queue_server.platform.transactions import Outcome
from queue_server.platform.validation import checked_text, whole_number
from queue_server.procedure.errors import invalid
from queue_server.procedure.events import SURVEY_SUBMITTED
from queue_server.procedure.models import SurveyAnswer, SurveyResponse
from queue_server.procedure.sections import SurveySettings
from queue_server.procedure.skm import GRADE_LABELS, Element, IkmReport, Weighting, compute_ikm


def _choice(data: dict, name: str, options, required: bool) -> str | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise invalid(f"Field {name!r} is required")
        return None
    allowed = [option.code for option in options]
    if value not in allowed:
        raise invalid(f"Field {name!r} must be one of {allowed}")
    return value


def submit(session: Session, settings: SurveySettings, day: date, data: dict) -> Outcome:
    """Save one response: all 9 elements by key (1 to 4), the profile, a suggestion."""
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise invalid("answers must map each SKM element key to 1-4")
    keys = {element.value for element in Element}
    unknown = sorted(set(answers) - keys)
    if unknown:
        raise invalid(f"Unknown SKM elements {unknown}")
    missing = sorted(keys - set(answers))
    if missing:
        raise invalid(f"Every element needs an answer; missing {missing}")
    for key, value in answers.items():
        if whole_number(value) not in (1, 2, 3, 4):
            raise invalid(f"Answer for {key!r} must be 1, 2, 3 or 4")
    age = data.get("age")
    if age is not None:
        age = whole_number(age)
        if age is None or not 10 <= age <= 120:
            raise invalid("age must be a whole number from 10 to 120, or left out")
    suggestion = data.get("suggestion")
    if suggestion is not None and not isinstance(suggestion, str):
        raise invalid("suggestion must be text")
    response = SurveyResponse(
        day=day, gender=_choice(data, "gender", settings.genders, True),
        education=_choice(data, "education", settings.education, True),
        occupation=_choice(data, "occupation", settings.occupations, True),
        age=age or None, suggestion=checked_text(suggestion, "suggestion", 2000),
        answers=[SurveyAnswer(element=key, value=value) for key, value in answers.items()])
    session.add(response)
    session.flush()
    # The event carries the day only: nothing that could tie it to a visitor.
    return Outcome(None, [Event(SURVEY_SUBMITTED, {"day": day.isoformat()})],
                   view={"id": response.id})


def responses_between(session: Session, start: date, end: date) -> list[SurveyResponse]:
    return list(session.scalars(select(SurveyResponse).where(
        SurveyResponse.day >= start, SurveyResponse.day <= end).order_by(SurveyResponse.id)))


def ikm_between(session: Session, start: date, end: date,
                weighting: Weighting = Weighting.EXACT) -> IkmReport:
    rows = session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.element, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.day >= start, SurveyResponse.day <= end)).all()
    grouped: dict[int, dict[Element, int]] = defaultdict(dict)
    for response_id, element, value in rows:
        grouped[response_id][Element(element)] = value
    return compute_ikm(grouped.values(), weighting)


def ikm_view(report: IkmReport, settings: SurveySettings, start: date, end: date,
             language: str = "id") -> dict[str, Any]:
    """The report as JSON: NRR and grade per element, IKM and grade; exact fractions alongside.

    It states the weighting used (survey.weight): exactly 1/9, or 0.111 as printed.
    """
    elements = []
    english = language == "en"
    for element in Element:
        question = settings.questions[element]
        exact = report.nrr.get(element)
        rounded = report.nrr_rounded(element)
        grade = report.element_grade(element)
        elements.append({
            "key": element.value, "name": question.name if language == "id"
            else question.name_en, "total": report.totals[element],
            "nrr": float(rounded) if rounded is not None else None,
            "nrr_fraction": f"{exact.numerator}/{exact.denominator}" if exact else None,
            "grade": grade.value if grade else None,
            "grade_label": GRADE_LABELS[grade][int(english)] if grade else None})
    grade = report.grade
    exact = report.ikm_exact
    return {
        "from": start.isoformat(), "to": end.isoformat(), "responses": report.responses,
        "elements": elements, "ikm": float(report.ikm) if report.ikm is not None else None,
        "ikm_fraction": f"{exact.numerator}/{exact.denominator}" if exact is not None else None,
        "grade": grade.value if grade else None,
        "grade_label": GRADE_LABELS[grade][int(english)] if grade else None,
        "weight": report.weighting.value,
        "weight_text": WEIGHT_TEXTS[report.weighting][int(english)]}


WEIGHT_TEXTS = {
    Weighting.EXACT: ("Bobot tiap unsur tepat 1/9 (tanpa pembulatan); IKM = jumlah NRR x "
                      "1/9 x 25, dibulatkan sekali di akhir.",
                      "Each element weighs exactly 1/9 (unrounded); IKM = sum of NRR x 1/9 "
                      "x 25, rounded once at the end."),
    Weighting.PRINTED: ("Bobot tiap unsur 0,111 (1/9 dibulatkan, seperti dicetak banyak "
                        "instansi); IKM = jumlah NRR x 0,111 x 25, dibulatkan sekali di akhir.",
                        "Each element weighs 0.111 (1/9 rounded, as many offices print it); "
                        "IKM = sum of NRR x 0.111 x 25, rounded once at the end.")}
