"""Staff pages: login, language switch, home by role, receptionist, counter officer."""
from __future__ import annotations

import functools

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from queue_server.auth.service import AuthError
from queue_server.web.requests import csrf_token, current_identity, services
from queue_server.web.i18n import LANGUAGE_NAMES, STRINGS, local_name, pick_language, translate
from queue_server.auth.models import Role

blueprint = Blueprint("pages", __name__)

# Icons drawn in templates/icons.html; a category with another icon name gets the plain one.
ICONS = {"lansia", "disabilitas", "ibu_hamil", "anak", "umum", "priority"}
HOME_ENDPOINTS = {Role.RECEPTIONIST: "pages.reception", Role.OFFICER: "pages.counter_choice",
                  Role.ADMIN: "pages.admin_menu", Role.PPID: "procedure_pages.ppid",
                  Role.SECURITY: "procedure_pages.security"}


def page_language() -> str:
    """The session's chosen language, else the office default."""
    config = services().config
    return pick_language(session.get("lang"), config.languages, config.default_language)


def safe_next(target: str | None) -> str | None:
    """A same-site path to return to, or None: never an absolute or protocol-relative URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@blueprint.app_context_processor
def page_context() -> dict:
    language = page_language()
    config = services().config
    others = [(code, LANGUAGE_NAMES.get(code, code)) for code in config.languages
              if code in STRINGS and code != language]
    here = request.full_path if request.query_string else request.path
    return {"lang": language, "other_languages": others, "office": config.office_name,
            "unit": config.office_unit, "csrf_token": csrf_token, "here": here,
            "icon_for": lambda category: category.icon if category.icon in ICONS else "umum",
            "t": functools.partial(translate, language),
            "name_of": lambda item: local_name(item, language)}


def staff_page(*roles: Role):
    """Let in logged-in users with one of these roles (admin always); others see why not."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            identity = current_identity() if session.get("user_id") else None
            if identity is None:
                return redirect(url_for("pages.login", next=request.path))
            if identity.role not in roles and identity.role != Role.ADMIN:
                return render_template("forbidden.html", identity=identity), 403
            return view(identity, *args, **kwargs)

        return wrapper

    return decorator


def _labels(language: str) -> dict[str, str]:
    return dict(STRINGS.get(language, STRINGS["id"]))


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    error = None
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET" and session.get("user_id"):
        return redirect(next_path or url_for("pages.index"))
    if request.method == "POST":
        app = services()
        with app.session_factory() as db, db.begin():
            try:
                user = app.auth.login(db, request.form.get("username", ""),
                                      request.form.get("password", ""),
                                      request.remote_addr or "?")
            except AuthError as exc:
                error = exc
            else:
                # A fresh session against fixation; the chosen language survives it.
                language = session.get("lang")
                session.clear()
                session.update(user_id=user.id, username=user.username,
                               display_name=user.display_name, role=user.role.value)
                if language:
                    session["lang"] = language
        if error is None:
            return redirect(next_path or url_for("pages.index"))
    status = 429 if error and error.code == "rate_limited" else 401 if error else 200
    return render_template("login.html", error=error, next_path=next_path,
                           username=request.form.get("username", "")), status


@blueprint.post("/logout")
def logout():
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    return redirect(url_for("pages.login"))


@blueprint.get("/lang/<code>")
def set_language(code: str):
    if code not in services().config.languages or code not in STRINGS:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("pages.index"))


@blueprint.get("/")
def index():
    identity = current_identity() if session.get("user_id") else None
    if identity is None:
        return redirect(url_for("pages.login"))
    endpoint = HOME_ENDPOINTS.get(identity.role)
    if endpoint:
        return redirect(url_for(endpoint))
    return render_template("role_home.html", identity=identity)


@blueprint.get("/admin")
@staff_page(Role.ADMIN)
def admin_menu(identity):
    return render_template("admin_menu.html", identity=identity)


@blueprint.get("/resepsionis")
@staff_page(Role.RECEPTIONIST)
def reception(identity):
    config, language = services().config, page_language()
    categories = sorted(config.categories.values(), key=lambda c: -c.priority)
    data = {
        "labels": _labels(language),
        "services": {s.code: local_name(s, language) for s in config.services.values()},
        "categories": {c.code: local_name(c, language) for c in categories},
        "counters": {c.code: local_name(c, language) for c in config.counters.values()},
    }
    return render_template("reception.html", identity=identity, categories=categories,
                           services=list(config.services.values()), page_data=data)


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
        "labels": _labels(language), "counter": counter.code,
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
