"""API v1 for requests, daily records, deviations, personal data, the survey and the IKM."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import select

from queue_server.auth.access import REQUESTER_READERS
from queue_server.auth.models import Role
from queue_server.platform.errors import forbidden, not_found
from queue_server.procedure import personal, ppid, subjects, survey
from queue_server.procedure.errors import conflict
from queue_server.procedure.models import Deviation, InfoRequest, Objection, Visit
from queue_server.procedure.names import Names
from queue_server.procedure.privacy import InvalidNik, nik_warnings, normalise_nik
from queue_server.procedure.records import READERS as RECORD_READERS
from queue_server.procedure.records import ROWS, STATUS_KINDS, TITLES, ikm_rows, to_csv
from queue_server.procedure.settings import RecordKind
from queue_server.procedure.survey_audio import PHRASES, answer_text, clip_urls
from queue_server.procedure.views import (
    deviation_view,
    identity_view,
    objection_view,
    request_view,
    step_view,
    user_names,
)
from queue_server.procedure.web.api_visits import READERS, parse_day, procedure, run
from queue_server.web.csv_export import csv_response
from queue_server.web.pages import request_language
from queue_server.web.requests import current_identity, field, json_body, query_choice, require
from queue_server.web.requests import services as app_services

blueprint = Blueprint("procedure_office_api", __name__, url_prefix="/api/v1")

def today():
    app = app_services()
    return app.clock().astimezone(app.config.tz).date()


@blueprint.get("/procedure")
@require(*READERS, Role.DISPLAY)
def get_procedure():
    service = procedure()
    now = app_services().clock()
    return jsonify({"identity": identity_view(service.procedure.identity),
                    "steps": [step_view(step, None, {}, now) for step in service.procedure.steps]})


@blueprint.get("/requests")
@require(Role.OFFICER, Role.PPID, Role.RECEPTIONIST)
def list_requests():
    app = app_services()
    day = today()
    chosen, open_only = parse_day("day", day), query_choice("open", ["0", "1"], "1") == "1"
    with app.work.read() as db:
        if open_only:
            rows = ppid.open_requests(db, procedure(), day)
        else:
            rows = db.scalars(select(InfoRequest).where(InfoRequest.day == chosen)
                              .order_by(InfoRequest.id)).all()
        present = dict(db.execute(select(Visit.id, Visit.present).where(
            Visit.id.in_([row.visit_id for row in rows]))).all())
        return jsonify({"requests": [request_view(row, procedure(), day, present.get(
            row.visit_id), current_identity().role) for row in rows],
            "holiday_gaps": ppid.holiday_gaps(procedure(), day)})


def _request_response(request_id: int):
    with app_services().work.read() as db:
        return jsonify(request_view(db.get(InfoRequest, request_id), procedure(), today(),
                                    role=current_identity().role))


@blueprint.post("/requests/<int:request_id>/extend")
@require()
def extend_request(request_id: int):
    data = json_body()
    run(ppid.extend, procedure(), current_identity(), request_id, field(data, "days", int),
        field(data, "reason", max_length=2000))
    return _request_response(request_id)


@blueprint.post("/requests/<int:request_id>/refuse")
@require()
def refuse_request(request_id: int):
    data = json_body()
    run(ppid.refuse, procedure(), current_identity(), request_id,
        field(data, "article", max_length=16), field(data, "reason", max_length=4000))
    return _request_response(request_id)


@blueprint.get("/requests/refused")
@require(Role.OFFICER, Role.PPID)
def refused_requests():
    with app_services().work.read() as db:
        rows = db.scalars(select(InfoRequest).where(InfoRequest.refused_at.is_not(None))
                          .order_by(InfoRequest.refused_at.desc()).limit(200)).all()
        return jsonify({"requests": [request_view(row, procedure(), today(),
                                                  role=current_identity().role)
                                     for row in rows]})


@blueprint.get("/requests/<int:request_id>/refusal-notice")
@require(*REQUESTER_READERS)
def refusal_notice(request_id: int):
    with app_services().work.read() as db:
        request = db.get(InfoRequest, request_id)
        if request is None:
            raise not_found(f"No request {request_id}")
        if request.refused_at is None:
            raise conflict(f"Request {request.number} was not refused")
        text = ppid.refusal_notice(request, procedure(), app_services().clock(),
                                   user_names(db).get(request.refused_by))
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="penolakan-{request.number}.txt"'})


@blueprint.post("/requests/<int:request_id>/proof")
@require()
def reprint_proof(request_id: int):
    data = json_body(required=False)
    run(ppid.reprint_proof, procedure(), current_identity(), request_id,
        field(data, "counter", required=False, max_length=32))
    return _request_response(request_id), 201


@blueprint.post("/requests/<int:request_id>/objections")
@require()
def lodge_objection(request_id: int):
    data = json_body()
    outcome = run(ppid.lodge_objection, procedure(), current_identity(), request_id,
                  field(data, "ground", max_length=16),
                  field(data, "note", required=False, max_length=4000))
    return _objection_response(outcome.view["id"]), 201


def _objection_response(objection_id: int):
    with app_services().work.read() as db:
        objection = db.get(Objection, objection_id)
        return jsonify(objection_view(objection, db.get(InfoRequest, objection.request_id),
                                      today()))


@blueprint.get("/objections")
@require(Role.OFFICER, Role.PPID)
def list_objections():
    with app_services().work.read() as db:
        rows = db.scalars(select(Objection).order_by(Objection.due_date, Objection.id)
                          .limit(200)).all()
        requests = {r.id: r for r in db.scalars(select(InfoRequest).where(
            InfoRequest.id.in_([row.request_id for row in rows])))}
        return jsonify({"objections": [objection_view(row, requests.get(row.request_id),
                                                      today()) for row in rows]})


@blueprint.post("/requests/<int:request_id>/pickup")
@require()
def pickup_request(request_id: int):
    data = json_body(required=False)
    outcome = run(ppid.pickup, procedure(), current_identity(), request_id,
                  data.get("escort") is True, field(data, "station", required=False))
    return jsonify(outcome.view), 201


@blueprint.get("/records/<kind>")
@require(*READERS)
def list_records(kind: str):
    try:
        record = RecordKind(kind)
    except ValueError:
        raise not_found(f"No record list {kind!r}; lists: "
                       f"{[k.value for k in RecordKind]}") from None
    identity = current_identity()
    if identity.role not in RECORD_READERS[record]:
        raise forbidden(f"Role {identity.role.value!r} may not read {kind}")
    day = parse_day("date", today())
    language = request_language()
    with app_services().work.read() as db:
        rows = list(ROWS[record](db, procedure(), day, identity.role))
    if query_choice("format", ["json", "csv"], "json") == "csv":
        names = Names(procedure(), language)
        text = to_csv(procedure(), names.label(f"record_{kind}"), day.isoformat(), rows, names,
                      STATUS_KINDS.get(record, ""))
        return csv_response(text, f"{kind}-{day}.csv")
    return jsonify({"kind": kind, "title": TITLES[record], "date": day.isoformat(),
                    "procedure": identity_view(procedure().procedure.identity), "rows": rows})


@blueprint.get("/deviations")
@require(*READERS)
def list_deviations():
    identity = current_identity()
    start, end = parse_day("from", today()), parse_day("to", today())
    role = identity.role.value if identity.role != Role.ADMIN else query_choice(
        "role", [role.value for role in Role])
    query = select(Deviation).where(Deviation.day >= start, Deviation.day <= end)
    if role:
        query = query.where(Deviation.role == role)
    with app_services().work.read() as db:
        names = user_names(db)
        rows = [deviation_view(d, names, procedure())
                for d in db.scalars(query.order_by(Deviation.id))]
    return jsonify({"from": start.isoformat(), "to": end.isoformat(), "count": len(rows),
                    "deviations": rows})


@blueprint.post("/guests/<int:entry_id>/reveal")
@require()
def reveal(entry_id: int):
    data = json_body()
    outcome = run(personal.reveal, current_identity(), entry_id, field(data, "field"),
                  field(data, "reason", max_length=1000), app_services().clock())
    return jsonify(outcome.view)


@blueprint.post("/guests/nik-check")
@require(Role.RECEPTIONIST)
def check_nik():
    """Whether a NIK as typed is 16 ASCII digits, and its soft structural warnings.

    The NIK travels in the body (never a URL) and is neither stored nor logged here.
    """
    value = field(json_body(), "nik", max_length=64)
    try:
        nik = normalise_nik(value)
    except InvalidNik as exc:
        return jsonify({"valid": False, "error": str(exc), "warnings": []})
    return jsonify({"valid": True, "warnings": nik_warnings(nik)})


@blueprint.post("/data-subjects/search")
@require()
def find_data_subject():
    """An admin finds one visitor's entries by NIK or name (in the body, never the URL)."""
    data = json_body()
    outcome = run(subjects.find, current_identity(), data.get("nik"),
                  field(data, "name", required=False), field(data, "reason", max_length=1000),
                  app_services().clock())
    return jsonify(outcome.view)


