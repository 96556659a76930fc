"""OpenAPI fragment: one GET per registered report, with its period and filters."""
from __future__ import annotations

from typing import Any

from queue_server.reports.api import BOARD, PREFIX
from queue_server.reports.catalog import DOCUMENTS, Catalog
from queue_server.reports.exports import XLSX_TYPE
from queue_server.reports.periods import MAX_DAYS, PRESETS
from queue_server.web.openapi import S, identifier, object_schema, one_of, operation

DAY = {"type": "string", "format": "date"}


def _parameters(config, filters: tuple[str, ...]) -> list[dict[str, Any]]:
    params = [
        {"name": "preset", "in": "query", "schema": {"type": "string", "enum": list(PRESETS)},
         "description": "A period up to today; ignored when from or to is given"},
        {"name": "from", "in": "query", "schema": DAY,
         "description": "First local day (default: the first of this month)"},
        {"name": "to", "in": "query", "schema": DAY,
         "description": f"Last local day, not before from, at most {MAX_DAYS} days in all"},
        {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["id", "en"]}}]
    codes = {"service": config.services, "category": config.categories,
             "counter": config.counters}
    for name in filters:
        schema = identifier() if name == "officer" else one_of(codes[name])
        params.append({"name": name, "in": "query", "schema": schema})
    return params


class Fragment:
    """The reports' part of /api/v1/openapi.json (the catalog decides which reports)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def paths(self, config) -> dict[str, Any]:
        paths = {}
        for key, section in self.catalog.sections.items():
            summary = (section.build.__doc__ or key).strip().splitlines()[0]
            extra = {"parameters": _parameters(config, section.uses_filters)}
            paths[f"{PREFIX}/{key}"] = {"get": operation(
                f"Report {key!r}: {summary} (admin, supervisor)",
                result={"$ref": "#/components/schemas/Report"}, extra=extra)}
            for fmt, kind in (("csv", "text/csv"), ("xlsx", XLSX_TYPE)):
                export = operation(f"Report {key!r} as {fmt.upper()} (admin, supervisor)",
                                   extra=extra)
                export["responses"]["200"] = {"description": "The report's tables", "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}}}}
                paths[f"{PREFIX}/{key}.{fmt}"] = {"get": export}
        for name, keys in DOCUMENTS.items():
            if not all(key in self.catalog.sections for key in keys):
                continue
            document = operation(f"The {name} report as a print-ready PDF (admin, supervisor)",
                                 extra={"parameters": _parameters(config, ())})
            document["responses"]["200"] = {"description": "A PDF on the office's letterhead",
                                            "content": {"application/pdf": {"schema": {
                                                "type": "string", "format": "binary"}}}}
            paths[f"{PREFIX}/{name}.pdf"] = {"get": document}
        paths[BOARD] = {"get": operation(
            "The live board: today so far, waiting groups, counters, escorts, late steps, "
            "PPID requests due (admin, supervisor)",
            result={"$ref": "#/components/schemas/Board"},
            extra={"parameters": [{"name": "lang", "in": "query",
                                   "schema": {"type": "string", "enum": ["id", "en"]}}]})}
        return paths

    def schemas(self, config) -> dict[str, Any]:
        column = object_schema(key=S, label=S, kind={"type": "string", "enum": [
            "text", "int", "number", "seconds", "percent", "date"]})
        table = object_schema(key=S, title=S, columns={"type": "array", "items": column},
                              rows={"type": "array", "items": {"type": "array"}},
                              chart={"type": ["object", "null"]})
        array = {"type": "array"}
        board = object_schema(now=S, day=DAY, today={"type": "object"}, waiting=array,
                              counters=array, escorts=array, late_steps=array, ppid_due=array,
                              required=("now", "day", "today", "waiting", "counters"))
        return {"Board": board, "Report": object_schema(
            report=S, title=S, **{"from": DAY, "to": DAY}, timezone=S,
            filters={"type": "object"}, figures={"type": "object"},
            tables={"type": "array", "items": table},
            required=("report", "from", "to", "figures", "tables"))}

