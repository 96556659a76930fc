"""OpenAPI entries for the procedure's routes, merged into /api/v1/openapi.json."""
from __future__ import annotations

from typing import Any

from queue_server.auth.models import Role
from queue_server.procedure.models import VisitStatus
from queue_server.procedure.settings import RecordKind
from queue_server.procedure.skm import Element
from queue_server.web.openapi import (
    INT,
    NULLABLE_S,
    B,
    S,
    identifier,
    object_schema,
    one_of,
    operation,
    text,
)

VISIT = {"$ref": "#/components/schemas/Visit"}
ARRAY = {"type": "array"}
DAY = {"type": "string", "format": "date"}
VISIT_ID = {"name": "visit_id", "in": "path", "required": True, "schema": identifier()}
SUBJECT_ENTRY = object_schema(id=INT, visit_id=INT, day=S, name=NULLABLE_S, nik_masked=NULLABLE_S,
                              institution=NULLABLE_S, purged=B)
NIK = {"type": "string", "maxLength": 64, "pattern": r"^[ .-]*([0-9][ .-]*){16}$"}
NIK_OR_BLANK = {"type": ["string", "null"], "maxLength": 64,
                "pattern": r"^( *|[ .-]*([0-9][ .-]*){16})$"}
PHONE_OR_BLANK = {"type": ["string", "null"],
                  "pattern": r"^( *| *\+?[0-9][0-9 -]{5,18}[0-9] *)$"}
ENTRY_IDS = object_schema(entry_ids={"type": "array", "items": identifier(), "minItems": 1,
                                     "maxItems": 200}, reason=text(1000),
                          required=("entry_ids", "reason"))
CSV = {"description": "CSV headed by the procedure's identity",
       "content": {"text/csv": {"schema": S}}}


def _path(name: str, kind=None) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": kind or identifier()}


def _query(*names: str, kind=DAY, required: bool = False) -> list[dict]:
    return [{"name": name, "in": "query", "schema": kind, "required": required}
            for name in names]


def _visit_op(summary: str, body: dict | None = None, extra: dict | None = None) -> dict:
    return operation(summary, body=body, result=VISIT, errors=(400, 404, 409, 422),
                     extra=extra or {"parameters": [VISIT_ID]})


def _codes(options) -> list[str]:
    return [option.code for option in options]