@blueprint.post("/data-subjects/export")
@require()
def export_data_subject():
    data = json_body()
    outcome = run(subjects.export, current_identity(), data.get("entry_ids"),
                  data.get("reason"), app_services().clock())
    return jsonify(outcome.view)


@blueprint.post("/data-subjects/erase")
@require()
def erase_data_subject():
    data = json_body()
    outcome = run(subjects.erase, current_identity(), data.get("entry_ids"),
                  data.get("reason"), app_services().clock())
    return jsonify(outcome.view)


@blueprint.patch("/guests/<int:entry_id>")
@require()
def correct_guest(entry_id: int):
    data = json_body()
    outcome = run(subjects.correct, current_identity(), entry_id, data.get("changes"),
                  data.get("reason"), app_services().clock())
    return jsonify(outcome.view)


@blueprint.get("/data-subjects/actions")
@require()
def data_subject_actions():
    """The audit of data-subject actions: who, when, which entries and fields, why."""
    if current_identity().role != Role.ADMIN:
        raise forbidden("Only an admin reads the data-subject audit")
    with app_services().work.read() as db:
        names = user_names(db)
        return jsonify({"actions": [
            {"id": a.id, "action": a.action, "entry_ids": a.entry_ids, "fields": a.fields,
             "reason": a.reason, "by": names.get(a.by_user_id), "at": a.at.isoformat()}
            for a in subjects.actions(db)]})


