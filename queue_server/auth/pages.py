"""Staff login and logout, the language switch, each role's home page."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from queue_server.auth.models import Role
from queue_server.platform.errors import DomainError
from queue_server.web.i18n import STRINGS
from queue_server.web.pages import safe_next, staff_page
from queue_server.web.requests import current_identity, services

blueprint = Blueprint("auth_pages", __name__)
HOME_ENDPOINTS = {Role.RECEPTIONIST: "tickets_pages.reception",
                  Role.OFFICER: "tickets_pages.counter_choice",
                  Role.ADMIN: "auth_pages.admin_menu", Role.PPID: "procedure_pages.ppid",
                  Role.SECURITY: "procedure_pages.security"}


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    error = None
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET" and session.get("user_id"):
        return redirect(next_path or url_for("auth_pages.index"))
    if request.method == "POST":
        app = services()
        with app.session_factory() as db, db.begin():
            try:
                user = app.auth.login(db, request.form.get("username", ""),
                                      request.form.get("password", ""),
                                      request.remote_addr or "?")
            except DomainError as exc:
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
            return redirect(next_path or url_for("auth_pages.index"))
    status = 429 if error and error.code == "rate_limited" else 401 if error else 200
    return render_template("login.html", error=error, next_path=next_path,
                           username=request.form.get("username", "")), status


@blueprint.post("/logout")
def logout():
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    return redirect(url_for("auth_pages.login"))


@blueprint.get("/lang/<code>")
def set_language(code: str):
    if code not in services().config.languages or code not in STRINGS:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("auth_pages.index"))


@blueprint.get("/")
def index():
    identity = current_identity() if session.get("user_id") else None
    if identity is None:
        return redirect(url_for("auth_pages.login"))
    endpoint = HOME_ENDPOINTS.get(identity.role)
    if endpoint:
        return redirect(url_for(endpoint))
    return render_template("role_home.html", identity=identity)


@blueprint.get("/admin")
@staff_page(Role.ADMIN)
def admin_menu(identity):
    return render_template("admin_menu.html", identity=identity)
