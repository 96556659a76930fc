"""The procedure's report sections (steps, PPID, SKM), registered with the report catalog
by app.py: the reports subsystem never imports the procedure. Aggregated in SQL."""
from __future__ import annotations

from fractions import Fraction

from sqlalchemy import Index, case, func, select
from sqlalchemy.orm import Session

from queue_server.auth.models import User
from queue_server.procedure.models import (
    EscortCall,
    InfoRequest,
    Reassignment,
    RequestStatus,
    StepRecord,
    SurveyAnswer,
    SurveyResponse,
    Visit,
    VisitStatus,
)
from queue_server.procedure.skm import GRADE_LABELS, Element, IkmReport
from queue_server.procedure.steps_rollup import collect as collect_steps
from queue_server.procedure.steps_rollup import roll_up as roll_up_steps
from queue_server.reports.catalog import Column, Report, Section, Table
from queue_server.reports.periods import Query
from queue_server.reports.queue import share
from queue_server.reports.sql import Dialect
from queue_server.web.i18n import translate

# The SKM report sums the answers of a range of days from the index alone (declared here,
# where it is used; created by migration 0010).
Index("ix_survey_answers_values", SurveyAnswer.response_id, SurveyAnswer.element,
      SurveyAnswer.value)

AGE_BANDS = ((None, 19, "<20"), (20, 29, "20-29"), (30, 39, "30-39"), (40, 49, "40-49"),
             (50, 59, "50-59"), (60, None, "60+"))
SUGGESTIONS_SHOWN = 500
"""The newest suggestions a report lists (the export has the same)."""


def _step_name(step, language: str) -> str:
    return step.name_en if language == "en" and step.name_en else step.name


def steps(session: Session, query: Query, config) -> Report:
    """Per step: done, share within its standard, median and worst time; deviations per
    step and per officer; reassignments."""
    period, language = query.period, query.language
    found = collect_steps(session, query)
    counts = {step: (histogram.count, sum(v for (key, _b), v in found.within.items()
                                          if key == step))
              for step, histogram in found.times.items()}
    times = {step: histogram.summary() for step, histogram in found.times.items()}
    deviations = {key: count for (by, key), (count, _over) in found.deviations.items()
                  if by == "step"}
    moved = dict(session.execute(
        select(StepRecord.step_key, func.count()).select_from(Reassignment).join(
            StepRecord, StepRecord.id == Reassignment.step_record_id)
        .where(Reassignment.at >= period.utc_start, Reassignment.at < period.utc_end)
        .group_by(StepRecord.step_key)).all())
    rows = []
    for step in config.procedure.procedure.steps:
        done, ok = counts.get(step.key, (0, 0))
        time = times.get(step.key, {})
        rows.append([f"{step.position}. {_step_name(step, language)}", done,
                     share(int(ok or 0), done), time.get("median"), time.get("max"),
                     deviations.get(step.key, 0), moved.get(step.key, 0)])
    names = {str(k): v for k, v in session.execute(select(User.id, User.display_name)).all()}
    officer_rows = sorted([[names.get(user, "-"), count, over]
                           for (by, user), (count, over) in found.deviations.items()
                           if by == "officer"], key=lambda r: (-r[1], r[0]))
    figures = {"steps_done": sum(r[1] for r in rows), "deviations": sum(deviations.values()),
               "reassignments": sum(moved.values())}
    return Report(figures, [
        Table("steps", [Column("step", "text"), Column("done"), Column("within", "percent"),
                        Column("median", "seconds"), Column("worst", "seconds"),
                        Column("deviations"), Column("reassignments")], rows,
              {"type": "bar", "x": "step", "y": ["within"]}),
        Table("deviations_by_officer", [Column("officer", "text"), Column("deviations"),
                                        Column("over", "seconds")], officer_rows,
              {"type": "bar", "x": "officer", "y": ["deviations"]})])