@blueprint.get("/survey")
@require(Role.DISPLAY, Role.OFFICER, Role.RECEPTIONIST)
def get_survey():
    """The questionnaire in a language, each text with its pre-built clip URL (or null)."""
    settings = procedure().settings.survey
    language = query_choice("lang", PHRASES, "id")
    english = language == "en"
    audio = clip_urls(settings, language)

    def choices(title: str, labels: list[str]) -> dict:
        return {"question_audio": audio.get(title), "answer_audio": [
            audio.get(answer_text(n, label)) for n, label in enumerate(labels, 1)]}

    questions = []
    for element, question in settings.questions.items():
        labels = list(question.answers_en if english else question.answers)
        text = question.question_en if english else question.question
        questions.append({"key": element.value, "name": question.name_en if english
                          else question.name, "question": text, "answers": labels,
                          **choices(text, labels)})
    profile = []
    for key, options in (("gender", settings.genders), ("education", settings.education),
                         ("occupation", settings.occupations)):
        names = [o.name_en if english else o.name for o in options]
        profile.append({"key": key, "title": PHRASES[language][key],
                        "options": [{"code": o.code, "name": name}
                                    for o, name in zip(options, names, strict=True)],
                        **choices(PHRASES[language][key], names)})
    return jsonify({"language": language, "questions": questions, "profile": profile,
                    "phrases": PHRASES[language],
                    "phrase_audio": {key: audio.get(value)
                                     for key, value in PHRASES[language].items()},
                    "reset_seconds": settings.reset_seconds})


@blueprint.post("/survey/responses")
@require(Role.DISPLAY, Role.OFFICER, Role.RECEPTIONIST)
def submit_survey():
    data = json_body()
    outcome = run(survey.submit, procedure().settings.survey, today(), data)
    return jsonify(outcome.view), 201


@blueprint.get("/reports/ikm")
@require()
def ikm_report():
    if current_identity().role != Role.ADMIN:
        raise forbidden("Only an admin reads the satisfaction index")
    # "to" before "from" is an empty period: an empty report, not an error (both dates
    # are well-formed, and the OpenAPI document cannot tie one to the other).
    start, end = parse_day("from"), parse_day("to")
    settings = procedure().settings.survey
    with app_services().work.read() as db:
        report = survey.ikm_between(db, start, end, settings.weighting)
    language = query_choice("lang", ["id", "en"], "id")
    view = survey.ikm_view(report, settings, start, end, language)
    if query_choice("format", ["json", "csv"], "json") == "csv":
        names = Names(procedure(), language)
        text = to_csv(procedure(), names.label("ikm_heading"), f"{start} - {end}",
                      ikm_rows(view), names)
        return csv_response(text, f"ikm-{start}-{end}.csv")
    view["procedure"] = identity_view(procedure().procedure.identity)
    return jsonify(view)
