"""The kiosk page: a touch screen at the entrance where a visitor takes a number."""
from __future__ import annotations

from flask import Blueprint, render_template

from queue_server.auth.models import Role
from queue_server.kiosk.audio import clip_urls
from queue_server.web.i18n import local_name
from queue_server.web.pages import labels, page_language, staff_page
from queue_server.web.requests import services

blueprint = Blueprint("kiosk_pages", __name__, template_folder="templates",
                      static_folder="static", static_url_path="/static/kiosk")


@blueprint.get("/anjungan")
@staff_page(Role.KIOSK)
def kiosk(identity):
    config, language = services().config, page_language()
    settings = config.kiosk
    categories = [config.categories[code] for code in settings.categories]
    data = {
        "labels": labels(language), "language": language,
        "default_language": config.default_language,
        "services": [{"code": s.code, "name": local_name(s, language)}
                     for s in config.services.values()],
        # One category (the regular queue, the default): no second screen to choose it.
        "categories": [{"code": c.code, "name": local_name(c, language),
                        "priority": c.priority > 0} for c in categories],
        "result_seconds": settings.result_seconds, "idle_seconds": settings.idle_seconds,
        "clips": clip_urls(config, language),
    }
    return render_template("kiosk/kiosk.html", identity=identity, page_data=data,
                           services=config.services.values(), categories=categories)