def ppid(session: Session, query: Query, config) -> Report:
    """Requests received in the period: handed over within the internal target and the
    statutory limit, extended, still open, overdue (open past the statutory limit)."""
    period = query.period
    sql = Dialect.of(session, period.tz, period.utc_start)
    handed_day = sql.day(InfoRequest.handed_over_at)
    is_open = InfoRequest.status != RequestStatus.HANDED_OVER
    today = (query.today or period.end).isoformat()

    def counted(condition):
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(
        select(InfoRequest.day, func.count(),
               counted(InfoRequest.handed_over_at.is_not(None)
                       & (handed_day <= sql.day_text(InfoRequest.due_internal))),
               counted(InfoRequest.handed_over_at.is_not(None)
                       & (handed_day <= sql.day_text(InfoRequest.due_statutory))),
               counted(InfoRequest.extension_days.is_not(None)),
               counted(is_open),
               counted(is_open & (sql.day_text(InfoRequest.due_statutory) < today)))
        .where(InfoRequest.day >= period.start, InfoRequest.day <= period.end)
        .group_by(InfoRequest.day).order_by(InfoRequest.day)).all()
    table_rows = [[day.isoformat(), *(int(v or 0) for v in values)] for day, *values in rows]
    totals = [sum(row[i] for row in table_rows) for i in range(1, 7)]
    figures = {"received": totals[0], "within_internal": totals[1],
               "within_statutory": totals[2], "extended": totals[3], "open": totals[4],
               "overdue": totals[5], "within_internal_share": share(totals[1], totals[0]),
               "within_statutory_share": share(totals[2], totals[0])}
    return Report(figures, [Table(
        "ppid_by_day", [Column("day", "date"), Column("received"), Column("within_internal"),
                        Column("within_statutory"), Column("extended"), Column("open"),
                        Column("overdue")], table_rows,
        {"type": "bar", "x": "day", "y": ["received", "within_statutory"]})])


def _ikm(totals: dict[Element, int], counts: dict[Element, int], responses: int) -> IkmReport:
    """The SKM index from per-element sums (as skm.compute_ikm, without a row loop)."""
    nrr = {e: Fraction(totals[e], counts[e]) for e in Element if counts.get(e)}
    exact = None
    if len(nrr) == len(Element):
        exact = sum(nrr.values(), Fraction(0)) * Fraction(1, len(Element)) * 25
    return IkmReport(responses, {e: totals.get(e, 0) for e in Element}, nrr, exact)


def _profile(session: Session, where: list, language: str) -> list[list]:
    rows = []
    for name, column in (("gender", SurveyResponse.gender),
                         ("education", SurveyResponse.education),
                         ("occupation", SurveyResponse.occupation)):
        for value, count in session.execute(select(column, func.count()).where(*where)
                                            .group_by(column).order_by(column)).all():
            rows.append([translate(language, f"report_col_{name}"), value or "-", count])
    band = case(*[((SurveyResponse.age <= high) if low is None else
                   (SurveyResponse.age >= low) if high is None else
                   SurveyResponse.age.between(low, high), label)
                  for low, high, label in AGE_BANDS], else_="-")
    ages = dict(session.execute(select(band, func.count()).where(*where).group_by(band)).all())
    for _low, _high, label in AGE_BANDS + ((None, None, "-"),):
        if ages.get(label):
            rows.append([translate(language, "report_col_age"), label, ages[label]])
    return rows


