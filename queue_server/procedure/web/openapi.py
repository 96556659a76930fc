"""OpenAPI entries for the procedure's routes, merged into /api/v1/openapi.json."""
from __future__ import annotations

from typing import Any

from queue_server.web.openapi import INT, B, S, object_schema, operation

VISIT = {"$ref": "#/components/schemas/Visit"}
ARRAY = {"type": "array"}
DAY = {"type": "string", "format": "date"}
VISIT_ID = {"name": "visit_id", "in": "path", "required": True, "schema": INT}
STEP_KEY = {"name": "key", "in": "path", "required": True, "schema": S,
            "description": "A step key from procedure.steps in config.yaml"}
STEP = {"parameters": [VISIT_ID, STEP_KEY]}
CSV = {"description": "CSV headed by the procedure's identity",
       "content": {"text/csv": {"schema": S}}}


def _path(name: str, kind=INT) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": kind}


def _query(*names: str, kind=DAY) -> list[dict]:
    return [{"name": name, "in": "query", "schema": kind} for name in names]


def _visit_op(summary: str, body: dict | None = None, extra: dict | None = None) -> dict:
    return operation(summary, body=body, result=VISIT, errors=(400, 404, 409, 422),
               extra=extra or {"parameters": [VISIT_ID]})


def paths() -> dict[str, Any]:
    """Path items for visits, escorts, requests, records, survey and reports."""
    csv_export = operation("Visits as CSV for the archive (admin)", errors=(422,),
                     extra={"parameters": _query("from", "to")})
    csv_export["responses"]["200"] = CSV
    return {
        "/api/v1/procedure": {"get": operation("The procedure's identity and steps",
                                         result=object_schema(identity={"type": "object"},
                                                        steps=ARRAY))},
        "/api/v1/visits": {
            "post": operation("Record an arrival: a visit opens at step 1", ok=201, result=VISIT,
                        body=object_schema(aids={"type": "array", "items": S}, note=S),
                        errors=(400, 422)),
            "get": operation("Visits of a status (active by default), as the caller's role sees "
                       "them", result=object_schema(visits=ARRAY), errors=(422,), extra={
                           "parameters": _query("day") + _query("status", "step_role",
                                                                kind=S)})},
        "/api/v1/visits/{visit_id}": {"get": operation(
            "A visit's timeline: every step with who, when, deviations and reassignments",
            result={"$ref": "#/components/schemas/Timeline"}, errors=(404,),
            extra={"parameters": [VISIT_ID]})},
        "/api/v1/visits/export": {"get": csv_export},
        "/api/v1/visits/{visit_id}/steps/{key}/complete": {"post": _visit_op(
            "Complete the current step with its output; 403 for another role, 409 out of "
            "order", body={"type": "object", "description": "guest, service, request, "
                           "result, items, survey_filled, place, equipment: per step"},
            extra=STEP)},
        "/api/v1/visits/{visit_id}/steps/{key}/acknowledge": {"post": _visit_op(
            "Take on the current step (recorded)", extra=STEP)},
        "/api/v1/visits/{visit_id}/steps/{key}/equipment": {"post": _visit_op(
            "Tick an item of the step's equipment as provided",
            body=object_schema(item=S, provided=B), extra=STEP)},
        "/api/v1/visits/{visit_id}/steps/{key}/reassign": {"post": _visit_op(
            "Hand a step to another officer with the assignment letter (admin)",
            body=object_schema(to_user_id=INT, letter_reference=S, from_user_id=INT, reason=S),
            extra=STEP)},
        "/api/v1/visits/{visit_id}/leave": {"post": _visit_op(
            "The visitor goes home while PPID works; optionally escorted out",
            body=object_schema(escort=B))},
        "/api/v1/visits/{visit_id}/cancel": {"post": _visit_op(
            "Close a visit that cannot go on", body=object_schema(reason=S))},
        "/api/v1/escorts": {"get": operation("Open security calls with their visits",
                                       result=object_schema(escorts=ARRAY))},
        "/api/v1/escorts/{call_id}/acknowledge": {"post": operation(
            "Acknowledge a security call (one tap)", errors=(404, 409),
            extra={"parameters": [_path("call_id")]})},
        "/api/v1/escorts/{call_id}/done": {"post": operation(
            "Finish a security call at the ULT, exit or vehicle", errors=(400, 404, 409, 422),
            body=object_schema(place={"type": "string", "enum": ["ult", "exit", "vehicle"]},
                         equipment={"type": "object"}),
            extra={"parameters": [_path("call_id")]})},
        "/api/v1/requests": {"get": operation(
            "Requests: open ones overdue first (open=1), or one day's (open=0&day=)",
            result=object_schema(requests=ARRAY),
            extra={"parameters": _query("open", kind=S) + _query("day")})},
        "/api/v1/requests/{request_id}/extend": {"post": operation(
            "Extend the statutory limit once by up to 7 working days, with a reason",
            body=object_schema(days=INT, reason=S), errors=(400, 404, 409, 422),
            extra={"parameters": [_path("request_id")]})},
        "/api/v1/requests/{request_id}/pickup": {"post": operation(
            "The visitor came back: a priority ticket linked to the request", ok=201,
            body=object_schema(escort=B, station=S), errors=(404, 409, 422),
            extra={"parameters": [_path("request_id")]})},
        "/api/v1/records/{kind}": {"get": operation(
            "A step output listed for one day (format=csv for the export)", errors=(404, 422),
            result=object_schema(kind=S, title=S, date=S, procedure={"type": "object"}, rows=ARRAY),
            extra={"parameters": [_path("kind", S)] + _query("date") + _query(
                "format", kind=S)})},
        "/api/v1/deviations": {"get": operation(
            "Deviations in a period: the caller's role, or any role for an admin",
            result=object_schema(count=INT, deviations=ARRAY), errors=(422,),
            extra={"parameters": _query("from", "to") + _query("role", kind=S)})},
        "/api/v1/guests/{entry_id}/reveal": {"post": operation(
            "Show an admin the full NIK or phone; logged with the reason",
            body=object_schema(field={"type": "string", "enum": ["nik", "phone"]}, reason=S),
            result=object_schema(field=S, value=S, entry_id=INT), errors=(400, 404, 409, 422),
            extra={"parameters": [_path("entry_id")]})},
        "/api/v1/survey": {"get": operation(
            "The SKM questionnaire with its labels and pre-built audio",
            extra={"parameters": _query("lang", kind=S)})},
        "/api/v1/survey/responses": {"post": operation(
            "An anonymous SKM response: answers by element key, 1 to 4", ok=201,
            body=object_schema(answers={"type": "object"}, gender=S, education=S, occupation=S,
                         age=INT, suggestion=S), errors=(400, 422))},
        "/api/v1/reports/ikm": {"get": operation(
            "NRR per element, the IKM (exact, rounded once) and its grade (admin)",
            result={"$ref": "#/components/schemas/Ikm"}, errors=(422,),
            extra={"parameters": _query("from", "to")})},
    }


def schemas() -> dict[str, Any]:
    return {
        "Visit": object_schema(id=INT, day=S, status=S, position=INT, present=B,
                         aids={"type": "array"}, ticket={"type": ["string", "null"]},
                         step={"type": ["object", "null"]}, guest={"type": ["object", "null"]},
                         request={"type": ["object", "null"]}),
        "Timeline": object_schema(procedure={"type": "object"}, visit=VISIT, steps=ARRAY,
                            deviation_count=INT, receipt={"type": ["object", "null"]},
                            escorts=ARRAY),
        "Ikm": object_schema(**{"from": S, "to": S}, responses=INT, elements=ARRAY,
                       ikm={"type": ["number", "null"]}, ikm_fraction=S, grade=S,
                       grade_label=S),
    }
