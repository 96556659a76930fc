"""The receptionist's and the counter officer's pages."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from queue_server.auth.models import Role
from queue_server.web.i18n import local_name
from queue_server.web.pages import labels, page_language, staff_page
from queue_server.web.requests import services

blueprint = Blueprint("tickets_pages", __name__, template_folder="templates",
                      static_folder="static", static_url_path="/static/tickets")


@blueprint.get("/resepsionis")
@staff_page(Role.RECEPTIONIST)
def reception(identity):
    config, language = services().config, page_language()
    categories = sorted(config.categories.values(), key=lambda c: -c.priority)
    data = {
        "labels": labels(language),
        "services": {s.code: local_name(s, language) for s in config.services.values()},
        "categories": {c.code: local_name(c, language) for c in categories},
        "counters": {c.code: local_name(c, language) for c in config.counters.values()},
    }
    notify = bool(getattr(config.notify, "enabled", False))
    return render_template("reception.html", identity=identity, categories=categories,
                           services=list(config.services.values()), page_data=data,
                           notify=notify, languages=config.languages)


@blueprint.get("/loket")
@staff_page(Role.OFFICER)
def counter_choice(identity):
    config, language = services().config, page_language()
    choices = [(counter, ", ".join(local_name(config.services[code], language)
                                   for code in counter.services))
               for counter in config.counters.values()]
    return render_template("counter_choice.html", identity=identity, choices=choices)


@blueprint.get("/loket/<code>")
@staff_page(Role.OFFICER)
def counter(identity, code: str):
    config, language = services().config, page_language()
    counter = config.counters.get(code)
    if counter is None:
        abort(404)
    served = [s for s in config.services.values() if s.code in counter.services]
    data = {
        "labels": labels(language), "counter": counter.code,
        "priority_only": counter.priority_only,
        "counter_services": [s.code for s in served],
        "services": {s.code: local_name(s, language) for s in config.services.values()},
        "categories": {c.code: local_name(c, language) for c in config.categories.values()},
        "counters": {c.code: local_name(c, language) for c in config.counters.values()},
    }
    others = [c for c in config.counters.values() if c.code != counter.code]
    return render_template("counter.html", identity=identity, counter=counter,
                           services=list(config.services.values()), other_counters=others,
                           recall_minutes=config.queue.no_show_recall_minutes, page_data=data)