def skm(session: Session, query: Query, config) -> Report:
    """IKM and grade per month, NRR per element, respondents' profile, suggestions."""
    period, language = query.period, query.language
    sql = Dialect.of(session, period.tz, period.utc_start)
    where = [SurveyResponse.day >= period.start, SurveyResponse.day <= period.end]
    month = sql.month(SurveyResponse.day)
    sums = session.execute(
        select(month, SurveyAnswer.element, func.sum(SurveyAnswer.value), func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(*where).group_by(month, SurveyAnswer.element)).all()
    responses = dict(session.execute(select(month, func.count()).where(*where)
                                     .group_by(month)).all())
    by_month: dict[str, tuple[dict, dict]] = {}
    totals: dict[Element, int] = {}
    counts: dict[Element, int] = {}
    for key, element, total, count in sums:
        element = Element(element)
        month_totals, month_counts = by_month.setdefault(key, ({}, {}))
        month_totals[element], month_counts[element] = int(total), count
        totals[element] = totals.get(element, 0) + int(total)
        counts[element] = counts.get(element, 0) + count
    whole = _ikm(totals, counts, sum(responses.values()))
    month_rows = []
    for key in sorted(by_month):
        report = _ikm(*by_month[key], responses.get(key, 0))
        month_rows.append([key, report.responses, _num(report.ikm), _grade(report, language)])
    questions = config.procedure.survey.questions
    element_rows = [[questions[e].name if language == "id" else questions[e].name_en,
                     counts.get(e, 0), _num(whole.nrr_rounded(e))] for e in Element]
    suggestions = session.execute(
        select(SurveyResponse.day, SurveyResponse.suggestion)
        .where(*where, SurveyResponse.suggestion.is_not(None), SurveyResponse.suggestion != "")
        .order_by(SurveyResponse.day.desc(), SurveyResponse.id.desc())
        .limit(SUGGESTIONS_SHOWN)).all()
    figures = {"responses": whole.responses, "ikm": _num(whole.ikm),
               "grade": whole.grade.value if whole.grade else None,
               "grade_label": _grade(whole, language)}
    return Report(figures, [
        Table("skm_by_month", [Column("month", "text"), Column("responses"),
                               Column("ikm", "number"), Column("grade", "text")], month_rows,
              {"type": "line", "x": "month", "y": ["ikm"]}),
        Table("skm_elements", [Column("element", "text"), Column("answers"),
                               Column("nrr", "number")], element_rows,
              {"type": "bar", "x": "element", "y": ["nrr"]}),
        Table("skm_profile", [Column("attribute", "text"), Column("value", "text"),
                              Column("respondents")], _profile(session, where, language)),
        Table("skm_suggestions", [Column("day", "date"), Column("suggestion", "text")],
              [[day.isoformat(), text] for day, text in suggestions])])


def _num(value) -> float | None:
    return float(value) if value is not None else None


def _grade(report: IkmReport, language: str) -> str | None:
    if report.grade is None:
        return None
    return f"{report.grade.value} ({GRADE_LABELS[report.grade][0 if language == 'id' else 1]})"


SECTIONS = (Section("procedure", steps, (), roll_up_steps), Section("ppid", ppid),
            Section("skm", skm))
"""The procedure's reports, in menu order (registered by app.py)."""


def board(session: Session, today, now, config, language: str) -> dict:
    """The procedure's part of the live board: open escort calls, running steps past their
    standard, PPID requests due today or overdue (numbers and step names only)."""
    steps_by_key = {step.key: step for step in config.procedure.procedure.steps}
    escorts = session.execute(
        select(EscortCall.kind, EscortCall.requested_at, EscortCall.acknowledged_at)
        .where(EscortCall.done_at.is_(None)).order_by(EscortCall.id)).all()
    # A running step belongs to an active visit: found through the visits' status index,
    # never by scanning every step of the year.
    late = session.execute(
        select(StepRecord.step_key, StepRecord.due_at, StepRecord.visit_id)
        .join(Visit, Visit.id == StepRecord.visit_id)
        .where(Visit.status == VisitStatus.ACTIVE, StepRecord.ended_at.is_(None),
               StepRecord.started_at.is_not(None), StepRecord.due_at < now)
        .order_by(StepRecord.due_at)).all()
    is_open = InfoRequest.status != RequestStatus.HANDED_OVER
    requests = session.execute(
        select(InfoRequest.number, InfoRequest.due_internal, InfoRequest.due_statutory)
        .where(is_open, InfoRequest.due_internal <= today)
        .order_by(InfoRequest.due_internal)).all()
    return {
        "escorts": [{"kind": kind.value, "requested_at": at.isoformat(),
                     "acknowledged": acknowledged is not None}
                    for kind, at, acknowledged in escorts],
        "late_steps": [{"step": key, "step_name": _step_name(steps_by_key[key], language)
                        if key in steps_by_key else key, "visit_id": visit,
                        "over": round((now - due).total_seconds())}
                       for key, due, visit in late],
        "ppid_due": [{"number": number, "due_internal": internal.isoformat(),
                      "due_statutory": statutory.isoformat(),
                      "overdue": internal < today}
                     for number, internal, statutory in requests]}


BOARD_PARTS = (board,)
"""The procedure's parts of the live board (registered by app.py)."""