def paths(config) -> dict[str, Any]:
    """Path items for visits, escorts, requests, records, survey and reports."""
    settings = config.procedure
    steps = settings.procedure.steps
    step = {"parameters": [VISIT_ID, {
        "name": "key", "in": "path", "required": True,
        "schema": one_of(item.key for item in steps),
        "description": "A step key from procedure.steps in config.yaml"}]}
    equipment = sorted({item for each in steps for item in each.equipment}) or [""]
    # The CSV's language (headings, names, yes/no); without it, the page's.
    language = {"type": "string", "enum": list(config.languages)}
    records = operation(
        "A step output listed for one day (format=csv for the export)", errors=(404, 422),
        result=object_schema(kind=S, title=S, date=S, procedure={"type": "object"},
                             rows=ARRAY),
        extra={"parameters": [_path("kind", one_of(kind.value for kind in RecordKind))]
               + _query("date") + _query("format", kind={"type": "string",
                                                         "enum": ["json", "csv"]})
               + _query("lang", kind=language)})
    records["responses"]["200"]["content"]["text/csv"] = CSV["content"]["text/csv"]
    survey = settings.survey
    answers = object_schema(**{element.value: {"type": "integer", "minimum": 1, "maximum": 4}
                               for element in Element},
                            required=tuple(element.value for element in Element))
    answers["additionalProperties"] = False  # an unknown element is refused (422)
    csv_export = operation("Visits as CSV for the archive (admin)", errors=(422,),
                     extra={"parameters": _query("from", "to") + _query("lang", kind=language)})
    csv_export["responses"]["200"] = CSV
    refusal_notice = operation("The written notice of a refusal, as text", errors=(404, 409),
                               extra={"parameters": [_path("request_id")]})
    refusal_notice["responses"]["200"] = {"description": "Plain text",
                                          "content": {"text/plain": {"schema": S}}}
    ikm = operation(
        "NRR and grade per element, the IKM (exact, rounded once), its grade and the "
        "weighting used (admin); format=csv for the export; to before from is an empty "
        "period",
        result={"$ref": "#/components/schemas/Ikm"}, errors=(422,),
        extra={"parameters": _query("from", "to", required=True)
               + _query("lang", kind={"type": "string", "enum": ["id", "en"]})
               + _query("format", kind={"type": "string", "enum": ["json", "csv"]})})
    ikm["responses"]["200"]["content"]["text/csv"] = CSV["content"]["text/csv"]
    return {
        "/api/v1/procedure": {"get": operation("The procedure's identity and steps",
                                         result=object_schema(identity={"type": "object"},
                                                        steps=ARRAY))},
        "/api/v1/visits": {
            "post": operation("Record an arrival: a visit opens at step 1", ok=201, result=VISIT,
                        body=object_schema(aids={"type": "array", "items": one_of(
                            _codes(settings.guest_book.aids))}, note=text(500, optional=True)),
                        errors=(400, 422)),
            "get": operation("Visits of a status (active by default), as the caller's role sees "
                       "them", result=object_schema(visits=ARRAY), errors=(422,), extra={
                           "parameters": _query("day") + _query(
                               "status", kind=one_of(status.value for status in VisitStatus))
                           + _query("step_role", kind=one_of(role.value for role in Role))})},
        "/api/v1/visits/{visit_id}": {"get": operation(
            "A visit's timeline: every step with who, when, deviations and reassignments",
            result={"$ref": "#/components/schemas/Timeline"}, errors=(404,),
            extra={"parameters": [VISIT_ID]})},
        "/api/v1/visits/export": {"get": csv_export},
        "/api/v1/visits/{visit_id}/steps/{key}/complete": {"post": _visit_op(
            "Complete the current step with its output; 403 for another role, 409 out of "
            "order", body={"type": "object", "description": "guest, service, request, "
                           "result, items, survey_filled, place, equipment: per step. guest: "
                           "name, nik (16 ASCII digits; required for the services in "
                           "guest_book.nik_required_for), phone, institution, purpose, "
                           "category, kinds, aids, communication (sensorik_rungu, "
                           "sensorik_wicara, sensorik_netra), companion, guardian_name, "
                           "guardian_relation, guardian_consent; for a visitor with a "
                           "disability notice_mode (read_aloud, large_print, sign_language, "
                           "written) and consent_by (visitor, guardian): UU 27/2022 Pasal "
                           "26. counter: where a counter step takes the visit's ticket. "
                           "request (UU 14/2008 Pasal 22 ayat (2)): subject, "
                           "requester_address, format (softcopy|hardcopy|viewing), delivery "
                           "(in_person|post|email), requester_name (default: the guest "
                           "book's), requester_email (required for email), requirements, "
                           "same_day"},
            extra=step)},
        "/api/v1/visits/{visit_id}/steps/{key}/acknowledge": {"post": _visit_op(
            "Take on the current step (recorded); at a counter step the visit's ticket is "
            "called at `counter`", body=object_schema(counter=one_of(config.counters)),
            extra=step)},
        "/api/v1/visits/{visit_id}/steps/{key}/skip": {"post": _visit_op(
            "Mark the current step not needed, with the reason (roles in the step's "
            "skip_by); no deviation", body=object_schema(reason=text(500),
                                                         required=("reason",)),
            extra=step)},
        "/api/v1/visits/{visit_id}/steps/{key}/equipment": {"post": _visit_op(
            "Tick an item of the step's equipment as provided",
            body=object_schema(item={"type": "string", "enum": equipment}, provided=B,
                               required=("item", "provided")), extra=step)},
        "/api/v1/visits/{visit_id}/steps/{key}/reassign": {"post": _visit_op(
            "Hand a step to another officer with the assignment letter (admin)",
            body=object_schema(to_user_id=identifier(), letter_reference=text(),
                               from_user_id=identifier(), reason=text(1000, optional=True),
                               required=("to_user_id", "letter_reference")),
            extra=step)},
        "/api/v1/visits/{visit_id}/leave": {"post": _visit_op(
            "The visitor goes home while PPID works; optionally escorted out",
            body=object_schema(escort=B))},
        "/api/v1/visits/{visit_id}/cancel": {"post": _visit_op(
            "Close a visit that cannot go on",
            body=object_schema(reason=text(500), required=("reason",)))},
        "/api/v1/escorts": {"get": operation("Open security calls with their visits",
                                       result=object_schema(escorts=ARRAY))},
        "/api/v1/escorts/{call_id}/acknowledge": {"post": operation(
            "Acknowledge a security call (one tap)", errors=(404, 409),
            extra={"parameters": [_path("call_id")]})},
        "/api/v1/escorts/{call_id}/done": {"post": operation(
            "Finish a security call at the ULT, exit or vehicle", errors=(400, 404, 409, 422),
            body=object_schema(place={"type": "string", "enum": ["ult", "exit", "vehicle"]},
                               equipment={"type": "object"}, required=("place",)),
            extra={"parameters": [_path("call_id")]})},
        "/api/v1/requests": {"get": operation(
            "Requests: open ones overdue first (open=1), or one day's (open=0&day=)",
            result=object_schema(requests=ARRAY),
            extra={"parameters": _query("open", kind={"type": "string", "enum": ["0", "1"]})
                   + _query("day")})},
        "/api/v1/requests/{request_id}/extend": {"post": operation(
            "Extend the statutory limit once by up to 7 working days, with a reason; only "
            "before the 10 working days have passed (409 after)",
            body=object_schema(days={"type": "integer", "minimum": 1,
                                     "maximum": settings.ppid.extension_working_days},
                               reason=text(2000), required=("days", "reason")),
            errors=(400, 404, 409, 422),
            extra={"parameters": [_path("request_id")]})},
        "/api/v1/requests/{request_id}/pickup": {"post": operation(
            "The visitor came back: a priority ticket linked to the request", ok=201,
            body=object_schema(escort=B, station=one_of(config.stations) if config.stations
                               else {"type": "null"}), errors=(404, 409, 422),
            extra={"parameters": [_path("request_id")]})},
        "/api/v1/requests/{request_id}/refuse": {"post": operation(
            "Refuse: information exempted under UU 14/2008 Pasal 17 (letter a-j) with the "
            "written reason; the PPID step ends with the notice as its result",
            body=object_schema(article={"type": "string", "enum": list("abcdefghij")},
                               reason=text(4000), required=("article", "reason")),
            errors=(400, 403, 404, 409, 422), extra={"parameters": [_path("request_id")]})},
        "/api/v1/requests/refused": {"get": operation(
            "Refused requests, newest first", result=object_schema(requests=ARRAY))},
        "/api/v1/requests/{request_id}/refusal-notice": {"get": refusal_notice},
        "/api/v1/requests/{request_id}/proof": {"post": operation(
            "Print the Bukti Permohonan Informasi again (Pasal 22 ayat (4))", ok=201,
            body=object_schema(counter=NULLABLE_S), errors=(403, 404, 409, 422),
            extra={"parameters": [_path("request_id")]})},
        "/api/v1/requests/{request_id}/objections": {"post": operation(
            "Register an objection (keberatan, Pasal 35-36): its own number, due in 30 "
            "working days", ok=201,
            body=object_schema(ground={"type": "string", "enum": list("abcdefg")},
                               note=text(4000, optional=True), required=("ground",)),
            errors=(400, 403, 404, 422), extra={"parameters": [_path("request_id")]})},
        "/api/v1/objections": {"get": operation(
            "Objections, the earliest due first", result=object_schema(objections=ARRAY))},
        "/api/v1/records/{kind}": {"get": records},
        "/api/v1/deviations": {"get": operation(
            "Deviations in a period: the caller's role, or any role for an admin",
            result=object_schema(count=INT, deviations=ARRAY), errors=(422,),
            extra={"parameters": _query("from", "to")
                   + _query("role", kind=one_of(role.value for role in Role))})},
        "/api/v1/guests/{entry_id}/reveal": {"post": operation(
            "Show an admin the full NIK or phone; logged with the reason",
            body=object_schema(field={"type": "string", "enum": ["nik", "phone"]},
                               reason=text(1000), required=("field", "reason")),
            result=object_schema(field=S, value=S, entry_id=INT), errors=(400, 404, 409, 422),
            extra={"parameters": [_path("entry_id")]})},
        "/api/v1/guests/nik-check": {"post": operation(
            "Whether a NIK is 16 ASCII digits, with soft warnings (province, birth day and "
            "month, serial 0000) that never refuse it; the NIK is not stored or logged",
            body=object_schema(nik=text(64), required=("nik",)),
            result=object_schema(valid=B, error=S, warnings={
                "type": "array", "items": {"type": "string", "enum": [
                    "nik_province", "nik_day", "nik_month", "nik_serial"]}}), errors=(422,))},
        "/api/v1/guests/{entry_id}": {"patch": operation(
            "Correct a guest's personal fields at their request (admin; UU 27/2022 Pasal 6); "
            "an audit row keeps the fields changed and the reason, never the values",
            body=object_schema(changes={**object_schema(
                name=text(200), nik=NIK_OR_BLANK, phone=PHONE_OR_BLANK,
                institution=text(200, optional=True), purpose=text(1000),
                companion=text(200, optional=True)), "minProperties": 1,
                "additionalProperties": False}, reason=text(1000),
                required=("changes", "reason")),
            result=SUBJECT_ENTRY, errors=(400, 404, 409, 422),
            extra={"parameters": [_path("entry_id")]})},
        "/api/v1/data-subjects/search": {"post": operation(
            "Find one visitor's guest book entries by NIK or exact name (admin, with a "
            "reason; logged). The NIK goes in the body, never in a URL",
            body={**object_schema(nik=NIK_OR_BLANK, name=text(200, optional=True),
                                  reason=text(1000), required=("reason",)),
                  "anyOf": [{"required": ["nik"], "properties": {"nik": NIK}},
                            {"required": ["name"], "properties": {"name": text(200)}}]},
            result=object_schema(entries={"type": "array", "items": SUBJECT_ENTRY}),
            errors=(400, 422))},
        "/api/v1/data-subjects/export": {"post": operation(
            "Everything stored about the entries, in full, for the visitor (admin, with a "
            "reason; logged; UU 27/2022 Pasal 7)",
            body=ENTRY_IDS, result=object_schema(exported_at=S, entries=ARRAY),
            errors=(400, 404, 422))},
        "/api/v1/data-subjects/erase": {"post": operation(
            "Erase the entries' personal data at the visitor's request, as the retention "
            "purge does (admin, with a reason; logged; UU 27/2022 Pasal 8)",
            body=ENTRY_IDS, result=object_schema(erased={"type": "array",
                                                         "items": INT}),
            errors=(400, 404, 422))},
        "/api/v1/data-subjects/actions": {"get": operation(
            "The audit of data-subject actions: who, when, which entries and fields, why",
            result=object_schema(actions=ARRAY))},
        "/api/v1/survey": {"get": operation(
            "The SKM questionnaire with its labels and pre-built audio",
            extra={"parameters": _query("lang", kind={"type": "string",
                                                     "enum": list(config.languages)})})},
        "/api/v1/survey/responses": {"post": operation(
            "An anonymous SKM response: answers by element key, 1 to 4", ok=201,
            body=object_schema(answers=answers, gender=one_of(_codes(survey.genders)),
                               education=one_of(_codes(survey.education)),
                               occupation=one_of(_codes(survey.occupations)),
                               age={"type": ["integer", "null"], "minimum": 10,
                                    "maximum": 120},
                               suggestion=text(2000, optional=True),
                               required=("answers", "gender", "education", "occupation")),
            errors=(400, 422))},
        "/api/v1/reports/ikm": {"get": ikm},
    }


def schemas(config) -> dict[str, Any]:
    return {
        "Visit": object_schema(id=INT, day=S, status=S, position=INT, present=B,
                         aids={"type": "array"}, ticket={"type": ["string", "null"]},
                         ticket_status={"type": ["string", "null"], "enum": [
                             "waiting", "held", "called", "served", "no_show", "cancelled",
                             None]}, ticket_counter=NULLABLE_S,
                         step={"type": ["object", "null"]}, guest={"type": ["object", "null"]},
                         request={"type": ["object", "null"]}),
        "Timeline": object_schema(procedure={"type": "object"}, visit=VISIT, steps=ARRAY,
                            deviation_count=INT, receipt={"type": ["object", "null"]},
                            escorts=ARRAY),
        "Ikm": object_schema(**{"from": S, "to": S}, responses=INT, elements=ARRAY,
                       ikm={"type": ["number", "null"]}, ikm_fraction=NULLABLE_S,
                       grade=NULLABLE_S, grade_label=NULLABLE_S, weight=S, weight_text=S),
    }
